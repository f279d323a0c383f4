// What a simulated run produced, in the two forms svmig reads: the whole result JSON (every
// operation, links, time series) for one run, and the summary a Monte Carlo keeps of each of its
// runs, computed straight from the run's log without building a record per operation. Both sum in
// the same order, so they agree to the last bit (the golden results check it).

import type { Campaign } from '../core/campaign.js';
import { OPERATIONS, VM_MOVE } from '../core/operations.js';
import type { Planner } from '../core/planner.js';
import type { Policy } from '../core/policy.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunSummary } from '../core/compare-result.js';
import type { DatastoreEmptied, OperationRecord, SimulationResult } from '../core/result.js';
import type { SimulatedWorld } from './world.js';
import { openIntervalAt, openIntervals, weeklySchedule } from '../domain/windows.js';
import { savedCalendar } from './calendar.js';

/** A record of an attempt to move a VM's storage (the campaign's own operations, svMotions today). */
const migrates = (r: { kind: OperationRecord['kind'] }): boolean => OPERATIONS[r.kind].movesStorage;

export interface FinishedRun {
  scenario: Scenario;
  policy: Policy;
  seed: number;
  campaign: Campaign;
  planner: Planner;
  world: SimulatedWorld;
}

/** The whole result of one run, with a time series for charts in `bins` bins when bins > 0. */
export function fullResult({ scenario, policy, seed, campaign, planner, world }: FinishedRun, bins: number): SimulationResult {
  const records = world.records();
  for (const r of skippedRecords(planner)) records.push(r);
  // One pass over the records, summing in their order. Loops over every record go by index here and
  // in datastoresEmptied: this runs once per result, before the optimising compiler has a say, and an
  // iterator there makes an object per record.
  let makespan = 0;
  let bytesMoved = 0;
  let vmsMoved = 0;
  let svmotions = 0;
  let vmotions = 0;
  let queuedSeconds = 0;
  let queuedOperations = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.startedAt !== null && r.startedAt > r.submittedAt) {
      queuedOperations++;
      queuedSeconds += r.startedAt - r.submittedAt;
    }
    if (r.by !== undefined) continue;
    makespan = Math.max(makespan, r.finishedAt ?? 0);
    if (r.kind === 'vmotion') vmotions++;
    if (!migrates(r)) continue;
    if (r.outcome !== 'skipped') svmotions++;
    if (r.outcome === 'success') {
      vmsMoved++;
      bytesMoved += r.bytes;
    }
  }
  // With change windows, links are measured over the time they could be used: while a window was
  // open, or a copy ran (one that overran its window).
  const windows = scenario.campaign.windows === null ? null : openWindows(scenario, makespan);
  const open = windows === null ? null : openSeconds(windows, makespan, world.throughputSeries);
  const links = world.linkUsage(open ?? makespan);
  const calendar = scenario.campaign.calendar;
  const result: SimulationResult = {
    scenario: scenario.name,
    policy: policy.spec,
    seed,
    ...(calendar === null ? {} : { calendar: savedCalendar(calendar) }),
    ...(world.drawn === null ? {} : { drawn: world.drawn }),
    makespanSeconds: makespan,
    bytesMoved,
    vmCount: campaign.items.length + campaign.blocked.length,
    summary: {
      svmotions,
      vmotions,
      vmsMoved,
      vmsFailed: planner.failedCount,
      vmsSkipped: planner.skipped.length,
      retries: planner.retries,
      drsMoves: world.drsMoves,
      hostFailures: world.hostFailures,
      queuedSeconds,
      queuedOperations,
      meanThroughput: makespan > 0 ? bytesMoved / makespan : 0,
      peakThroughput: world.peakThroughput,
      peakConcurrentCopies: world.peakCopies,
      apiCalls: world.apiCalls,
      events: world.events,
    },
    ...(open === null ? {} : { openSeconds: open, windows: windows! }),
    datastoresEmptied: datastoresEmptied(records),
    ...(planner.windowsHold ? { windowMisfits: [...planner.misfits] } : {}),
    links,
    throughput: world.throughputSeries,
    operations: records,
  };
  if (policy.adaptive !== null) result.adaptive = [...planner.adaptiveHistory];
  if (bins > 0) result.timeline = world.timeline(makespan, bins, links.slice(0, 5).map((l) => l.id));
  return result;
}

