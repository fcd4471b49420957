import { describe, expect, it } from 'vitest';
import type { JobInfo, JobState } from '../../api/types.gen';
import { compareJobTitle, latestProfileJob, newlySucceeded } from './jobsFor';

function job(id: string, title: string, state: JobState, kind = 'profile'): JobInfo {
  return { id, kind, title, started_at: '2024-01-01T00:00:00Z', finished_at: null, state };
}
const summary = (dataset: string) => ({ dataset, fingerprint: 'f', rows: 1, columns: 1, alerts: 0, elapsed_ms: 1, cached: false });

describe('profile jobs of a data set', () => {
  const jobs = [
    job('3', 'Profile flights', { state: 'running', progress: { done: 1, total: 4, unit: 'steps', message: '' } }),
    job('2', 'Profile penguins', { state: 'succeeded', result: summary('penguins') }),
    job('1', 'Something else', { state: 'succeeded', result: summary('flights') }),
    job('0', 'Profile penguins', { state: 'succeeded', result: [] }, 'fingerprint'),
  ];
  it('finds the newest by title or result', () => {
    expect(latestProfileJob(jobs, 'flights')?.id).toBe('3');
    expect(latestProfileJob(jobs, 'penguins')?.id).toBe('2');
    expect(latestProfileJob(jobs, 'other')).toBeNull();
  });
  it('reports each success once', () => {
    expect(newlySucceeded(jobs, 'flights', new Set()).map((j) => j.id)).toEqual(['1']);
    expect(newlySucceeded(jobs, 'penguins', new Set(['2']))).toEqual([]);
  });
  it('names compare jobs like the server', () => {
    expect(compareJobTitle('train', 'test')).toBe('Compare test with train');
  });
});
