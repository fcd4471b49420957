import { useCallback, useEffect, useMemo, useState } from 'react';
import { RemoteTrackingPanel, TrackingSourcePicker } from '../connections/TrackingSource';
import { useClient } from '../../api/client';
import type { Experiment, RunColumns, RunRow } from '../../api/types.gen';
import { useDialogs } from '../../components/Dialogs';
import { NoProject } from '../../components/NoProject';
import { formatInt } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { useApp } from '../../state/app';
import { ColumnChooser } from './ColumnChooser';
import { CompareView } from './CompareView';
import { GroupView } from './GroupView';
import { takeRunRequest } from './navigation';
import { andFilter, defaultColumns, keepExisting, nextRunSort, orderBy, paramEquals, type RunColumn, type RunSort } from './query';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';
import { defaultExperiment } from './train';
import { TrainView } from './TrainView';
import { usePagedRuns } from './usePagedRuns';

type View = { kind: 'table' } | { kind: 'run'; runId: string } | { kind: 'compare'; runIds: string[] } | { kind: 'train' };

const MAX_COMPARE = 50;
const NO_COLUMNS: RunColumns = { metrics: [], params: [], tags: [] };

/** What survives switching panels. */
const memory: {
  experiments: string[] | null;
  filter: string;
  sort: RunSort[];
  columns: RunColumn[] | null;
  /** Whether the user chose the columns (else each experiment shows its defaults). */
  customColumns: boolean;
  group: string;
  selected: Set<string>;
  view: View;
  /** A remote MLflow connection browsed instead of the project's runs. */
  source: string | null;
} = { experiments: null, filter: '', sort: [], columns: null, customColumns: false, group: '', selected: new Set(), view: { kind: 'table' }, source: null };

