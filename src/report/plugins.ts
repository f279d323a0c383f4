// svmig's chart.js plugins, drawn at render time from options in the chart configuration
// (charts/plugin-options.ts): fill textures, so areas stay apart in a grey printout, and VM names
// inside Gantt bars where they fit.

import type { Chart, Plugin } from 'chart.js';
import { createCanvas } from 'canvas';
import { FONT_FAMILY, type Hatch, INK } from './charts/style.js';

const TILE = 10;

type Ctx = Chart['ctx'];
type Pattern = NonNullable<ReturnType<Ctx['createPattern']>>;

/** r, g, b (0..255) of `#rrggbb` or `rgb[a](r, g, b[, a])`; grey when unreadable. */
function rgb(colour: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const fn = /^rgba?\(\s*([0-9.]+)\s*,\s*([0-9.]+)\s*,\s*([0-9.]+)/i.exec(colour);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  return [128, 128, 128];
}

/** True when dark text reads better than white on this colour. */
export function isLight(colour: string): boolean {
  const [r, g, b] = rgb(colour);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150;
}

function pattern(ctx: Ctx, base: string, hatch: Hatch): Pattern | string {
  if (hatch === 'none') return base;
  const tile = createCanvas(TILE, TILE);
  const t = tile.getContext('2d');
  t.fillStyle = base;
  t.fillRect(0, 0, TILE, TILE);
  t.strokeStyle = isLight(base) ? 'rgba(34, 34, 34, 0.75)' : 'rgba(255, 255, 255, 0.8)';
  t.fillStyle = t.strokeStyle;
  t.lineWidth = 1.5;
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    t.beginPath();
    t.moveTo(x0, y0);
    t.lineTo(x1, y1);
    t.stroke();
  };
  if (hatch === 'diagonal' || hatch === 'cross') {
    // Corner-to-corner plus the two corner stubs, so the lines join across tiles.
    line(0, TILE, TILE, 0);
    line(-1, 1, 1, -1);
    line(TILE - 1, TILE + 1, TILE + 1, TILE - 1);
  }
  if (hatch === 'cross') {
    line(0, 0, TILE, TILE);
    line(-1, TILE - 1, 1, TILE + 1);
    line(TILE - 1, -1, TILE + 1, 1);
  }
  if (hatch === 'dots') {
    t.beginPath();
    t.arc(TILE / 2, TILE / 2, 1.6, 0, 2 * Math.PI);
    t.fill();
  }
  return ctx.createPattern(tile as unknown as Parameters<Ctx['createPattern']>[0], 'repeat') ?? base;
}

const originals = new WeakMap<object, unknown>();

export const hatchPlugin: Plugin = {
  id: 'svmigHatch',
  beforeUpdate(chart: Chart) {
    const hatches = chart.options.plugins?.svmigHatch?.hatches ?? [];
    chart.data.datasets.forEach((ds, i) => {
      const hatch = hatches[i] ?? 'none';
      if (hatch === 'none') return;
      const base = originals.has(ds) ? originals.get(ds) : ds.backgroundColor;
      originals.set(ds, base);
      if (typeof base !== 'string') return;
      ds.backgroundColor = pattern(chart.ctx, base, hatch);
    });
  },
};

export const barLabelsPlugin: Plugin = {
  id: 'svmigBarLabels',
  afterDatasetsDraw(chart: Chart) {
    const labels = chart.options.plugins?.svmigBarLabels?.labels;
    if (!labels) return;
    const ctx = chart.ctx;
    const area = chart.chartArea;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.font = `10px "${FONT_FAMILY}"`;
    ctx.textBaseline = 'middle';
    labels.forEach((perPoint, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      const ds = chart.data.datasets[i];
      const fill = originals.get(ds ?? {}) ?? ds?.backgroundColor;
      ctx.fillStyle = typeof fill === 'string' && isLight(fill) ? INK : '#ffffff';
      meta.data.forEach((el, j) => {
        const text = perPoint[j];
        if (!text) return;
        const { x, y, base, height } = el.getProps(['x', 'y', 'base', 'height'], true) as { x: number; y: number; base: number; height: number };
        const left = Math.min(x, base);
        const width = Math.abs(x - base);
        if (height < 9 || ctx.measureText(text).width + 6 > width) return;
        ctx.fillText(text, left + 3, y);
      });
    });
    ctx.restore();
  },
};
