// The one look of every chart: fonts, colours, dash patterns, axes and time units. Colours are
// chosen for lightness first and hue second, and every line also has a dash pattern of its own, so
// that a chart still reads when printed in grey.

import type { ChartOptions, PluginOptionsByType } from 'chart.js';
import { GiB, KiB, MiB, TiB } from '../../domain/units.js';
import './plugin-options.js';

/** A font every Debian machine with fonts-dejavu-core has: charts render the same everywhere. */
export const FONT_FAMILY = 'DejaVu Sans';
export const WIDTH = 1200;
export const HEIGHT = 600;

export const INK = '#222222';
export const GRID = '#dddddd';

/**
 * Five colours at lightness (CIE L*) about 18, 51, 87, 35 and 68: any two are at least 16 apart
 * and neighbours in the list at least 33, so series drawn next to each other stay apart in grey.
 */
export const PALETTE = ['#0b2a5a', '#cc5500', '#c2e699', '#a50f15', '#6baed6'] as const;

/**
 * The same for lines, which must stand out from white: the pale green becomes a mid green. Lines
 * also differ by dash, so two at similar lightness (orange and green) still read apart in grey.
 */
export const LINE_PALETTE = ['#0b2a5a', '#cc5500', '#4d9221', '#a50f15', '#6baed6'] as const;

/** Dash patterns, solid first; combined with the palette they tell 25 series apart. */
export const DASHES: ReadonlyArray<readonly number[]> = [[], [10, 5], [3, 3], [14, 4, 3, 4], [6, 3, 2, 3, 2, 3]];

/** Fill textures for areas and bars (drawn by the hatch plugin at render time). */
export type Hatch = 'none' | 'diagonal' | 'cross' | 'dots';
const HATCHES: readonly Hatch[] = ['none', 'diagonal', 'cross', 'dots'];

export interface SeriesStyle {
  /** Fill colour (areas, bars). */
  colour: string;
  /** Stroke colour (lines, outlines, markers). */
  line: string;
  dash: number[];
  hatch: Hatch;
}

/**
 * Style of the i-th series of a chart. Lines: colour i mod 5 with a dash that shifts every five
 * series, so no two of the first 25 share both. Fills: the texture changes every five series.
 */
export function seriesStyle(i: number): SeriesStyle {
  const n = PALETTE.length;
  const round = Math.floor(i / n);
  return {
    colour: PALETTE[i % n]!,
    line: LINE_PALETTE[i % n]!,
    dash: [...DASHES[(i + round) % DASHES.length]!],
    hatch: HATCHES[round % HATCHES.length]!,
  };
}

