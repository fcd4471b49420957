// ECharts, tree-shaken: only the charts and components the UI uses are bundled.
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import {
  BrushComponent,
  DataZoomComponent,
  MarkLineComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import type {
  BrushComponentOption,
  DataZoomComponentOption,
  MarkLineComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  BrushComponent,
  MarkLineComponent,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  DataZoomComponent,
  LegendComponent,
  CanvasRenderer,
]);

export { echarts };

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | BrushComponentOption
  | MarkLineComponentOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
>;
