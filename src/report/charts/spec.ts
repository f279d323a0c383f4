// What a chart module hands to the renderer and to the page: a chart.js configuration plus the
// words around it.

import type { ChartConfiguration, ChartType } from 'chart.js';

export type AnyChartConfig = ChartConfiguration<ChartType, unknown[], unknown>;

export interface ChartSpec {
  /** PNG file name in the report folder, e.g. `cumulative.png`. */
  file: string;
  /** Heading over the chart in the page. */
  title: string;
  /** How to read the chart, one or two sentences under it. */
  caption: string;
  /** Pixel height; every chart is the same width (style.ts WIDTH). */
  height: number;
  config: AnyChartConfig;
}

/** Widens a typed chart.js configuration for the list of charts (the renderer needs no more). */
export function anyConfig<T extends ChartType, D extends unknown[]>(config: ChartConfiguration<T, D, unknown>): AnyChartConfig {
  return config as unknown as AnyChartConfig;
}
