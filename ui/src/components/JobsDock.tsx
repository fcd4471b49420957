import type { JobInfo } from '../api/types.gen';
import { dateTime, humanAmount, progressFraction, shortDateTime } from '../lib/format';
import { useApp } from '../state/app';
import { runningCount } from '../state/jobs';
import { ChevronDownIcon, ChevronUpIcon } from './icons';

function JobProgress({ job }: { job: JobInfo }) {
  if (job.state.state !== 'running') return null;
  const { done, total, unit, message } = job.state.progress;
  const fraction = progressFraction(done, total);
  const amount = total !== null ? `${humanAmount(done, unit)} / ${humanAmount(total, unit)}` : humanAmount(done, unit);
  return (
    <div className="job-progress">
      <div
        className={`progress ${fraction === null ? 'indeterminate' : ''}`}
        role="progressbar"
        aria-label={`${job.title} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <div className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <span className="job-amount">
        {amount}
        {fraction !== null && ` (${Math.round(fraction * 100)}%)`}
        {message && <span className="muted"> — {message}</span>}
      </span>
    </div>
  );
}

function JobRow({ job, onCancel }: { job: JobInfo; onCancel: (id: string) => void }) {
  const state = job.state.state;
  return (
    <li className="job" data-testid={`job-${job.id}`} data-state={state}>
      <div className="job-head">
        <span className="job-title" title={job.kind}>
          {job.title}
        </span>
        <span className={`pill pill-${state}`}>{state}</span>
        <span className="job-time muted" title={job.finished_at ? `finished ${dateTime(job.finished_at)}` : undefined}>
          {shortDateTime(job.started_at)}
        </span>
        {state === 'running' && (
          <button type="button" className="small" aria-label={`Cancel ${job.title}`} onClick={() => onCancel(job.id)}>
            Cancel
          </button>
        )}
      </div>
      <JobProgress job={job} />
      {job.state.state === 'failed' && <div className="error-text">{job.state.error.message}</div>}
    </li>
  );
}

export function JobsDock({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { jobs, actions } = useApp();
  const running = runningCount(jobs);
  return (
    <section className={`dock ${open ? 'open' : ''}`} data-testid="jobs" aria-label="Jobs">
      <button type="button" className="dock-header" aria-expanded={open} aria-label={open ? 'Hide jobs' : 'Show jobs'} onClick={onToggle}>
        <span className="dock-title">Jobs</span>
        {running > 0 && (
          <span className="badge" data-testid="jobs-running-count" title={`${running} running`}>
            {running}
          </span>
        )}
        <span className="muted dock-summary">
          {jobs.length === 0 ? 'none yet' : running > 0 ? `${running} running` : `${jobs.length} finished`}
        </span>
        <span className="topbar-spacer" />
        {open ? <ChevronDownIcon /> : <ChevronUpIcon />}
      </button>
      {open && (
        <div className="dock-body">
          {jobs.length === 0 ? (
            <p className="empty">No jobs in this session.</p>
          ) : (
            <ul className="job-list">
              {jobs.map((job) => (
                <JobRow key={job.id} job={job} onCancel={(id) => void actions.cancelJob(id)} />
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
