// Charts to PNG files, for slides: chart.js drawn on node-canvas through chartjs-node-canvas. That
// stack needs a native build (Cairo, Pango), which not every machine can do, so it is an optional
// dependency, imported only here and only when a report is written. Without it a report is the
// page alone, its charts drawn by the browser (write.ts says so, once).
//
// One renderer per canvas size (all charts share the width; only a tall Gantt needs another
// height), made once and reused: each holds its own copy of chart.js with svmig's runtime installed.

import type { ChartSpec } from './charts/spec.js';
import { type ChartClass, chartRuntime } from './charts/runtime.js';
import { FONT_FAMILY, INK, WIDTH } from './charts/style.js';

export interface PngRenderer {
  /** One chart as PNG bytes; the spec is not changed. */
  render(spec: ChartSpec): Promise<Buffer>;
}

/** Loads the PNG stack; rejects when it is not installed or does not load. */
export type PngLoader = () => Promise<PngRenderer>;

/**
 * What a report says, once, when the PNG stack is missing: how to get the PNGs. The packages are
 * svmig's optional dependencies, so a new install builds them once the libraries are there.
 */
export const PNG_MISSING_NOTE =
  'the charts are drawn in index.html only: for PNG files as well, install Cairo and Pango ' +
  '(Debian: apt-get install build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev) ' +
  'and run npm install again, which builds the optional chart renderer (canvas).';

// The part of chartjs-node-canvas and canvas used here. The packages may be absent, so their own
// types cannot be named (type checking must pass without them), and the specifiers are variables
// so that the compiler does not look for them.
interface NodeCanvasRenderer {
  renderToBuffer(config: unknown, mime: 'image/png'): Promise<Buffer>;
}
interface NodeCanvasModule {
  ChartJSNodeCanvas: new (options: { width: number; height: number; backgroundColour: string; chartCallback: (chartJs: ChartClass) => void }) => NodeCanvasRenderer;
}
interface CanvasModule {
  createCanvas(width: number, height: number): ReturnType<Parameters<typeof chartRuntime>[0]['tile']>;
}
const CHARTJS_NODE_CANVAS = 'chartjs-node-canvas';
const CANVAS = 'canvas';

let loaded: Promise<PngRenderer> | null = null;

/** The PNG renderer of this process, loaded on first use. */
export const loadPngRenderer: PngLoader = () => {
  loaded ??= load();
  return loaded;
};

async function load(): Promise<PngRenderer> {
  const [{ ChartJSNodeCanvas }, { createCanvas }] = (await Promise.all([import(CHARTJS_NODE_CANVAS), import(CANVAS)])) as [NodeCanvasModule, CanvasModule];
  const runtime = chartRuntime({
    fontFamily: FONT_FAMILY,
    labelFont: `10px "${FONT_FAMILY}"`,
    ink: INK,
    // The PNG is exactly WIDTH × height pixels, whatever screen drew it.
    pixelRatio: 1,
    tile: (size) => createCanvas(size, size),
  });
  const renderers = new Map<number, NodeCanvasRenderer>();
  const renderer = (height: number): NodeCanvasRenderer => {
    let r = renderers.get(height);
    if (!r) {
      // White, not transparent: the PNGs go on slides and paper as they are.
      r = new ChartJSNodeCanvas({ width: WIDTH, height, backgroundColour: 'white', chartCallback: (chartJs) => runtime.install(chartJs) });
      renderers.set(height, r);
    }
    return r;
  };
  return { render: (spec) => renderer(spec.height).renderToBuffer(runtime.prepare(spec.config), 'image/png') };
}

/** Every chart, in order. Drawing is synchronous; PNG encoding of one overlaps drawing the next. */
export function renderCharts(renderer: PngRenderer, specs: readonly ChartSpec[]): Promise<Buffer[]> {
  return Promise.all(specs.map((s) => renderer.render(s)));
}
