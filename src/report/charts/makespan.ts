// Monte Carlo makespans per policy (CompareResult): a histogram and the empirical CDF, with each
// policy's P50 and P90 marked, and the deadline and the lower bound when there are any. The
// percentiles are the runner's own (PolicyStats), not recomputed here.

import { formatDuration } from '../../domain/units.js';
import type { CompareResult } from '../../core/compare-result.js';
import { MAX_SERIES_POINTS, maxOf, minOf } from '../extent.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { AREA_LEGEND, commonOptions, DEADLINE_LINE, LOWER_BOUND_LINE, type Hatch, HEIGHT, INK, linearAxis, seriesStyle, timeUnit, type Unit, verticalLine, withAlpha } from './style.js';
import { calendarOf } from '../calendar.js';
import { timeAxis } from './time-axis.js';

export interface Histogram {
  /** Bin edges, seconds: bin k is [edges[k], edges[k + 1]). */
  edges: number[];
  /** counts[policy][bin]. */
  counts: number[][];
}

/** Bin widths a person reads at a glance, seconds: 1 s … 30 s, 1 min … 30 min, 1 h … 12 h, 1 d … 4 w. */
const NICE_WIDTHS = [
  1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200, 86_400, 172_800, 259_200,
  604_800, 1_209_600, 2_419_200,
];

/**
 * Common bins for every policy's makespans: about √n of them (at least 5, at most 30), of a round
 * width (NICE_WIDTHS), aligned on multiples of it. Identical makespans (runs without randomness)
 * fall in one bin of about 2 % of their value.
 */
export function makespanHistogram(samples: ReadonlyArray<readonly number[]>): Histogram {
  const lo = minOf(samples.flatMap((s) => [minOf(s)]));
  const hi = maxOf(samples.flatMap((s) => [maxOf(s)]));
  if (!Number.isFinite(lo)) return { edges: [0, 3600], counts: samples.map(() => [0]) };
  const n = Math.min(30, Math.max(5, Math.ceil(Math.sqrt(maxOf(samples.map((s) => s.length), 0)))));
  const raw = hi > lo ? (hi - lo) / n : Math.max(lo, 60) / 50;
  const width = NICE_WIDTHS.find((w) => w >= raw) ?? Math.ceil(raw / 2_419_200) * 2_419_200;
  const first = Math.floor(lo / width) * width;
  const bins = Math.max(1, Math.floor((hi - first) / width) + 1);
  const edges = Array.from({ length: bins + 1 }, (_, k) => first + k * width);
  const counts = samples.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of s) c[Math.min(bins - 1, Math.floor((v - first) / width))]!++;
    return c;
  });
  return { edges, counts };
}

/** Empirical CDF as a step series [seconds, share 0..1], from `from` (share 0) to `to` (share 1). */
export function ecdf(samples: readonly number[], from: number, to: number, maxPoints = MAX_SERIES_POINTS): Array<[number, number]> {
  const sorted = Float64Array.from(samples).sort();
  const out: Array<[number, number]> = [[Math.min(from, sorted[0] ?? from), 0]];
  // Every run is a step of 1/n; past maxPoints runs, one step per 1/maxPoints of the runs is kept
  // (each still exact: the share of runs done by that time), so the curve stays drawable.
  const stride = Math.max(1, Math.ceil(sorted.length / maxPoints));
  sorted.forEach((v, i) => {
    if ((i + 1) % stride !== 0 && i !== sorted.length - 1 && sorted[i + 1] !== v) return;
    const last = out[out.length - 1]!;
    if (last[0] === v) last[1] = (i + 1) / sorted.length;
    else out.push([v, (i + 1) / sorted.length]);
  });
  const last = out[out.length - 1]!;
  if (last[0] < to) out.push([to, last[1]]);
  return out;
}

function references(c: CompareResult, deadlineSeconds: number | null, t: { size: number }, yMax: number) {
  const lines = [];
  if (deadlineSeconds !== null) lines.push(verticalLine(`deadline (${formatDuration(deadlineSeconds)})`, deadlineSeconds / t.size, yMax, DEADLINE_LINE.colour, DEADLINE_LINE.dash));
  if (c.lowerBoundSeconds > 0) lines.push(verticalLine(`lower bound (${formatDuration(c.lowerBoundSeconds)})`, c.lowerBoundSeconds / t.size, yMax, LOWER_BOUND_LINE.colour, LOWER_BOUND_LINE.dash));
  return lines;
}

function span(c: CompareResult, deadlineSeconds: number | null): { lo: number; hi: number } {
  const all = c.policies.map((p) => p.runs.map((r) => r.makespanSeconds));
  const lo = Math.min(minOf(all.map((a) => minOf(a))), deadlineSeconds ?? Infinity, c.lowerBoundSeconds > 0 ? c.lowerBoundSeconds : Infinity);
  const hi = Math.max(maxOf(all.map((a) => maxOf(a))), deadlineSeconds ?? 0);
  return { lo: Number.isFinite(lo) ? lo : 0, hi: Math.max(hi, 1) };
}

const P50_DASH = [10, 4];
const P90_DASH = [3, 3];

