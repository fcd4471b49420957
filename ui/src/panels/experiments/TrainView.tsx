import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../api/client';
import { apiError } from '../../api/errors';
import type { ColumnSchema, JsonValue, ModelVersion, TrainResult } from '../../api/types.gen';
import { EChart } from '../../components/charts/EChart';
import { DatasetSelect } from '../../components/DatasetSelect';
import { useDialogs } from '../../components/Dialogs';
import { formatInt, progressFraction } from '../../lib/format';
import { useApp } from '../../state/app';
import { useTrackedJob } from '../../state/useTrackedJob';
import { formatMetric } from './query';
import { buildTrainRequest, defaultForm, featureColumns, fitColumns, importanceChart, MODEL_KINDS, needsTarget, orderMetrics, rowShares, targetColumns, type ModelKind, type TrainForm } from './train';

/** The form and the last result survive switching panels. */
const memory: { form: TrainForm | null; result: TrainResult | null; experiment: string } = { form: null, result: null, experiment: '' };

function asResult(v: JsonValue): TrainResult | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'run_id' in v && 'test_metrics' in v ? (v as unknown as TrainResult) : null;
}

/** Train a model on a project data set as a job; the run it logs is opened from the result. */
export function TrainView({ experiment, onBack, onOpenRun, onTrained }: { experiment: string; onBack(): void; onOpenRun(runId: string, experimentId: string): void; onTrained(): void }) {
  const client = useClient();
  const { project, reportError } = useApp();
  const datasets = useMemo(() => project?.datasets.map((d) => d.name) ?? [], [project]);
  const [form, setForm] = useState<TrainForm>(() => {
    const kept = memory.form;
    // The experiment follows the one open unless the user typed another.
    const f = !kept ? defaultForm(datasets[0] ?? '', experiment) : kept.experiment === memory.experiment ? { ...kept, experiment } : kept;
    memory.experiment = experiment;
    return f;
  });
  const [columns, setColumns] = useState<ColumnSchema[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<TrainResult | null>(memory.result);
  const dataset = datasets.includes(form.dataset) ? form.dataset : (datasets[0] ?? '');
  const set = (patch: Partial<TrainForm>) => setForm((f) => ({ ...f, ...patch }));

  useEffect(() => {
    memory.form = form;
  }, [form]);

  const job = useTrackedJob((value) => {
    const r = asResult(value);
    if (!r) return;
    setResult(r);
    memory.result = r;
    onTrained();
  });
  // A failed training says why in the error banner (e.g. a text column picked as a feature).
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (job.job && job.error && reported.current !== job.job.id) {
      reported.current = job.job.id;
      reportError(apiError('invalid_input', `Training failed: ${job.error}`));
    }
  }, [job.job, job.error, reportError]);

  // Columns of the chosen data set; on a new data set every allowed feature is ticked.
  const loadedFor = useRef<string | null>(memory.form?.dataset ?? null);
  useEffect(() => {
    setColumns(null);
    if (!dataset) return;
    let live = true;
    client.call('dataset_schema', { name: dataset }).then(
      (s) => {
        if (!live) return;
        setColumns(s.columns);
        setForm((f) => {
          const fresh = loadedFor.current !== dataset;
          loadedFor.current = dataset;
          const base = { ...f, dataset, target: fresh ? '' : f.target };
          const fitted = fitColumns(base, s.columns);
          const features = fresh || fitted.features.length === 0 ? featureColumns(s.columns, fitted.target).map((c) => c.name) : fitted.features;
          return { ...base, ...fitted, features };
        });
      },
      (e) => {
        if (!live) return;
        setColumns([]);
        reportError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [client, dataset, reportError]);

  const cols = columns ?? [];
  const targets = targetColumns(cols, form.kind);
  const features = featureColumns(cols, form.target);

  const chooseKind = (kind: ModelKind) =>
    setForm((f) => {
      const next = { ...f, kind };
      // Before the columns are in, the schema's arrival fits target and features.
      if (!columns) return next;
      // A target freed by k-means becomes a feature again only if the user ticks it.
      return { ...next, ...fitColumns(next, columns) };
    });
  const chooseTarget = (target: string) => setForm((f) => ({ ...f, target, features: f.features.filter((x) => x !== target) }));

  const submit = () => {
    const built = buildTrainRequest({ ...form, dataset });
    if (!built.ok) {
      setProblem(built.error);
      return;
    }
    setProblem(null);
    void job.start(() => client.call('start_train', built.value));
  };

  const running = job.running;
  const cancelled = job.job?.state.state === 'cancelled';
  const progress = job.job?.state.state === 'running' ? job.job.state.progress : null;

  return (
    <div className="train-view" data-testid="train-view">
      <div className="run-head">
        <button type="button" className="small" onClick={onBack} data-testid="train-back">
          ‹ Runs
        </button>
        <h2 className="panel-title">Train a model</h2>
        <span className="muted small-text">on a project data set, logged as a run with its parameters, metrics and model</span>
      </div>
      <form
        className="detect-form train-form"
        data-testid="train-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          Data set
          <DatasetSelect datasets={datasets} value={dataset} onChange={(d) => set({ dataset: d })} label="Data set" testId="train-dataset" />
        </label>
        <label>
          Model
          <select value={form.kind} onChange={(e) => chooseKind(e.target.value as ModelKind)} data-testid="train-kind">
            {MODEL_KINDS.map(([k, name]) => (
              <option key={k} value={k}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {needsTarget(form.kind) && (
          <label>
            Target
            <select value={form.target} onChange={(e) => chooseTarget(e.target.value)} data-testid="train-target" title={form.kind === 'elastic_net' ? 'Elastic net predicts numbers: numeric columns only' : 'The column to predict'}>
              {!form.target && <option value="">(choose)</option>}
              {targets.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.dtype})
                </option>
              ))}
            </select>
          </label>
        )}
        <ModelSettings form={form} set={set} />
        <fieldset className="column-checks detect-columns train-features" data-testid="train-features">
          <legend>
            Features ({form.features.length} of {features.length}, numeric and boolean columns){' '}
            <button type="button" className="link-button small" onClick={() => set({ features: features.map((c) => c.name) })} data-testid="train-features-all">
              all
            </button>{' '}
            <button type="button" className="link-button small" onClick={() => set({ features: [] })} data-testid="train-features-none">
              none
            </button>
          </legend>
          {features.map((c) => (
            <label key={c.name} className="check-label">
              <input type="checkbox" checked={form.features.includes(c.name)} onChange={(e) => set({ features: e.target.checked ? [...form.features, c.name] : form.features.filter((x) => x !== c.name) })} data-testid="train-feature" data-column={c.name} />
              {c.name} <span className="muted">{c.dtype}</span>
            </label>
          ))}
          {columns && features.length === 0 && <span className="muted">This data set has no numeric or boolean columns.</span>}
          {!columns && <span className="muted">Loading columns…</span>}
        </fieldset>
        <label>
          Test share
          <input className="text-input" value={form.testFraction} onChange={(e) => set({ testFraction: e.target.value })} inputMode="decimal" size={5} data-testid="train-test-share" />
        </label>
        <label>
          Seed
          <input className="text-input" value={form.seed} onChange={(e) => set({ seed: e.target.value })} inputMode="numeric" size={5} data-testid="train-seed" />
        </label>
        <label>
          Experiment
          <input className="text-input" value={form.experiment} onChange={(e) => set({ experiment: e.target.value })} placeholder="assay-training" size={16} data-testid="train-experiment" />
        </label>
        <label>
          Run name
          <input className="text-input" value={form.runName} onChange={(e) => set({ runName: e.target.value })} placeholder="(generated)" size={16} data-testid="train-run-name" />
        </label>
        <label>
          Register as
          <input className="text-input" value={form.registerAs} onChange={(e) => set({ registerAs: e.target.value })} placeholder="model name (optional)" size={18} data-testid="train-register-as" />
        </label>
        <button type="submit" className="primary" disabled={running || !dataset || !columns} data-testid="train-run">
          {running ? 'Training…' : 'Train'}
        </button>
        {running && (
          <div className="job-inline" data-testid="train-progress">
            <div className="progress" role="progressbar" aria-label="Training progress">
              <div className="progress-fill" style={{ width: `${(progressFraction(progress?.done ?? 0, 1) ?? 0) * 100}%` }} />
            </div>
            <span className="muted small-text">{progress?.message || 'starting'}</span>
            <button type="button" className="small" onClick={job.cancel} data-testid="train-cancel">
              Cancel
            </button>
          </div>
        )}
        {cancelled && !running && (
          <span className="muted small-text" data-testid="train-cancelled">
            Training cancelled.
          </span>
        )}
        {problem && (
          <span className="error-text small-text" role="alert" data-testid="train-problem">
            {problem}
          </span>
        )}
      </form>
      {result ? <TrainResultView key={result.run_id} result={result} onOpenRun={onOpenRun} /> : <p className="empty">Choose a data set, a model, the target and features, then press Train.</p>}
    </div>
  );
}

function NumberField({ label, value, onChange, testId, placeholder, title }: { label: string; value: string; onChange(v: string): void; testId: string; placeholder?: string; title?: string }) {
  return (
    <label title={title}>
      {label}
      <input className="text-input" value={value} onChange={(e) => onChange(e.target.value)} inputMode="decimal" size={6} placeholder={placeholder} data-testid={testId} />
    </label>
  );
}

/** The chosen model's main settings. */
function ModelSettings({ form, set }: { form: TrainForm; set(patch: Partial<TrainForm>): void }) {
  const criterion = (
    <label>
      Criterion
      <select value={form.criterion} onChange={(e) => set({ criterion: e.target.value as TrainForm['criterion'] })} data-testid="train-criterion">
        <option value="">auto (gini; squared error for numbers)</option>
        <option value="gini">gini</option>
        <option value="entropy">entropy</option>
        <option value="squared_error">squared error (regression)</option>
      </select>
    </label>
  );
  const depth = <NumberField label="Max depth" value={form.maxDepth} onChange={(v) => set({ maxDepth: v })} placeholder="unlimited" testId="train-max-depth" />;
  switch (form.kind) {
    case 'logistic_regression':
      return (
        <>
          <NumberField label="C" value={form.c} onChange={(v) => set({ c: v })} testId="train-c" title="Inverse regularisation strength" />
          <NumberField label="Max iterations" value={form.maxIter} onChange={(v) => set({ maxIter: v })} testId="train-max-iter" />
        </>
      );
    case 'decision_tree':
      return (
        <>
          {criterion}
          {depth}
          <NumberField label="Min samples per leaf" value={form.minSamplesLeaf} onChange={(v) => set({ minSamplesLeaf: v })} testId="train-min-leaf" />
        </>
      );
    case 'random_forest':
      return (
        <>
          <NumberField label="Trees" value={form.nTrees} onChange={(v) => set({ nTrees: v })} testId="train-n-trees" />
          {depth}
          <label>
            Features per split
            <select value={form.maxFeatures} onChange={(e) => set({ maxFeatures: e.target.value as TrainForm['maxFeatures'] })} data-testid="train-max-features">
              <option value="">auto (sqrt; all for numbers)</option>
              <option value="sqrt">sqrt</option>
              <option value="log2">log2</option>
              <option value="all">all</option>
            </select>
          </label>
        </>
      );
    case 'elastic_net':
      return (
        <>
          <NumberField label="Alpha" value={form.alpha} onChange={(v) => set({ alpha: v })} testId="train-alpha" title="Penalty strength" />
          <NumberField label="L1 ratio" value={form.l1Ratio} onChange={(v) => set({ l1Ratio: v })} testId="train-l1-ratio" title="0 = ridge, 1 = lasso" />
        </>
      );
    case 'kmeans':
      return (
        <>
          <NumberField label="k (clusters)" value={form.k} onChange={(v) => set({ k: v })} testId="train-k" />
          <NumberField label="Starts" value={form.nInit} onChange={(v) => set({ nInit: v })} testId="train-n-init" title="k-means++ starts; the best is kept" />
        </>
      );
  }
}

/** What training gave: metrics, importances, confusion matrix, and the run and model. */
function TrainResultView({ result, onOpenRun }: { result: TrainResult; onOpenRun(runId: string, experimentId: string): void }) {
  const client = useClient();
  const dialogs = useDialogs();
  const { reportError } = useApp();
  const [version, setVersion] = useState<ModelVersion | null>(result.model_version ?? null);
  const test = orderMetrics(result.test_metrics);
  const train = orderMetrics(result.train_metrics);

  const register = async () => {
    const name = await dialogs.prompt({ title: 'Register model', label: 'Model name', placeholder: 'e.g. penguin-classifier', help: 'A new version of this registered model, from the run’s model folder.', confirmLabel: 'Register' });
    if (!name?.trim()) return;
    try {
      const v = await client.call('register_model', { name: name.trim(), run_id: result.run_id, artifact_path: 'model' });
      setVersion(v);
      memory.result = { ...result, model_version: v };
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <div className="train-result" data-testid="train-result">
      <div className="toolbar">
        <h3 className="section-title">
          Trained: <span data-testid="train-task">{result.task}</span>
        </h3>
        <span className="muted small-text" data-testid="train-rows">
          {formatInt(result.train_rows)} training rows · {formatInt(result.test_rows)} test rows
        </span>
        <span className="topbar-spacer" />
        {version ? (
          <span className="pill" data-testid="train-version">
            registered {version.name} v{version.version}
          </span>
        ) : (
          <button type="button" className="small" onClick={() => void register()} data-testid="train-register">
            Register…
          </button>
        )}
        <button type="button" className="small primary" onClick={() => onOpenRun(result.run_id, result.experiment_id)} data-testid="train-open-run">
          Open run
        </button>
      </div>
      {result.notes.length > 0 && (
        <ul className="notice small-text" data-testid="train-notes">
          {result.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <div className="metric-tiles" data-testid="train-test-metrics">
        {test.map((m) => (
          <div key={m.name} className="metric-tile" data-metric={m.name}>
            <span className="metric-tile-name">test {m.name}</span>
            <span className="metric-tile-value mono" data-testid={`train-metric-${m.name}`}>
              {formatMetric(m.value)}
            </span>
          </div>
        ))}
      </div>
      {train.length > 0 && (
        <p className="muted small-text train-metrics-train" data-testid="train-train-metrics">
          on the training rows: {train.map((m) => `${m.name} ${formatMetric(m.value)}`).join(' · ')}
        </p>
      )}
      <div className="anomaly-grid">
        {result.importances.length > 0 && (
          <section className="card">
            <h4 className="section-title">Feature importances</h4>
            <EChart option={(p) => importanceChart(result.importances, p)} height={Math.max(120, Math.min(20, result.importances.length) * 26 + 40)} testId="train-importances" exportName={`${result.run_id.slice(0, 8)}-importances`} ariaLabel="Feature importances" />
          </section>
        )}
        {result.labels.length > 0 && result.confusion.length > 0 && (
          <section className="card">
            <h4 className="section-title">
              Confusion matrix <span className="muted small-text">test rows · true ↓ predicted →</span>
            </h4>
            <ConfusionTable labels={result.labels} confusion={result.confusion} />
          </section>
        )}
      </div>
    </div>
  );
}

/** Percent of colour in a cell: by its share of the row, a little at least when not empty. */
const cellTint = (count: number, share: number) => (count === 0 ? 0 : Math.max(10, Math.round(share * 45)));

/** The confusion matrix as a table, each cell shaded by its share of the true class. */
function ConfusionTable({ labels, confusion }: { labels: string[]; confusion: number[][] }) {
  const shares = rowShares(confusion);
  return (
    <div className="table-scroll">
      <table className="table compact confusion" data-testid="train-confusion">
        <thead>
          <tr>
            <th />
            {labels.map((l) => (
              <th key={l} className="num">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, i) => (
            <tr key={labels[i] ?? i} data-testid="confusion-row">
              <th>{labels[i]}</th>
              {row.map((v, j) => (
                <td key={j} className={`num mono ${i === j ? 'diag' : ''}`} style={{ background: `color-mix(in srgb, ${i === j ? 'var(--accent)' : 'var(--danger)'} ${cellTint(v, shares[i][j])}%, transparent)` }} title={`${v} of ${row.reduce((a, b) => a + b, 0)} ${labels[i]} rows predicted ${labels[j]}`}>
                  {formatInt(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
