// The planner: every scheduling decision of a campaign, and nothing else.
//
// It is pure in the sense that matters: no clock, no I/O, no randomness. `decide(now)` returns the
// operations to start given everything observed so far; `observe` feeds back what the world did;
// `nextWakeUp(now)` says when it wants to be asked again even if nothing happens (a window
// opening, a retry's back-off ending, the adaptive loop's next measurement). The simulator and the
// live executor drive the very same object, so a plan simulated is the plan run.
//
// In flight means submitted and not ended, whether vCenter lets it copy yet or keeps it waiting
// for resources: that is all a live executor can count.

import { AdaptiveController } from './adaptive.js';
import type { Campaign, MoveItem, SkippedVm, TargetDatastore } from './campaign.js';
import type { Observation, Operation, SvmotionOp, VmotionOp } from './port.js';
import type { Policy } from './policy.js';
import { RankQueue } from './rank-queue.js';
import { closingAfter, isOpen, nextOpening, openIntervalAt } from '../domain/windows.js';
import { compileNamePattern } from '../domain/name-pattern.js';

type Phase = 'waiting' | 'backoff' | 'vmotion' | 'ready' | 'svmotion' | 'done' | 'failed' | 'skipped';

interface VmState {
  item: MoveItem;
  rank: number;
  cluster: ClusterState;
  host: string;
  phase: Phase;
  target: TargetDatastore | null;
  attempts: number;
  eligibleAt: number;
  lastFailure: string | null;
}

interface ClusterState {
  name: string;
  hosts: string[];
  cap: number;
  queue: RankQueue;
  /** VMs whose pro-active vMotion ended: their svMotion goes next, in the slot they already hold. */
  ready: VmState[];
  inFlight: number;
}

interface OpState {
  op: Operation;
  vm: VmState;
  queued: boolean;
  startedAt: number | null;
  fraction: number;
}

export interface PlannerProgress {
  vmsTotal: number;
  vmsDone: number;
  vmsFailed: number;
  vmsSkipped: number;
  vmsInFlight: number;
  vmsWaiting: number;
  bytesTotal: number;
  bytesDone: number;
  /** Own operations vCenter holds in its queue. */
  queued: number;
}

export interface ResumeState {
  done: readonly string[];
  failed: ReadonlyArray<{ vm: string; reason: string }>;
  attempts: ReadonlyMap<string, number>;
  inFlight: readonly Operation[];
  /** The next operation id to use (above every id in the journal). */
  nextId: number;
}

export interface ClusterProgress {
  name: string;
  done: number;
  running: number;
  queued: number;
  failed: number;
  left: number;
  bytesDone: number;
}

export interface FailedVm {
  vm: string;
  attempts: number;
  reason: string;
}

/** How many recent copies the rate estimate (for window fits) averages over. */
const RATE_SAMPLES = 20;

export class Planner {
  private readonly clusters: ClusterState[];
  private readonly vms: VmState[];
  private readonly byName = new Map<string, VmState>();
  private readonly hostQueues = new Map<string, RankQueue>();
  private readonly ops = new Map<number, OpState>();
  /** svMotions submitted and not ended per host, plus VMs on their way there to be copied. */
  private readonly hostLoad = new Map<string, number>();
  private readonly enclosureLoad = new Map<string, number>();
  /** svMotions submitted and not ended per datastore, as source or target. */
  private readonly datastoreLoad = new Map<string, number>();
  private readonly skippedVms: SkippedVm[];
  private readonly adaptive: AdaptiveController | null;
  private readonly rateSamples: number[] = [];
  private readonly targetsByName: ReadonlyMap<string, TargetDatastore>;
  /** VMs per phase, and those backing off: kept as phases change, so that no question scans every VM. */
  private readonly phaseCount = new Map<Phase, number>();
  private readonly backingOff = new Set<VmState>();
  private inFlight = 0;
  private nextId: number;
  private bytesDone = 0;

