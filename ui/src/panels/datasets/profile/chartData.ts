import type { ChartOption } from '../../../components/charts/echarts';
import type { ChartPalette } from '../../../components/charts/palette';
import { formatInt, formatNumber, formatPercent } from '../../../lib/format';
import type { CorrelationMatrix, Correlations, Histogram, Missingness, ValueCount } from '../../../api/types.gen';

/** Correlation methods available in a profile, numeric first then Cramér's V. */
export function correlationMethods(c: Correlations): string[] {
  const methods = c.numeric.map((m) => m.method);
  if (c.categorical) methods.push(c.categorical.method);
  return methods;
}

export function findMatrix(c: Correlations, method: string): CorrelationMatrix | null {
  return c.numeric.find((m) => m.method === method) ?? (c.categorical?.method === method ? c.categorical : null);
}

export const METHOD_LABELS: Record<string, string> = {
  pearson: 'Pearson',
  spearman: 'Spearman',
  kendall: 'Kendall τ',
  cramers_v: 'Cramér’s V',
};

/**
 * Heat-map cells of a correlation matrix: `[x, y, value]` with x the column and y the row;
 * rows are listed bottom-up by ECharts, so y counts from the last row to put the first row
 * on top. Undefined coefficients become `'-'` (an empty cell).
 */
export function correlationCells(m: CorrelationMatrix): [number, number, number | '-'][] {
  const n = m.columns.length;
  const out: [number, number, number | '-'][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m.values[i]?.[j];
      out.push([j, n - 1 - i, v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.round(v * 1000) / 1000]);
    }
  }
  return out;
}

/** The colour range of a method: -1..1 for signed coefficients, 0..1 for Cramér's V. */
export function correlationRange(method: string): [number, number] {
  return method === 'cramers_v' ? [0, 1] : [-1, 1];
}

export function correlationOption(m: CorrelationMatrix, p: ChartPalette): ChartOption {
  const [min, max] = correlationRange(m.method);
  const n = m.columns.length;
  const yLabels = [...m.columns].reverse();
  return {
    tooltip: {
      position: 'top',
      formatter: (params: unknown) => {
        const { value } = params as { value: [number, number, number | '-'] };
        const [x, y, v] = value;
        return `${escapeHtml(m.columns[x])} × ${escapeHtml(yLabels[y])}<br/><b>${v === '-' ? 'undefined' : formatNumber(v, 3)}</b>`;
      },
    },
    grid: { left: 8, right: 84, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: m.columns, axisLabel: { rotate: n > 6 ? 45 : 0, interval: 0, fontSize: 11 }, splitArea: { show: false } },
    yAxis: { type: 'category', data: yLabels, axisLabel: { interval: 0, fontSize: 11 } },
    visualMap: {
      min,
      max,
      calculable: true,
      orient: 'vertical',
      right: 10,
      top: 'middle',
      itemHeight: 160,
      precision: 2,
      inRange: { color: min < 0 ? p.diverging : [p.diverging[1], p.diverging[2]] },
    },
    series: [
      {
        type: 'heatmap',
        data: correlationCells(m),
        label: { show: n <= 12, fontSize: 10, formatter: (x: unknown) => {
          const v = (x as { value: [number, number, number | '-'] }).value[2];
          return v === '-' ? '' : v.toFixed(2);
        } },
        emphasis: { itemStyle: { borderColor: p.text, borderWidth: 1 } },
      },
    ],
  };
}

/** Missing share per column, in table order. */
export function missingBars(m: Missingness, rows: number): { names: string[]; fractions: number[]; counts: number[] } {
  return {
    names: m.per_column.map((v) => v.value),
    counts: m.per_column.map((v) => v.count),
    fractions: m.per_column.map((v) => (rows > 0 ? v.count / rows : 0)),
  };
}

