import type { EChartsType } from 'echarts/core';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ChartOption } from './echarts';
import { echartsTheme, readPalette, type ChartPalette } from './palette';

export interface EChartProps {
  /** The option, or a function of the theme's palette. */
  option: ChartOption | ((palette: ChartPalette) => ChartOption);
  height?: number | string;
  className?: string;
  testId?: string;
  ariaLabel?: string;
  /** File name (without .png) offered by the chart's "save as PNG" button; no button without it. */
  exportName?: string;
  /** Clicks on data items (bars, cells). */
  onItemClick?(params: { name: string; dataIndex: number; seriesIndex: number; value: unknown }): void;
  /** Rectangle brushing of the first series: called with the indices of the points inside. */
  onBrush?(dataIndices: number[]): void;
  /** A data item of the first series to emphasise and show the tooltip of. */
  highlight?: number | null;
}

// ECharts is loaded on first use, in its own chunk, so the app starts without it.
let loader: Promise<typeof import('./echarts')> | null = null;
function loadECharts() {
  loader ??= import('./echarts');
  return loader;
}

function subscribeTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined;
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

function themeSnapshot(): string {
  return document.documentElement.dataset.theme ?? '';
}

/**
 * One ECharts instance: resizes with its container and follows the light/dark theme
 * (colours come from the CSS variables; the chart is rebuilt when the theme changes).
 */
export function EChart({ option, height = 220, className, testId, ariaLabel, exportName, onItemClick, onBrush, highlight }: EChartProps) {
  const theme = useSyncExternalStore(subscribeTheme, themeSnapshot, () => '');
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [ready, setReady] = useState(0);
  const [failed, setFailed] = useState(false);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const brushRef = useRef(onBrush);
  brushRef.current = onBrush;
  const brushable = onBrush !== undefined;
  // Re-read the CSS variables whenever the theme attribute changes.
  const palette = useMemo(() => {
    void theme;
    return readPalette();
  }, [theme]);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    let disposed = false;
    let observer: ResizeObserver | null = null;
    loadECharts().then(
      ({ echarts }) => {
        if (disposed) return;
        const instance = echarts.init(node, echartsTheme(palette), { renderer: 'canvas' });
        chart.current = instance;
        instance.on('click', (p) => {
          const params = p as { name: string; dataIndex: number; seriesIndex?: number; value: unknown };
          clickRef.current?.({ name: params.name, dataIndex: params.dataIndex, seriesIndex: params.seriesIndex ?? 0, value: params.value });
        });
        instance.on('brushSelected', (p) => {
          const batch = (p as { batch?: { selected?: { dataIndex: number[] }[] }[] }).batch;
          brushRef.current?.(batch?.[0]?.selected?.[0]?.dataIndex ?? []);
        });
        observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
        observer?.observe(node);
        setReady((n) => n + 1);
      },
      () => !disposed && setFailed(true),
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [palette]);

  useEffect(() => {
    if (!chart.current) return;
    const resolved = typeof option === 'function' ? option(palette) : option;
    chart.current.setOption({ animationDuration: 250, ...resolved }, { notMerge: true, lazyUpdate: true });
    if (brushable) {
      chart.current.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'rect', brushMode: 'single' } });
    }
  }, [option, palette, ready, brushable]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || highlight === undefined) return;
    instance.dispatchAction({ type: 'downplay', seriesIndex: 0 });
    if (highlight === null) return;
    instance.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: highlight });
    instance.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: highlight });
  }, [highlight, ready]);

  const savePng = () => {
    const instance = chart.current;
    if (!instance || !exportName) return;
    const url = instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: palette.bg });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${exportName}.png`;
    a.click();
  };

  const canvas = (
    <div
      ref={el}
      className={`echart ${className ?? ''}`}
      style={{ height }}
      data-testid={testId}
      data-ready={ready > 0 ? 'true' : undefined}
      role="img"
      aria-label={ariaLabel}
    >
      {failed && <p className="error-text">The chart library failed to load.</p>}
    </div>
  );
  if (!exportName) return canvas;
  return (
    <div className="echart-frame">
      {canvas}
      <button type="button" className="chart-png small" onClick={savePng} disabled={ready === 0} title="Save this chart as a PNG image" data-testid={testId ? `${testId}-png` : undefined}>
        PNG
      </button>
    </div>
  );
}