  constructor(
    private readonly campaign: Campaign,
    readonly policy: Policy,
    options: { firstId?: number } = {},
  ) {
    this.nextId = options.firstId ?? 1;
    this.targetsByName = new Map(campaign.targets.map((t) => [t.name, t]));
    this.skippedVms = [...campaign.blocked];
    this.adaptive = policy.adaptive ? new AdaptiveController(policy.adaptive) : null;
    const ordered = orderItems(campaign.items, policy, campaign.priority);
    const clusterStates = new Map<string, ClusterState>();
    for (const c of [...campaign.clusters].sort((a, b) => compare(a.name, b.name))) {
      clusterStates.set(c.name, {
        name: c.name,
        hosts: [...c.hosts].sort(compare),
        cap: this.clusterCap(c.hosts.length),
        queue: new RankQueue(),
        ready: [],
        inFlight: 0,
      });
    }
    this.clusters = [...clusterStates.values()];
    this.vms = ordered.map((item, rank) => {
      const cluster = clusterStates.get(item.cluster)!;
      const vm: VmState = { item, rank, cluster, host: item.host, phase: 'waiting', target: null, attempts: 0, eligibleAt: 0, lastFailure: null };
      this.byName.set(item.vm, vm);
      cluster.queue.push(rank);
      this.hostQueue(item.host).push(rank);
      return vm;
    });
    this.phaseCount.set('waiting', this.vms.length);
  }

