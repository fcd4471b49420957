import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client';
import type { AnomalyRun, AnomalyRunSummary, ColumnSchema, DetectOptions, JsonValue, Method, RowExplanation, TableFormat } from '../../api/types.gen';
import { EChart } from '../../components/charts/EChart';
import { DatasetSelect } from '../../components/DatasetSelect';
import { dateTime, formatInt, formatNumber, progressFraction, shortDateTime } from '../../lib/format';
import { useApp } from '../../state/app';
import { useTrackedJob } from '../../state/useTrackedJob';
import { explanationChart, flaggedEstimate, histogramChart, rocChart, scatterChart, thresholdForShare } from './charts';
import { FlaggedRows } from './FlaggedRows';
import { NoProject } from '../../components/NoProject';

export const METHODS: [Method, string][] = [
  ['ensemble', 'Ensemble (default: kNN + GMM + PCA)'],
  ['isolation_forest', 'Isolation Forest'],
  ['lof', 'Local Outlier Factor'],
  ['knn', 'kNN distance'],
  ['hbos', 'HBOS'],
  ['ecod', 'ECOD'],
  ['copod', 'COPOD'],
  ['pca', 'PCA reconstruction'],
  ['mad', 'Robust z-score (MAD)'],
  ['iqr', 'IQR fences'],
  ['dbscan', 'DBSCAN noise'],
  ['gmm', 'Gaussian mixture'],
];

/** Selection survives switching panels. */
const memory: { dataset: string | null; runId: string | null } = { dataset: null, runId: null };

function asRun(v: JsonValue): AnomalyRun | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'projection' in v ? (v as unknown as AnomalyRun) : null;
}

/** Anomaly exploration: detect on a data set, set a threshold, inspect and explain rows. */
export function AnomalyPanel() {
  const client = useClient();
  const { project, reportError } = useApp();
  const datasets = useMemo(() => project?.datasets.map((d) => d.name) ?? [], [project]);
  const [dataset, setDataset] = useState<string>(memory.dataset ?? '');
  const current = datasets.includes(dataset) ? dataset : (datasets[0] ?? '');
  const [runs, setRuns] = useState<AnomalyRunSummary[]>([]);
  const [run, setRun] = useState<AnomalyRun | null>(null);

  const loadRuns = useCallback(async () => {
    if (!current) return;
    try {
      setRuns(await client.call('list_anomaly_runs', { dataset: current }));
    } catch (e) {
      reportError(e);
    }
  }, [client, current, reportError]);

  const openRun = useCallback(
    async (id: string) => {
      try {
        setRun(await client.call('get_anomaly_run', { id }));
        memory.runId = id;
      } catch (e) {
        reportError(e);
      }
    },
    [client, reportError],
  );

  useEffect(() => {
    memory.dataset = current;
    void loadRuns();
  }, [current, loadRuns]);

  useEffect(() => {
    if (!run && memory.runId) void openRun(memory.runId);
  }, [run, openRun]);

  const job = useTrackedJob((result) => {
    const r = asRun(result);
    if (!r) return;
    setRun(r);
    memory.runId = r.summary.id;
    void loadRuns();
  });

  if (!project) return <NoProject title="Anomaly exploration" testId="anomaly-panel" />;

  return (
    <div className="panel datasets-panel" data-testid="anomaly-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Detections</span>
          <span className="count">{runs.length}</span>
        </div>
        <ul className="ds-list" aria-label="Detections">
          {runs.map((r) => (
            <li key={r.id}>
              <button type="button" className={`ds-item ${r.id === run?.summary.id ? 'active' : ''}`} onClick={() => void openRun(r.id)} data-testid="anomaly-run-item">
                <span className="ds-name ellipsis">{r.method}</span>
                <span className="ds-meta muted">
                  <span>{shortDateTime(r.created_at)}</span>
                  <span>{r.roc_auc === null ? `${formatInt(r.scored_rows)} rows` : `AUC ${r.roc_auc.toFixed(3)}`}</span>
                </span>
              </button>
            </li>
          ))}
          {runs.length === 0 && <li className="empty small-text">No detections on {current || 'this data set'} yet.</li>}
        </ul>
      </aside>
      <section className="ds-main anomaly-main">
        <DetectForm
          datasets={datasets}
          dataset={current}
          onDataset={(d) => {
            setDataset(d);
            setRun(null);
            memory.runId = null;
          }}
          running={job.running}
          // Options are `#[serde(default)]` in the engine: fields left out take their defaults there.
          onRun={(options) => void job.start(() => client.call('start_detect', { dataset: current, options: options as DetectOptions }))}
        />
        {job.running && job.job?.state.state === 'running' && (
          <div className="job-inline" data-testid="anomaly-progress">
            <div className="progress" role="progressbar" aria-label="Detection progress">
              <div className="progress-fill" style={{ width: `${(progressFraction(job.job.state.progress.done, 1) ?? 0) * 100}%` }} />
            </div>
            <span className="muted small-text">{job.job.state.progress.message || 'scoring rows'}</span>
            <button type="button" className="small" onClick={job.cancel}>
              Cancel
            </button>
          </div>
        )}
        {job.error && (
          <div className="inline-error" role="alert" data-testid="anomaly-error">
            Detection failed: {job.error}
          </div>
        )}
        {run ? <Explorer key={run.summary.id} run={run} /> : <p className="empty">Choose columns and a detector, then press Detect.</p>}
      </section>
    </div>
  );
}

