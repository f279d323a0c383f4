// Operations in flight over time, from the operation records: svMotions copying (admitted, from
// startedAt to finishedAt), operations submitted but waiting in vCenter's queue (submittedAt to
// startedAt), and vMotions running. Exact step functions: the count changes only at those instants.

import { OPERATIONS } from '../../core/operations.js';
import type { OperationRecord, SimulationResult } from '../../core/result.js';
import { maxOf, thinSteps } from '../extent.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { AREA_LEGEND, commonOptions, HEIGHT, linearAxis, lineStyle, timeUnit, withAlpha } from './style.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';

export interface InFlight {
  copying: Array<[number, number]>;
  waiting: Array<[number, number]>;
  vmotions: Array<[number, number]>;
}

/** Step series [t, count] (count holds until the next step) of each state, from 0 to `end`. */
export function inFlight(records: readonly OperationRecord[], end: number): InFlight {
  const copying = new Map<number, number>();
  const waiting = new Map<number, number>();
  const vmotions = new Map<number, number>();
  const add = (m: Map<number, number>, from: number, to: number) => {
    if (!(to > from)) return;
    m.set(from, (m.get(from) ?? 0) + 1);
    m.set(to, (m.get(to) ?? 0) - 1);
  };
  for (const r of records) {
    if (r.outcome === 'skipped') continue;
    // An operation cancelled or failed in the queue never started: it waited until it ended.
    add(waiting, r.submittedAt, r.startedAt ?? r.finishedAt ?? end);
    if (r.startedAt !== null) add(OPERATIONS[r.kind].movesStorage ? copying : vmotions, r.startedAt, r.finishedAt ?? end);
  }
  return { copying: steps(copying, end), waiting: steps(waiting, end), vmotions: steps(vmotions, end) };
}

/** The series thinned for drawing (extent.ts: each bucket keeps its peak). */
export function inFlightForChart(f: InFlight): InFlight {
  return { copying: thinSteps(f.copying), waiting: thinSteps(f.waiting), vmotions: thinSteps(f.vmotions) };
}

function steps(deltas: Map<number, number>, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [[0, 0]];
  let n = 0;
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    const d = deltas.get(t)!;
    if (d === 0) continue;
    n += d;
    const last = out[out.length - 1]!;
    if (last[0] === t) last[1] = n;
    else out.push([t, n]);
  }
  const last = out[out.length - 1]!;
  if (last[0] < end) out.push([end, last[1]]);
  return out;
}

export function inFlightChart(r: SimulationResult): ChartSpec {
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const exact = inFlight(r.operations, end);
  const peak = (s: Array<[number, number]>) => maxOf(s.map(([, n]) => n), 0);
  const f = inFlightForChart(exact);
  const series = [
    { label: `svMotions copying (peak ${peak(exact.copying)})`, data: f.copying, fill: true },
    { label: `waiting in vCenter’s queue (peak ${peak(exact.waiting)})`, data: f.waiting, fill: false },
    { label: `vMotions running (peak ${peak(exact.vmotions)})`, data: f.vmotions, fill: false },
  ];
  const datasets = series.map((s, i) => {
    const style = lineStyle(i, i === 0 ? 1.5 : 2.5);
    return {
      label: s.label,
      data: s.data.map(([x, y]) => ({ x: x / t.size, y })),
      ...style,
      backgroundColor: s.fill ? withAlpha(style.borderColor, 0.35) : style.borderColor,
      fill: s.fill ? ('origin' as const) : false,
      ...(s.fill ? AREA_LEGEND : {}),
      stepped: 'before' as const,
    };
  });
  const subtitle = `${r.summary.svmotions} svMotions and ${r.summary.vmotions} vMotions; ${r.summary.queuedOperations} operations had to wait for vCenter’s resources`;
  return {
    file: 'in-flight.png',
    title: 'Operations in flight',
    caption:
      'How many operations run at each moment: svMotions copying, operations submitted but held in vCenter’s queue ' +
      '(“Resources currently in use by other operations”), and vMotions moving VMs off busy hosts.',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions('Operations in flight', `${subtitle}${bandsNote(time)}`, { svmigBands: windowBands(t, time) }),
        parsing: false,
        scales: {
          x: timeAxis(t, end, time),
          y: linearAxis('Operations (count)', { min: 0, integer: true }),
        },
      },
    }),
  };
}
