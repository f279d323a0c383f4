// The simulated world behind the planner's port: vCenter's admission, the FC fabric and the two
// kinds of task, on a virtual clock. The driver loop is the same as the live executor's: at the end
// of every instant the planner decides, its operations are submitted, and what happens to them
// comes back as observations.

import { campaignFromEstate } from '../core/campaign.js';
import { parsePolicy } from '../core/policy.js';
import { Planner } from '../core/planner.js';
import type { Observation, Operation } from '../core/port.js';
import { vmDatastores } from '../domain/estate.js';
import type { Scenario } from '../scenario/scenario.js';
import { Priority, Simulation, type ScheduledEvent } from './engine.js';
import { FabricModel } from './fabric.js';
import type { DatastoreEmptied, LinkUsage, OperationRecord, SimulationResult } from './result.js';
import { TimelineRecorder, type Timeline } from './timeline.js';
import { Admission, svmotionCharges, vmotionCharges } from './vcenter.js';

export interface SimulateOptions {
  /** Policy spec; defaults to the scenario's. */
  policy?: string;
  /** Seed of the run's random draws; defaults to the scenario's. */
  seed?: number;
  /** Also record time series for charts, in this many bins (0 or absent: none). */
  timelineBins?: number;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const policy = parsePolicy(options.policy ?? scenario.policy);
  const seed = options.seed ?? scenario.seed;
  const campaign = campaignFromEstate(scenario.estate, scenario.targets.headroom);
  const planner = new Planner(campaign, policy);
  const bins = options.timelineBins ?? 0;
  const world = new SimulatedWorld(scenario, planner, bins > 0);
  world.run();

  const records = world.records();
  const makespan = records.reduce((t, r) => Math.max(t, r.finishedAt ?? 0), 0);
  const moved = records.filter((r) => r.kind === 'svmotion' && r.outcome === 'success');
  const bytesMoved = moved.reduce((s, r) => s + r.bytes, 0);
  const queued = records.filter((r) => r.startedAt !== null && r.startedAt > r.submittedAt);
  const links = world.linkUsage(makespan);
  const result: SimulationResult = {
    scenario: scenario.name,
    policy: policy.spec,
    seed,
    makespanSeconds: makespan,
    bytesMoved,
    vmCount: campaign.items.length + campaign.blocked.length,
    summary: {
      svmotions: records.filter((r) => r.kind === 'svmotion' && r.outcome !== 'skipped').length,
      vmotions: records.filter((r) => r.kind === 'vmotion').length,
      vmsMoved: moved.length,
      vmsFailed: records.filter((r) => r.kind === 'svmotion' && r.outcome === 'failed').length,
      vmsSkipped: planner.skipped.length,
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
  if (bins > 0) result.timeline = world.timeline(makespan, bins, links.slice(0, 5).map((l) => l.id));
  return result;
}

/**
 * When each legacy datastore became empty: the end of the last successful copy off it. A datastore
 * with a VM that failed or was skipped is never empty.
 */
export function datastoresEmptied(records: readonly OperationRecord[]): DatastoreEmptied[] {
  const last = new Map<string, number | null>();
  for (const r of records) {
    if (r.kind !== 'svmotion') continue;
    for (const ds of r.sourceDatastores) {
      const prev = last.get(ds);
      if (prev === null) continue;
      if (r.outcome === 'success' && r.finishedAt !== null) last.set(ds, Math.max(prev ?? 0, r.finishedAt));
      else if (r.outcome !== 'success') last.set(ds, null);
    }
  }
  return [...last]
    .map(([name, at]) => ({ name, at }))
    .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || (a.name < b.name ? -1 : 1));
}

class SimulatedWorld {
  private readonly sim = new Simulation();
  private readonly fabric: FabricModel;
  private readonly admission: Admission;
  private readonly ops = new Map<number, { op: Operation; record: OperationRecord }>();
  private readonly enclosureOf: Map<string, string | null>;
  private readonly arrayOf: Map<string, string | null>;
  private readonly datastoresOf: Map<string, string[]>;
  private fabricEvent: ScheduledEvent | null = null;
  readonly throughputSeries: Array<[number, number]> = [[0, 0]];
  peakThroughput = 0;
  peakCopies = 0;
  apiCalls = 0;

  private readonly recorder: TimelineRecorder | null;
  private readonly clusterIndex: Map<string, number>;

  constructor(
    private readonly scenario: Scenario,
    private readonly planner: Planner,
    recordTimeline: boolean,
  ) {
    this.fabric = new FabricModel(scenario.fabric, scenario.estate);
    this.admission = new Admission(scenario.costs);
    this.enclosureOf = new Map(scenario.estate.hosts.map((h) => [h.name, h.enclosure]));
    this.arrayOf = new Map(scenario.estate.datastores.map((d) => [d.name, d.array]));
    this.datastoresOf = new Map(scenario.estate.vms.map((v) => [v.name, vmDatastores(v)]));
    const clusters = scenario.estate.clusters.map((c) => c.name).sort();
    this.clusterIndex = new Map(clusters.map((c, i) => [c, i]));
    this.recorder = recordTimeline ? new TimelineRecorder(clusters, this.fabric.links) : null;
  }

  timeline(end: number, bins: number, busiest: string[]): Timeline {
    return this.recorder!.build(end, bins, busiest);
  }

  get events(): number {
    return this.sim.eventsProcessed;
  }

  run(): void {
    const decide = (now: number) => {
      for (const op of this.planner.decide(now)) this.submit(op);
    };
    decide(0);
    this.sim.run({ onInstantEnd: decide });
    if (!this.planner.finished) {
      throw new Error(`simulation stalled at t=${this.sim.now}s with work left and nothing scheduled`);
    }
  }

