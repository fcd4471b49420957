import type { ColumnProfile } from '../../../api/types.gen';

export interface SparkBar {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The count and what it counts, for the tooltip. */
  count: number;
  label: string;
}

/** The counts a column's sparkline draws, and what each bar is. */
export function sparklineSource(column: ColumnProfile): { counts: number[]; labels: string[]; source: string } | null {
  const fromHistogram = (edges: number[], counts: number[], source: string) => ({
    counts,
    labels: counts.map((_, i) => `${shortNum(edges[i])} – ${shortNum(edges[i + 1])}`),
    source,
  });
  if (column.numeric && column.numeric.histogram.counts.length > 0) {
    return fromHistogram(column.numeric.histogram.edges, column.numeric.histogram.counts, 'histogram');
  }
  if (column.temporal && column.temporal.histogram.length > 0) {
    return { counts: column.temporal.histogram.map((v) => v.count), labels: column.temporal.histogram.map((v) => v.value), source: `per ${column.temporal.period}` };
  }
  // Text: the top values for categories, the length distribution for free text.
  const categorical = column.top_values.length > 0 && column.distinct_fraction <= 0.5;
  if (column.text && column.text.length_histogram.counts.length > 0 && !categorical) {
    return fromHistogram(column.text.length_histogram.edges, column.text.length_histogram.counts, 'length');
  }
  if (column.top_values.length > 0) {
    return { counts: column.top_values.map((v) => v.count), labels: column.top_values.map((v) => v.value), source: 'top values' };
  }
  if (column.text && column.text.length_histogram.counts.length > 0) {
    return fromHistogram(column.text.length_histogram.edges, column.text.length_histogram.counts, 'length');
  }
  return null;
}

function shortNum(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '?';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return n.toExponential(1);
  return String(Math.round(n * 1000) / 1000);
}

/**
 * Bars of a sparkline in a `width` × `height` box: heights scale linearly to the largest
 * count, a non-zero count is at least `minHeight` tall (so rare values stay visible), and bars
 * sit on the baseline with a `gap` between them.
 */
export function sparkBars(counts: number[], width: number, height: number, gap = 1, minHeight = 1, labels: string[] = []): SparkBar[] {
  if (counts.length === 0 || width <= 0 || height <= 0) return [];
  const max = Math.max(...counts.map((c) => (Number.isFinite(c) ? c : 0)));
  const slot = width / counts.length;
  const barWidth = Math.max(0.5, slot - (slot > 2 * gap ? gap : 0));
  return counts.map((count, i) => {
    const c = Number.isFinite(count) && count > 0 ? count : 0;
    const h = max > 0 && c > 0 ? Math.max(minHeight, (c / max) * height) : 0;
    return { x: i * slot, y: height - h, width: barWidth, height: h, count: c, label: labels[i] ?? '' };
  });
}
