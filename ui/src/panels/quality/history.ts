import type { ChartOption } from '../../components/charts/echarts';
import type { ChartPalette } from '../../components/charts/palette';
import type { QualityHistory, RuleTrend } from '../../api/types.gen';
import { shortDateTime } from '../../lib/format';

/** Stacked rule counts per run: passed, warned, failed, invalid. */
export function runsChart(history: QualityHistory, p: ChartPalette): ChartOption {
  const labels = history.runs.map((r) => shortDateTime(r.started_at));
  const series = (name: string, color: string, pick: (i: number) => number) => ({
    name,
    type: 'bar' as const,
    stack: 'rules',
    itemStyle: { color },
    data: history.runs.map((_, i) => pick(i)),
  });
  const t = (i: number) => history.runs[i].totals;
  return {
    tooltip: { trigger: 'axis' },
    legend: { textStyle: { color: p.muted } },
    grid: { left: 40, right: 16, top: 32, bottom: 40 },
    xAxis: { type: 'category', data: labels, axisLabel: { color: p.muted } },
    yAxis: { type: 'value', name: 'rules', minInterval: 1, axisLabel: { color: p.muted } },
    series: [
      series('passed', p.success, (i) => t(i).passed),
      series('warned', p.warning, (i) => t(i).warned),
      series('failed', p.danger, (i) => t(i).failed),
      series('invalid', p.faint, (i) => t(i).errors),
    ],
  };
}

/** One rule over the runs: its observed value and failing rows, points coloured by outcome. */
export function trendChart(trend: RuleTrend, p: ChartPalette): ChartOption {
  const labels = trend.points.map((x) => shortDateTime(x.started_at));
  const colour = { passed: p.success, failed: p.danger, warned: p.warning, error: p.faint, skipped: p.faint };
  const hasFailing = trend.points.some((x) => x.failing_count !== null);
  return {
    tooltip: { trigger: 'axis' },
    legend: { textStyle: { color: p.muted } },
    grid: { left: 56, right: hasFailing ? 56 : 16, top: 32, bottom: 40 },
    xAxis: { type: 'category', data: labels, axisLabel: { color: p.muted } },
    yAxis: [
      { type: 'value', name: 'observed', scale: true, axisLabel: { color: p.muted } },
      ...(hasFailing ? [{ type: 'value' as const, name: 'failing rows', minInterval: 1, axisLabel: { color: p.muted } }] : []),
    ],
    series: [
      {
        name: 'observed',
        type: 'line',
        symbolSize: 8,
        lineStyle: { color: p.accent },
        data: trend.points.map((x) => ({ value: x.observed ?? null, itemStyle: { color: colour[x.status] } })) as never,
      },
      ...(hasFailing
        ? [
            {
              name: 'failing rows',
              type: 'bar' as const,
              yAxisIndex: 1,
              itemStyle: { color: p.danger, opacity: 0.35 },
              data: trend.points.map((x) => x.failing_count ?? 0),
            },
          ]
        : []),
    ],
  };
}