  /**
   * Takes up a campaign that already ran in part (the live executor after a restart): VMs already
   * moved, VMs given up on, attempts made so far, and operations still running in vCenter, which
   * count in flight exactly as if this planner had started them. Call before the first decide.
   */
  resume(state: ResumeState): void {
    for (const name of state.done) {
      const vm = this.byName.get(name);
      if (vm && vm.phase === 'waiting') {
        this.setPhase(vm, 'done');
        this.bytesDone += vm.item.bytes;
      }
    }
    for (const f of state.failed) {
      const vm = this.byName.get(f.vm);
      if (vm && vm.phase === 'waiting') {
        this.setPhase(vm, 'failed');
        vm.lastFailure = f.reason;
      }
    }
    for (const [name, n] of state.attempts) {
      const vm = this.byName.get(name);
      if (vm) vm.attempts = n;
    }
    for (const op of state.inFlight) {
      const vm = this.byName.get(op.vm);
      if (!vm || vm.phase !== 'waiting') continue;
      vm.host = op.host;
      vm.target = op.kind === 'svmotion' ? (this.targetsByName.get(op.targetDatastore) ?? null) : this.chooseTarget(vm, false);
      if (vm.target) vm.target.freeBytes -= vm.item.bytes;
      vm.cluster.inFlight++;
      this.inFlight++;
      if (op.kind === 'svmotion') {
        this.setPhase(vm, 'svmotion');
        this.addLoad(op.host, 1);
        this.addDatastoreLoad(op, 1);
      } else {
        this.setPhase(vm, 'vmotion');
        this.addLoad(op.toHost, 1);
      }
      this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0 });
    }
    this.nextId = Math.max(this.nextId, state.nextId);
  }

  /** The operations to start now. Calling it again without new observations returns nothing new. */
  decide(now: number): Operation[] {
    this.requeueRetries(now);
    const window = openIntervalAt(this.campaign.windows, now);
    if (window === null) {
      this.adaptive?.pause(now);
      return [];
    }
    if (this.adaptive) {
      const backlog = this.count('waiting') > 0;
      this.adaptive.update({ now, bytesSeen: this.bytesSeen(), queued: this.queuedCount(), inFlight: this.inFlight, backlog });
    }
    const maxBytes = this.bytesThatFit(now, window.end);

    const out: Operation[] = [];
    for (const cluster of this.clusters) {
      const held: VmState[] = [];
      for (const vm of cluster.ready.splice(0)) {
        if (vm.item.bytes <= maxBytes) out.push(this.svmotion(vm));
        else held.push(vm);
      }
      cluster.ready.push(...held);
    }

    const stuck = new Set<ClusterState>();
    for (;;) {
      const cluster = this.nextCluster(stuck);
      if (cluster === null) break;
      const vm = this.pick(cluster, maxBytes);
      if (vm === null) {
        stuck.add(cluster);
        continue;
      }
      const target = this.chooseTarget(vm, this.resourceAware());
      if (target === null) {
        // Every target with room for it is at vCenter's datastore limit: later, not never.
        if (this.chooseTarget(vm, false) !== null) stuck.add(cluster);
        else this.skip(vm, this.noTargetReason(vm));
        continue;
      }
      vm.target = target;
      target.freeBytes -= vm.item.bytes;
      cluster.inFlight++;
      this.inFlight++;
      const toHost = this.policy.placementFix === 'least-busy' ? this.relief(cluster, vm) : null;
      out.push(toHost === null ? this.svmotion(vm) : this.vmotion(vm, toHost));
    }
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'vmMoved') {
      this.moved(o.vm, o.toHost);
      return;
    }
    const entry = this.ops.get(o.op);
    if (!entry) return;
    switch (o.type) {
      case 'queued':
        entry.queued = true;
        return;
      case 'started':
        entry.queued = false;
        entry.startedAt = o.at;
        return;
      case 'progress':
        entry.fraction = Math.max(entry.fraction, Math.min(1, o.fraction));
        return;
      case 'succeeded':
      case 'failed':
        this.ended(entry, o);
    }
  }

  /** When to be asked again even if nothing else happens; null when nothing is waiting on time. */
  nextWakeUp(now: number): number | null {
    let wake = Infinity;
    for (const vm of this.backingOff) wake = Math.min(wake, vm.eligibleAt);
    const pending = this.count('waiting') + this.count('backoff') + this.count('ready') > 0;
    if (pending && this.adaptive && this.inFlight > 0) wake = Math.min(wake, this.adaptive.nextDecision);
    const windows = this.campaign.windows;
    if (pending && windows !== null) {
      wake = Math.min(wake, isOpen(windows, now) ? nextOpening(windows, closingAfter(windows, now)) : nextOpening(windows, now));
    }
    return Number.isFinite(wake) && wake > now ? wake : null;
  }

  /** True when every VM has ended (moved, failed or skipped) and nothing is in flight. */
  get finished(): boolean {
    if (this.ops.size > 0) return false;
    return this.count('done') + this.count('failed') + this.count('skipped') === this.vms.length;
  }

  /** VMs that were not attempted, with the reason: blocked in the estate, or no target fits. */
  get skipped(): readonly SkippedVm[] {
    return this.skippedVms;
  }

  /** VMs given up on after their last attempt failed. */
  get failed(): FailedVm[] {
    return this.vms.filter((v) => v.phase === 'failed').map((v) => ({ vm: v.item.vm, attempts: v.attempts, reason: v.lastFailure ?? 'failed' }));
  }

  /** The campaign-wide limit of the adaptive loop over time (empty for other policies). */
  get adaptiveHistory(): ReadonlyArray<{ at: number; limit: number; rate: number }> {
    return this.adaptive?.history ?? [];
  }

  /** What is left to move: every VM not ended, with the share of its bytes still to copy. */
  remainingWork(): Map<string, number> {
    const out = new Map<string, number>();
    for (const vm of this.vms) if (vm.phase === 'waiting' || vm.phase === 'backoff' || vm.phase === 'vmotion' || vm.phase === 'ready') out.set(vm.item.vm, 1);
    for (const e of this.ops.values()) if (e.op.kind === 'svmotion') out.set(e.vm.item.vm, 1 - e.fraction);
    return out;
  }

  /** Per cluster: VMs done, running, waiting in vCenter's queue, failed, left, and bytes done. */
  clusterProgress(): Map<string, ClusterProgress> {
    const out = new Map<string, ClusterProgress>(this.clusters.map((c) => [c.name, { name: c.name, done: 0, running: 0, queued: 0, failed: 0, left: 0, bytesDone: 0 }]));
    const queuedVms = new Set<VmState>();
    for (const e of this.ops.values()) if (e.queued) queuedVms.add(e.vm);
    for (const vm of this.vms) {
      const c = out.get(vm.cluster.name)!;
      if (vm.phase === 'done') {
        c.done++;
        c.bytesDone += vm.item.bytes;
      } else if (vm.phase === 'failed') c.failed++;
      else if (vm.phase === 'waiting' || vm.phase === 'backoff') c.left++;
      else if (queuedVms.has(vm)) c.queued++;
      else if (vm.phase !== 'skipped') c.running++;
    }
    return out;
  }

  progress(): PlannerProgress {
    const p: PlannerProgress = {
      vmsTotal: this.vms.length + this.campaign.blocked.length,
      vmsDone: 0,
      vmsFailed: 0,
      vmsSkipped: this.skippedVms.length,
      vmsInFlight: 0,
      vmsWaiting: 0,
      bytesTotal: 0,
      bytesDone: this.bytesDone,
      queued: this.queuedCount(),
    };
    for (const vm of this.vms) {
      p.bytesTotal += vm.item.bytes;
      if (vm.phase === 'done') p.vmsDone++;
      else if (vm.phase === 'failed') p.vmsFailed++;
      else if (vm.phase === 'vmotion' || vm.phase === 'ready' || vm.phase === 'svmotion') p.vmsInFlight++;
      else if (vm.phase === 'waiting' || vm.phase === 'backoff') p.vmsWaiting++;
    }
    return p;
  }

  // ——— choosing ———

  private clusterCap(hosts: number): number {
    const p = this.policy;
    let cap = Infinity;
    if (p.perCluster === 'half-hosts') cap = Math.max(1, Math.floor(hosts / 2));
    else if (p.perCluster !== null) cap = p.perCluster;
    if (p.perHost !== null) cap = Math.min(cap, p.perHost * hosts);
    // Beyond every host's own limit, more copies only wait in vCenter's queue.
    if (p.adaptive !== null || p.global !== null) cap = Math.min(cap, this.campaign.hostSvmotionLimit * hosts);
    return cap;
  }

  /** The cluster to dispatch from next: room under every limit, fewest in flight per host, by name. */
  private nextCluster(stuck: ReadonlySet<ClusterState>): ClusterState | null {
    const global = Math.min(this.policy.global ?? Infinity, this.adaptive?.limit ?? Infinity);
    if (this.inFlight >= global) return null;
    let best: ClusterState | null = null;
    for (const c of this.clusters) {
      if (stuck.has(c) || c.inFlight >= c.cap) continue;
      if (c.queue.peek((r) => this.isWaiting(r, c)) === undefined) continue;
      if (best === null || c.inFlight * best.hosts.length < best.inFlight * c.hosts.length) best = c;
    }
    return best;
  }

  /** The next VM of `cluster` under the policy's pick, or null when none may go now. */
  private pick(cluster: ClusterState, maxBytes: number): VmState | null {
    const fits = (rank: number) => this.vms[rank]!.item.bytes <= maxBytes;
    const live = (rank: number) => this.isWaiting(rank, cluster);
    const p = this.policy;
    const hostAware = this.resourceAware();
    if (hostAware) {
      // Only VMs vCenter would let start now: a free slot on the host and on the source datastores.
      const admissible = (rank: number) => fits(rank) && this.vms[rank]!.item.sourceDatastores.every((ds) => this.datastoreHasRoom(ds));
      let best: VmState | null = null;
      for (const h of cluster.hosts) {
        if (!this.hostHasRoom(h)) continue;
        const rank = this.hostQueue(h).find((r) => live(r) && this.vms[r]!.host === h, admissible);
        if (rank !== undefined && (best === null || rank < best.rank)) best = this.vms[rank]!;
      }
      if (best !== null || p.placementFix !== 'least-busy') return best;
    }
    const rank = cluster.queue.find(live, fits);
    return rank === undefined ? null : this.vms[rank]!;
  }

  /** Whether the policy picks only what vCenter's limits would let start now. */
  private resourceAware(): boolean {
    const p = this.policy;
    return p.pick === 'host-aware' || p.perHost !== null || p.perEnclosure !== null;
  }

  private datastoreHasRoom(ds: string): boolean {
    return (this.datastoreLoad.get(ds) ?? 0) < this.campaign.datastoreSvmotionLimit;
  }

  private hostHasRoom(host: string): boolean {
    const limit = this.policy.perHost ?? this.campaign.hostSvmotionLimit;
    if (this.load(host) >= limit) return false;
    const enclosure = this.campaign.enclosureOf.get(host) ?? null;
    if (this.policy.perEnclosure !== null && enclosure !== null && (this.enclosureLoad.get(enclosure) ?? 0) >= this.policy.perEnclosure) {
      return false;
    }
    return true;
  }

  /**
   * The host to vMotion `vm` to before copying it, or null to copy where it is: only when its host
   * is already at the svMotion limit and another host of the cluster, seeing the target datastore,
   * has a free slot (the least loaded, then by name).
   */
  private relief(cluster: ClusterState, vm: VmState): string | null {
    if (this.load(vm.host) < this.campaign.hostSvmotionLimit) return null;
    let best: string | null = null;
    let bestLoad = Infinity;
    for (const h of cluster.hosts) {
      if (h === vm.host || !this.sees(h, vm)) continue;
      const l = this.load(h);
      if (l < bestLoad) {
        best = h;
        bestLoad = l;
      }
    }
    return best !== null && bestLoad < this.campaign.hostSvmotionLimit ? best : null;
  }

  /**
   * The new datastore with the most free space that keeps the headroom after this copy; when
   * `aware`, only among those with a free svMotion slot under vCenter's datastore limit.
   */
  private chooseTarget(vm: VmState, aware: boolean): TargetDatastore | null {
    const fixed = this.campaign.fixedTargets.get(vm.item.vm);
    if (fixed !== undefined) {
      const t = this.targetsByName.get(fixed) ?? null;
      return t !== null && aware && !this.datastoreHasRoom(t.name) ? null : t;
    }
    let best: TargetDatastore | null = null;
    for (const t of this.campaign.targets) {
      if (t.hosts !== null && !t.hosts.has(vm.host)) continue;
      if (aware && !this.datastoreHasRoom(t.name)) continue;
      if (t.freeBytes - vm.item.bytes < this.campaign.headroom * t.capacityBytes) continue;
      if (best === null || t.freeBytes > best.freeBytes || (t.freeBytes === best.freeBytes && t.name < best.name)) best = t;
    }
    return best;
  }

  /** The largest copy predicted to finish before the window closes at `closes`. */
  private bytesThatFit(now: number, closes: number): number {
    if (this.campaign.allowOverrun || !Number.isFinite(closes)) return Infinity;
    const rate = this.rateSamples.length > 0 ? this.rateSamples.reduce((a, b) => a + b, 0) / this.rateSamples.length : this.campaign.expectedCopyRate;
    return Math.max(0, (closes - now - this.campaign.setupSeconds) * rate);
  }

  // ——— operations ———

  private svmotion(vm: VmState): SvmotionOp {
    const op: SvmotionOp = {
      kind: 'svmotion',
      id: this.nextId++,
      vm: vm.item.vm,
      cluster: vm.item.cluster,
      host: vm.host,
      sourceDatastores: vm.item.sourceDatastores,
      targetDatastore: vm.target!.name,
      bytes: vm.item.bytes,
    };
    this.setPhase(vm, 'svmotion');
    vm.attempts++;
    this.addLoad(vm.host, 1);
    this.addDatastoreLoad(op, 1);
    this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0 });
    return op;
  }

  private vmotion(vm: VmState, toHost: string): VmotionOp {
    const op: VmotionOp = {
      kind: 'vmotion',
      id: this.nextId++,
      vm: vm.item.vm,
      cluster: vm.item.cluster,
      host: vm.host,
      toHost,
      bytes: vm.item.memoryBytes,
    };
    this.setPhase(vm, 'vmotion');
    // Count the VM on its new host already, so that two VMs are not sent to the same free slot.
    this.addLoad(toHost, 1);
    this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0 });
    return op;
  }

  private ended(entry: OpState, o: Extract<Observation, { type: 'succeeded' | 'failed' }>): void {
    this.ops.delete(entry.op.id);
    const { op, vm } = entry;
    const cluster = vm.cluster;
    if (op.kind === 'vmotion') {
      this.addLoad(op.toHost, -1);
      if (o.type === 'succeeded') vm.host = op.toHost;
      // Failed or not, the copy goes ahead from wherever the VM is: vCenter queues it if need be.
      this.setPhase(vm, 'ready');
      cluster.ready.push(vm);
      return;
    }
    this.addLoad(op.host, -1);
    this.addDatastoreLoad(op, -1);
    cluster.inFlight--;
    this.inFlight--;
    if (o.type === 'succeeded') {
      this.setPhase(vm, 'done');
      this.bytesDone += vm.item.bytes;
      if (entry.startedAt !== null && o.at - entry.startedAt - this.campaign.setupSeconds > 0 && vm.item.bytes > 0) {
        this.rateSamples.push(vm.item.bytes / (o.at - entry.startedAt - this.campaign.setupSeconds));
        if (this.rateSamples.length > RATE_SAMPLES) this.rateSamples.shift();
      }
      return;
    }
    if (vm.target) vm.target.freeBytes += vm.item.bytes;
    vm.target = null;
    vm.lastFailure = o.reason;
    if (o.transient && vm.attempts <= this.policy.retries) {
      this.setPhase(vm, 'backoff');
      vm.eligibleAt = o.at + this.policy.retryBackoffSeconds * 2 ** (vm.attempts - 1);
    } else {
      this.setPhase(vm, 'failed');
    }
  }

  private requeueRetries(now: number): void {
    for (const vm of [...this.backingOff]) {
      if (vm.eligibleAt > now) continue;
      this.setPhase(vm, 'waiting');
      vm.cluster.queue.push(vm.rank);
      this.hostQueue(vm.host).push(vm.rank);
    }
  }

  private moved(name: string, toHost: string): void {
    const vm = this.byName.get(name);
    if (!vm || vm.host === toHost) return;
    if (vm.phase === 'waiting' || vm.phase === 'backoff' || vm.phase === 'ready') {
      vm.host = toHost;
      if (vm.phase === 'waiting') this.hostQueue(toHost).push(vm.rank);
    }
  }

  private skip(vm: VmState, reason: string): void {
    this.setPhase(vm, 'skipped');
    this.skippedVms.push({ vm: vm.item.vm, cluster: vm.item.cluster, host: vm.host, bytes: vm.item.bytes, sourceDatastores: vm.item.sourceDatastores, reason });
  }

  private noTargetReason(vm: VmState): string {
    const fixed = this.campaign.fixedTargets.get(vm.item.vm);
    if (fixed !== undefined) return `its planned target datastore ${fixed} is not among the new datastores`;
    const visible = this.campaign.targets.filter((t) => t.hosts === null || t.hosts.has(vm.host));
    if (visible.length === 0) return `no new datastore is mounted on host ${vm.host}`;
    const pct = Math.round(this.campaign.headroom * 100);
    return `no new datastore mounted on host ${vm.host} keeps ${pct} % free after this copy`;
  }

  // ——— bookkeeping ———

  private setPhase(vm: VmState, phase: Phase): void {
    this.phaseCount.set(vm.phase, this.count(vm.phase) - 1);
    this.phaseCount.set(phase, this.count(phase) + 1);
    if (phase === 'backoff') this.backingOff.add(vm);
    else if (vm.phase === 'backoff') this.backingOff.delete(vm);
    vm.phase = phase;
  }

  private count(phase: Phase): number {
    return this.phaseCount.get(phase) ?? 0;
  }

  private isWaiting(rank: number, cluster: ClusterState): boolean {
    const vm = this.vms[rank]!;
    return vm.phase === 'waiting' && vm.cluster === cluster;
  }

  private bytesSeen(): number {
    let bytes = this.bytesDone;
    for (const e of this.ops.values()) if (e.op.kind === 'svmotion') bytes += e.op.bytes * e.fraction;
    return bytes;
  }

  private queuedCount(): number {
    let n = 0;
    for (const e of this.ops.values()) if (e.queued) n++;
    return n;
  }

  private sees(host: string, vm: VmState): boolean {
    const t = vm.target;
    return t === null || t.hosts === null || t.hosts.has(host);
  }

  private hostQueue(host: string): RankQueue {
    let q = this.hostQueues.get(host);
    if (!q) this.hostQueues.set(host, (q = new RankQueue()));
    return q;
  }

  private load(host: string): number {
    return this.hostLoad.get(host) ?? 0;
  }

  private addDatastoreLoad(op: SvmotionOp, delta: number): void {
    for (const ds of new Set([...op.sourceDatastores, op.targetDatastore])) this.datastoreLoad.set(ds, (this.datastoreLoad.get(ds) ?? 0) + delta);
  }

  private addLoad(host: string, delta: number): void {
    this.hostLoad.set(host, this.load(host) + delta);
    const enclosure = this.campaign.enclosureOf.get(host) ?? null;
    if (enclosure !== null) this.enclosureLoad.set(enclosure, (this.enclosureLoad.get(enclosure) ?? 0) + delta);
  }
}

