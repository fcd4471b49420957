import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../api/types.gen';
import { AppContext, type AppContextValue } from '../state/app';
import { JobsDock } from './JobsDock';

const jobs: JobInfo[] = [
  {
    id: 'j2',
    kind: 'fingerprint',
    title: 'Fingerprint data sets',
    started_at: '2024-05-01T10:00:02Z',
    finished_at: null,
    state: { state: 'running', progress: { done: 512 * 1024, total: 1024 * 1024, unit: 'bytes', message: 'penguins.csv' } },
  },
  {
    id: 'j1',
    kind: 'fingerprint',
    title: 'Fingerprint data sets',
    started_at: '2024-05-01T10:00:00Z',
    finished_at: '2024-05-01T10:00:01Z',
    state: { state: 'failed', error: { code: 'permission_denied', message: 'cannot read flights.parquet' } },
  },
];

function render(open: boolean, list: JobInfo[] = jobs): string {
  const value = { jobs: list, actions: { cancelJob: async () => {} } } as unknown as AppContextValue;
  return renderToStaticMarkup(
    <AppContext.Provider value={value}>
      <JobsDock open={open} onToggle={() => {}} />
    </AppContext.Provider>,
  );
}

describe('JobsDock', () => {
  it('badges the running count even when collapsed', () => {
    const html = render(false);
    expect(html).toContain('data-testid="jobs"');
    expect(html).toMatch(/data-testid="jobs-running-count"[^>]*>1</);
    expect(html).not.toContain('job-j2');
  });
  it('shows progress, cancel for running jobs and the error of failed ones', () => {
    const html = render(true);
    expect(html).toContain('512 KiB / 1.0 MiB (50%)');
    expect(html).toContain('aria-valuenow="50"');
    expect(html).toContain('aria-label="Cancel Fingerprint data sets"');
    expect(html).toContain('cannot read flights.parquet');
    expect(html.match(/>Cancel</g)).toHaveLength(1);
  });
  it('has no badge when nothing runs', () => {
    expect(render(true, [jobs[1]])).not.toContain('jobs-running-count');
  });
});
