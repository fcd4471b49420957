import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../../../api/client';
import { toApiError } from '../../../api/errors';
import type { ApiError, JobInfo, Profile, StoredProfileInfo } from '../../../api/types.gen';
import { dateTime, formatInt, humanAmount, progressFraction, shortHash } from '../../../lib/format';
import { useApp } from '../../../state/app';
import { latestProfileJob, newlySucceeded } from '../jobsFor';
import { ColumnDetail, ColumnList } from './Columns';
import { AlertList, Overview } from './Overview';
import { ExportReport } from './ExportReport';
import { CorrelationView, DuplicatesView, MissingView, SamplesView } from './Sections';

const SECTIONS = [
  ['overview', 'Overview'],
  ['alerts', 'Alerts'],
  ['columns', 'Columns'],
  ['correlations', 'Correlations'],
  ['missing', 'Missing values'],
  ['duplicates', 'Duplicates'],
  ['samples', 'Samples'],
] as const;

function JobStatus({ job, onCancel }: { job: JobInfo; onCancel: () => void }) {
  if (job.state.state !== 'running') return null;
  const { done, total, unit, message } = job.state.progress;
  const fraction = progressFraction(done, total);
  return (
    <div className="job-inline" data-testid="profile-progress">
      <div className={`progress ${fraction === null ? 'indeterminate' : ''}`} role="progressbar" aria-label="Profiling progress" aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
        <div className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <span className="muted small-text">
        {message || 'profiling'}
        {total !== null && ` · ${humanAmount(done, unit)} / ${humanAmount(total, unit)}`}
      </span>
      <button type="button" className="small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function ProfileView({ profile }: { profile: Profile }) {
  const [selected, setSelected] = useState<string | null>(profile.columns[0]?.name ?? null);
  const detailRef = useRef<HTMLDivElement>(null);
  const column = profile.columns.find((c) => c.name === selected) ?? profile.columns[0] ?? null;
  const root = useRef<HTMLDivElement>(null);

  const openColumn = (name: string) => {
    setSelected(name);
    requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  const jump = (id: string) => root.current?.querySelector(`#profile-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });

  return (
    <div className="profile-view" ref={root}>
      <nav className="section-nav" aria-label="Profile sections">
        {SECTIONS.map(([id, label]) => (
          <button key={id} type="button" className="link-button" onClick={() => jump(id)}>
            {label}
            {id === 'alerts' && profile.alerts.length > 0 && <span className="count">{profile.alerts.length}</span>}
          </button>
        ))}
      </nav>
      <section id="profile-overview" className="profile-section">
        <Overview profile={profile} />
      </section>
      <section id="profile-alerts" className="profile-section">
        <h3 className="section-title">
          Alerts <span className="count">{profile.alerts.length}</span>
        </h3>
        <AlertList alerts={profile.alerts} onColumn={openColumn} />
      </section>
      <section id="profile-columns" className="profile-section">
        <h3 className="section-title">
          Columns <span className="count">{profile.columns.length}</span>
        </h3>
        <div className="columns-split">
          <ColumnList columns={profile.columns} selected={column?.name ?? null} onSelect={setSelected} />
          <div ref={detailRef} className="column-detail-wrap">
            {column ? <ColumnDetail key={column.name} column={column} rows={profile.table.rows} /> : <p className="empty">No columns.</p>}
          </div>
        </div>
      </section>
      <section id="profile-correlations" className="profile-section">
        <h3 className="section-title">Correlations</h3>
        <CorrelationView correlations={profile.correlations} />
      </section>
      <section id="profile-missing" className="profile-section">
        <h3 className="section-title">Missing values</h3>
        <MissingView profile={profile} />
      </section>
      <section id="profile-duplicates" className="profile-section">
        <h3 className="section-title">Duplicate rows</h3>
        <DuplicatesView profile={profile} />
      </section>
      <section id="profile-samples" className="profile-section">
        <h3 className="section-title">Samples</h3>
        <SamplesView profile={profile} />
      </section>
    </div>
  );
}

/** Profile tab: the stored profile of a data set, and profiling it (again). */
export function ProfileTab({ dataset }: { dataset: string }) {
  const client = useClient();
  const { jobs, actions, reportError } = useApp();
  const [stored, setStored] = useState<StoredProfileInfo | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);
  const started = useRef(new Set<string>());
  const seen = useRef<Set<string> | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setStored(await client.call('get_profile', { name: dataset }));
    } catch (e) {
      setLoadError(toApiError(e));
      setStored((s) => (s === undefined ? null : s));
    }
  }, [client, dataset]);

  useEffect(() => {
    setStored(undefined);
    void load();
  }, [load]);

  // Reload when a profile job of this data set succeeds (each success once).
  useEffect(() => {
    if (seen.current === null) {
      // Successes from before this view opened are already in what `load` fetches.
      seen.current = new Set(newlySucceeded(jobs, dataset, new Set(), started.current).map((j) => j.id));
      return;
    }
    const fresh = newlySucceeded(jobs, dataset, seen.current, started.current);
    if (fresh.length === 0) return;
    for (const j of fresh) seen.current.add(j.id);
    void load();
  }, [jobs, dataset, load]);

  const job = latestProfileJob(jobs, dataset, started.current);
  const running = job?.state.state === 'running';
  const failed = job && started.current.has(job.id) && job.state.state === 'failed' ? job.state.error : null;

  const start = async (refresh: boolean) => {
    setStarting(true);
    try {
      const ref = await client.call('start_profile', refresh ? { dataset, refresh: true } : { dataset });
      started.current.add(ref.id);
      await actions.trackJob(ref);
    } catch (e) {
      reportError(e);
    } finally {
      setStarting(false);
    }
  };

  if (stored === undefined && !loadError) return <p className="empty">Loading profile…</p>;

  const profile = stored?.profile ?? null;
  return (
    <div className="profile" data-testid="profile-tab">
      <div className="profile-bar">
        {stored ? (
          <span className="muted small-text" data-testid="profile-meta">
            Profiled {dateTime(stored.created_at)} · {formatInt(stored.profile.table.rows)} rows · content{' '}
            <span className="mono" title={stored.fingerprint}>
              {shortHash(stored.fingerprint)}
            </span>
          </span>
        ) : (
          <span className="muted">This data set has not been profiled yet.</span>
        )}
        <span className="topbar-spacer" />
        {job && running && <JobStatus job={job} onCancel={() => void actions.cancelJob(job.id)} />}
        {stored && <ExportReport dataset={dataset} />}
        {stored ? (
          <button type="button" onClick={() => void start(true)} disabled={running || starting} data-testid="profile-rerun" title="Compute the profile again">
            Re-run
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void start(false)} disabled={running || starting} data-testid="profile-button">
            Profile
          </button>
        )}
      </div>
      {stored && !stored.current && (
        <div className="notice notice-warning" data-testid="profile-stale" role="status">
          The data changed since this profile was computed. Re-run it to see the data as it is now.
        </div>
      )}
      {failed && (
        <div className="inline-error" role="alert" data-testid="profile-error">
          Profiling failed: {failed.message}
        </div>
      )}
      {loadError && (
        <div className="inline-error" role="alert">
          {loadError.message}
        </div>
      )}
      {profile && <ProfileView key={`${stored?.fingerprint}-${stored?.created_at}`} profile={profile} />}
    </div>
  );
}
