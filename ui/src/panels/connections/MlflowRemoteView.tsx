import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { Experiment, MlflowTransferResult, RemoteMlflowModel, Run } from '../../api/types.gen';
import { dateTime } from '../../lib/format';
import { useTrackedJob } from '../../state/useTrackedJob';
import { appendRuns, metricSummary, toggled, transferSummary, versionKey, versionRefs } from './mlflowRemote';

type Tab = 'runs' | 'models';
const PAGE = 100;

function message(e: unknown): string {
  return (e as { message?: string }).message ?? String(e);
}

/** A remote MLflow server of an `mlflow` connection: its experiments, runs and models; import. */
export function MlflowRemoteView({ connection, initialTab = 'runs' }: { connection: string; initialTab?: Tab }) {
  const client = useClient();
  const [experiments, setExperiments] = useState<Experiment[] | null>(null);
  const [server, setServer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>(initialTab);
  const [selectedRuns, setSelectedRuns] = useState<Set<string>>(new Set());
  const [selectedVersions, setSelectedVersions] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const job = useTrackedJob((result) => {
    setDone(transferSummary(result as unknown as MlflowTransferResult, 'Imported'));
    setSelectedRuns(new Set());
    setSelectedVersions(new Set());
  });

  useEffect(() => {
    let live = true;
    setExperiments(null);
    setError(null);
    client.call('remote_mlflow_experiments', { connection }).then(
      (r) => {
        if (!live) return;
        setExperiments(r.experiments);
        setServer(`${r.url} · MLflow ${r.server_version}`);
      },
      (e) => live && setError(message(e)),
    );
    return () => {
      live = false;
    };
  }, [client, connection]);

  const importSelected = () => {
    setDone(null);
    void job.start(() =>
      client.call('start_mlflow_import', { connection, run_ids: [...selectedRuns], model_versions: versionRefs(selectedVersions) }),
    );
  };
  const count = selectedRuns.size + selectedVersions.size;
  const progress = job.job?.state.state === 'running' ? job.job.state.progress : null;

  if (error) return <p className="inline-error" data-testid="mlflow-remote-error">{error}</p>;
  if (!experiments) return <p className="empty">Connecting to the MLflow server…</p>;
  return (
    <div className="section" data-testid="mlflow-remote">
      <div className="toolbar">
        <span className="muted small-text">{server}</span>
        <span className="topbar-spacer" />
        <div className="segmented" role="tablist" aria-label="Browse">
          {(['runs', 'models'] as const).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
              {t === 'runs' ? 'Runs' : 'Models'}
            </button>
          ))}
        </div>
        <button type="button" className="primary" disabled={count === 0 || job.running} onClick={importSelected} data-testid="mlflow-import">
          Import {count > 0 ? count : ''} into the project
        </button>
      </div>
      {job.running && (
        <div className="job-inline">
          <span className="small-text">{progress?.message || 'Importing…'}</span>
          <button type="button" className="small" onClick={job.cancel}>
            Cancel
          </button>
        </div>
      )}
      {job.error && <p className="inline-error">{job.error}</p>}
      {done && <p className="ok-text small-text" data-testid="mlflow-import-done">{done}</p>}
      {tab === 'runs' ? (
        <RemoteRuns connection={connection} experiments={experiments} selected={selectedRuns} onToggle={(id) => setSelectedRuns((s) => toggled(s, id))} />
      ) : (
        <RemoteModels connection={connection} selected={selectedVersions} onToggle={(key) => setSelectedVersions((s) => toggled(s, key))} />
      )}
    </div>
  );
}

