// The simulated world behind the planner's port: vCenter's admission and queue, the FC fabric, the
// two kinds of task and how the planner learns of them, DRS, faults and host failures, on a
// virtual clock. The driver loop is the live executor's: at the end of every instant the planner
// decides, its operations are submitted, and what happens to them comes back as observations.

import type { Planner } from '../core/planner.js';
import type { Observation, Operation } from '../core/port.js';
import type { Estate } from '../domain/estate.js';
import { vmDatastores } from '../domain/estate.js';
import type { Scenario } from '../scenario/scenario.js';
import { Drs, type DrsMove } from './drs.js';
import { Priority, Simulation, Stalled, type ScheduledEvent } from './engine.js';
import { FabricModel } from './fabric.js';
import { stream, type Random } from './random.js';
import type { LinkUsage, OperationRecord } from './result.js';
import { TimelineRecorder, type Timeline } from './timeline.js';
import { Admission, svmotionCharges, vmotionCharges } from './vcenter.js';

type Origin = 'planner' | 'drs';

/** An operation as vCenter runs it: the planner's, or one DRS started. */
interface Run {
  id: number;
  origin: Origin;
  op: Operation;
  record: OperationRecord;
  /** Where it stands in vCenter: waiting for the VM's lock, for resources, preparing, copying. */
  state: 'locked-out' | 'queued' | 'running' | 'ended';
  timer: ScheduledEvent | null;
  copying: boolean;
  /** Where it will fail, drawn when it starts; null when it will not. */
  fault: Fault | null;
}

interface Fault {
  at: number;
  transient: boolean;
  reason: string;
}

export interface WorldOptions {
  seed: number;
  recordTimeline: boolean;
  /** Report copy progress to the planner (the adaptive loop measures with it). */
  reportProgress: boolean;
  /** Every task takes this long, whatever it moves (a rehearsal against fixed task delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number };
  /** Events the run may handle before it is declared unable to finish (engine.ts). */
  eventBudget?: number;
}

