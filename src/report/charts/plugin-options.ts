// Options of svmig's own chart.js plugins (drawn in ../plugins.ts). They live in the chart
// configuration, so a configuration stays plain data that tests can read.

import type { ChartType } from 'chart.js';
import type { Hatch } from './style.js';

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Texture of each dataset's fill, by dataset index (absent or 'none': plain colour). */
    svmigHatch?: { hatches: Hatch[] };
    /** Text drawn inside bars where it fits: labels[dataset][point] (null: none). */
    svmigBarLabels?: { labels: Array<Array<string | null>> };
  }
}

export {};