/** The campaign's order under the policy: rank 0 goes first. Ties go by VM name. */
export function orderItems(items: readonly MoveItem[], policy: Policy, priority: readonly string[]): MoveItem[] {
  const byName = (a: MoveItem, b: MoveItem) => compare(a.vm, b.vm);
  const sorted = [...items];
  switch (policy.ordering) {
    case 'largest-first':
      return sorted.sort((a, b) => b.bytes - a.bytes || byName(a, b));
    case 'smallest-first':
      return sorted.sort((a, b) => a.bytes - b.bytes || byName(a, b));
    case 'drain-datastore': {
      // Empty datastores one at a time: each step takes the legacy datastore with the least left
      // to move and schedules every VM still touching it (largest first), so that it is empty once
      // they are done. A VM spread over several datastores goes with the first of them to drain.
      const left = new Map<string, number>();
      const on = new Map<string, MoveItem[]>();
      for (const i of items) {
        for (const ds of i.sourceDatastores) {
          left.set(ds, (left.get(ds) ?? 0) + i.bytes);
          const list = on.get(ds);
          if (list) list.push(i);
          else on.set(ds, [i]);
        }
      }
      const scheduled = new Set<MoveItem>();
      const out: MoveItem[] = [];
      while (out.length < items.length) {
        let next: string | null = null;
        for (const [ds, bytes] of left) {
          if (next === null || bytes < left.get(next)! || (bytes === left.get(next)! && ds < next)) next = ds;
        }
        if (next === null) break;
        const group = on.get(next)!.filter((i) => !scheduled.has(i)).sort((a, b) => b.bytes - a.bytes || byName(a, b));
        for (const i of group) {
          scheduled.add(i);
          out.push(i);
          for (const ds of i.sourceDatastores) left.set(ds, left.get(ds)! - i.bytes);
        }
        left.delete(next);
      }
      // VMs on no legacy datastore (none in a campaign) would be lost above: keep them, last.
      return [...out, ...sorted.filter((i) => !scheduled.has(i)).sort((a, b) => b.bytes - a.bytes || byName(a, b))];
    }
    case 'priority': {
      const matchers = priority.map(matcher);
      const rank = (i: MoveItem) => {
        const k = matchers.findIndex((m) => m(i.vm));
        return k < 0 ? matchers.length : k;
      };
      return sorted.sort((a, b) => rank(a) - rank(b) || b.bytes - a.bytes || byName(a, b));
    }
  }
}

function matcher(entry: string): (name: string) => boolean {
  const re = /^\/(.*)\/$/.exec(entry);
  if (re) {
    // Linear-time matching (RE2): a priority pattern cannot backtrack for ever on a long VM name.
    const pattern = compileNamePattern(re[1]!);
    return (name) => pattern.test(name);
  }
  return (name) => name === entry;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
