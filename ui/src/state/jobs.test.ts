import { describe, expect, it } from 'vitest';
import type { JobInfo, JobState } from '../api/types.gen';
import { initialJobs, jobsReducer, runningCount, upsertJob } from './jobs';

const running: JobState = { state: 'running', progress: { done: 1, total: 10, unit: 'bytes', message: 'hashing' } };

function job(id: string, startedAt: string, state: JobState = running): JobInfo {
  return { id, kind: 'fingerprint', title: `Job ${id}`, started_at: startedAt, finished_at: null, state };
}

describe('jobs reducer', () => {
  it('orders newest first on load', () => {
    const s = jobsReducer(initialJobs, {
      type: 'loaded',
      jobs: [job('a', '2024-01-01T00:00:00Z'), job('c', '2024-01-03T00:00:00Z'), job('b', '2024-01-02T00:00:00Z')],
    });
    expect(s.jobs.map((j) => j.id)).toEqual(['c', 'b', 'a']);
  });

  it('inserts new jobs at their place and replaces known ones by id', () => {
    let s = jobsReducer(initialJobs, { type: 'upsert', job: job('a', '2024-01-01T00:00:00Z') });
    s = jobsReducer(s, { type: 'upsert', job: job('b', '2024-01-02T00:00:00Z') });
    expect(s.jobs.map((j) => j.id)).toEqual(['b', 'a']);
    const done = job('a', '2024-01-01T00:00:00Z', { state: 'succeeded', result: [] });
    s = jobsReducer(s, { type: 'upsert', job: done });
    expect(s.jobs).toHaveLength(2);
    expect(s.jobs[1].state.state).toBe('succeeded');
  });

  it('never moves an ended job back to running', () => {
    const failed = job('a', '2024-01-01T00:00:00Z', {
      state: 'failed',
      error: { code: 'io', message: 'disk gone' },
    });
    const jobs = upsertJob([failed], job('a', '2024-01-01T00:00:00Z'));
    expect(jobs[0].state.state).toBe('failed');
  });

  it('keeps event updates that arrived before the list', () => {
    let s = jobsReducer(initialJobs, {
      type: 'upsert',
      job: job('a', '2024-01-01T00:00:00Z', { state: 'cancelled' }),
    });
    s = jobsReducer(s, { type: 'loaded', jobs: [job('a', '2024-01-01T00:00:00Z'), job('z', '2023-01-01T00:00:00Z')] });
    expect(s.jobs.map((j) => [j.id, j.state.state])).toEqual([
      ['a', 'cancelled'],
      ['z', 'running'],
    ]);
  });

  it('counts running jobs', () => {
    const jobs = [
      job('a', '2024-01-01T00:00:00Z'),
      job('b', '2024-01-02T00:00:00Z', { state: 'cancelled' }),
      job('c', '2024-01-03T00:00:00Z'),
    ];
    expect(runningCount(jobs)).toBe(2);
    expect(runningCount([])).toBe(0);
  });
});