export function missingBarOption(m: Missingness, rows: number, p: ChartPalette): ChartOption {
  const bars = missingBars(m, rows);
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const [item] = params as { dataIndex: number }[];
        const i = item.dataIndex;
        return `${escapeHtml(bars.names[i])}<br/><b>${formatInt(bars.counts[i])}</b> missing (${formatPercent(bars.fractions[i])})`;
      },
    },
    grid: { left: 8, right: 12, top: 12, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: bars.names, axisLabel: { rotate: bars.names.length > 8 ? 45 : 0, interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', min: 0, max: (e: { max: number }) => (e.max > 0 ? Math.min(1, e.max * 1.15) : 0.01), axisLabel: { formatter: (v: number) => `${Math.round(v * 1000) / 10}%` } },
    series: [{ type: 'bar', data: bars.fractions, itemStyle: { color: p.warning }, barMaxWidth: 28 }],
  };
}

/** Heat-map cells of the missing-value matrix: `[column, sampleRow, 1 | 0]`, first row on top. */
export function missingMatrixCells(matrix: boolean[][]): [number, number, number][] {
  const out: [number, number, number][] = [];
  const n = matrix.length;
  matrix.forEach((row, r) => row.forEach((missing, c) => out.push([c, n - 1 - r, missing ? 1 : 0])));
  return out;
}

export function missingMatrixOption(m: Missingness, p: ChartPalette): ChartOption {
  const columns = m.per_column.map((v) => v.value);
  const rowLabels = m.matrix_rows.map((r) => formatInt(r + 1)).reverse();
  return {
    tooltip: {
      formatter: (params: unknown) => {
        const [c, r, v] = (params as { value: [number, number, number] }).value;
        return `row ${rowLabels[r]} · ${escapeHtml(columns[c])}: <b>${v ? 'missing' : 'present'}</b>`;
      },
    },
    grid: { left: 8, right: 12, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: columns, axisLabel: { rotate: columns.length > 8 ? 45 : 0, interval: 0, fontSize: 11 }, splitArea: { show: false } },
    yAxis: { type: 'category', data: rowLabels, axisLabel: { fontSize: 10 } },
    visualMap: { show: false, min: 0, max: 1, inRange: { color: [p.bgSubtle, p.warning] } },
    series: [{ type: 'heatmap', data: missingMatrixCells(m.matrix), progressive: 0 }],
  };
}

/** Bin labels of a histogram: `a – b`. */
export function histogramLabels(h: Histogram): string[] {
  return h.counts.map((_, i) => `${formatNumber(h.edges[i], 3)} – ${formatNumber(h.edges[i + 1], 3)}`);
}

export function histogramOption(h: Histogram, p: ChartPalette, what = 'values'): ChartOption {
  const labels = histogramLabels(h);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${formatInt(Number(v))} ${what}` },
    grid: { left: 8, right: 12, top: 12, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, 3) } },
    series: [{ type: 'bar', data: h.counts, barCategoryGap: '8%', itemStyle: { color: p.accent } }],
  };
}

/** Horizontal bars of value counts, most frequent on top. */
export function valueCountOption(values: ValueCount[], p: ChartPalette, total?: number): ChartOption {
  const ordered = [...values].reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (total ? `${formatInt(Number(v))} (${formatPercent(Number(v) / total)})` : formatInt(Number(v))),
    },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, 3) } },
    yAxis: { type: 'category', data: ordered.map((v) => truncate(v.value, 28)), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: ordered.map((v) => v.count), itemStyle: { color: p.accent }, barMaxWidth: 18 }],
  };
}

/** Counts per period as bars (a line for long series). */
export function periodOption(values: ValueCount[], p: ChartPalette): ChartOption {
  const line = values.length > 60;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatInt(Number(v)) },
    grid: { left: 8, right: 12, top: 12, bottom: line ? 40 : 8, containLabel: true },
    xAxis: { type: 'category', data: values.map((v) => v.value), axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, 3) } },
    dataZoom: line ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 6 }] : [],
    series: [
      line
        ? { type: 'line', data: values.map((v) => v.count), showSymbol: false, itemStyle: { color: p.accent }, areaStyle: { opacity: 0.15 } }
        : { type: 'bar', data: values.map((v) => v.count), itemStyle: { color: p.accent } },
    ],
  };
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function escapeHtml(s: string | undefined): string {
  return (s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
