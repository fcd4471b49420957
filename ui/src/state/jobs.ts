import type { JobInfo } from '../api/types.gen';

export type JobsState = { jobs: JobInfo[] };

export type JobsAction =
  | { type: 'loaded'; jobs: JobInfo[] }
  | { type: 'upsert'; job: JobInfo };

export const initialJobs: JobsState = { jobs: [] };

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Newest first by start time; ties keep their order. */
export function sortJobs(jobs: JobInfo[]): JobInfo[] {
  return jobs
    .map((job, index) => ({ job, index }))
    .sort((a, b) => time(b.job.started_at) - time(a.job.started_at) || a.index - b.index)
    .map((x) => x.job);
}

export function isRunning(job: JobInfo): boolean {
  return job.state.state === 'running';
}

/**
 * Merges a job into the list by id. A job that has ended never goes back to running: a late
 * `running` update (an event or a response that raced the final one) is ignored.
 */
export function upsertJob(jobs: JobInfo[], job: JobInfo): JobInfo[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i === -1) return sortJobs([job, ...jobs]);
  const current = jobs[i];
  if (!isRunning(current) && isRunning(job)) return jobs;
  const next = jobs.slice();
  next[i] = job;
  return current.started_at === job.started_at ? next : sortJobs(next);
}

export function jobsReducer(state: JobsState, action: JobsAction): JobsState {
  switch (action.type) {
    case 'loaded': {
      // Keep what events told us while the list was loading.
      let jobs = sortJobs(action.jobs);
      for (const job of state.jobs) jobs = upsertJob(jobs, job);
      return { jobs };
    }
    case 'upsert': {
      const jobs = upsertJob(state.jobs, action.job);
      return jobs === state.jobs ? state : { jobs };
    }
  }
}

export function runningCount(jobs: JobInfo[]): number {
  return jobs.filter(isRunning).length;
}