/**
 * The summary of one run (what summariseRun takes from a full result), from the world's log in one
 * pass: the same figures, summed in the same order. The planner answers what only it knows
 * cheaply: the attempts beyond each VM's first, and whether a VM ended up moved.
 */
export function summaryOf({ planner, world }: FinishedRun, seed: number): RunSummary {
  let makespan = 0;
  let bytesMoved = 0;
  let vmotions = 0;
  let queuedSeconds = 0;
  // When legacy datastores became empty (see datastoresEmptied): the last move off each, and
  // those a VM that never moved keeps from ever being empty. Datastores by number (see
  // datastoreNumbers): a Monte Carlo makes a summary per run, thousands of them.
  const numbers = datastoreNumbers;
  const last = new Float64Array(numbers.size + 64).fill(-1);
  let never = new Uint8Array(last.length);
  const number = (ds: string): number => {
    let n = numbers.get(ds);
    if (n === undefined) numbers.set(ds, (n = numbers.size));
    return n;
  };
  const markNever = (ds: string): void => {
    const n = number(ds);
    if (n >= never.length) {
      const grown = new Uint8Array(2 * n + 64);
      grown.set(never);
      never = grown;
    }
    never[n] = 1;
  };
  const moved: number[] = [];
  const movedAt: number[] = [];
  for (const r of world.runLog) {
    if (r.startedAt !== null && r.startedAt > r.submittedAt) queuedSeconds += r.startedAt - r.submittedAt;
    if (r.origin !== 'planner') continue;
    const op = r.op;
    if (r.finishedAt !== null && r.finishedAt > makespan) makespan = r.finishedAt;
    if (op.kind === 'vmotion') vmotions++;
    if (op.kind !== VM_MOVE) continue;
    if (r.outcome === 'success') {
      bytesMoved += op.bytes;
      if (r.finishedAt !== null) {
        for (const ds of op.sourceDatastores) {
          const n = number(ds);
          if (n < last.length) {
            if (r.finishedAt > last[n]!) last[n] = Math.max(0, r.finishedAt);
          } else {
            moved.push(n);
            movedAt.push(r.finishedAt);
          }
        }
      }
    } else if (!planner.hasMoved(op.vm)) {
      for (const ds of op.sourceDatastores) markNever(ds);
    }
  }
  for (const s of planner.skipped) for (const ds of s.sourceDatastores) markNever(ds);
  // Datastores first seen in this run (numbered past what `last` holds): rare, folded in here.
  const lastOf = new Map<number, number>();
  for (let i = 0; i < moved.length; i++) lastOf.set(moved[i]!, Math.max(lastOf.get(moved[i]!) ?? 0, movedAt[i]!));
  let first: number | null = null;
  let lastEmpty: number | null = null;
  let emptied = 0;
  let inScope = 0;
  const emptiedAt = (n: number, at: number): void => {
    if (n < never.length && never[n] === 1) return;
    emptied++;
    first = first === null ? at : Math.min(first, at);
    lastEmpty = lastEmpty === null ? at : Math.max(lastEmpty, at);
  };
  for (let n = 0; n < last.length; n++) if (last[n]! >= 0) emptiedAt(n, last[n]!);
  for (const [n, at] of lastOf) emptiedAt(n, at);
  for (let n = 0; n < never.length; n++) inScope += never[n]!;
  inScope += emptied;
  return {
    seed,
    ...(world.drawn === null ? {} : { drawn: world.drawn }),
    makespanSeconds: makespan,
    bytesMoved,
    vmotions,
    apiCalls: world.apiCalls,
    queuedSeconds,
    vmsFailed: planner.failedCount,
    firstLegacyEmptySeconds: first,
    lastLegacyEmptySeconds: lastEmpty,
    vmsSkipped: planner.skipped.length,
    retries: planner.retries,
    drsMoves: world.drsMoves,
    vmsMoved: planner.movedCount,
    legacyDatastores: inScope,
    legacyDatastoresEmptied: emptied,
    allLegacyEmptySeconds: emptied === inScope && emptied > 0 ? lastEmpty : null,
  };
}

