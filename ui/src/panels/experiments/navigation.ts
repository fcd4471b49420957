/**
 * Opening a run from another panel (the Models panel's lineage): the request is kept here
 * until the Experiments panel mounts and takes it.
 */
export interface RunRequest {
  runId: string;
  experimentId?: string;
}

let pending: RunRequest | null = null;

export function requestRun(req: RunRequest): void {
  pending = req;
}

export function takeRunRequest(): RunRequest | null {
  const p = pending;
  pending = null;
  return p;
}
