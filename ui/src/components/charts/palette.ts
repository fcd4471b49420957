/** Colours charts take from the theme's CSS variables. */
export interface ChartPalette {
  text: string;
  muted: string;
  faint: string;
  border: string;
  bg: string;
  bgSubtle: string;
  raised: string;
  accent: string;
  danger: string;
  warning: string;
  success: string;
  /** Series colours, in order. */
  series: string[];
  /** Diverging scale, negative → zero → positive. */
  diverging: [string, string, string];
}

const FALLBACK: ChartPalette = {
  text: '#1f2328',
  muted: '#656d76',
  faint: '#8c959f',
  border: '#e2e4e9',
  bg: '#ffffff',
  bgSubtle: '#f7f7f8',
  raised: '#ffffff',
  accent: '#2f6feb',
  danger: '#cf222e',
  warning: '#9a6700',
  success: '#1a7f37',
  series: ['#2f6feb', '#e8853d'],
  diverging: ['#2f6feb', '#f7f7f8', '#cf222e'],
};

/** The palette of the theme now applied to the document. */
export function readPalette(root: Element | null = typeof document === 'undefined' ? null : document.documentElement): ChartPalette {
  if (!root || typeof getComputedStyle !== 'function') return FALLBACK;
  const style = getComputedStyle(root);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const accent = v('--accent', FALLBACK.accent);
  const danger = v('--danger', FALLBACK.danger);
  const bgSubtle = v('--bg-subtle', FALLBACK.bgSubtle);
  return {
    text: v('--text', FALLBACK.text),
    muted: v('--text-muted', FALLBACK.muted),
    faint: v('--text-faint', FALLBACK.faint),
    border: v('--border', FALLBACK.border),
    bg: v('--bg', FALLBACK.bg),
    bgSubtle,
    raised: v('--bg-raised', FALLBACK.raised),
    accent,
    danger,
    warning: v('--warning', FALLBACK.warning),
    success: v('--success', FALLBACK.success),
    series: [accent, v('--chart-2', FALLBACK.series[1])],
    diverging: [accent, v('--bg-active', bgSubtle), danger],
  };
}

/** An ECharts theme object from the palette: axes, tooltips and legends in the UI's colours. */
export function echartsTheme(p: ChartPalette): object {
  const axis = {
    axisLine: { lineStyle: { color: p.border } },
    axisTick: { lineStyle: { color: p.border } },
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.border, type: 'dashed' } },
    nameTextStyle: { color: p.muted },
  };
  return {
    color: p.series,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontFamily: 'inherit' },
    categoryAxis: { ...axis, splitLine: { show: false } },
    valueAxis: axis,
    legend: { textStyle: { color: p.muted } },
    tooltip: {
      backgroundColor: p.raised,
      borderColor: p.border,
      textStyle: { color: p.text, fontSize: 12 },
    },
    visualMap: { textStyle: { color: p.muted } },
    dataZoom: { textStyle: { color: p.muted }, borderColor: p.border },
  };
}
