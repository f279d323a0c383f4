// What chart.js needs besides a chart's configuration, written once for both places a chart is
// drawn: PNG files in Node (render.ts, through chartjs-node-canvas) and the report page in the
// browser (html.ts, with chart.js inlined). svmig's defaults, its two plugins (fill textures, VM
// names inside Gantt bars) and the step that turns the plain-data configuration into what chart.js
// takes (tick labels are data in a ChartSpec, callbacks only here).
//
// `chartRuntime` is self-contained on purpose: its body uses nothing from outside itself (types
// aside), because the report page carries its source text (`chartRuntime.toString()`) and calls it
// there, while Node calls it directly. Only what differs between the two comes in through `env`.

import type { Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';
import type { AnyChartConfig } from './spec.js';
import type { Hatch } from './style.js';
import './plugin-options.js';

/** The 2D context of a fill tile: the part of the canvas API the texture drawing uses. */
interface TileContext {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  arc(x: number, y: number, r: number, from: number, to: number): void;
  fill(): void;
}

export interface ChartEnv {
  /** Family of every text chart.js draws (its defaults.font.family). */
  fontFamily: string;
  /** CSS font of the VM names inside Gantt bars. */
  labelFont: string;
  /** Colour of text and axes. */
  ink: string;
  /** Device pixel ratio to draw at; null keeps chart.js's own (the screen's). */
  pixelRatio: number | null;
  /** A blank square canvas `size` pixels wide, for a fill texture. */
  tile(size: number): { getContext(kind: '2d'): TileContext | null };
}

/** The chart.js class as far as svmig touches it (the browser's global `Chart`, or the one chartjs-node-canvas loads). */
export interface ChartClass {
  defaults: typeof Chart.defaults;
  register(...items: Plugin[]): void;
}

export interface ChartRuntime {
  /** Sets svmig's defaults on a chart.js class and registers svmig's plugins with it. */
  install(chartJs: ChartClass): void;
  /**
   * The configuration chart.js is given: a copy (chart.js and the hatch plugin write into a
   * configuration, its options and its datasets), with svmigTicks turned into tick callbacks.
   */
  prepare(config: AnyChartConfig): ChartConfiguration;
}

export function chartRuntime(env: ChartEnv): ChartRuntime {
  const TILE = 10;
  type Ctx = Chart['ctx'];
  type Pattern = NonNullable<ReturnType<Ctx['createPattern']>>;

  /** r, g, b (0..255) of `#rrggbb` or `rgb[a](r, g, b[, a])`; grey when unreadable. */
  const rgb = (colour: string): [number, number, number] => {
    const hex = /^#([0-9a-f]{6})$/i.exec(colour);
    if (hex) {
      const n = parseInt(hex[1]!, 16);
      return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    }
    const fn = /^rgba?\(\s*([0-9.]+)\s*,\s*([0-9.]+)\s*,\s*([0-9.]+)/i.exec(colour);
    if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
    return [128, 128, 128];
  };

  /** True when dark text reads better than white on this colour. */
  const isLight = (colour: string): boolean => {
    const [r, g, b] = rgb(colour);
    return 0.299 * r + 0.587 * g + 0.114 * b > 150;
  };

  const pattern = (ctx: Ctx, base: string, hatch: Hatch): Pattern | string => {
    if (hatch === 'none') return base;
    const tile = env.tile(TILE);
    const t = tile.getContext('2d');
    if (!t) return base;
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
  };

  // A dataset's own colour, kept when the texture replaces it (updates run the plugin again).
  const originals = new WeakMap<object, unknown>();

  const hatchPlugin: Plugin = {
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

  const barLabelsPlugin: Plugin = {
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
      ctx.font = env.labelFont;
      ctx.textBaseline = 'middle';
      labels.forEach((perPoint, i) => {
        const meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        const ds = chart.data.datasets[i];
        const fill = originals.get(ds ?? {}) ?? ds?.backgroundColor;
        ctx.fillStyle = typeof fill === 'string' && isLight(fill) ? env.ink : '#ffffff';
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

  const bandsPlugin: Plugin = {
    id: 'svmigBands',
    beforeDatasetsDraw(chart: Chart) {
      const options = chart.options.plugins?.svmigBands;
      const x = chart.scales['x'];
      if (!options || !x) return;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = options.colour ?? 'rgba(0, 0, 0, 0.08)';
      for (const band of options.bands ?? []) {
        const a = x.getPixelForValue(band[0] ?? 0);
        const b = x.getPixelForValue(band[1] ?? 0);
        const left = Math.max(area.left, Math.min(a, b));
        const right = Math.min(area.right, Math.max(a, b));
        if (right > left) ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      }
      ctx.restore();
    },
  };

  interface LineStyled {
    borderDash?: number[];
    borderWidth?: number;
    borderColor?: unknown;
  }

  const install = (chartJs: ChartClass): void => {
    const d = chartJs.defaults;
    d.font.family = env.fontFamily;
    d.color = env.ink;
    if (env.pixelRatio !== null) d.devicePixelRatio = env.pixelRatio;
    // With point-style legends chart.js takes the sample's stroke from the first point, which has
    // no dash: take dash, width and colour from the dataset, so the legend matches the line.
    const labels = d.plugins.legend.labels;
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
    chartJs.register(hatchPlugin, barLabelsPlugin, bandsPlugin);
  };

  type ScaleWithTicks = { svmigTicks?: { suffix?: string; names?: string[]; at?: Array<{ value: number; label: string }> }; ticks?: object } & Record<string, unknown>;

  const prepare = (config: AnyChartConfig): ChartConfiguration => {
    const { data, options } = config;
    const scales: Record<string, unknown> = {};
    for (const [id, scale] of Object.entries((options?.scales ?? {}) as Record<string, ScaleWithTicks>)) {
      const { svmigTicks, ...rest } = scale;
      if (!svmigTicks) {
        scales[id] = rest;
        continue;
      }
      const names = svmigTicks.names;
      const at = svmigTicks.at;
      const suffix = svmigTicks.suffix ?? '';
      const label = names
        ? (v: string | number) => names[Number(v)] ?? ''
        : at
          ? (_v: string | number, index: number) => at[index]?.label ?? ''
          : (v: string | number) => `${v}${suffix}`;
      scales[id] = {
        ...rest,
        // One tick per name, at 0, 1, 2 …; or one at each given value.
        ...(names ? { afterBuildTicks: (axis: { ticks: Array<{ value: number }> }) => void (axis.ticks = names.map((_, i) => ({ value: i }))) } : {}),
        ...(at ? { afterBuildTicks: (axis: { ticks: Array<{ value: number }> }) => void (axis.ticks = at.map((a) => ({ value: a.value }))) } : {}),
        ticks: { ...rest.ticks, callback: label },
      };
    }
    return {
      ...config,
      data: { ...data, datasets: data.datasets.map((d) => ({ ...d })) },
      options: { ...options, ...(options?.scales ? { scales } : {}) },
    } as ChartConfiguration<ChartType>;
  };

  return { install, prepare };
}
