/** ECharts options of the Experiments panel: metric curves, parallel coordinates, scatter. */
import type { MetricSeries, Run } from '../../api/types.gen';
import type { ChartOption } from '../../components/charts/echarts';
import type { ChartPalette } from '../../components/charts/palette';
import { ema, metricNumber } from './query';

/** Colours of runs in overlaid charts (the theme's accent first). */
export function runColors(p: ChartPalette): string[] {
  return [p.accent, '#e8853d', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
}

export type XAxisMode = 'step' | 'time' | 'relative';

export interface Curve {
  /** Legend name (the run's, or the metric's). */
  name: string;
  series: MetricSeries;
}

/** The x of each point for the chosen axis: step, wall time, or seconds since the first point. */
export function xValues(s: MetricSeries, mode: XAxisMode): number[] {
  if (mode === 'step') return s.steps;
  if (mode === 'time') return s.timestamps;
  const t0 = s.timestamps.length ? Math.min(...s.timestamps) : 0;
  return s.timestamps.map((t) => (t - t0) / 1000);
}

/**
 * Curves of one metric (or several runs of it) on one chart; with smoothing the raw curve
 * stays as a faint line under the smoothed one (toggled together in the legend).
 */
export function curvesChart(curves: Curve[], mode: XAxisMode, smoothing: number, p: ChartPalette, yName?: string): ChartOption {
  const colors = runColors(p);
  const series: NonNullable<ChartOption['series']> = [];
  curves.forEach((c, i) => {
    const color = colors[i % colors.length];
    const xs = xValues(c.series, mode);
    const raw = c.series.values;
    const pts = (ys: (number | null)[]) => xs.map((x, j) => [x, ys[j]]);
    if (smoothing > 0) {
      series.push({ type: 'line', name: c.name, data: pts(raw), showSymbol: false, lineStyle: { width: 1, opacity: 0.25, color }, itemStyle: { color }, silent: true, connectNulls: false, z: 1, tooltip: { show: false } } as never);
    }
    series.push({ type: 'line', name: c.name, data: pts(smoothing > 0 ? ema(raw, smoothing) : raw), showSymbol: raw.length < 40, symbolSize: 4, lineStyle: { width: 1.8, color }, itemStyle: { color }, connectNulls: false, z: 2 });
  });
  return {
    grid: { left: 54, right: 16, top: curves.length > 1 ? 34 : 16, bottom: 34 },
    legend: curves.length > 1 ? { top: 0, type: 'scroll', textStyle: { color: p.muted } } : undefined,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(5))) : String(v)) },
    xAxis: {
      type: mode === 'time' ? 'time' : 'value',
      name: mode === 'step' ? 'step' : mode === 'relative' ? 'seconds' : '',
      nameLocation: 'middle',
      nameGap: 22,
      scale: mode !== 'step',
      minInterval: mode === 'step' ? 1 : undefined,
    },
    yAxis: { type: 'value', scale: true, name: yName, nameTextStyle: { align: 'left' } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series,
  };
}

function numeric(values: (string | undefined)[]): boolean {
  const present = values.filter((v): v is string => v !== undefined && v !== '');
  return present.length > 0 && present.every((v) => Number.isFinite(Number(v)));
}

export interface Axis {
  kind: 'param' | 'metric';
  key: string;
}

function valueOf(run: Run, a: Axis): string | undefined {
  if (a.kind === 'param') return run.data.params.find((p) => p.key === a.key)?.value;
  const m = run.data.metrics.find((x) => x.key === a.key);
  return m === undefined ? undefined : String(metricNumber(m.value));
}

/**
 * Parallel coordinates: one axis per parameter and metric, one line per run; numeric
 * parameters on value axes, others as categories. Needs the parallel chart registered
 * (see `parallel.ts`).
 */
export function parallelChart(runs: Run[], axes: Axis[], p: ChartPalette): ChartOption {
  const colors = runColors(p);
  const columns = axes.map((a) => runs.map((r) => valueOf(r, a)));
  const parallelAxis = axes.map((a, dim) => {
    const isNum = a.kind === 'metric' || numeric(columns[dim]);
    const name = a.key.length > 18 ? `${a.key.slice(0, 17)}…` : a.key;
    return isNum
      ? { dim, name, type: 'value', scale: true, nameTextStyle: { color: a.kind === 'metric' ? p.accent : p.muted } }
      : { dim, name, type: 'category', data: [...new Set(columns[dim].map((v) => v ?? '∅'))].sort(), nameTextStyle: { color: p.muted } };
  });
  const data = runs.map((r, i) => ({
    name: r.info.run_name,
    value: axes.map((_, dim) => {
      const v = columns[dim][i];
      if (parallelAxis[dim].type === 'category') return v ?? '∅';
      const n = v === undefined ? NaN : Number(v);
      return Number.isFinite(n) ? n : null;
    }),
    lineStyle: { color: colors[i % colors.length] },
  }));
  return {
    parallel: { left: 40, right: 70, top: 40, bottom: 24, parallelAxisDefault: { nameLocation: 'end', nameGap: 14, axisLine: { lineStyle: { color: p.border } }, axisLabel: { color: p.muted }, nameTextStyle: { fontSize: 11 } } },
    parallelAxis,
    tooltip: { trigger: 'item' },
    series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.85 }, emphasis: { lineStyle: { width: 3 } }, data }],
  } as unknown as ChartOption;
}

/** A chosen parameter against a chosen metric, one point per run. */
export function scatterChart(runs: Run[], x: Axis, y: Axis, p: ChartPalette): ChartOption {
  const colors = runColors(p);
  const xs = runs.map((r) => valueOf(r, x));
  const ys = runs.map((r) => valueOf(r, y));
  const xNum = x.kind === 'metric' || numeric(xs);
  const cats = xNum ? [] : [...new Set(xs.map((v) => v ?? '∅'))].sort();
  const data = runs
    .map((r, i) => {
      const yv = ys[i] === undefined ? NaN : Number(ys[i]);
      const xv = xNum ? Number(xs[i]) : (xs[i] ?? '∅');
      if (!Number.isFinite(yv) || (xNum && !Number.isFinite(xv as number))) return null;
      return { name: r.info.run_name, value: [xv, yv], itemStyle: { color: colors[i % colors.length] } };
    })
    .filter((d) => d !== null);
  return {
    grid: { left: 56, right: 20, top: 16, bottom: 40 },
    tooltip: { trigger: 'item', formatter: (q: unknown) => { const d = q as { name: string; value: [unknown, number] }; return `${d.name}<br/>${x.key}: ${String(d.value[0])}<br/>${y.key}: ${Number(d.value[1].toPrecision(5))}`; } },
    xAxis: xNum ? { type: 'value', scale: true, name: x.key, nameLocation: 'middle', nameGap: 24 } : { type: 'category', data: cats, name: x.key, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', scale: true, name: y.key },
    series: [{ type: 'scatter', symbolSize: 11, data: data as never }],
  };
}
