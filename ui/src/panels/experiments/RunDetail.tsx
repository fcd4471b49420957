import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client';
import type { Run } from '../../api/types.gen';
import { dateTime } from '../../lib/format';
import { Copyable } from './Copyable';
import { ArtifactTree } from './Artifacts';
import { CurveControls, curveMemory, MetricCurves } from './MetricCurves';
import { chartFirst, formatMetric, runDuration, runUser } from './query';
import { RunStatusPill } from './RunsTable';
import { ScoreDataset } from './ScoreDataset';
import { PushToMlflowDialog } from '../connections/PushToMlflowDialog';

const FIRST_CHARTS = 4;

/** One run in full: header, params, latest metrics, tags, inputs, metric curves, artifacts. */
export function RunDetail({ runId, experimentName, onBack }: { runId: string; experimentName?: (id: string) => string | undefined; onBack(): void }) {
  const client = useClient();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [charted, setCharted] = useState<string[] | null>(null);
  const [mode, setMode] = useState(curveMemory.mode);
  const [smoothing, setSmoothing] = useState(curveMemory.smoothing);
  const [paramSearch, setParamSearch] = useState('');
  const [systemTags, setSystemTags] = useState(false);
  const [pushing, setPushing] = useState(false);

  useEffect(() => {
    let live = true;
    setRun(null);
    setError(null);
    setCharted(null);
    client.call('get_run', { run_id: runId }).then(
      (r) => live && setRun(r),
      (e: { message?: string }) => live && setError(e.message ?? String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, runId]);

  useEffect(() => {
    curveMemory.mode = mode;
    curveMemory.smoothing = smoothing;
  }, [mode, smoothing]);

  const metricKeys = useMemo(() => (run ? run.data.metrics.map((m) => m.key).sort((a, b) => a.localeCompare(b)) : []), [run]);
  const shown = charted ?? (run ? chartFirst(run.data.metrics, FIRST_CHARTS) : []);
  const runs = useMemo(() => (run ? [{ id: run.info.run_id, name: run.info.run_name }] : []), [run]);

  if (error) {
    return (
      <div className="run-detail">
        <button type="button" className="small" onClick={onBack}>
          ‹ Runs
        </button>
        <p className="inline-error">{error}</p>
      </div>
    );
  }
  if (!run) return <p className="empty run-detail">Loading run…</p>;
  const info = run.info;
  const params = [...run.data.params].sort((a, b) => a.key.localeCompare(b.key)).filter((p) => !paramSearch || p.key.toLowerCase().includes(paramSearch.toLowerCase()) || p.value.toLowerCase().includes(paramSearch.toLowerCase()));
  const tags = run.data.tags.filter((t) => systemTags || !t.key.startsWith('mlflow.'));
  const hiddenTags = run.data.tags.length - run.data.tags.filter((t) => !t.key.startsWith('mlflow.')).length;
  const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));

  return (
    <div className="run-detail" data-testid="run-detail">
      <div className="run-head">
        <button type="button" className="small" onClick={onBack} data-testid="run-back">
          ‹ Runs
        </button>
        <h2 className="panel-title" data-testid="run-title">
          {info.run_name || info.run_id}
        </h2>
        <RunStatusPill status={info.status} />
        <span className="topbar-spacer" />
        <button type="button" className="small" onClick={() => setPushing(true)} data-testid="run-push-mlflow">
          Push to MLflow…
        </button>
        {pushing && <PushToMlflowDialog runIds={[info.run_id]} experiment={experimentName?.(info.experiment_id)} onClose={() => setPushing(false)} />}
      </div>
      <dl className="facts run-facts">
        <dt>Run id</dt>
        <dd>
          <Copyable text={info.run_id} />
        </dd>
        <dt>Experiment</dt>
        <dd>{experimentName?.(info.experiment_id) ?? info.experiment_id}</dd>
        <dt>Started</dt>
        <dd>{dateTime(new Date(info.start_time).toISOString())}</dd>
        <dt>Duration</dt>
        <dd data-testid="run-duration">{runDuration(info.start_time, info.end_time) || (info.status === 'RUNNING' ? 'running' : '—')}</dd>
        <dt>User</dt>
        <dd>{runUser(info.user_id, run.data.tags) || '—'}</dd>
        <dt>Artifacts</dt>
        <dd>
          <Copyable text={info.artifact_uri} />
        </dd>
      </dl>

      <div className="run-tables">
        <section className="card">
          <div className="toolbar">
            <h4 className="section-title">
              Parameters <span className="count">{run.data.params.length}</span>
            </h4>
            <span className="topbar-spacer" />
            {run.data.params.length > 12 && <input className="text-input small-input" placeholder="Search" value={paramSearch} onChange={(e) => setParamSearch(e.target.value)} aria-label="Search parameters" />}
          </div>
          <KeyValueTable pairs={params} testId="run-params" />
        </section>
        <section className="card">
          <h4 className="section-title">
            Metrics <span className="count">{metrics.length}</span> <span className="muted small-text">latest value · click to chart</span>
          </h4>
          <div className="table-scroll">
            <table className="table compact" data-testid="run-metrics">
              <tbody>
                {metrics.map((m) => (
                  <tr key={m.key} className={`clickable ${shown.includes(m.key) ? 'row-selected' : ''}`} onClick={() => setCharted(shown.includes(m.key) ? shown.filter((k) => k !== m.key) : [...shown, m.key])}>
                    <td className="kv-key">{m.key}</td>
                    <td className="mono num">{formatMetric(m.value)}</td>
                    <td className="muted small-text num">step {m.step}</td>
                  </tr>
                ))}
                {metrics.length === 0 && (
                  <tr>
                    <td className="muted">None</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card">
          <div className="toolbar">
            <h4 className="section-title">
              Tags <span className="count">{tags.length}</span>
            </h4>
            <span className="topbar-spacer" />
            {hiddenTags > 0 && (
              <label className="check-label small-text">
                <input type="checkbox" checked={systemTags} onChange={(e) => setSystemTags(e.target.checked)} /> mlflow.* ({hiddenTags})
              </label>
            )}
          </div>
          <KeyValueTable pairs={tags} testId="run-tags" />
          {run.inputs.dataset_inputs.length > 0 && (
            <>
              <h4 className="section-title section">Data sets</h4>
              <table className="table compact" data-testid="run-datasets">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Digest</th>
                    <th>Context</th>
                    <th>Source</th>
                  </tr>
                </thead>
                <tbody>
                  {run.inputs.dataset_inputs.map((d, i) => (
                    <tr key={i}>
                      <td>{d.dataset.name}</td>
                      <td className="mono">{d.dataset.digest.slice(0, 12)}</td>
                      <td>{d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? ''}</td>
                      <td className="mono small-text ellipsis" title={d.dataset.source}>
                        {d.dataset.source_type}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      </div>

      <ScoreDataset runId={info.run_id} trainedOn={run.data.tags.find((t) => t.key === 'assay.dataset')?.value} />

      <section className="section">
        <div className="section-bar">
          <h3 className="section-title">Metric charts</h3>
          <CurveControls mode={mode} onMode={setMode} smoothing={smoothing} onSmoothing={setSmoothing} />
        </div>
        {metricKeys.length > 0 && (
          <div className="metric-picker" data-testid="metric-picker">
            {metricKeys.map((k) => (
              <button key={k} type="button" className={`small chip-toggle ${shown.includes(k) ? 'active' : ''}`} aria-pressed={shown.includes(k)} onClick={() => setCharted(shown.includes(k) ? shown.filter((x) => x !== k) : [...shown, k])}>
                {k}
              </button>
            ))}
          </div>
        )}
        {metricKeys.length === 0 ? <p className="empty small-text">This run logged no metrics.</p> : <MetricCurves runs={runs} keys={shown} mode={mode} smoothing={smoothing} />}
      </section>

      <section className="section">
        <h3 className="section-title">Artifacts</h3>
        <ArtifactTree runId={info.run_id} />
      </section>
    </div>
  );
}

/** Keys and values (params or tags) as a two-column table; "None" when empty. */
function KeyValueTable({ pairs, testId }: { pairs: { key: string; value: string }[]; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="table compact" data-testid={testId}>
        <tbody>
          {pairs.map((p) => (
            <tr key={p.key}>
              <td className="kv-key">{p.key}</td>
              <td className="mono kv-value">{p.value}</td>
            </tr>
          ))}
          {pairs.length === 0 && (
            <tr>
              <td className="muted">None</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
