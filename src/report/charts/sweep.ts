// A sweep's chart: makespan P50 and P90 against the varied parameter, one pair of lines per policy
// (and per value of any other axis): where more concurrency stops paying (the knee), what array load
// costs. The parameter runs along x: on a linear scale when every value is a plain number, else in
// the order given. P50 is a solid line, P90 the same colour dashed (a lone point still shows: a
// line's point style is a short stroke). A sweep of campaign.start labels each start by its own date,
// and a deadline date, which lies at another distance from each start, is drawn through each
// point's own deadline.

import { formatInstant } from '../../domain/calendar.js';
import { formatDuration } from '../../domain/units.js';
import type { SweepResult } from '../../core/sweep-result.js';
import { deadlinesDiffer, pointCalendar, pointDeadline } from '../sweep-dates.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { commonOptions, DEADLINE_LINE, GRID, HEIGHT, INK, linearAxis, seriesStyle, timeUnit } from './style.js';

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const P90_DASH = [6, 4];

/** The axis along x: the first one with more than one value (the first if none has). */
export function xAxisOf(r: SweepResult): number {
  const k = r.axes.findIndex((a) => a.values.length > 1);
  return k < 0 ? 0 : k;
}

export interface SweepSeries {
  /** The policy, and the other axes' values when there are other axes. */
  label: string;
  /** One entry per value of the x axis, in its order: [P50, P90] seconds. */
  points: Array<{ x: number; p50: number; p90: number }>;
}

/** The lines of the chart: for each policy and combination of the other axes' values, its P50/P90 along x. */
export function sweepSeries(r: SweepResult): SweepSeries[] {
  const x = xAxisOf(r);
  const others = r.axes.map((_, k) => k).filter((k) => k !== x);
  const series = new Map<string, SweepSeries>();
  for (const point of r.points) {
    const rest = others.map((k) => `${r.axes[k]!.path}=${point.values[k]!}`).join(', ');
    const at = r.axes[x]!.values.indexOf(point.values[x]!);
    point.cells.forEach((cell) => {
      const label = rest === '' ? cell.policy : `${cell.policy}, ${rest}`;
      let s = series.get(label);
      if (s === undefined) {
        s = { label, points: [] };
        series.set(label, s);
      }
      s.points.push({ x: at, p50: cell.p50Seconds, p90: cell.p90Seconds });
    });
  }
  return [...series.values()];
}

export function sweepChart(r: SweepResult, deadlineSeconds: number | null = r.deadlineSeconds): ChartSpec {
  const axis = r.axes[xAxisOf(r)]!;
  const numeric = axis.values.every((v) => NUMBER.test(v));
  const xOf = (i: number) => (numeric ? Number(axis.values[i]!) : i);
  const series = sweepSeries(r);
  const hi = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.p90)), deadlineSeconds ?? 0, ...r.points.map((p) => p.deadlineSeconds ?? 0));
  const t = timeUnit(hi);
  const datasets = [];
  for (const [i, s] of series.entries()) {
    const style = seriesStyle(i);
    const line = (label: string, dash: number[], y: (p: SweepSeries['points'][number]) => number) => ({
      type: 'line' as const,
      label,
      data: s.points.map((p) => ({ x: xOf(p.x), y: y(p) / t.size })),
      borderColor: style.line,
      backgroundColor: style.line,
      borderDash: dash,
      borderWidth: 2.5,
      pointRadius: axis.values.length > 1 ? 0 : 8,
      pointStyle: 'line' as const,
      fill: false,
    });
    datasets.push(line(`${s.label}: P50`, [], (p) => p.p50), line(`${s.label}: P90`, P90_DASH, (p) => p.p90));
  }
  // The first point at each value of x: what its start and deadline are.
  const x = xAxisOf(r);
  const firstAt = axis.values.map((v) => r.points.find((p) => p.values[x] === v));
  const own = deadlineSeconds === r.deadlineSeconds && deadlinesDiffer(r);
  if (deadlineSeconds !== null) {
    const ends = numeric ? [Math.min(...axis.values.map(Number)), Math.max(...axis.values.map(Number))] : [0, Math.max(0, axis.values.length - 1)];
    const data = own
      ? firstAt.flatMap((p, i) => (p === undefined ? [] : [{ x: xOf(i), y: Math.max(0, pointDeadline(r, p) ?? 0) / t.size }]))
      : ends.map((x) => ({ x, y: deadlineSeconds / t.size }));
    datasets.push({
      type: 'line' as const,
      label: own ? 'deadline (from each start)' : `deadline (${formatDuration(deadlineSeconds)})`,
      data,
      borderColor: DEADLINE_LINE.colour,
      backgroundColor: DEADLINE_LINE.colour,
      borderDash: DEADLINE_LINE.dash,
      borderWidth: 2,
      pointRadius: 0,
      pointStyle: 'line' as const,
      fill: false,
    });
  }
  const title = `Makespan against ${axis.path}`;
  const xs = axis.values.map(Number);
  const xScale = numeric
    ? linearAxis(axis.path, { min: Math.min(...xs), max: Math.max(...xs), integer: xs.every(Number.isInteger) })
    : {
        type: 'category' as const,
        // Starts by their own dates (`Mon 7 Dec 2026 20:00 CET`), any other value as written.
        labels: axis.values.map((v, i) => {
          const calendar = axis.path === 'campaign.start' && firstAt[i] !== undefined ? pointCalendar(firstAt[i]) : null;
          return calendar === null ? v : formatInstant(calendar, 0);
        }),
        title: { display: true, text: axis.path, color: INK, font: { size: 14, weight: 'bold' as const } },
        grid: { color: GRID },
        border: { color: INK },
        ticks: { color: INK, font: { size: 12 } },
      };
  return {
    file: 'sweep.png',
    title,
    caption:
      `For each policy, the makespan that half (P50, solid) and nine in ten (P90, dashed) of ${r.runs} runs did not exceed, at each value of ${axis.path}; ` +
      'every point ran the same seeds, so the differences are the parameter’s.',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(title, `${r.scenario} · ${r.runs} runs per point and policy · seed ${r.seed}`),
        parsing: false,
        scales: {
          x: xScale,
          y: linearAxis(`Makespan (${t.label})`, { min: 0 }),
        },
      },
    }),
  };
}
