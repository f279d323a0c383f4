// One simulated campaign: the scenario's estate, the policy's planner, the simulated world, and the
// result JSON that reports and checks read.

import { campaignFromEstate, defaultRules, type Campaign } from '../core/campaign.js';
import { Planner } from '../core/planner.js';
import { parsePolicy } from '../core/policy.js';
import type { Estate } from '../domain/estate.js';
import { weeklySchedule } from '../domain/windows.js';
import type { Scenario } from '../scenario/scenario.js';
import { normal, stream } from './random.js';
import type { DatastoreEmptied, OperationRecord, SimulationResult } from './result.js';
import { SimulatedWorld } from './world.js';
import { EventBudgetExceeded, Stalled } from './engine.js';
import { UserError } from '../domain/errors.js';
import { eventBudget } from '../domain/limits.js';
import { formatBytes, formatDuration } from '../domain/units.js';

export interface SimulateOptions {
  /** Policy spec; defaults to the scenario's. */
  policy?: string;
  /** Seed of the run's random draws; defaults to the scenario's. */
  seed?: number;
  /** Also record time series for charts, in this many bins (0 or absent: none). */
  timelineBins?: number;
  /** Every task takes this long instead of what the fabric allows (rehearsals against fixed delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number };
  /** Targets frozen by a plan (VM → datastore). */
  fixedTargets?: ReadonlyMap<string, string>;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const policy = parsePolicy(options.policy ?? scenario.policy);
  const seed = options.seed ?? scenario.seed;
  const estate = scenario.campaign.placement === 'random' ? randomPlacement(scenario.estate, seed) : scenario.estate;
  const campaign = campaignFor(scenario, estate, options.fixedTargets);
  const planner = new Planner(campaign, policy);
  const bins = options.timelineBins ?? 0;
  const world = new SimulatedWorld(scenario, estate, planner, {
    seed,
    recordTimeline: bins > 0,
    reportProgress: policy.adaptive !== null,
    eventBudget: eventBudget(campaign.items.length),
    ...(options.fixedDurations ? { fixedDurations: options.fixedDurations } : {}),
  });
  try {
    world.run();
  } catch (err) {
    if (err instanceof EventBudgetExceeded || err instanceof Stalled) throw cannotFinish(scenario, policy.spec, planner, err);
    throw err;
  }

  const records = [...world.records(), ...skippedRecords(planner)];
  const mine = records.filter((r) => r.by === undefined);
  const makespan = mine.reduce((t, r) => Math.max(t, r.finishedAt ?? 0), 0);
  const moved = mine.filter((r) => r.kind === 'svmotion' && r.outcome === 'success');
  const bytesMoved = moved.reduce((s, r) => s + r.bytes, 0);
  const queued = records.filter((r) => r.startedAt !== null && r.startedAt > r.submittedAt);
  const svmotions = mine.filter((r) => r.kind === 'svmotion' && r.outcome !== 'skipped');
  const links = world.linkUsage(makespan);
  const result: SimulationResult = {
    scenario: scenario.name,
    policy: policy.spec,
    seed,
    makespanSeconds: makespan,
    bytesMoved,
    vmCount: campaign.items.length + campaign.blocked.length,
    summary: {
      svmotions: svmotions.length,
      vmotions: mine.filter((r) => r.kind === 'vmotion').length,
      vmsMoved: moved.length,
      vmsFailed: planner.failed.length,
      vmsSkipped: planner.skipped.length,
      retries: svmotions.length - new Set(svmotions.map((r) => r.vm)).size,
      drsMoves: world.drsMoves,
      hostFailures: world.hostFailures,
      queuedSeconds: queued.reduce((s, r) => s + (r.startedAt! - r.submittedAt), 0),
      queuedOperations: queued.length,
      meanThroughput: makespan > 0 ? bytesMoved / makespan : 0,
      peakThroughput: world.peakThroughput,
      peakConcurrentCopies: world.peakCopies,
      apiCalls: world.apiCalls,
      events: world.events,
    },
    datastoresEmptied: datastoresEmptied(records),
    links,
    throughput: world.throughputSeries,
    operations: records,
  };
  if (policy.adaptive !== null) result.adaptive = [...planner.adaptiveHistory];
  if (bins > 0) result.timeline = world.timeline(makespan, bins, links.slice(0, 5).map((l) => l.id));
  return result;
}