export class SimulatedWorld {
  private readonly sim = new Simulation();
  private readonly fabric: FabricModel;
  private readonly admission: Admission;
  private readonly runs = new Map<number, Run>();
  private readonly order: Run[] = [];
  private readonly enclosureOf: Map<string, string | null>;
  private readonly clusterOf: Map<string, string | null>;
  private readonly arrayOf: Map<string, string | null>;
  private readonly datastoresOf: Map<string, string[]>;
  private readonly memoryOf: Map<string, number>;
  private readonly alwaysFail: ReadonlySet<string>;
  /** Where each VM runs now (vMotions, DRS and HA change it). */
  private readonly vmHost = new Map<string, string>();
  /** The operation holding each VM (vCenter runs one relocation per VM at a time). */
  private readonly vmLock = new Map<string, number>();
  private readonly lockWaiters = new Map<string, number[]>();
  private readonly downHosts = new Set<string>();
  private readonly jitter: Random;
  private readonly faults: Random;
  private readonly ha: Random;
  private readonly drs: Drs | null;
  private readonly recorder: TimelineRecorder | null;
  private readonly clusterIndex: Map<string, number>;
  private fabricEvent: ScheduledEvent | null = null;
  private fabricDirty = false;
  private wakeEvent: ScheduledEvent | null = null;
  private pollEvent: ScheduledEvent | null = null;
  private progressEvent: ScheduledEvent | null = null;
  private readonly pollBuffer: Observation[] = [];
  private lastPushInstant = -1;
  private nextDrsId = -1;
  readonly throughputSeries: Array<[number, number]> = [[0, 0]];
  peakThroughput = 0;
  peakCopies = 0;
  apiCalls = 0;
  drsMoves = 0;
  hostFailures = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly estate: Estate,
    private readonly planner: Planner,
    private readonly options: WorldOptions,
  ) {
    this.fabric = new FabricModel(scenario.fabric, estate);
    this.admission = new Admission(scenario.costs);
    this.enclosureOf = new Map(estate.hosts.map((h) => [h.name, h.enclosure]));
    this.clusterOf = new Map(estate.hosts.map((h) => [h.name, h.cluster]));
    this.arrayOf = new Map(estate.datastores.map((d) => [d.name, d.array]));
    this.datastoresOf = new Map(estate.vms.map((v) => [v.name, vmDatastores(v)]));
    this.memoryOf = new Map(estate.vms.map((v) => [v.name, v.memoryBytes]));
    this.alwaysFail = new Set(scenario.campaign.faults.vms);
    for (const v of estate.vms) if (v.host !== null) this.vmHost.set(v.name, v.host);
    this.jitter = stream(options.seed, 'jitter');
    this.faults = stream(options.seed, 'faults');
    this.ha = stream(options.seed, 'ha');
    const drs = scenario.campaign.drs;
    this.drs = drs.level === 'fully-automated' ? new Drs(drs, estate, stream(options.seed, 'drs')) : null;
    const clusters = estate.clusters.map((c) => c.name).sort();
    this.clusterIndex = new Map(clusters.map((c, i) => [c, i]));
    this.recorder = options.recordTimeline ? new TimelineRecorder(clusters, this.fabric.links) : null;
  }

  get events(): number {
    return this.sim.eventsProcessed;
  }

  get now(): number {
    return this.sim.now;
  }

  run(): void {
    for (const f of this.scenario.campaign.faults.hosts) {
      this.sim.at(f.atSeconds, Priority.periodic, () => this.hostDown(f.host, f.downSeconds));
    }
    if (this.drs) this.sim.at(this.scenario.campaign.drs.intervalSeconds, Priority.periodic, () => this.drsPass());
    const decide = (now: number) => {
      if (this.fabricDirty) this.fabricChanged();
      for (const op of this.planner.decide(now)) this.submit(op, 'planner');
      this.sim.cancel(this.wakeEvent);
      const wake = this.planner.nextWakeUp(now);
      this.wakeEvent = wake === null ? null : this.sim.at(wake, Priority.periodic, () => undefined);
      if (this.options.reportProgress && this.progressEvent === null && this.fabric.activeFlows > 0) this.scheduleProgress();
    };
    decide(0);
    this.sim.run({ onInstantEnd: decide, ...(this.options.eventBudget === undefined ? {} : { budget: this.options.eventBudget }) });
    if (!this.planner.finished) throw new Stalled(this.sim.now);
  }

  /** Every operation vCenter ran, in the order it was submitted. */
  records(): OperationRecord[] {
    return this.order.map((r) => r.record);
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

  timeline(end: number, bins: number, busiest: string[]): Timeline {
    return this.recorder!.build(end, bins, busiest);
  }

  // ——— operations ———

  private submit(op: Operation, origin: Origin): void {
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
    if (origin === 'drs') record.by = 'drs';
    const run: Run = { id: op.id, origin, op, record, state: 'locked-out', timer: null, copying: false, fault: null };
    this.runs.set(op.id, run);
    this.order.push(run);
    if (origin === 'planner') this.apiCalls++; // RelocateVM_Task
    const holder = this.vmLock.get(op.vm);
    if (holder !== undefined) {
      // Another task holds the VM (a DRS vMotion): vCenter runs this one after it.
      const waiters = this.lockWaiters.get(op.vm) ?? [];
      waiters.push(op.id);
      this.lockWaiters.set(op.vm, waiters);
      this.tell(run, { type: 'queued', op: op.id, at: now });
      return;
    }
    this.admit(run);
  }

  private admit(run: Run): void {
    const now = this.sim.now;
    const { op, record } = run;
    this.vmLock.set(op.vm, op.id);
    // The VM may have moved since the planner decided (DRS, HA): vCenter runs it where it is.
    const host = this.vmHost.get(op.vm) ?? op.host;
    record.host = host;
    const hosts = op.kind === 'vmotion' ? [host, op.toHost] : [host];
    const down = hosts.find((h) => this.downHosts.has(h));
    if (down !== undefined) {
      run.state = 'running';
      record.startedAt = now;
      this.end(run, 'failed', `host ${down} is not responding`, true);
      return;
    }
    const costs = this.scenario.costs;
    const charges =
      op.kind === 'svmotion'
        ? svmotionCharges(costs, host, op.sourceDatastores, op.targetDatastore)
        : vmotionCharges(costs, host, op.toHost, this.datastoresOf.get(op.vm) ?? []);
    if (this.admission.submit(op.id, charges)) {
      this.start(run);
    } else {
      run.state = 'queued';
      this.tell(run, { type: 'queued', op: op.id, at: now });
    }
  }

  private start(run: Run): void {
    const now = this.sim.now;
    const { op, record } = run;
    const fabric = this.scenario.fabric;
    run.state = 'running';
    record.startedAt = now;
    this.tell(run, { type: 'started', op: op.id, at: now });
    const fault = this.drawFault(op);
    run.fault = fault;
    const fixed = this.options.fixedDurations;
    if (fixed) {
      const full = op.kind === 'svmotion' ? fixed.svmotionSeconds : fixed.vmotionSeconds;
      run.timer = this.sim.after(fault === null ? full : full * fault.at, Priority.completion, () =>
        fault === null ? this.end(run, 'success') : this.end(run, 'failed', fault.reason, fault.transient),
      );
      return;
    }
    if (op.kind === 'vmotion') {
      const full = fabric.vmotionSetupSeconds + (fabric.vmotionRate > 0 ? op.bytes / fabric.vmotionRate : 0);
      const duration = fault === null ? full : full * fault.at;
      run.timer = this.sim.after(duration, Priority.completion, () =>
        fault === null ? this.end(run, 'success') : this.end(run, 'failed', fault.reason, fault.transient),
      );
      return;
    }
    run.timer = this.sim.after(fabric.svmotionSetupSeconds, Priority.start, () => {
      run.timer = null;
      const bytes = fault === null ? op.bytes : op.bytes * fault.at;
      if (bytes <= 0) {
        if (fault === null) this.end(run, 'success');
        else this.end(run, 'failed', fault.reason, fault.transient);
        return;
      }
      const host = record.host;
      const sources = op.sourceDatastores.map((ds) => this.arrayOf.get(ds) ?? null).filter((a): a is string => a !== null);
      const target = this.arrayOf.get(op.targetDatastore) ?? null;
      if (sources.length === 0 || target === null) {
        throw new Error(`datastores of ${op.vm} (${[...op.sourceDatastores, op.targetDatastore].join(', ')}) are not on a known array`);
      }
      const path = this.fabric.copyPath(host, this.enclosureOf.get(host) ?? null, sources, target);
      const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, op.sourceDatastores.length));
      const j = this.scenario.campaign.jitter;
      const factor = j > 0 ? 1 - j + 2 * j * this.jitter() : 1;
      run.copying = true;
      this.fabric.addFlow(this.sim.now, op.id, bytes, path, fabric.perCopyRate * streams * factor);
      this.fabricDirty = true;
    });
  }

  private end(run: Run, outcome: 'success' | 'failed', reason?: string, transient = true): void {
    if (run.state === 'ended') return;
    const now = this.sim.now;
    const { op, record } = run;
    this.sim.cancel(run.timer);
    run.timer = null;
    const wasQueued = run.state === 'queued';
    run.state = 'ended';
    if (run.copying) {
      run.copying = false;
      if (outcome === 'failed') {
        this.fabric.removeFlow(now, op.id);
        this.fabricDirty = true;
      }
    }
    record.finishedAt = now;
    record.outcome = outcome;
    if (reason !== undefined) record.reason = reason;
    if (wasQueued) this.admission.withdraw(op.id);
    if (outcome === 'success' && op.kind === 'vmotion') {
      this.vmHost.set(op.vm, op.toHost);
      this.drs?.moved(op.vm, record.host, op.toHost, run.origin === 'drs');
    } else if (run.origin === 'drs') {
      this.drs?.forget(op.vm);
    }
    if (run.origin === 'planner') {
      this.tell(
        run,
        outcome === 'success' ? { type: 'succeeded', op: op.id, at: now } : { type: 'failed', op: op.id, at: now, reason: reason ?? 'failed', transient },
      );
    } else if (outcome === 'success') {
      this.drsMoves++;
      this.push({ type: 'vmMoved', vm: op.vm, toHost: (op as Extract<Operation, { kind: 'vmotion' }>).toHost, at: now });
    }
    this.unlock(op.vm, op.id);
    for (const next of this.admission.release(op.id)) this.start(this.runs.get(next)!);
  }

  private unlock(vm: string, id: number): void {
    if (this.vmLock.get(vm) !== id) return;
    this.vmLock.delete(vm);
    const waiters = this.lockWaiters.get(vm);
    const next = waiters?.shift();
    if (waiters && waiters.length === 0) this.lockWaiters.delete(vm);
    if (next !== undefined) this.admit(this.runs.get(next)!);
  }

  private drawFault(op: Operation): Fault | null {
    const kind = op.kind;
    if (kind === 'svmotion' && this.alwaysFail.has(op.vm)) return { at: 0.5, transient: true, reason: 'transient fault at 50 % of the svmotion (injected for this VM)' };
    const rate = kind === 'svmotion' ? this.scenario.campaign.faults.svmotion : this.scenario.campaign.faults.vmotion;
    if (rate.probability <= 0) return null;
    // Draw all three numbers every time, so that one operation's outcome does not shift the next one's draws.
    const fails = this.faults() < rate.probability;
    const at = this.faults();
    const transient = this.faults() < rate.transientShare;
    if (!fails) return null;
    return { at, transient, reason: `${transient ? 'transient' : 'permanent'} fault at ${Math.round(at * 100)} % of the ${kind}` };
  }

  /**
   * Copies started and ended in this instant: solve the rates once for all of them, and schedule
   * the next end. Runs at the end of every instant in which the set of copies changed.
   */
  private fabricChanged(): void {
    this.fabricDirty = false;
    const now = this.sim.now;
    this.sim.cancel(this.fabricEvent);
    this.fabricEvent = null;
    const next = this.fabric.nextCompletion(now);
    if (Number.isFinite(next)) {
      this.fabricEvent = this.sim.at(next, Priority.completion, () => {
        this.fabricEvent = null;
        for (const id of this.fabric.completeDue(this.sim.now)) this.copyEnded(id);
        this.fabricDirty = true;
      });
    }
    if (this.recorder) {
      const perCluster = new Float64Array(this.clusterIndex.size);
      for (const f of this.fabric.snapshot()) {
        const c = this.clusterIndex.get(this.runs.get(f.id)!.op.cluster);
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

  private copyEnded(id: number): void {
    const run = this.runs.get(id)!;
    run.copying = false;
    const fault = run.fault;
    if (fault === null) this.end(run, 'success');
    else this.end(run, 'failed', fault.reason, fault.transient);
  }

  // ——— what the planner learns, and when ———

  /** Planner-bound news about one of its operations, by the monitoring mode of its kind. */
  private tell(run: Run, o: Observation): void {
    if (run.origin !== 'planner') return;
    const monitoring = this.scenario.campaign.monitoring;
    // vMotions are client-side tasks: their state updates by itself. svMotions are server-side:
    // with polling, their news waits for the next poll.
    if (monitoring.mode === 'poll' && run.op.kind === 'svmotion') {
      this.pollBuffer.push(o);
      this.schedulePoll(monitoring.intervalSeconds);
      return;
    }
    this.push(o);
  }

  private push(o: Observation): void {
    // One WaitForUpdatesEx round trip brings every change of the same instant.
    if (this.lastPushInstant !== this.sim.now) {
      this.apiCalls++;
      this.lastPushInstant = this.sim.now;
    }
    this.planner.observe(o);
  }

  private schedulePoll(interval: number): void {
    if (this.pollEvent !== null) return;
    const now = this.sim.now;
    const next = (Math.floor(now / interval) + 1) * interval;
    this.pollEvent = this.sim.at(next, Priority.periodic, () => {
      this.pollEvent = null;
      // One call per task still in flight as far as the planner knows: it reads each task's info.
      const ended = new Set(this.pollBuffer.filter((o) => o.type === 'succeeded' || o.type === 'failed').map((o) => (o as { op: number }).op));
      for (const r of this.runs.values()) {
        if (r.origin === 'planner' && r.op.kind === 'svmotion' && (r.state !== 'ended' || ended.has(r.id))) this.apiCalls++;
      }
      for (const o of this.pollBuffer.splice(0)) this.planner.observe(o);
      if ([...this.runs.values()].some((r) => r.origin === 'planner' && r.op.kind === 'svmotion' && r.state !== 'ended')) this.schedulePoll(interval);
    });
  }

  private scheduleProgress(): void {
    const interval = this.scenario.campaign.progressIntervalSeconds;
    this.progressEvent = this.sim.after(interval, Priority.periodic, () => {
      this.progressEvent = null;
      const now = this.sim.now;
      for (const f of this.fabric.snapshot()) {
        const run = this.runs.get(f.id)!;
        if (run.origin !== 'planner' || run.op.bytes <= 0) continue;
        const copied = this.fabric.copiedBytes(now, f.id);
        this.tell(run, { type: 'progress', op: f.id, at: now, fraction: copied / run.op.bytes });
      }
      if (this.fabric.activeFlows > 0 && !this.planner.finished) this.scheduleProgress();
    });
  }

  // ——— DRS and host failures ———

  private drsPass(): void {
    if (this.planner.finished || !this.drs) return;
    const busy = (vm: string) => this.vmLock.has(vm);
    for (const move of this.drs.pass(busy, this.downHosts)) this.drsMove(move);
    this.sim.after(this.scenario.campaign.drs.intervalSeconds, Priority.periodic, () => this.drsPass());
  }

  private drsMove(move: DrsMove): void {
    this.submit(
      {
        kind: 'vmotion',
        id: this.nextDrsId--,
        vm: move.vm,
        cluster: this.clusterOf.get(move.from) ?? '',
        host: move.from,
        toHost: move.to,
        bytes: this.memoryOf.get(move.vm) ?? 0,
      },
      'drs',
    );
  }

  private hostDown(host: string, downSeconds: number): void {
    if (this.downHosts.has(host)) return;
    this.hostFailures++;
    this.downHosts.add(host);
    const reason = `host ${host} stopped responding`;
    for (const run of [...this.runs.values()]) {
      if (run.state === 'ended' || run.state === 'locked-out') continue;
      const touches = run.record.host === host || (run.op.kind === 'vmotion' && run.op.toHost === host);
      if (touches) this.end(run, 'failed', reason, true);
    }
    // vSphere HA restarts the host's VMs on the other hosts of its cluster.
    const cluster = this.clusterOf.get(host) ?? null;
    const others = this.estate.hosts.filter((h) => h.cluster === cluster && h.name !== host && !this.downHosts.has(h.name)).map((h) => h.name);
    if (others.length > 0) {
      const vms = [...this.vmHost].filter(([, h]) => h === host).map(([vm]) => vm).sort();
      for (const vm of vms) {
        const to = others[Math.floor(this.ha() * others.length)]!;
        this.vmHost.set(vm, to);
        this.drs?.moved(vm, host, to, false);
        this.push({ type: 'vmMoved', vm, toHost: to, at: this.sim.now });
      }
    }
    this.sim.after(downSeconds, Priority.periodic, () => this.downHosts.delete(host));
  }
}
