import type { ChartOption } from '../../../components/charts/echarts';
import type { ChartPalette } from '../../../components/charts/palette';
import type { ColumnDrift, DriftReport, JsonValue, ValueCount } from '../../../api/types.gen';
import { formatNumber, formatPercent } from '../../../lib/format';
import { escapeHtml, truncate } from '../profile/chartData';

/** `3 of 19 columns drifted`. */
export function driftSummary(r: Pick<DriftReport, 'drifted' | 'columns'>): string {
  const m = r.columns.length;
  return `${r.drifted} of ${m} ${m === 1 ? 'column' : 'columns'} drifted`;
}

/** A p-value: `< 0.001` when tiny, 3 significant digits otherwise; `—` when undefined. */
export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return formatNumber(p, 3);
}

/** A distance or statistic with 3 significant digits; `—` when undefined. */
export function formatMetric(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return formatNumber(v, 3);
}

export const TEST_LABELS: Record<string, string> = { ks: 'Kolmogorov–Smirnov', chi_squared: 'χ²' };

/** PSI bands (conventional): < 0.1 stable, < 0.25 moderate shift, else major shift. */
export function psiLevel(psi: number | null): 'none' | 'stable' | 'moderate' | 'major' {
  if (psi === null || !Number.isFinite(psi)) return 'none';
  if (psi < 0.1) return 'stable';
  if (psi < 0.25) return 'moderate';
  return 'major';
}

/** Drifted first, then by Jensen-Shannon distance, largest first; stable otherwise. */
export function sortDrift(columns: ColumnDrift[]): ColumnDrift[] {
  return columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(b.c.drifted) - Number(a.c.drifted) || (b.c.jensen_shannon ?? -1) - (a.c.jensen_shannon ?? -1) || a.i - b.i)
    .map((x) => x.c);
}

/** A bin or category label for the axis: numbers the server wrote out (`2700.0000`) shortened. */
export function binLabel(label: string): string {
  const t = label.trim();
  if (t !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return formatNumber(Number(t), 4);
  return label;
}

/**
 * Reference and current distributions as shares of their totals on the union of their bins
 * (reference order first), so tables of different sizes compare.
 */
export function distributionShares(reference: ValueCount[], current: ValueCount[]): { labels: string[]; reference: number[]; current: number[] } {
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const v of [...reference, ...current]) {
    if (!seen.has(v.value)) {
      seen.add(v.value);
      labels.push(v.value);
    }
  }
  const share = (values: ValueCount[]) => {
    const total = values.reduce((s, v) => s + v.count, 0);
    const by = new Map(values.map((v) => [v.value, v.count]));
    return labels.map((l) => (total > 0 ? (by.get(l) ?? 0) / total : 0));
  };
  return { labels, reference: share(reference), current: share(current) };
}

export function distributionOption(c: ColumnDrift, p: ChartPalette, names: [string, string]): ChartOption {
  const d = distributionShares(c.reference, c.current);
  return {
    legend: { top: 0, data: names },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const items = params as { dataIndex: number; seriesName: string; value: number; marker: string }[];
        const label = binLabel(d.labels[items[0]?.dataIndex ?? 0] ?? '');
        return [`<b>${escapeHtml(label)}</b>`, ...items.map((i) => `${i.marker}${escapeHtml(i.seriesName)}: ${formatPercent(i.value)}`)].join('<br/>');
      },
    },
    grid: { left: 8, right: 12, top: 30, bottom: d.labels.length > 30 ? 40 : 8, containLabel: true },
    xAxis: { type: 'category', data: d.labels.map((l) => truncate(binLabel(l), 18)), axisLabel: { fontSize: 10, hideOverlap: true, rotate: d.labels.length > 10 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 1000) / 10}%` } },
    dataZoom: d.labels.length > 30 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 6 }] : [],
    series: [
      { name: names[0], type: 'bar', data: d.reference, itemStyle: { color: p.series[1] ?? p.faint }, barGap: '10%' },
      { name: names[1], type: 'bar', data: d.current, itemStyle: { color: p.accent } },
    ],
  };
}

/** A job result as a DriftReport, if it has that shape. */
export function asDriftReport(v: JsonValue): DriftReport | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, JsonValue>;
  return Array.isArray(o.columns) && typeof o.drifted === 'number' ? (v as unknown as DriftReport) : null;
}