export function makespanHistogramChart(c: CompareResult, deadlineSeconds: number | null): ChartSpec {
  const { hi } = span(c, deadlineSeconds);
  const t = timeUnit(hi);
  const h = makespanHistogram(c.policies.map((p) => p.runs.map((r) => r.makespanSeconds)));
  const yMax = Math.max(1, maxOf(h.counts.map((c) => maxOf(c))));
  const datasets = [];
  const hatches: Hatch[] = [];
  c.policies.forEach((p, i) => {
    const s = seriesStyle(i);
    const counts = h.counts[i]!;
    // Outline of the bars: up at the first edge, across each bin, down at the last edge.
    const data = [{ x: h.edges[0]! / t.size, y: 0 }, ...counts.map((n, k) => ({ x: h.edges[k]! / t.size, y: n })), { x: h.edges[counts.length]! / t.size, y: 0 }];
    datasets.push({
      type: 'line' as const,
      label: `${p.policy}: runs per bin`,
      data,
      borderColor: s.line,
      backgroundColor: withAlpha(s.colour, 0.3),
      borderDash: [] as number[],
      borderWidth: 2.5,
      pointRadius: 0,
      ...AREA_LEGEND,
      fill: 'origin' as const,
      stepped: 'before' as const,
    });
    hatches.push(i === 0 ? 'none' : s.hatch === 'none' ? 'diagonal' : s.hatch);
  });
  c.policies.forEach((p, i) => {
    const colour = seriesStyle(i).line;
    datasets.push(verticalLine(`${p.policy}: P50 ${formatDuration(p.p50Seconds)}`, p.p50Seconds / t.size, yMax * 1.08, colour, P50_DASH));
    datasets.push(verticalLine(`${p.policy}: P90 ${formatDuration(p.p90Seconds)}`, p.p90Seconds / t.size, yMax * 1.08, colour, P90_DASH));
  });
  datasets.push(...references(c, deadlineSeconds, t, yMax * 1.08));
  const title = 'Makespan distribution';
  return {
    file: 'makespan-histogram.png',
    title,
    caption: `How long the campaign took in each of ${c.runs} simulated runs per policy; dashed lines mark each policy’s median (P50) and P90.`,
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(title, `${c.runs} runs per policy · bins of ${formatDuration(h.edges[1]! - h.edges[0]!)}`, { svmigHatch: { hatches } }),
        parsing: false,
        scales: {
          x: endAxis(c, t, h.edges[0]!, h.edges[h.edges.length - 1]!),
          y: linearAxis('Runs (count)', { min: 0, integer: true }),
        },
      },
    }),
  };
}

/** The makespan axis: durations, or with the campaign's start the dates the campaign ends on. */
function endAxis(c: CompareResult, t: Unit, from: number, to: number) {
  const calendar = calendarOf(c);
  if (calendar === null) return linearAxis(`Makespan (${t.label})`);
  return timeAxis(t, to, { calendar, windows: [] }, { from, dateTitle: 'Campaign ends' });
}

// Shapes chart.js draws at their own size in a legend (circle and rect would stretch to the sample width).
const MARKERS = ['rectRot', 'triangle', 'star', 'crossRot', 'cross'] as const;

export function makespanCdfChart(c: CompareResult, deadlineSeconds: number | null): ChartSpec {
  const { lo, hi } = span(c, deadlineSeconds);
  const t = timeUnit(hi);
  const datasets = [];
  c.policies.forEach((p, i) => {
    const s = seriesStyle(i);
    datasets.push({
      type: 'line' as const,
      label: p.policy,
      data: ecdf(
        p.runs.map((r) => r.makespanSeconds),
        lo,
        hi,
      ).map(([x, y]) => ({ x: x / t.size, y: y * 100 })),
      borderColor: s.line,
      backgroundColor: s.line,
      borderDash: s.dash,
      borderWidth: 2.5,
      pointRadius: 0,
      pointStyle: 'line' as const,
      fill: false,
      stepped: 'before' as const,
      showLine: true,
    });
  });
  c.policies.forEach((p, i) => {
    const s = seriesStyle(i);
    datasets.push({
      type: 'line' as const,
      label: `${p.policy}: P50 ${formatDuration(p.p50Seconds)}, P90 ${formatDuration(p.p90Seconds)}`,
      data: [
        { x: p.p50Seconds / t.size, y: 50 },
        { x: p.p90Seconds / t.size, y: 90 },
      ],
      borderColor: INK,
      backgroundColor: s.line,
      borderDash: [] as number[],
      borderWidth: 1.5,
      pointRadius: 8,
      pointStyle: MARKERS[i % MARKERS.length]!,
      fill: false,
      stepped: false as const,
      showLine: false,
    });
  });
  datasets.push(...references(c, deadlineSeconds, t, 100).map((d) => ({ ...d, stepped: false as const, showLine: true })));
  const title = 'Makespan: share of runs finished by each time';
  const subtitle = c.policies
    .map((p) => `${p.policy}: P50 ${formatDuration(p.p50Seconds)}, P90 ${formatDuration(p.p90Seconds)}${p.deadlineProbability !== null ? `, ${Math.round(p.deadlineProbability * 100)} % by the deadline` : ''}`)
    .join(' · ');
  return {
    file: 'makespan-cdf.png',
    title,
    caption: 'For each policy, the share of simulated runs that had finished by a given time; markers sit at P50 (50 %) and P90 (90 %).',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(title, subtitle),
        parsing: false,
        scales: {
          x: endAxis(c, t, lo, hi),
          y: linearAxis('Runs finished (% of runs)', { min: 0, max: 100, percent: true }),
        },
      },
    }),
  };
}