/**
 * A number for every datastore name a summary has met, in the order first met: shared by all
 * runs in a thread, so that a summary keeps its datastores in arrays. Names only ever join it.
 */
const datastoreNumbers = new Map<string, number>();

/**
 * Seconds of [0, makespan] in which a window was open or copies were running (`throughput` > 0):
 * the time the fabric could carry the campaign's copies.
 */
export function openSeconds(windows: ReadonlyArray<{ start: number; end: number }>, makespan: number, throughput: ReadonlyArray<readonly [number, number]>): number {
  const spans = windows.map((i) => [i.start, Math.min(makespan, i.end)] as [number, number]);
  for (let k = 0; k < throughput.length; k++) {
    const [t, rate] = throughput[k]!;
    if (rate > 0) spans.push([t, Math.min(makespan, throughput[k + 1]?.[0] ?? makespan)]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/**
 * The scenario's open windows that began by the end, from the start: the last one whole, to when it
 * closes (a schedule names the window its last copies started in, not the campaign's end).
 */
function openWindows(scenario: Scenario, makespan: number): Array<{ start: number; end: number }> {
  const w = scenario.campaign.windows!;
  const schedule = weeklySchedule(w.open, w.startOffset, w.shifts);
  const windows = openIntervals(schedule, 0, makespan);
  const last = windows[windows.length - 1];
  if (last !== undefined) last.end = openIntervalAt(schedule, last.start)?.end ?? last.end;
  return windows;
}

export function skippedRecords(planner: Planner): OperationRecord[] {
  return planner.skipped.map((s) => ({
    vm: s.vm,
    kind: VM_MOVE,
    cluster: s.cluster ?? '',
    host: s.host ?? '',
    toHost: null,
    sourceDatastores: s.sourceDatastores,
    targetDatastore: null,
    bytes: s.bytes,
    submittedAt: 0,
    startedAt: null,
    finishedAt: null,
    outcome: 'skipped' as const,
    reason: s.reason,
  }));
}

/**
 * When each legacy datastore became empty: the end of the last successful copy off it. A datastore
 * with a VM that was given up on or skipped is never empty; a failed attempt that was retried with
 * success does not count against it.
 */
export function datastoresEmptied(records: readonly OperationRecord[]): DatastoreEmptied[] {
  // The last end off each datastore, by number in the order first met: one lookup per datastore
  // of each record.
  const numbers = new Map<string, number>();
  const last: number[] = [];
  // Records that did not empty their datastores: few (failures, skips), and only their VMs are
  // looked up among the moved ones, not every VM of the estate.
  const unsettled: OperationRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.by !== undefined || !migrates(r)) continue;
    if (r.outcome === 'success' && r.finishedAt !== null) {
      const sources = r.sourceDatastores;
      for (let k = 0; k < sources.length; k++) {
        const ds = sources[k]!;
        const n = numbers.get(ds);
        if (n === undefined) {
          numbers.set(ds, last.length);
          last.push(Math.max(0, r.finishedAt));
        } else {
          last[n] = Math.max(last[n]!, r.finishedAt);
        }
      }
    } else if (r.sourceDatastores.length > 0) {
      unsettled.push(r);
    }
  }
  const never = new Set<string>();
  if (unsettled.length > 0) {
    const asked = new Set(unsettled.map((r) => r.vm));
    const moved = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.outcome === 'success' && asked.has(r.vm) && migrates(r)) moved.add(r.vm);
    }
    for (const r of unsettled) if (!moved.has(r.vm)) for (const ds of r.sourceDatastores) never.add(ds);
  }
  const all = new Set([...numbers.keys(), ...never]);
  return [...all]
    .map((name) => ({ name, at: never.has(name) ? null : last[numbers.get(name)!]! }))
    .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || (a.name < b.name ? -1 : 1));
}
