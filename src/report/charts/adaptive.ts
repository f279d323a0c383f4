// Where the adaptive policy settled: the svMotions it kept copying in each cluster over time, and its
// campaign-wide limit as the loop moved it. The loop sets one limit for the campaign; how that limit
// fell across clusters is what an administrator repeats with fixed per-cluster settings.

import type { OperationRecord, SimulationResult } from '../../core/result.js';
import { OPERATIONS } from '../../core/operations.js';
import { thinSteps } from '../extent.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { commonOptions, HEIGHT, INK, linearAxis, lineStyle, timeUnit } from './style.js';
import { inFlight } from './in-flight.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';

export interface Settled {
  cluster: string;
  /** Copies it ran at once: the time-weighted median over the middle of its own copying (a tenth in from each end). */
  settled: number;
  peak: number;
  /** Its step series [t, copies copying]. */
  series: Array<[number, number]>;
}

/**
 * Per cluster, the copies it kept copying: the level it settled at, its peak, and the series. A
 * cluster is judged over its own span, from its first copy's start to its last copy's end, less a
 * tenth at each end (the ramp up and the tail): a small cluster done early settled where it ran.
 */
export function settledPerCluster(r: SimulationResult): Settled[] {
  const end = Math.max(1, r.makespanSeconds);
  const byCluster = new Map<string, OperationRecord[]>();
  for (const o of r.operations) {
    if (o.by !== undefined || o.outcome === 'skipped' || o.startedAt === null || !OPERATIONS[o.kind].movesStorage) continue;
    const list = byCluster.get(o.cluster);
    if (list) list.push(o);
    else byCluster.set(o.cluster, [o]);
  }
  return [...byCluster.keys()].sort().map((cluster) => {
    const ops = byCluster.get(cluster)!;
    const series = inFlight(ops, end).copying;
    const first = Math.min(...ops.map((o) => o.startedAt!));
    const last = Math.max(...ops.map((o) => o.finishedAt ?? end));
    const trim = 0.1 * (last - first);
    return { cluster, settled: weightedMedian(series, first + trim, last - trim), peak: Math.max(0, ...series.map(([, n]) => n)), series };
  });
}

/** The median of a step series weighted by time over [from, to]. */
function weightedMedian(series: Array<[number, number]>, from: number, to: number): number {
  const weights = new Map<number, number>();
  series.forEach(([t, v], k) => {
    const a = Math.max(from, t);
    const b = Math.min(to, series[k + 1]?.[0] ?? to);
    if (b > a) weights.set(v, (weights.get(v) ?? 0) + b - a);
  });
  const total = [...weights.values()].reduce((s, w) => s + w, 0);
  if (total <= 0) return series.find(([t]) => t >= from)?.[1] ?? 0;
  let seen = 0;
  for (const v of [...weights.keys()].sort((a, b) => a - b)) {
    seen += weights.get(v)!;
    if (seen >= total / 2) return v;
  }
  return 0;
}

export function adaptiveChart(r: SimulationResult): ChartSpec | null {
  const history = r.adaptive;
  if (!history || history.length === 0) return null;
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const settled = settledPerCluster(r);
  const datasets = settled.map((c, i) => ({
    label: `${c.cluster} (settled at ${c.settled})`,
    data: thinSteps(c.series).map(([x, y]) => ({ x: x / t.size, y })),
    ...lineStyle(i, 2),
    stepped: 'before' as const,
    yAxisID: 'y',
  }));
  const limit = [...history.map((h) => [h.at, h.limit] as [number, number]), [end, history[history.length - 1]!.limit] as [number, number]];
  datasets.push({
    label: 'campaign-wide limit (right axis)',
    data: limit.map(([x, y]) => ({ x: x / t.size, y })),
    borderColor: INK,
    backgroundColor: INK,
    borderDash: [12, 4, 2, 4],
    borderWidth: 2,
    pointRadius: 0,
    pointStyle: 'line' as const,
    fill: false,
    stepped: 'before' as const,
    yAxisID: 'y2',
  });
  const title = 'Where the adaptive policy settled, cluster by cluster';
  const last = history[history.length - 1]!;
  return {
    file: 'adaptive.png',
    title,
    caption:
      'svMotions copying in each cluster over time, and the campaign-wide limit the adaptive loop moved (right axis). ' +
      '“Settled at” is the time-weighted median of a cluster’s copies over its own copying, less a tenth at each end: a per-cluster setting to start from next time.',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(title, `${history.length} adjustments; the limit ended at ${last.limit}${bandsNote(time)}`, { svmigBands: windowBands(t, time) }),
        parsing: false,
        scales: {
          x: timeAxis(t, end, time),
          y: linearAxis('svMotions copying per cluster (count)', { min: 0, integer: true }),
          y2: { ...linearAxis('Campaign-wide limit (count)', { min: 0, integer: true }), position: 'right' as const, grid: { display: false } },
        },
      },
    }),
  };
}