  records(): OperationRecord[] {
    const out = [...this.ops.values()].map((o) => o.record);
    for (const s of this.planner.skipped) {
      out.push({
        vm: s.vm,
        kind: 'svmotion',
        cluster: s.cluster ?? '',
        host: s.host ?? '',
        toHost: null,
        sourceDatastores: s.sourceDatastores,
        targetDatastore: null,
        bytes: s.bytes,
        submittedAt: 0,
        startedAt: null,
        finishedAt: null,
        outcome: 'skipped',
        reason: s.reason,
      });
    }
    return out;
  }

  linkUsage(makespan: number): LinkUsage[] {
    const carried = this.fabric.carriedBytes(this.sim.now);
    return this.fabric.links
      .map((l, i) => ({
        id: l.id,
        label: l.label,
        capacity: l.capacity,
        bytes: carried[i]!,
        utilisation: makespan > 0 && l.capacity > 0 ? carried[i]! / (l.capacity * makespan) : 0,
      }))
      .filter((l) => l.bytes > 0)
      .sort((a, b) => b.utilisation - a.utilisation || (a.id < b.id ? -1 : 1));
  }

  private submit(op: Operation): void {
    const now = this.sim.now;
    const record: OperationRecord = {
      vm: op.vm,
      kind: op.kind,
      cluster: op.cluster,
      host: op.host,
      toHost: op.kind === 'vmotion' ? op.toHost : null,
      sourceDatastores: op.kind === 'svmotion' ? op.sourceDatastores : [],
      targetDatastore: op.kind === 'svmotion' ? op.targetDatastore : null,
      bytes: op.bytes,
      submittedAt: now,
      startedAt: null,
      finishedAt: null,
      outcome: 'success',
    };
    this.ops.set(op.id, { op, record });
    this.apiCalls++; // RelocateVM_Task / MigrateVM_Task
    const costs = this.scenario.costs;
    const charges =
      op.kind === 'svmotion'
        ? svmotionCharges(costs, op.host, op.sourceDatastores, op.targetDatastore)
        : vmotionCharges(costs, op.host, op.toHost, this.vmDatastores(op.vm));
    if (this.admission.submit(op.id, charges)) this.start(op.id);
    else this.tell({ type: 'queued', op: op.id, at: now });
  }

  private start(id: number): void {
    const { op, record } = this.ops.get(id)!;
    const now = this.sim.now;
    const fabric = this.scenario.fabric;
    record.startedAt = now;
    this.tell({ type: 'started', op: id, at: now });
    if (op.kind === 'vmotion') {
      const duration = fabric.vmotionSetupSeconds + (fabric.vmotionRate > 0 ? op.bytes / fabric.vmotionRate : 0);
      this.sim.after(duration, Priority.completion, () => this.finish(id));
      return;
    }
    this.sim.after(fabric.svmotionSetupSeconds, Priority.start, () => {
      if (op.bytes <= 0) {
        this.finish(id);
        return;
      }
      const sources = op.sourceDatastores.map((ds) => this.arrayOf.get(ds) ?? null).filter((a): a is string => a !== null);
      const target = this.arrayOf.get(op.targetDatastore) ?? null;
      if (sources.length === 0 || target === null) {
        throw new Error(`datastores of ${op.vm} (${[...op.sourceDatastores, op.targetDatastore].join(', ')}) are not on a known array`);
      }
      const path = this.fabric.copyPath(op.host, this.enclosureOf.get(op.host) ?? null, sources, target);
      const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, op.sourceDatastores.length));
      this.fabric.addFlow(this.sim.now, id, op.bytes, path, fabric.perCopyRate * streams);
      this.fabricChanged();
    });
  }

  private finish(id: number): void {
    const { record } = this.ops.get(id)!;
    const now = this.sim.now;
    record.finishedAt = now;
    record.outcome = 'success';
    this.tell({ type: 'succeeded', op: id, at: now });
    for (const next of this.admission.release(id)) this.start(next);
  }

  private fabricChanged(): void {
    const now = this.sim.now;
    this.sim.cancel(this.fabricEvent);
    this.fabricEvent = null;
    const next = this.fabric.nextCompletion(now);
    if (Number.isFinite(next)) {
      this.fabricEvent = this.sim.at(next, Priority.completion, () => {
        this.fabricEvent = null;
        for (const id of this.fabric.completeDue(this.sim.now)) this.finish(id);
        this.fabricChanged();
      });
    }
    if (this.recorder) {
      const perCluster = new Float64Array(this.clusterIndex.size);
      for (const f of this.fabric.snapshot()) {
        const c = this.clusterIndex.get(this.ops.get(f.id)!.op.cluster);
        if (c !== undefined) perCluster[c]! += f.rate;
      }
      this.recorder.record(now, perCluster, this.fabric.linkLoads());
    }
    const rate = this.fabric.throughput;
    this.peakThroughput = Math.max(this.peakThroughput, rate);
    this.peakCopies = Math.max(this.peakCopies, this.fabric.activeFlows);
    const last = this.throughputSeries[this.throughputSeries.length - 1]!;
    if (last[0] === now) last[1] = rate;
    else if (last[1] !== rate) this.throughputSeries.push([now, rate]);
  }

  private vmDatastores(vm: string): string[] {
    return this.datastoresOf.get(vm) ?? [];
  }

  private tell(o: Observation): void {
    // Push monitoring: the property collector delivers each task change in one WaitForUpdatesEx call.
    this.apiCalls++;
    this.planner.observe(o);
  }
}