/**
 * The one sentence for a campaign that cannot end: what cannot progress, and when the run gave up.
 * Loading refuses what is impossible on its face; this is the safety net for what only shows when
 * the campaign runs (copies that never fit a window at the rates seen, targets that stay full).
 */
function cannotFinish(scenario: Scenario, policy: string, planner: Planner, err: EventBudgetExceeded | Stalled): UserError {
  const p = planner.progress();
  const where = scenario.file ?? `scenario ${scenario.name}`;
  const when = `after ${formatDuration(err.at)} of simulated time${err instanceof EventBudgetExceeded ? ` and ${err.budget.toLocaleString('en-US')} events` : ''}`;
  const windows = scenario.campaign.windows !== null ? '; the change windows may be too short for them' : '';
  const what =
    p.vmsInFlight === 0
      ? `no copy can start: ${p.vmsWaiting.toLocaleString('en-US')} VMs are waiting and none is in flight ${when}${windows}`
      : `copies do not progress: ${p.vmsInFlight.toLocaleString('en-US')} in flight, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} moved ${when}`;
  return new UserError(`${where}: the campaign cannot finish under policy ${policy}: ${what}.`, { cause: err });
}

/** The planner's view of the scenario: its estate and the rules it must keep. */
export function campaignFor(scenario: Scenario, estate: Estate = scenario.estate, fixedTargets: ReadonlyMap<string, string> = new Map()): Campaign {
  const w = scenario.campaign.windows;
  return campaignFromEstate(
    estate,
    defaultRules(scenario.costs, {
      headroom: scenario.targets.headroom,
      windows: w === null ? null : weeklySchedule(w.open, w.startOffset, w.shifts),
      allowOverrun: w?.allowOverrun ?? false,
      expectedCopyRate: scenario.fabric.perCopyRate,
      setupSeconds: scenario.fabric.svmotionSetupSeconds,
      priority: scenario.campaign.priority,
      fixedTargets,
    }),
  );
}

/**
 * Places every VM anew on a host of its cluster, unevenly as DRS leaves them: each host gets a
 * lognormal weight for this run, and VMs go to hosts in proportion to the weights.
 */
export function randomPlacement(estate: Estate, seed: number): Estate {
  const random = stream(seed, 'placement');
  const hostsOf = new Map<string, Array<{ name: string; cumulative: number }>>();
  for (const c of estate.clusters) {
    let total = 0;
    const hosts = estate.hosts
      .filter((h) => h.cluster === c.name)
      .map((h) => ({ name: h.name, cumulative: (total += Math.exp(0.5 * normal(random))) }));
    hosts.forEach((h) => (h.cumulative /= total));
    hostsOf.set(c.name, hosts);
  }
  return {
    ...estate,
    vms: estate.vms.map((vm) => {
      const hosts = vm.cluster === null ? undefined : hostsOf.get(vm.cluster);
      if (!hosts || hosts.length === 0) return vm;
      const u = random();
      return { ...vm, host: (hosts.find((h) => u < h.cumulative) ?? hosts[hosts.length - 1]!).name };
    }),
  };
}

function skippedRecords(planner: Planner): OperationRecord[] {
  return planner.skipped.map((s) => ({
    vm: s.vm,
    kind: 'svmotion' as const,
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
  const last = new Map<string, number>();
  const movedVms = new Set(records.filter((r) => r.kind === 'svmotion' && r.outcome === 'success').map((r) => r.vm));
  const never = new Set<string>();
  for (const r of records) {
    if (r.kind !== 'svmotion' || r.by !== undefined) continue;
    for (const ds of r.sourceDatastores) {
      if (r.outcome === 'success' && r.finishedAt !== null) last.set(ds, Math.max(last.get(ds) ?? 0, r.finishedAt));
      else if (!movedVms.has(r.vm)) never.add(ds);
    }
  }
  const all = new Set([...last.keys(), ...never]);
  return [...all]
    .map((name) => ({ name, at: never.has(name) ? null : last.get(name)! }))
    .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || (a.name < b.name ? -1 : 1));
}