/** Experiment tracking: experiments, their runs (paged, filtered, sorted), a run, a comparison. */
export function ExperimentsPanel() {
  const client = useClient();
  const dialogs = useDialogs();
  const { project, reportError } = useApp();
  const [experiments, setExperiments] = useState<Experiment[] | null>(null);
  const [source, setSource] = useState(memory.source);
  const chooseSource = (next: string | null) => {
    memory.source = next;
    setSource(next);
  };
  const [showDeleted, setShowDeleted] = useState(false);
  const [chosenIds, setChosenIds] = useState<string[]>(memory.experiments ?? []);
  const [filter, setFilter] = useState(memory.filter);
  const [sort, setSort] = useState<RunSort[]>(memory.sort);
  const [columnKeys, setColumnKeys] = useState<RunColumns>(NO_COLUMNS);
  const [columns, setColumns] = useState<RunColumn[] | null>(memory.columns);
  const [group, setGroup] = useState(memory.group);
  const [selected, setSelected] = useState<Set<string>>(memory.selected);
  const [view, setView] = useState<View>(memory.view);
  const [refresh, setRefresh] = useState(0);
  const settledFilter = useDebounced(filter, 400);

  const loadExperiments = useCallback(async () => {
    try {
      const list = await client.call('list_experiments', { view: showDeleted ? 'ALL' : 'ACTIVE_ONLY' });
      setExperiments(list);
      return list;
    } catch (e) {
      reportError(e);
      setExperiments([]);
      return [];
    }
  }, [client, reportError, showDeleted]);

  useEffect(() => {
    if (!project || source) return;
    void loadExperiments().then((list) => {
      const request = takeRunRequest();
      const live = list.filter((x) => x.lifecycle_stage === 'active');
      if (request) {
        if (request.experimentId) setChosenIds([request.experimentId]);
        setView({ kind: 'run', runId: request.runId });
        return;
      }
      setChosenIds((ids) => {
        const kept = ids.filter((id) => list.some((x) => x.experiment_id === id));
        if (kept.length) return kept;
        // The newest experiment with runs is likelier than "Default": the list is newest first.
        const first = live.find((x) => x.experiment_id !== '0') ?? live[0];
        return first ? [first.experiment_id] : [];
      });
    });
  }, [project, loadExperiments, source]);

  useEffect(() => {
    memory.experiments = chosenIds;
    memory.filter = filter;
    memory.sort = sort;
    memory.columns = columns;
    memory.group = group;
    memory.selected = selected;
    memory.view = view;
  }, [chosenIds, filter, sort, columns, group, selected, view]);

  const idsKey = chosenIds.join(',');
  useEffect(() => {
    if (!idsKey) {
      setColumnKeys(NO_COLUMNS);
      return;
    }
    let live = true;
    client.call('run_columns', { experiment_ids: idsKey.split(',') }).then(
      (c) => {
        if (!live) return;
        setColumnKeys(c);
        setColumns((prev) => {
          if (prev === null || !memory.customColumns) return defaultColumns(c);
          const kept = keepExisting(prev, c);
          return kept.length > 0 ? kept : defaultColumns(c);
        });
      },
      reportError,
    );
    return () => {
      live = false;
    };
  }, [client, idsKey, refresh, reportError]);

  const order = useMemo(() => orderBy(sort), [sort]);
  const fetchPage = useCallback(
    (offset: number, limit: number) => client.call('runs_page', { experiment_ids: idsKey.split(','), filter: settledFilter, order_by: order, offset, limit }),
    [client, idsKey, settledFilter, order],
  );
  const resetKey = `${idsKey}\u0000${settledFilter}\u0000${order.join('\u0001')}\u0000${refresh}`;
  const runs = usePagedRuns(fetchPage, resetKey, idsKey !== '' && !group);

  const names = useMemo(() => new Map((experiments ?? []).map((e) => [e.experiment_id, e.name])), [experiments]);
  const experimentName = useCallback((id: string) => names.get(id), [names]);

  if (!project) return <NoProject title="Experiments" testId="experiments-panel" />;
  if (source) return <RemoteTrackingPanel connection={source} tab="runs" onSource={chooseSource} />;

  const toggleExperiment = (id: string, additive: boolean) => {
    setSelected(new Set());
    setView({ kind: 'table' });
    if (!additive) setChosenIds([id]);
    else setChosenIds((ids) => (ids.includes(id) ? (ids.length > 1 ? ids.filter((x) => x !== id) : ids) : [...ids, id]));
  };

  const create = async () => {
    const name = await dialogs.prompt({ title: 'New experiment', label: 'Name', placeholder: 'e.g. churn-baseline', confirmLabel: 'Create' });
    if (!name?.trim()) return;
    try {
      const e = await client.call('create_experiment', { name: name.trim() });
      await loadExperiments();
      setChosenIds([e.experiment_id]);
      setView({ kind: 'table' });
    } catch (err) {
      reportError(err);
    }
  };
  const current = chosenIds.length === 1 ? experiments?.find((e) => e.experiment_id === chosenIds[0]) : undefined;
  const rename = async () => {
    if (!current) return;
    const name = await dialogs.prompt({ title: 'Rename experiment', label: 'Name', initial: current.name, confirmLabel: 'Rename' });
    if (!name?.trim() || name.trim() === current.name) return;
    try {
      await client.call('update_experiment', { experiment_id: current.experiment_id, name: name.trim() });
      await loadExperiments();
    } catch (err) {
      reportError(err);
    }
  };
  const remove = async () => {
    if (!current) return;
    const ok = await dialogs.confirm({ title: 'Delete experiment', message: `Move “${current.name}” and its runs to the trash? It can be restored (show deleted).`, confirmLabel: 'Delete', danger: true });
    if (!ok) return;
    try {
      await client.call('update_experiment', { experiment_id: current.experiment_id, deleted: true });
      setChosenIds([]);
      const list = await loadExperiments();
      const next = list.find((x) => x.lifecycle_stage === 'active');
      if (next) setChosenIds([next.experiment_id]);
    } catch (err) {
      reportError(err);
    }
  };
  const restore = async (id: string) => {
    try {
      await client.call('update_experiment', { experiment_id: id, deleted: false });
      await loadExperiments();
    } catch (err) {
      reportError(err);
    }
  };

  const openTrainedRun = async (runId: string, experimentId: string) => {
    await loadExperiments();
    setSelected(new Set());
    setChosenIds([experimentId]);
    setRefresh((n) => n + 1);
    setView({ kind: 'run', runId });
  };

  const toggleRun = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const deleteSelected = async () => {
    const ok = await dialogs.confirm({ title: 'Delete runs', message: `Move ${selected.size} run${selected.size === 1 ? '' : 's'} to the trash?`, confirmLabel: 'Delete', danger: true });
    if (!ok) return;
    try {
      await client.call('delete_runs', { run_ids: [...selected] });
      setSelected(new Set());
      setRefresh((n) => n + 1);
    } catch (err) {
      reportError(err);
    }
  };

  const shownColumns = columns ?? [];
  const groupMetrics = shownColumns.filter((c) => c.kind === 'metric').map((c) => c.key).slice(0, 8);
  const noRunsAtAll = !group && !runs.pending && !runs.error && runs.total === 0 && settledFilter.trim() === '';
  const live = (experiments ?? []).filter((e) => e.lifecycle_stage === 'active');

  return (
    <div className="panel datasets-panel experiments-panel" data-testid="experiments-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Experiments</span>
          <span className="count">{live.length}</span>
          <span className="topbar-spacer" />
          <button type="button" className="small" onClick={() => void create()} data-testid="experiment-new" title="New experiment">
            + New
          </button>
        </div>
        <TrackingSourcePicker value={null} onChange={chooseSource} />
        <div className="side-train">
          <button type="button" className={`small ${view.kind === 'train' ? 'active' : ''}`} onClick={() => setView({ kind: 'train' })} data-testid="train-open" title="Train a model on a project data set, logged as a run">
            Train model…
          </button>
        </div>
        <p className="muted small-text side-hint">Click to open; tick several to compare runs across experiments.</p>
        <ul className="ds-list" aria-label="Experiments" data-testid="experiment-list">
          {(experiments ?? []).map((e) => {
            const on = chosenIds.includes(e.experiment_id);
            const deleted = e.lifecycle_stage === 'deleted';
            return (
              <li key={e.experiment_id} className={`exp-li ${deleted ? 'deleted' : ''}`}>
                <input type="checkbox" checked={on} disabled={deleted} onChange={() => toggleExperiment(e.experiment_id, true)} aria-label={`Include ${e.name}`} data-testid="experiment-check" />
                <button type="button" className={`ds-item ${on ? 'active' : ''}`} disabled={deleted} onClick={(ev) => toggleExperiment(e.experiment_id, ev.ctrlKey || ev.metaKey)} data-testid="experiment-item" title={`${e.name} (id ${e.experiment_id})`}>
                  <span className="ds-name ellipsis">{e.name}</span>
                  <span className="ds-meta muted">
                    <span>id {e.experiment_id}</span>
                    <span>{new Date(e.creation_time).toLocaleDateString()}</span>
                  </span>
                </button>
                {deleted && (
                  <button type="button" className="link-button small" onClick={() => void restore(e.experiment_id)}>
                    restore
                  </button>
                )}
              </li>
            );
          })}
          {experiments?.length === 0 && <li className="empty small-text">No experiments yet.</li>}
        </ul>
        <div className="side-actions">
          <button type="button" className="small" disabled={!current} onClick={() => void rename()} data-testid="experiment-rename">
            Rename
          </button>
          <button type="button" className="small" disabled={!current || current.experiment_id === '0'} onClick={() => void remove()} data-testid="experiment-delete">
            Delete
          </button>
          <label className="check-label small-text">
            <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} /> show deleted
          </label>
        </div>
      </aside>
      <section className="ds-main exp-main">
        {view.kind === 'train' ? (
          <div className="exp-scroll">
            <TrainView
              experiment={defaultExperiment(current?.name, current?.experiment_id)}
              onBack={() => setView({ kind: 'table' })}
              onOpenRun={(runId, experimentId) => void openTrainedRun(runId, experimentId)}
              onTrained={() => {
                void loadExperiments();
                setRefresh((n) => n + 1);
              }}
            />
          </div>
        ) : view.kind === 'run' ? (
          <div className="exp-scroll">
            <RunDetail runId={view.runId} experimentName={experimentName} onBack={() => setView({ kind: 'table' })} />
          </div>
        ) : view.kind === 'compare' ? (
          <div className="exp-scroll">
            <CompareView runIds={view.runIds} onBack={() => setView({ kind: 'table' })} onOpen={(runId) => setView({ kind: 'run', runId })} />
          </div>
        ) : (
          <>
            <div className="browse-toolbar runs-toolbar">
              <div className="filter-box">
                <input
                  className={`text-input mono runs-filter ${runs.error && !group ? 'invalid' : ''}`}
                  placeholder="Filter: metrics.accuracy > 0.9 and params.model = 'rf'"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                  spellCheck={false}
                  aria-label="Filter runs (MLflow syntax)"
                  data-testid="runs-filter"
                />
                {filter && (
                  <button type="button" className="link-button small" onClick={() => setFilter('')} aria-label="Clear filter">
                    clear
                  </button>
                )}
              </div>
              <span className="browse-total muted" data-testid="runs-total">
                {runs.total === null ? (runs.pending && !group ? 'loading…' : '') : `${formatInt(runs.total)} run${runs.total === 1 ? '' : 's'}`}
              </span>
              <span className="topbar-spacer" />
              <ColumnChooser
                columns={columnKeys}
                chosen={shownColumns}
                onChange={(c) => {
                  memory.customColumns = true;
                  setColumns(c);
                }}
              />
              <label className="inline-field small-text">
                Group by
                <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="group-by">
                  <option value="">(none)</option>
                  {columnKeys.params.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="small primary" disabled={selected.size < 2 || selected.size > MAX_COMPARE} onClick={() => setView({ kind: 'compare', runIds: [...selected] })} data-testid="compare-runs" title={selected.size > MAX_COMPARE ? `Compare at most ${MAX_COMPARE} runs` : 'Tick two or more runs'}>
                Compare{selected.size ? ` (${selected.size})` : ''}
              </button>
              <button type="button" className="small" disabled={selected.size === 0} onClick={() => void deleteSelected()} data-testid="delete-runs">
                Delete
              </button>
              {selected.size > 0 && (
                <button type="button" className="link-button small" onClick={() => setSelected(new Set())}>
                  clear selection
                </button>
              )}
              <button type="button" className="small" onClick={() => setRefresh((n) => n + 1)} title="Reload runs">
                Refresh
              </button>
            </div>
            {runs.error && !group && (
              <div className="filter-error error-text small-text" role="alert" data-testid="runs-filter-error">
                {runs.error.message}
              </div>
            )}
            {chosenIds.length === 0 ? (
              <HowToLog />
            ) : group ? (
              <GroupView
                experimentIds={chosenIds}
                filter={settledFilter}
                param={group}
                metrics={groupMetrics}
                onDrill={(value) => {
                  setFilter(andFilter(filter, paramEquals(group, value)));
                  setGroup('');
                }}
              />
            ) : noRunsAtAll ? (
              <HowToLog experiment={current?.name} />
            ) : (
              <RunsTable
                runs={runs}
                columns={shownColumns}
                sort={sort}
                onSort={(c) => setSort((s) => nextRunSort(s, c))}
                selected={selected}
                onToggle={toggleRun}
                onOpen={(row: RunRow) => setView({ kind: 'run', runId: row.info.run_id })}
                experimentName={chosenIds.length > 1 ? experimentName : undefined}
                queryKey={resetKey}
              />
            )}
          </>
        )}
      </section>
    </div>
  );
}

