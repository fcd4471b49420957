import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client';
import type { MetricSeries } from '../../api/types.gen';
import { EChart } from '../../components/charts/EChart';
import { curvesChart, type XAxisMode } from './charts';

/** Settings shared by the curve views (kept while switching runs). */
export const curveMemory: { mode: XAxisMode; smoothing: number } = { mode: 'step', smoothing: 0 };

export function CurveControls({ mode, onMode, smoothing, onSmoothing }: { mode: XAxisMode; onMode(m: XAxisMode): void; smoothing: number; onSmoothing(s: number): void }) {
  return (
    <div className="curve-controls">
      <span className="muted small-text">x axis</span>
      <div className="segmented" role="group" aria-label="x axis">
        {(
          [
            ['step', 'Step'],
            ['time', 'Time'],
            ['relative', 'Relative'],
          ] as [XAxisMode, string][]
        ).map(([m, label]) => (
          <button key={m} type="button" className={mode === m ? 'active' : ''} onClick={() => onMode(m)} data-testid={`x-${m}`}>
            {label}
          </button>
        ))}
      </div>
      <label className="smoothing">
        <span className="muted small-text">Smoothing</span>
        <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => onSmoothing(Number(e.target.value))} data-testid="smoothing" />
        <span className="mono small-text">{smoothing.toFixed(2)}</span>
      </label>
    </div>
  );
}

/**
 * One chart per metric, the runs' curves overlaid (thinned by the engine to 1,000 points).
 */
export function MetricCurves({ runs, keys, mode, smoothing, testId = 'metric-chart' }: { runs: { id: string; name: string }[]; keys: string[]; mode: XAxisMode; smoothing: number; testId?: string }) {
  const client = useClient();
  const [series, setSeries] = useState<MetricSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = runs.map((r) => r.id).join(',');
  const keyText = keys.join('\u0000');

  useEffect(() => {
    if (!ids || !keyText) {
      setSeries([]);
      return;
    }
    let live = true;
    setError(null);
    client.call('metric_histories', { run_ids: ids.split(','), keys: keyText.split('\u0000'), max_points: 1000 }).then(
      (s) => live && setSeries(s),
      (e: { message?: string }) => live && setError(e.message ?? String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, ids, keyText]);

  const names = useMemo(() => new Map(runs.map((r) => [r.id, r.name])), [runs]);
  if (error) return <p className="error-text small-text">{error}</p>;
  if (!series) return <p className="empty small-text">Loading curves…</p>;
  if (keys.length === 0) return <p className="empty small-text">Pick metrics to plot.</p>;
  return (
    <div className="curve-grid">
      {keys.map((key) => {
        const curves = series.filter((s) => s.key === key && s.steps.length > 0).map((s) => ({ name: names.get(s.run_id) ?? s.run_id.slice(0, 8), series: s }));
        const points = series.filter((s) => s.key === key).reduce((n, s) => n + s.total_points, 0);
        return (
          <section key={key} className="card curve-card" data-testid={`${testId}-card`} data-metric={key}>
            <h4 className="section-title">
              {key} <span className="muted small-text">{points.toLocaleString('en-US')} point{points === 1 ? '' : 's'}</span>
            </h4>
            {curves.length === 0 ? (
              <p className="empty small-text">No history.</p>
            ) : (
              <EChart option={(p) => curvesChart(curves, mode, smoothing, p)} height={runs.length > 1 ? 240 : 200} testId={testId} exportName={`metric-${key}`} ariaLabel={`${key} by ${mode}`} />
            )}
          </section>
        );
      })}
    </div>
  );
}
