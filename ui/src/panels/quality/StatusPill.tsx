import type { Status } from '../../api/types.gen';

const LABEL: Record<Status, string> = { passed: 'pass', failed: 'fail', warned: 'warn', error: 'error', skipped: 'skipped' };

/** A rule outcome as a coloured pill. */
export function StatusPill({ status }: { status: Status }) {
  return <span className={`pill pill-q-${status}`}>{LABEL[status]}</span>;
}
