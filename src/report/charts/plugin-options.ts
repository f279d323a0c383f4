// Options of svmig's own additions to chart.js (drawn and applied in runtime.ts). They live in the
// chart configuration as plain data, so a configuration can be read by tests and written into the
// report page as JSON; nothing in it is a function.

import type { ChartType } from 'chart.js';
import type { Hatch } from './style.js';

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Texture of each dataset's fill, by dataset index (absent or 'none': plain colour). */
    svmigHatch?: { hatches: Hatch[] };
    /** Text drawn inside bars where it fits: labels[dataset][point] (null: none). */
    svmigBarLabels?: { labels: Array<Array<string | null>> };
    /** Spans of the x axis shaded behind the series (open change windows), in the axis' values. */
    svmigBands?: { bands: Array<[number, number]>; colour: string };
  }

  interface CoreScaleOptions {
    /**
     * Tick labels as data: `suffix` after each value ("40 %"), or `names`: one tick at each whole
     * value 0, 1, 2 … labelled with the name at that index (the hosts of a Gantt), or `at`: ticks at
     * these values with these labels (dates on a time axis).
     */
    svmigTicks?: { suffix?: string; names?: string[]; at?: Array<{ value: number; label: string }> };
  }
}

export {};
