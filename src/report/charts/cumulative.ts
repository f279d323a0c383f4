// Cumulative data migrated over time, one curve per run (per policy when comparing), with the
// deadline as a vertical line. The curve is the exact integral of the run's throughput step
// series: piecewise linear between the steps.

import { formatBytes, formatDuration } from '../../domain/units.js';
import type { SimulationResult } from '../../core/result.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { commonOptions, DEADLINE_LINE, HEIGHT, lineStyle, linearAxis, sizeUnit, timeUnit, verticalLine } from './style.js';
import { bandsNote, chartTimeOf, NO_CALENDAR, timeAxis, windowBands } from './time-axis.js';

export interface Point {
  x: number;
  y: number;
}

/**
 * Bytes moved by each time: the integral of the step series [t, rate] (rate holds until the next
 * step), up to `end`. At most `maxPoints` points: beyond that the curve is sampled at equal times
 * (each sample still exact; only kinks between samples are smoothed away).
 */
export function cumulativeBytes(series: ReadonlyArray<readonly [number, number]>, end: number, maxPoints = 4000): Point[] {
  const exact: Point[] = [];
  let total = 0;
  for (let i = 0; i < series.length; i++) {
    const [t, rate] = series[i]!;
    if (t > end) break;
    exact.push({ x: t, y: total });
    const next = Math.min(end, series[i + 1]?.[0] ?? end);
    total += rate * Math.max(0, next - t);
  }
  if (exact.length === 0 || exact[0]!.x > 0) exact.unshift({ x: 0, y: 0 });
  if (exact[exact.length - 1]!.x < end) exact.push({ x: end, y: total });
  else exact[exact.length - 1] = { x: end, y: total };
  if (exact.length <= maxPoints) return exact;
  return sample(exact, maxPoints);
}

/** Values of a piecewise-linear curve at n equally spaced times, its first and last points kept. */
function sample(points: Point[], n: number): Point[] {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const out: Point[] = [];
  let j = 0;
  for (let k = 0; k < n; k++) {
    const x = first.x + ((last.x - first.x) * k) / (n - 1);
    while (j < points.length - 2 && points[j + 1]!.x <= x) j++;
    const a = points[j]!;
    const b = points[j + 1] ?? a;
    const y = b.x > a.x ? a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x) : b.y;
    out.push({ x, y });
  }
  out[out.length - 1] = last;
  return out;
}

export function cumulativeChart(results: readonly SimulationResult[], deadlineSeconds: number | null): ChartSpec {
  const curves = results.map((r) => ({ label: r.policy, points: cumulativeBytes(r.throughput, r.makespanSeconds) }));
  const maxBytes = Math.max(1, ...curves.map((c) => c.points[c.points.length - 1]!.y));
  const maxSeconds = Math.max(1, ...results.map((r) => r.makespanSeconds), deadlineSeconds ?? 0);
  const t = timeUnit(maxSeconds);
  const b = sizeUnit(maxBytes);
  // The calendar and windows of the longest run (all runs of one scenario share them).
  const longest = results.reduce<SimulationResult | undefined>((a, r) => (a === undefined || r.makespanSeconds > a.makespanSeconds ? r : a), undefined);
  const time = longest ? chartTimeOf(longest) : NO_CALENDAR;
  const datasets = curves.map((c, i) => ({
    type: 'line' as const,
    label: results.length > 1 ? `policy ${c.label}` : `migrated (policy ${c.label})`,
    data: c.points.map((p) => ({ x: p.x / t.size, y: p.y / b.size })),
    ...lineStyle(i, 3),
  }));
  if (deadlineSeconds !== null) {
    datasets.push({
      ...verticalLine(`deadline (${formatDuration(deadlineSeconds)})`, deadlineSeconds / t.size, (maxBytes * 1.05) / b.size, DEADLINE_LINE.colour, DEADLINE_LINE.dash),
    });
  }
  const first = results[0];
  const subtitle =
    results.length === 1 && first
      ? `${formatBytes(first.bytesMoved)} in ${formatDuration(first.makespanSeconds)}, policy ${first.policy}, seed ${first.seed}`
      : results.map((r) => `${r.policy}: ${formatBytes(r.bytesMoved)} in ${formatDuration(r.makespanSeconds)}`).join(' · ');
  const bands = windowBands(t, time);
  return {
    file: 'cumulative.png',
    title: 'Data migrated over time',
    caption:
      'Cumulative data copied to the new array since the start of the campaign' +
      (deadlineSeconds !== null ? '; the vertical line is the deadline.' : '.') +
      ' A steeper curve is a faster copy; where it flattens, few copies are still running.',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions('Data migrated over time', `${subtitle}${bandsNote(time)}`, { svmigBands: bands }),
        parsing: false,
        scales: {
          x: timeAxis(t, maxSeconds, time),
          y: linearAxis(`Migrated (${b.label})`, { min: 0 }),
        },
      },
    }),
  };
}
