import { useEffect, useRef, useState } from 'react';
import type { JobInfo, JobRef, JsonValue } from '../api/types.gen';
import { useApp } from './app';

/** A job this view started: its live state, and a callback once when it succeeds. */
export function useTrackedJob(onSuccess: (result: JsonValue) => void) {
  const { jobs, actions, reportError } = useApp();
  const [id, setId] = useState<string | null>(null);
  const handled = useRef(new Set<string>());
  const callback = useRef(onSuccess);
  callback.current = onSuccess;
  const job: JobInfo | undefined = id ? jobs.find((j) => j.id === id) : undefined;

  useEffect(() => {
    if (!job || job.state.state !== 'succeeded' || handled.current.has(job.id)) return;
    handled.current.add(job.id);
    callback.current(job.state.result);
  }, [job]);

  const start = async (call: () => Promise<JobRef>) => {
    try {
      const ref = await call();
      setId(ref.id);
      await actions.trackJob(ref);
    } catch (e) {
      reportError(e);
    }
  };

  return {
    job,
    running: job?.state.state === 'running' || (id !== null && !job),
    error: job?.state.state === 'failed' ? job.state.error.message : null,
    start,
    cancel: () => job && void actions.cancelJob(job.id),
  };
}