/** `#rrggbb` → CIE L* (0 black … 100 white): how light a colour prints in grey. */
export function lightness(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => {
    const v = parseInt(h, 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

/** `#rrggbb` with an alpha, as `rgba(…)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export interface Unit {
  /** How many base units (seconds, bytes, bytes/s) one of this unit is. */
  size: number;
  label: string;
}

/** Minutes for runs under 2 hours, hours up to 3 days, days beyond. */
export function timeUnit(maxSeconds: number): Unit {
  if (maxSeconds <= 2 * 3600) return { size: 60, label: 'minutes' };
  if (maxSeconds <= 72 * 3600) return { size: 3600, label: 'hours' };
  return { size: 86400, label: 'days' };
}

/** The largest binary unit in which `maxBytes` is at least 1. */
export function sizeUnit(maxBytes: number): Unit {
  for (const [size, label] of [
    [TiB, 'TiB'],
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ] as const) {
    if (maxBytes >= size) return { size, label };
  }
  return { size: 1, label: 'B' };
}

export function rateUnit(maxBytesPerSecond: number): Unit {
  const u = sizeUnit(maxBytesPerSecond);
  return { size: u.size, label: `${u.label}/s` };
}

interface AxisOptions {
  min?: number;
  max?: number;
  stacked?: boolean;
  /** Ticks as percentages of the value (0..100 → "40 %"). */
  percent?: boolean;
  integer?: boolean;
  reverse?: boolean;
}

/** A linear axis with a title that names its unit. */
export function linearAxis(title: string, o: AxisOptions = {}) {
  return {
    type: 'linear' as const,
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.stacked ? { stacked: true } : {}),
    ...(o.reverse ? { reverse: true } : {}),
    title: { display: true, text: title, color: INK, font: { size: 14, weight: 'bold' as const } },
    grid: { color: GRID },
    border: { color: INK },
    ticks: {
      color: INK,
      font: { size: 12 },
      ...(o.integer ? { precision: 0 } : {}),
    },
    ...(o.percent ? { svmigTicks: { suffix: ' %' } } : {}),
  };
}

/** How the pointer picks what a tooltip shows in the report page: the nearest point in time, or the bar under it. */
export type Hover = 'time' | 'bar';

/**
 * Title, subtitle and legend shared by every chart, plus any of svmig's plugin options. No
 * animation and a fixed size: a chart in the page is drawn once, as large as its PNG. In the page,
 * tooltips show the values under the pointer and a legend entry hides or shows its series (a PNG
 * has no pointer, so neither changes it).
 */
export function commonOptions(
  title: string,
  subtitle: string | null,
  extra: { legend?: boolean; hover?: Hover } & Pick<PluginOptionsByType<'line'>, 'svmigHatch' | 'svmigBarLabels' | 'svmigBands'> = {},
): ChartOptions {
  const { legend = true, hover = 'time', ...given } = extra;
  // An option left undefined is left out: configurations are plain data, written into the page as JSON.
  const plugins = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return {
    responsive: false,
    animation: false,
    interaction: hover === 'time' ? { mode: 'nearest', axis: 'x', intersect: false } : { mode: 'nearest', axis: 'xy', intersect: true },
    layout: { padding: { top: 4, right: 20, bottom: 8, left: 8 } },
    plugins: {
      title: { display: true, text: title, color: INK, font: { size: 18, weight: 'bold' }, padding: { top: 8, bottom: subtitle ? 2 : 10 } },
      subtitle: { display: subtitle !== null, text: subtitle ?? '', color: '#444444', font: { size: 13 }, padding: { bottom: 10 } },
      legend: {
        display: legend,
        position: 'top',
        // Point styles: a line sample (with its dash) for lines, a swatch (with its texture) for areas.
        labels: { color: INK, font: { size: 13 }, boxWidth: 36, boxHeight: 12, usePointStyle: true, pointStyleWidth: 40 },
      },
      tooltip: { enabled: true },
      ...plugins,
    },
  };
}

/** Line-series styling for the i-th series (colour, dash, no point markers). */
export function lineStyle(i: number, width = 2.5) {
  const s = seriesStyle(i);
  return {
    borderColor: s.line,
    backgroundColor: s.line,
    borderDash: s.dash,
    borderWidth: width,
    pointRadius: 0,
    pointStyle: 'line' as const,
    fill: false,
  };
}

/** An area's legend swatch: a wide box filled like the area. */
export const AREA_LEGEND = { pointStyle: 'rect' as const };

/** Reference lines: deadline dash-dot in ink, lower bound dotted in grey (neither a series dash). */
export const DEADLINE_LINE = { colour: INK, dash: [12, 4, 2, 4] };
export const LOWER_BOUND_LINE = { colour: '#777777', dash: [1, 4] };

/** A vertical reference line (deadline, lower bound, percentile) as a two-point line dataset. */
export function verticalLine(label: string, x: number, yMax: number, colour: string, dash: number[]) {
  return {
    type: 'line' as const,
    label,
    data: [
      { x, y: 0 },
      { x, y: yMax },
    ],
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    borderWidth: 2,
    pointRadius: 0,
    pointStyle: 'line' as const,
    fill: false,
  };
}
