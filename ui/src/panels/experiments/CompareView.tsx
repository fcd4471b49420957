import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client';
import type { Run } from '../../api/types.gen';
import { EChart } from '../../components/charts/EChart';
import { readPalette } from '../../components/charts/palette';
import { parallelChart, runColors, scatterChart, type Axis } from './charts';
import { CurveControls, curveMemory, MetricCurves } from './MetricCurves';
import { chartFirst, formatMetric, metricNumber, metricRows, paramRows } from './query';

const MAX_PARALLEL_AXES = 12;

/** Two or more runs side by side: params (differences only), metrics, curves, parallel coordinates, scatter. */
export function CompareView({ runIds, onBack, onOpen }: { runIds: string[]; onBack(): void; onOpen(runId: string): void }) {
  const client = useClient();
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onlyDiff, setOnlyDiff] = useState(true);
  const [curveKeys, setCurveKeys] = useState<string[] | null>(null);
  const [mode, setMode] = useState(curveMemory.mode);
  const [smoothing, setSmoothing] = useState(curveMemory.smoothing);
  const [parallelReady, setParallelReady] = useState(false);
  const [xKey, setXKey] = useState('');
  const [yKey, setYKey] = useState('');
  const ids = runIds.join(',');

  useEffect(() => {
    let live = true;
    setRuns(null);
    client.call('get_runs', { run_ids: ids.split(',') }).then(
      (r) => live && setRuns(r),
      (e: { message?: string }) => live && setError(e.message ?? String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, ids]);

  useEffect(() => {
    let live = true;
    import('./parallel').then(
      () => live && setParallelReady(true),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    curveMemory.mode = mode;
    curveMemory.smoothing = smoothing;
  }, [mode, smoothing]);

  const params = useMemo(() => (runs ? paramRows(runs, onlyDiff) : []), [runs, onlyDiff]);
  const allParams = useMemo(() => (runs ? paramRows(runs, false) : []), [runs]);
  const metrics = useMemo(() => (runs ? metricRows(runs) : []), [runs]);
  const metricKeys = metrics.map((m) => m.key);
  const shownCurves = curveKeys ?? chartFirst(runs?.[0]?.data.metrics ?? [], 2);
  const curveRuns = useMemo(() => (runs ?? []).map((r) => ({ id: r.info.run_id, name: r.info.run_name || r.info.run_id.slice(0, 8) })), [runs]);
  const axes = useMemo<Axis[]>(() => {
    const differing = allParams.filter((p) => p.differs).map((p) => ({ kind: 'param' as const, key: p.key }));
    const ms = metricKeys.map((key) => ({ kind: 'metric' as const, key }));
    const pick = [...differing.slice(0, Math.max(MAX_PARALLEL_AXES - ms.length, 4)), ...ms];
    return pick.slice(0, MAX_PARALLEL_AXES);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allParams, metricKeys.join('\u0000')]);
  const x = xKey || allParams.find((p) => p.differs)?.key || allParams[0]?.key || '';
  const y = yKey || metricKeys[0] || '';
  const colors = runColors(readPalette());

  if (error) return <p className="inline-error">{error}</p>;
  if (!runs) return <p className="empty">Loading {runIds.length} runs…</p>;

  const runHeader = (
    <tr>
      <th>{''}</th>
      {runs.map((r, i) => (
        <th key={r.info.run_id} className="compare-run-th">
          <span className="run-swatch" style={{ background: colors[i % colors.length] }} />
          <button type="button" className="link-button small" onClick={() => onOpen(r.info.run_id)} title={r.info.run_id}>
            {r.info.run_name || r.info.run_id.slice(0, 8)}
          </button>
        </th>
      ))}
    </tr>
  );
  const best = (values: (number | string | undefined)[]) => {
    const nums = values.map((v) => metricNumber(v)).filter((n): n is number => n !== undefined && Number.isFinite(n));
    return nums.length > 1 ? { min: Math.min(...nums), max: Math.max(...nums) } : null;
  };

  return (
    <div className="compare-view" data-testid="compare-view">
      <div className="run-head">
        <button type="button" className="small" onClick={onBack} data-testid="compare-back">
          ‹ Runs
        </button>
        <h2 className="panel-title">Comparing {runs.length} runs</h2>
      </div>

      <div className="run-tables compare-tables">
        <section className="card">
          <div className="toolbar">
            <h4 className="section-title">
              Parameters <span className="count">{params.length}</span>
            </h4>
            <span className="topbar-spacer" />
            <label className="check-label small-text">
              <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} data-testid="diff-only" /> differences only
            </label>
          </div>
          <div className="table-scroll">
            <table className="table compact" data-testid="compare-params">
              <thead>{runHeader}</thead>
              <tbody>
                {params.map((p) => (
                  <tr key={p.key} className={p.differs ? 'differs' : ''} data-testid="compare-param-row">
                    <td className="kv-key">{p.key}</td>
                    {p.values.map((v, i) => (
                      <td key={i} className={`mono ${v === undefined ? 'null' : ''}`}>
                        {v ?? '—'}
                      </td>
                    ))}
                  </tr>
                ))}
                {params.length === 0 && (
                  <tr>
                    <td className="muted" colSpan={runs.length + 1}>
                      {onlyDiff ? 'All parameters are the same.' : 'No parameters.'}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card">
          <h4 className="section-title">
            Metrics <span className="count">{metrics.length}</span> <span className="muted small-text" title="highest; lowest for names with loss or error">latest · best in bold</span>
          </h4>
          <div className="table-scroll">
            <table className="table compact" data-testid="compare-metrics">
              <thead>{runHeader}</thead>
              <tbody>
                {metrics.map((m) => {
                  const b = best(m.values);
                  const lower = /loss|error|mse|mae|rmse/i.test(m.key);
                  return (
                    <tr key={m.key}>
                      <td className="kv-key">{m.key}</td>
                      {m.values.map((v, i) => {
                        const n = metricNumber(v);
                        const isBest = b !== null && n !== undefined && n === (lower ? b.min : b.max);
                        return (
                          <td key={i} className={`mono num ${isBest ? 'best' : ''}`}>
                            {formatMetric(v)}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      <section className="section">
        <div className="section-bar">
          <h3 className="section-title">Metric curves</h3>
          <CurveControls mode={mode} onMode={setMode} smoothing={smoothing} onSmoothing={setSmoothing} />
        </div>
        <div className="metric-picker">
          {metricKeys.map((k) => (
            <button key={k} type="button" className={`small chip-toggle ${shownCurves.includes(k) ? 'active' : ''}`} aria-pressed={shownCurves.includes(k)} onClick={() => setCurveKeys(shownCurves.includes(k) ? shownCurves.filter((x) => x !== k) : [...shownCurves, k])}>
              {k}
            </button>
          ))}
        </div>
        <MetricCurves runs={curveRuns} keys={shownCurves} mode={mode} smoothing={smoothing} testId="compare-chart" />
      </section>

      <div className="anomaly-grid section">
        <section className="card">
          <h4 className="section-title">
            Parallel coordinates <span className="muted small-text">differing params, then metrics</span>
          </h4>
          {axes.length < 2 ? (
            <p className="empty small-text">Needs two or more differing parameters or metrics.</p>
          ) : parallelReady ? (
            <EChart option={(p) => parallelChart(runs, axes, p)} height={300} testId="parallel-chart" exportName="parallel-coordinates" ariaLabel="Parallel coordinates of the compared runs" />
          ) : (
            <p className="empty small-text">Loading…</p>
          )}
        </section>
        <section className="card">
          <div className="toolbar scatter-pick">
            <h4 className="section-title">Scatter</h4>
            <span className="topbar-spacer" />
            <select value={x} onChange={(e) => setXKey(e.target.value)} aria-label="Parameter on the x axis" data-testid="scatter-x">
              {allParams.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.key}
                </option>
              ))}
            </select>
            <span className="muted small-text">vs</span>
            <select value={y} onChange={(e) => setYKey(e.target.value)} aria-label="Metric on the y axis" data-testid="scatter-y">
              {metricKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
          {x && y ? (
            <EChart option={(p) => scatterChart(runs, { kind: 'param', key: x }, { kind: 'metric', key: y }, p)} height={270} testId="scatter-chart" exportName={`scatter-${x}-${y}`} ariaLabel={`${x} against ${y}`} />
          ) : (
            <p className="empty small-text">Needs a parameter and a metric.</p>
          )}
        </section>
      </div>
    </div>
  );
}
