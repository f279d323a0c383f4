// Aggregate copy throughput over time, stacked by cluster, from the binned timeline: each band is a
// cluster's mean rate over each bin, so the area of a band is the bytes that cluster moved. A
// result saved without a timeline still has the exact aggregate step series; that is drawn instead.

import { formatDuration, formatRate } from '../../domain/units.js';
import type { SimulationResult } from '../../core/result.js';
import { maxOf, thinSteps } from '../extent.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { AREA_LEGEND, commonOptions, HEIGHT, linearAxis, rateUnit, seriesStyle, timeUnit, withAlpha } from './style.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';

export function throughputChart(r: SimulationResult): ChartSpec {
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const tl = r.timeline;
  // Clusters that never copied add a legend entry and no area: leave them out.
  const bands = tl
    ? tl.clusters
        .filter((c) => c.bytesPerSecond.some((v) => v > 0))
        .map((c) => ({ label: c.name, points: thinSteps(binSteps(tl.times, c.bytesPerSecond, end)) }))
    : [{ label: 'all clusters', points: thinSteps(stepPoints(r.throughput, end)) }];
  // The stack's peak sets the unit: sum the bands bin by bin.
  const stackPeak = tl
    ? maxOf(tl.times.map((_, k) => tl.clusters.reduce((s, c) => s + (c.bytesPerSecond[k] ?? 0), 0)), 0)
    : r.summary.peakThroughput;
  const u = rateUnit(Math.max(1, stackPeak));
  const datasets = bands.map((b, i) => {
    const s = seriesStyle(i);
    return {
      label: b.label,
      data: b.points.map(([x, y]) => ({ x: x / t.size, y: y / u.size })),
      borderColor: '#ffffff',
      borderWidth: 0.75,
      backgroundColor: withAlpha(s.colour, 0.9),
      fill: i === 0 ? ('origin' as const) : ('-1' as const),
      stepped: 'before' as const,
      pointRadius: 0,
      ...AREA_LEGEND,
    };
  });
  const subtitle = tl
    ? `Mean over ${tl.times.length} intervals of ${formatDuration(tl.binSeconds)}; ${formatRate(r.summary.meanThroughput)} mean over the campaign, ${formatRate(r.summary.peakThroughput)} peak`
    : `This result was saved without a timeline: all clusters together. ${formatRate(r.summary.meanThroughput)} mean, ${formatRate(r.summary.peakThroughput)} peak`;
  return {
    file: 'throughput.png',
    title: tl ? 'Copy throughput by cluster' : 'Copy throughput',
    caption: tl
      ? 'How fast the campaign copies, stacked by cluster: the top edge is the total; each band is one cluster’s share.'
      : 'How fast the campaign copies over time (all clusters together).',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(tl ? 'Copy throughput by cluster' : 'Copy throughput', `${subtitle}${bandsNote(time)}`, {
          svmigHatch: { hatches: bands.map((_, i) => seriesStyle(i).hatch) },
          svmigBands: windowBands(t, time),
        }),
        parsing: false,
        scales: {
          x: timeAxis(t, end, time),
          y: linearAxis(`Throughput (${u.label})`, { min: 0, stacked: true }),
        },
      },
    }),
  };
}

/** Bin means as a step series: value k holds over bin k; a last point closes the final bin. */
export function binSteps(times: readonly number[], values: readonly number[], end: number): Array<[number, number]> {
  const out: Array<[number, number]> = times.map((t, k) => [t, values[k] ?? 0]);
  out.push([end, values[values.length - 1] ?? 0]);
  return out;
}

/** A step series [t, v] extended to `end` so its last step is drawn. */
export function stepPoints(series: ReadonlyArray<readonly [number, number]>, end: number): Array<[number, number]> {
  const out = series.filter(([t]) => t <= end).map(([t, v]): [number, number] => [t, v]);
  const last = out[out.length - 1];
  if (!last || last[0] < end) out.push([end, last?.[1] ?? 0]);
  return out;
}

