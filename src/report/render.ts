// Charts to PNG, server-side: chart.js drawn on node-canvas through chartjs-node-canvas. One
// renderer per canvas size (all charts share the width; only a tall Gantt needs another height),
// made once and reused: each holds its own copy of chart.js with svmig's defaults and plugins.

import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration } from 'chart.js';
import type { ChartSpec } from './charts/spec.js';
import { FONT_FAMILY, INK, WIDTH } from './charts/style.js';
import { barLabelsPlugin, hatchPlugin } from './plugins.js';

interface LineStyled {
  borderDash?: number[];
  borderWidth?: number;
  borderColor?: unknown;
}

const renderers = new Map<number, ChartJSNodeCanvas>();

function renderer(height: number): ChartJSNodeCanvas {
  let r = renderers.get(height);
  if (!r) {
    r = new ChartJSNodeCanvas({
      width: WIDTH,
      height,
      // White, not transparent: the PNGs go on slides and paper as they are.
      backgroundColour: 'white',
      plugins: { modern: [hatchPlugin, barLabelsPlugin] },
      chartCallback: (chart) => {
        chart.defaults.font.family = FONT_FAMILY;
        chart.defaults.color = INK;
        chart.defaults.devicePixelRatio = 1;
        // With point-style legends chart.js takes the sample's stroke from the first point, which
        // has no dash: take dash, width and colour from the dataset, so the legend matches the line.
        const labels = chart.defaults.plugins.legend.labels;
        const generate = labels.generateLabels;
        labels.generateLabels = (c) =>
          generate(c).map((item) => {
            const ds = item.datasetIndex === undefined ? undefined : (c.data.datasets[item.datasetIndex] as LineStyled | undefined);
            if (!ds || item.pointStyle !== 'line') return item;
            return {
              ...item,
              lineDash: ds.borderDash ?? [],
              lineWidth: ds.borderWidth ?? item.lineWidth,
              strokeStyle: typeof ds.borderColor === 'string' ? ds.borderColor : item.strokeStyle,
            };
          });
      },
    });
    renderers.set(height, r);
  }
  return r;
}

/**
 * One chart as PNG bytes. The spec is not changed: chart.js and the hatch plugin write into the
 * configuration, its options and its datasets, so they get copies of those.
 */
export async function renderChart(spec: ChartSpec): Promise<Buffer> {
  const { data, options } = spec.config;
  const config = {
    ...spec.config,
    data: { ...data, datasets: data.datasets.map((d) => ({ ...d })) },
    options: { ...options },
  } as ChartConfiguration;
  return renderer(spec.height).renderToBuffer(config, 'image/png');
}

/** Every chart, in order. Drawing is synchronous; PNG encoding of one overlaps drawing the next. */
export async function renderCharts(specs: readonly ChartSpec[]): Promise<Buffer[]> {
  return Promise.all(specs.map((s) => renderChart(s)));
}
