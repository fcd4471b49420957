// The parallel-coordinates chart is not in the shared ECharts bundle: register it on the same
// ECharts core instance when the compare view first needs it (in its own lazy chunk).
import { ParallelChart } from 'echarts/charts';
import { ParallelComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([ParallelChart, ParallelComponent]);

export const parallelReady = true;
