import type { JobInfo, JsonValue, ProfileSummary } from '../../api/types.gen';

/** The title the server gives a profile job (`Profile {dataset}`). */
export function profileJobTitle(dataset: string): string {
  return `Profile ${dataset}`;
}

/** The title the server gives a compare job (`Compare {current} with {reference}`). */
export function compareJobTitle(reference: string, current: string): string {
  return `Compare ${current} with ${reference}`;
}

export function asProfileSummary(v: JsonValue): ProfileSummary | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, JsonValue>;
  return typeof o.dataset === 'string' && typeof o.fingerprint === 'string' ? (v as unknown as ProfileSummary) : null;
}

/** Whether a profile job is about `dataset`: by its result when it has one, else by its title. */
export function isProfileJobOf(job: JobInfo, dataset: string, started: ReadonlySet<string> = new Set()): boolean {
  if (job.kind !== 'profile') return false;
  if (started.has(job.id)) return true;
  if (job.state.state === 'succeeded') {
    const summary = asProfileSummary(job.state.result);
    if (summary) return summary.dataset === dataset;
  }
  return job.title === profileJobTitle(dataset);
}

/** The newest profile job of a data set (jobs are newest first). */
export function latestProfileJob(jobs: JobInfo[], dataset: string, started?: ReadonlySet<string>): JobInfo | null {
  return jobs.find((j) => isProfileJobOf(j, dataset, started)) ?? null;
}

/** Succeeded profile jobs of a data set not seen before. */
export function newlySucceeded(jobs: JobInfo[], dataset: string, seen: ReadonlySet<string>, started?: ReadonlySet<string>): JobInfo[] {
  return jobs.filter((j) => j.state.state === 'succeeded' && !seen.has(j.id) && isProfileJobOf(j, dataset, started));
}
