import type { AnomalyRun, Evaluation, FeatureContribution, ScoreHistogram } from '../../api/types.gen';
import type { ChartOption } from '../../components/charts/echarts';
import type { ChartPalette } from '../../components/charts/palette';
import { formatNumber } from '../../lib/format';

/** Rows at or above `threshold`, counted from the histogram (bins cut by the threshold count in part). */
export function flaggedEstimate(h: ScoreHistogram, threshold: number): number {
  let n = 0;
  h.counts.forEach((count, i) => {
    const lo = h.edges[i];
    const hi = h.edges[i + 1];
    if (lo >= threshold) n += count;
    else if (hi > threshold && hi > lo) n += (count * (hi - threshold)) / (hi - lo);
  });
  return Math.round(n);
}

/** The score that flags about `share` of the rows (0..1), read off the histogram. */
export function thresholdForShare(h: ScoreHistogram, share: number): number {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const want = Math.max(0, Math.min(1, share)) * total;
  let above = 0;
  for (let i = h.counts.length - 1; i >= 0; i--) {
    const count = h.counts[i];
    if (above + count >= want) {
      const part = count === 0 ? 0 : (want - above) / count;
      return h.edges[i + 1] - part * (h.edges[i + 1] - h.edges[i]);
    }
    above += count;
  }
  return h.edges[0] ?? 0;
}

/** Score histogram, bins at or above the threshold in the danger colour, a line at the cut. */
export function histogramChart(h: ScoreHistogram, threshold: number, p: ChartPalette): ChartOption {
  const mids = h.counts.map((_, i) => (h.edges[i] + h.edges[i + 1]) / 2);
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        const i = first?.dataIndex ?? 0;
        return `score ${formatNumber(h.edges[i])} – ${formatNumber(h.edges[i + 1])}<br/>${h.counts[i]} rows`;
      },
    },
    grid: { left: 48, right: 16, top: 16, bottom: 36 },
    xAxis: { type: 'category', data: mids.map((m) => formatNumber(m, 3)), axisLabel: { color: p.muted }, name: 'score', nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'log', logBase: 10, min: 1, axisLabel: { color: p.muted }, name: 'rows' },
    series: [
      {
        type: 'bar',
        barCategoryGap: '5%',
        data: h.counts.map((c, i) => ({ value: Math.max(c, 0.0001), itemStyle: { color: h.edges[i + 1] > threshold ? p.danger : p.accent } })) as never,
      },
    ],
  };
}

/** The 2-D projection coloured by score, flagged points larger; brush to select. */
export function scatterChart(run: AnomalyRun, threshold: number, p: ChartPalette): ChartOption {
  const pr = run.projection;
  const scores = run.projection_scores;
  const finite = scores.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const [v1, v2] = pr.explained_variance;
  return {
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const i = (params as { dataIndex: number }).dataIndex;
        return `row ${pr.row_index[i]}<br/>score ${formatNumber(scores[i])}`;
      },
    },
    grid: { left: 48, right: 72, top: 16, bottom: 40 },
    brush: { xAxisIndex: 'all', yAxisIndex: 'all', brushStyle: { color: 'rgba(120,140,200,0.15)', borderColor: p.accent } },
    xAxis: { type: 'value', scale: true, name: `PC1 (${(v1 * 100).toFixed(0)}%)`, nameLocation: 'middle', nameGap: 26, axisLabel: { color: p.muted }, splitLine: { show: false } },
    yAxis: { type: 'value', scale: true, name: `PC2 (${(v2 * 100).toFixed(0)}%)`, axisLabel: { color: p.muted }, splitLine: { show: false } },
    visualMap: {
      type: 'continuous',
      min: Number.isFinite(lo) ? lo : 0,
      max: Number.isFinite(hi) && hi > lo ? hi : lo + 1,
      dimension: 2,
      right: 4,
      top: 'middle',
      itemHeight: 140,
      text: ['high', 'low'],
      textStyle: { color: p.muted },
      inRange: { color: [p.series[0] ?? p.accent, '#f2c14e', p.danger] },
    },
    series: [
      {
        type: 'scatter',
        large: pr.x.length > 5000,
        data: pr.x.map((x, i) => [x, pr.y[i], scores[i]]),
        symbolSize: (value: number[]) => (value[2] >= threshold ? 9 : 4),
        emphasis: { itemStyle: { borderColor: p.text, borderWidth: 2 } },
      },
    ],
  };
}

/** Per-feature contributions of one row: share of the row's unusualness, by direction. */
export function explanationChart(contributions: FeatureContribution[], p: ChartPalette): ChartOption {
  const shown = contributions.slice(0, 12).reverse();
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
        const c = shown[i];
        return `${c.feature}: ${formatNumber(c.value)} (median ${formatNumber(c.median)})<br/>${c.direction} tail p = ${formatNumber(c.tail_probability)}`;
      },
    },
    grid: { left: 140, right: 24, top: 8, bottom: 28 },
    xAxis: { type: 'value', max: 1, axisLabel: { color: p.muted, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', data: shown.map((c) => c.feature), axisLabel: { color: p.muted, width: 130, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: shown.map((c) => ({ value: c.share, itemStyle: { color: c.direction === 'high' ? p.danger : p.accent } })) as never,
      },
    ],
  };
}

/** The ROC curve against the diagonal. */
export function rocChart(e: Evaluation, p: ChartPalette): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 1, name: 'false-positive rate', nameLocation: 'middle', nameGap: 26, axisLabel: { color: p.muted } },
    yAxis: { type: 'value', min: 0, max: 1, name: 'true-positive rate', axisLabel: { color: p.muted } },
    series: [
      { type: 'line', name: `ROC (AUC ${e.roc_auc.toFixed(3)})`, showSymbol: false, data: e.roc_curve.map((r) => [r.fpr, r.tpr]), lineStyle: { color: p.accent, width: 2 } },
      { type: 'line', name: 'chance', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { color: p.faint, type: 'dashed' } },
    ],
  };
}