function DetectForm({ datasets, dataset, onDataset, running, onRun }: { datasets: string[]; dataset: string; onDataset(d: string): void; running: boolean; onRun(o: Partial<DetectOptions>): void }) {
  const client = useClient();
  const [columns, setColumns] = useState<ColumnSchema[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [method, setMethod] = useState<Method>('ensemble');
  const [label, setLabel] = useState('');
  const [seed, setSeed] = useState('42');
  const [missing, setMissing] = useState<DetectOptions['missing']>('median');
  const [members, setMembers] = useState<Method[]>([]);

  useEffect(() => {
    setColumns([]);
    setChosen([]);
    setLabel('');
    if (!dataset) return;
    let live = true;
    client.call('dataset_schema', { name: dataset }).then(
      (s) => live && setColumns(s.columns),
      () => live && setColumns([]),
    );
    return () => {
      live = false;
    };
  }, [client, dataset]);

  const submit = () => {
    const options: Partial<DetectOptions> = { method, columns: chosen, seed: Number(seed) || 0, missing, members: method === 'ensemble' ? members : [] };
    if (label) options.label = label;
    onRun(options);
  };
  return (
    <form
      className="detect-form"
      data-testid="detect-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        Data set
        <DatasetSelect datasets={datasets} value={dataset} onChange={onDataset} label="Data set" testId="detect-dataset" />
      </label>
      <label>
        Detector
        <select value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="detect-method">
          {METHODS.map(([m, name]) => (
            <option key={m} value={m}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Ground truth
        <select value={label} onChange={(e) => setLabel(e.target.value)} data-testid="detect-label" title="A 0/1 column of known anomalies, used only to evaluate">
          <option value="">(none)</option>
          {columns.map((c) => (
            <option key={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
      <label>
        Missing values
        <select value={missing} onChange={(e) => setMissing(e.target.value as DetectOptions['missing'])}>
          <option value="median">replace by median</option>
          <option value="drop_rows">leave rows out</option>
          <option value="error">refuse</option>
        </select>
      </label>
      <label>
        Seed
        <input value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" size={6} />
      </label>
      <button type="submit" className="primary" disabled={running || !dataset} data-testid="detect-run">
        {running ? 'Detecting…' : 'Detect'}
      </button>
      {method === 'ensemble' && (
        <fieldset className="column-checks detect-columns" data-testid="detect-members">
          <legend>Ensemble members {members.length === 0 ? '(none chosen: the default kNN + GMM + PCA)' : `(${members.length}: scores averaged as robust z-scores)`}</legend>
          {METHODS.filter(([m]) => m !== 'ensemble').map(([m, name]) => (
            <label key={m} className="check-label">
              <input type="checkbox" checked={members.includes(m)} onChange={(e) => setMembers(e.target.checked ? [...members, m] : members.filter((x) => x !== m))} />
              {name}
            </label>
          ))}
        </fieldset>
      )}
      <fieldset className="column-checks detect-columns" data-testid="detect-columns">
        <legend>Features {chosen.length === 0 ? '(none chosen: every numeric and boolean column)' : `(${chosen.length})`}</legend>
        {columns
          .filter((c) => c.name !== label)
          .map((c) => (
            <label key={c.name} className="check-label">
              <input type="checkbox" checked={chosen.includes(c.name)} onChange={(e) => setChosen(e.target.checked ? [...chosen, c.name] : chosen.filter((x) => x !== c.name))} />
              {c.name} <span className="muted">{c.dtype}</span>
            </label>
          ))}
      </fieldset>
    </form>
  );
}

/** One detection: threshold on the score histogram, projection, flagged rows and explanations. */
function Explorer({ run }: { run: AnomalyRun }) {
  const client = useClient();
  const { reportError } = useApp();
  const h = run.histogram;
  const first = run.thresholds.find((t) => t.rule === 'contamination') ?? run.thresholds[0];
  const lo = h.edges[0] ?? 0;
  const hi = h.edges[h.edges.length - 1] ?? 1;
  const [threshold, setThreshold] = useState<number>(first?.value ?? thresholdForShare(h, 0.05));
  const [selectedRow, setSelectedRow] = useState<number | null>(run.top[0]?.row ?? null);
  const [brushed, setBrushed] = useState<number[]>([]);
  const [exported, setExported] = useState<string | null>(null);
  const flagged = flaggedEstimate(h, threshold);
  const pointOfRow = useMemo(() => new Map(run.projection.row_index.map((r, i) => [r, i])), [run]);
  const stem = `${run.summary.dataset}-${run.summary.method}`;

  const exportRows = async (format: TableFormat, all: boolean) => {
    try {
      const out = await client.call('export_anomalies', all ? { id: run.summary.id, format } : { id: run.summary.id, format, threshold });
      setExported(out.relative_path);
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <div className="anomaly-explorer" data-testid="anomaly-explorer">
      <p className="small-text" data-testid="anomaly-summary">
        <strong>{run.summary.method}</strong> on {run.summary.dataset} · {formatInt(run.summary.scored_rows)} of {formatInt(run.table_rows)} rows scored · {run.features.length} features · {formatNumber(run.seconds, 3)} s · {dateTime(run.summary.created_at)}
        {run.evaluation && (
          <span data-testid="anomaly-auc">
            {' '}
            · ROC-AUC <strong>{run.evaluation.roc_auc.toFixed(3)}</strong> · AP {run.evaluation.average_precision.toFixed(3)} · precision@{run.evaluation.k} {run.evaluation.precision_at_k.toFixed(3)}
          </span>
        )}
      </p>
      {run.notes.length > 0 && (
        <ul className="notice small-text anomaly-notes">
          {run.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <div className="anomaly-grid">
        <section className="card">
          <h4 className="section-title">Scores</h4>
          <EChart
            option={(p) => histogramChart(h, threshold, p)}
            height={200}
            testId="score-histogram"
            exportName={`${stem}-scores`}
            ariaLabel="Score histogram"
            onItemClick={({ dataIndex }) => setThreshold(h.edges[dataIndex])}
          />
          <div className="threshold-bar">
            <label className="threshold-slider">
              Threshold
              <input type="range" min={lo} max={hi} step={(hi - lo) / 1000 || 1} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} data-testid="threshold-slider" />
            </label>
            <span className="mono" data-testid="threshold-value">
              ≥ {formatNumber(threshold)}
            </span>
            <span className="muted small-text" data-testid="threshold-flagged">
              ≈ {formatInt(flagged)} rows ({((flagged / Math.max(1, run.summary.scored_rows)) * 100).toFixed(1)}%)
            </span>
          </div>
          <div className="toolbar threshold-suggestions">
            <span className="muted small-text">Suggested:</span>
            {run.thresholds.map((t) => (
              <button key={t.label} type="button" className={`small ${t.value === threshold ? 'active' : ''}`} onClick={() => setThreshold(t.value)} title={`${formatInt(t.flagged)} rows (${t.rule})`} data-testid={`threshold-${t.rule}`}>
                {t.label}
              </button>
            ))}
          </div>
        </section>
        <section className="card">
          <h4 className="section-title">
            Projection <span className="muted small-text">(drag a rectangle to select points)</span>
          </h4>
          <EChart
            option={(p) => scatterChart(run, threshold, p)}
            height={260}
            testId="projection-scatter"
            exportName={`${stem}-projection`}
            ariaLabel="Two-dimensional projection coloured by score"
            onBrush={(idx) => setBrushed(idx.map((i) => run.projection.row_index[i]))}
            onItemClick={({ dataIndex }) => setSelectedRow(run.projection.row_index[dataIndex])}
            highlight={selectedRow === null ? null : (pointOfRow.get(selectedRow) ?? null)}
          />
          {brushed.length > 0 && (
            <p className="small-text" data-testid="brushed">
              {formatInt(brushed.length)} points selected ·{' '}
              <button type="button" className="link-button small" onClick={() => setBrushed([])}>
                clear
              </button>
            </p>
          )}
        </section>
      </div>
      <div className="anomaly-grid">
        <section className="card">
          <div className="toolbar">
            <h4 className="section-title">Flagged rows</h4>
            <span className="topbar-spacer" />
            <button type="button" className="small" onClick={() => void exportRows('csv', false)} data-testid="export-flagged-csv">
              Flagged → CSV
            </button>
            <button type="button" className="small" onClick={() => void exportRows('parquet', false)}>
              Flagged → Parquet
            </button>
            <button type="button" className="small" onClick={() => void exportRows('parquet', true)} title="Every scored row with its score as a new column">
              All scores → Parquet
            </button>
          </div>
          {exported && (
            <p className="muted small-text" data-testid="anomaly-exported">
              wrote <span className="mono">{exported}</span>
            </p>
          )}
          <FlaggedRows runId={run.summary.id} threshold={threshold} only={brushed.length > 0 ? brushed : null} selected={selectedRow} onSelect={setSelectedRow} />
        </section>
        <section className="card">
          <h4 className="section-title">Why is row {selectedRow ?? '…'} unusual?</h4>
          {selectedRow !== null ? <Explanation runId={run.summary.id} row={selectedRow} /> : <p className="empty">Pick a row in the table or the scatter.</p>}
          {run.evaluation && (
            <>
              <h4 className="section-title">ROC curve</h4>
              <EChart option={(p) => rocChart(run.evaluation!, p)} height={220} testId="roc-chart" exportName={`${stem}-roc`} ariaLabel="ROC curve" />
            </>
          )}
          {run.members.length > 1 && (
            <table className="table" aria-label="Ensemble members">
              <thead>
                <tr>
                  <th>Member</th>
                  <th>Time</th>
                  <th>ROC-AUC</th>
                </tr>
              </thead>
              <tbody>
                {run.members.map((m) => (
                  <tr key={m.method}>
                    <td>{m.method}</td>
                    <td className="mono">{formatNumber(m.seconds, 3)} s</td>
                    <td className="mono">{m.roc_auc === null ? '' : m.roc_auc.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}

function Explanation({ runId, row }: { runId: string; row: number }) {
  const client = useClient();
  const [state, setState] = useState<{ row: number; result: RowExplanation | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    client.call('explain_row', { id: runId, row }).then(
      (result) => live && setState({ row, result, error: null }),
      (e: { message?: string }) => live && setState({ row, result: null, error: e.message ?? String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, runId, row]);
  if (!state || state.row !== row) return <p className="empty">Explaining…</p>;
  if (state.error || !state.result) return <p className="error-text small-text">{state.error}</p>;
  const c = state.result.contributions;
  return (
    <div data-testid="row-explanation">
      <p className="small-text">
        score {formatNumber(state.result.score)} · most unusual: <strong>{c[0]?.feature}</strong> ({c[0]?.direction}, {formatNumber(c[0]?.value)} vs median {formatNumber(c[0]?.median)})
      </p>
      <EChart option={(p) => explanationChart(c, p)} height={Math.max(120, Math.min(12, c.length) * 22 + 40)} testId="explanation-chart" ariaLabel={`Why row ${row} is unusual`} />
    </div>
  );
}