/** How to get runs in here: MLflow's client against `assay serve`. */
function HowToLog({ experiment }: { experiment?: string }) {
  const client = useClient();
  const uri = client.kind === 'http' ? window.location.origin : 'http://127.0.0.1:<port>';
  return (
    <div className="howto" data-testid="runs-empty">
      <h3 className="section-title">{experiment ? `No runs in “${experiment}” yet` : 'No experiment chosen'}</h3>
      <p>Assay speaks MLflow's tracking protocol. Serve this project and point MLflow at it:</p>
      <pre className="howto-code">
        {client.kind === 'http' ? '' : 'assay serve --project <this folder>        # prints its address\n'}
        {`export MLFLOW_TRACKING_URI=${uri}\npython train.py`}
      </pre>
      <p className="muted small-text">In train.py:</p>
      <pre className="howto-code">{`import mlflow
mlflow.set_experiment(${JSON.stringify(experiment ?? 'my-experiment')})
with mlflow.start_run():
    mlflow.log_params({"model": "rf", "max_depth": 8})
    for step in range(100):
        mlflow.log_metric("val_loss", loss, step=step)
    mlflow.log_metric("accuracy", 0.93)
    mlflow.log_artifact("confusion.png")`}</pre>
      <p className="muted small-text">Runs appear here as they are logged (press Refresh). Or train a model right here: Train model, at the top of the experiment list.</p>
    </div>
  );
}
