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
  /** Copies it ran at once: the time-weighted median over the middle of its own copying time (a tenth in from each end). */
  settled: number;
  peak: number;
  /** Its step series [t, copies copying]. */
  series: Array<[number, number]>;
}

/**
 * Per cluster, the copies it kept copying: the level it settled at, its peak, and the series. A
 * cluster is judged over its own span (its first copy's start to its last copy's end) while the
 * campaign was copying at all, less a tenth of that time at each end (the ramp up and the tail): a
 * small cluster done early settled where it ran, and the hours change windows were closed, when
 * nothing copies anywhere, say nothing of where the policy settled.
 */
export function settledPerCluster(r: SimulationResult): Settled[] {
  const end = Math.max(1, r.makespanSeconds);
  const byCluster = new Map<string, OperationRecord[]>();
  const all: OperationRecord[] = [];
  for (const o of r.operations) {
    if (o.by !== undefined || o.outcome === 'skipped' || o.startedAt === null || !OPERATIONS[o.kind].movesStorage) continue;
    all.push(o);
    const list = byCluster.get(o.cluster);
    if (list) list.push(o);
    else byCluster.set(o.cluster, [o]);
  }
  const active = inFlight(all, end).copying;
  return [...byCluster.keys()].sort().map((cluster) => {
    const ops = byCluster.get(cluster)!;
    const series = inFlight(ops, end).copying;
    const first = Math.min(...ops.map((o) => o.startedAt!));
    const last = Math.max(...ops.map((o) => o.finishedAt ?? end));
    return { cluster, settled: middleMedian(activeSegments(series, active, first, last)), peak: Math.max(0, ...series.map(([, n]) => n)), series };
  });
}

/** The value of a step series at each cut. */
function stepReader(s: ReadonlyArray<[number, number]>): (t: number) => number {
  let i = 0;
  let v = 0;
  // Cuts ascend: the pointer only moves forward.
  return (t) => {
    while (i < s.length && s[i]![0] <= t) v = s[i++]![1];
    return v;
  };
}

/** [length, value] of `series` over [from, to], in time order, where `active` is above 0. */
function activeSegments(series: Array<[number, number]>, active: Array<[number, number]>, from: number, to: number): Array<[number, number]> {
  const cuts = [...new Set([from, to, ...series.map(([t]) => t), ...active.map(([t]) => t)])].filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  const value = stepReader(series);
  const on = stepReader(active);
  const out: Array<[number, number]> = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const t = cuts[k]!;
    const v = value(t);
    if (on(t) > 0) out.push([cuts[k + 1]! - t, v]);
  }
  return out;
}

/** The time-weighted median of segments, a tenth of their total time left out at each end. */
function middleMedian(segments: Array<[number, number]>): number {
  const total = segments.reduce((sum, [len]) => sum + len, 0);
  if (total <= 0) return segments[0]?.[1] ?? 0;
  const lo = 0.1 * total;
  const hi = 0.9 * total;
  const weights = new Map<number, number>();
  let at = 0;
  for (const [len, v] of segments) {
    const kept = Math.min(hi, at + len) - Math.max(lo, at);
    if (kept > 0) weights.set(v, (weights.get(v) ?? 0) + kept);
    at += len;
  }
  const sum = [...weights.values()].reduce((a, b) => a + b, 0);
  let seen = 0;
  for (const v of [...weights.keys()].sort((a, b) => a - b)) {
    seen += weights.get(v)!;
    if (seen >= sum / 2) return v;
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
      '“Settled at” is the time-weighted median of a cluster’s copies over its own span while the campaign copied (closed windows left out), less a tenth at each end: a per-cluster setting to start from next time.',
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