function RemoteRuns({
  connection,
  experiments,
  selected,
  onToggle,
}: {
  connection: string;
  experiments: Experiment[];
  selected: ReadonlySet<string>;
  onToggle(id: string): void;
}) {
  const client = useClient();
  const [experiment, setExperiment] = useState(experiments[0]?.experiment_id ?? '');
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [runs, setRuns] = useState<Run[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (token: string | null) => {
      if (!experiment) return;
      setLoading(true);
      setError(null);
      try {
        const page = await client.call('remote_mlflow_runs', {
          connection,
          experiment_ids: [experiment],
          filter: applied || undefined,
          order_by: ['attributes.start_time DESC'],
          max_results: PAGE,
          page_token: token ?? undefined,
        });
        setRuns((list) => (token ? appendRuns(list, page.runs) : page.runs));
        setNext(page.next_page_token ?? null);
      } catch (e) {
        setError(message(e));
      } finally {
        setLoading(false);
      }
    },
    [client, connection, experiment, applied],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <section className="card">
      <div className="toolbar">
        <select className="text-input" value={experiment} onChange={(e) => setExperiment(e.target.value)} aria-label="Remote experiment">
          {experiments.map((e) => (
            <option key={e.experiment_id} value={e.experiment_id}>
              {e.name}
            </option>
          ))}
        </select>
        <form
          className="filter-box"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter.trim());
          }}
        >
          <input className="text-input mono" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="metrics.rmse < 1 and params.model = 'rf'" aria-label="MLflow filter" spellCheck={false} />
        </form>
      </div>
      {error && <p className="inline-error">{error}</p>}
      <div className="table-scroll">
        <table className="table compact" data-testid="mlflow-remote-runs">
          <thead>
            <tr>
              <th />
              <th>Run</th>
              <th>Status</th>
              <th>Started</th>
              <th>Metrics</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.info.run_id} className={selected.has(r.info.run_id) ? 'row-selected' : ''}>
                <td>
                  <input type="checkbox" checked={selected.has(r.info.run_id)} onChange={() => onToggle(r.info.run_id)} aria-label={`Select ${r.info.run_name || r.info.run_id}`} />
                </td>
                <td title={r.info.run_id}>{r.info.run_name || r.info.run_id}</td>
                <td>
                  <span className="pill">{r.info.status.toLowerCase()}</span>
                </td>
                <td className="small-text">{dateTime(new Date(r.info.start_time).toISOString())}</td>
                <td className="mono small-text">{metricSummary(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!loading && runs.length === 0 && !error && <p className="empty">No runs.</p>}
      {next && (
        <button type="button" className="small" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'More runs'}
        </button>
      )}
    </section>
  );
}

function RemoteModels({ connection, selected, onToggle }: { connection: string; selected: ReadonlySet<string>; onToggle(key: string): void }) {
  const client = useClient();
  const [models, setModels] = useState<RemoteMlflowModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.call('remote_mlflow_models', { connection }).then(
      (m) => live && setModels(m),
      (e) => live && setError(message(e)),
    );
    return () => {
      live = false;
    };
  }, [client, connection]);

  if (error) return <p className="inline-error">{error}</p>;
  if (!models) return <p className="empty">Loading models…</p>;
  if (models.length === 0) return <p className="empty">No registered models on this server.</p>;
  return (
    <section className="card">
      <div className="table-scroll">
        <table className="table compact" data-testid="mlflow-remote-models">
          <thead>
            <tr>
              <th />
              <th>Model</th>
              <th>Version</th>
              <th>Aliases</th>
              <th>Run</th>
            </tr>
          </thead>
          <tbody>
            {models.flatMap((m) =>
              m.versions.map((v) => {
                const key = versionKey(v);
                return (
                  <tr key={key} className={selected.has(key) ? 'row-selected' : ''}>
                    <td>
                      <input type="checkbox" checked={selected.has(key)} onChange={() => onToggle(key)} aria-label={`Select ${v.name} version ${v.version}`} />
                    </td>
                    <td>{m.model.name}</td>
                    <td className="mono">v{v.version}</td>
                    <td>
                      {v.aliases.map((a) => (
                        <span key={a} className="alias-chip">
                          @{a}
                        </span>
                      ))}
                    </td>
                    <td className="mono small-text">{v.run_id || '—'}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
