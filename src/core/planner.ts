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
import { floorRate, type Campaign, type CopyFloor, type MoveItem, type SkippedVm, type WindowFit } from './campaign.js';
import { OPERATIONS, VM_MOVE } from './operations.js';
import type { Decider, Observation, Operation, SvmotionOp, VmotionOp } from './port.js';
import { TargetBook, type DatastoreSlot, type Placement } from './targets.js';
import type { Policy } from './policy.js';
import type { Verdict } from './progress.js';
import type { WindowMisfit } from './result.js';
import { IndexedHeap } from './indexed-heap.js';
import { InFlight } from './in-flight.js';
import { RankQueue } from './rank-queue.js';
import { closingAfter, isOpen, nextOpening, openIntervalAt, WEEK } from '../domain/windows.js';
import { compileNamePattern } from '../domain/name-pattern.js';
import { formatBytes, formatDuration } from '../domain/units.js';

/** Where a VM stands, by number (a VM's phase sits in a byte array). */
const Phase = { waiting: 0, backoff: 1, vmotion: 2, ready: 3, svmotion: 4, done: 5, failed: 6, skipped: 7 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** What the planner keeps of a host: svMotions on it (and VMs on their way there), its enclosure, its queue of VMs. */
interface HostSlot {
  /** Its place in the planner's list of hosts. */
  index: number;
  name: string;
  load: number;
  /** Times it was chosen as a pro-active vMotion's destination: ties among idle hosts go round. */
  chosen: number;
  enclosure: { load: number } | null;
  queue: RankQueue;
}

interface ClusterState {
  index: number;
  name: string;
  hosts: HostSlot[];
  cap: number;
  queue: RankQueue;
  /** VMs (by rank) whose pro-active vMotion ended: their svMotion goes next, in the slot they already hold. */
  ready: number[];
  inFlight: number;
  /** VMs of the cluster in phase 'waiting'. */
  waiting: number;
  /** Found unable to dispatch in the decision under way. */
  stuck: boolean;
}

/** The operations the planner itself decides: the moves. Other kinds come from stages around it. */
type PlannerOp = SvmotionOp | VmotionOp;

interface OpState {
  op: PlannerOp;
  /** Its VM's rank. */
  vm: number;
  queued: boolean;
  startedAt: number | null;
  fraction: number;
  /** A copy started in a window: the least rate it was sure of (with as many copies in flight as it tolerates). */
  floor: number | null;
}

/** How a VM's last attempt failed, as a restart finds it: the planner's retry rule decides what follows. */
export interface PastFailure {
  vm: string;
  reason: string;
  transient: boolean;
  /** When it failed, in seconds since the campaign's start: a retry's back-off runs from there. */
  at: number;
}

export interface ResumeState {
  done: readonly string[];
  /** VMs whose last attempt failed (and none runs): given up on, or retried, as the policy says. */
  failed: readonly PastFailure[];
  /** Attempts made so far per VM: the failures above count against the policy's retries. */
  attempts: ReadonlyMap<string, number>;
  inFlight: readonly Operation[];
  /** The next operation id to use (above every id in the journal). */
  nextId: number;
}

export interface FailedVm {
  vm: string;
  attempts: number;
  reason: string;
}

export interface PlannerOptions {
  /** The first operation id (a resumed run continues the journal's numbering). */
  firstId?: number;
  /** Hears the planner's verdict on a VM whenever it gives one (progress read-models). */
  onVerdict?: (v: Verdict) => void;
  /** The campaign's items already in the policy's order (orderItems), when the caller has them. */
  ordered?: readonly MoveItem[];
}

/** What a decision returns when it starts nothing (shared: callers only read it). */
const NO_OPERATIONS: Operation[] = [];

/** The open interval of a campaign without change windows. */
const ALWAYS_OPEN = { start: -Infinity, end: Infinity };

export class Planner implements Decider {
  private readonly clusters: ClusterState[];
  /**
   * Each VM's state by rank (its place in the policy's order), in arrays made once per run rather
   * than an object per VM: its item is `ordered[rank]`, its cluster `clusterOf[rank]` (the start
   * layout's, shared: a VM's cluster never changes).
   */
  private readonly clusterOf: Int32Array;
  private readonly phase: Uint8Array;
  /** The VM's host now, as a number in `hostList`. */
  private readonly hostAt: Int32Array;
  /** Where its copy goes, once chosen. */
  private readonly placement: Array<Placement | null>;
  private readonly attempts: Int32Array;
  private readonly eligibleAt: Float64Array;
  /** Why a VM's last attempt failed, for the few that failed. */
  private readonly lastFailure = new Map<number, string>();
  /**
   * Each VM's rank by name (shared by every planner of the same ordered campaign), made when a VM
   * is first named: only a restart and DRS's moves name VMs, and a run without them needs none.
   */
  private rankOf: ReadonlyMap<string, number> | null = null;
  private readonly ordered: readonly MoveItem[];
  private readonly hostSlots = new Map<string, HostSlot>();
  private readonly hostList: HostSlot[] = [];
  private readonly enclosureSlots = new Map<string, { load: number }>();
  private readonly datastoreSlots = new Map<string, DatastoreSlot>();
  /** The legacy datastores of the campaign by number (StartLayout.sources), and where each VM reads from by number. */
  private readonly sourceSlots: DatastoreSlot[];
  private readonly sourceStart: Int32Array;
  private readonly sourceOf: Int32Array;
  private readonly ops = new InFlight<OpState>();
  private readonly skippedVms: SkippedVm[];
  private readonly adaptive: AdaptiveController | null;
  /**
   * With change windows and no overrun: how to tell that a copy ends in its window (null: any
   * copy may start whenever a window is open). See fitsWindow.
   */
  private readonly fit: WindowFit | null;
  /** The longest window, seconds. */
  private readonly longestWindow: number;
  /** The most copies the policy has in flight at once (a non-adaptive policy's copies allow for that many). */
  private readonly concurrency: number;
  /** Copies started in a window, by the most copies in flight each tolerates and still ends in it. */
  private readonly tolerances = new IndexedHeap();
  /** Observed rate over floor, at its least so far: below 1 when the floors were too hopeful. */
  private correction = 1;
  /** VMs whose copy fits no window (also among the skipped). */
  private readonly misfitVms: WindowMisfit[] = [];
  /** The new datastores with the free space the planner counts on each, and the choice of target. */
  private readonly book: TargetBook;
  /** Clusters that may dispatch now, fewest copies per host first (then by name). */
  private readonly eligible = new IndexedHeap();
  /** Clusters with VMs whose vMotion ended. */
  private readonly readyClusters = new Set<ClusterState>();
  /** VMs backing off after a failure, by when they may go again. */
  private readonly backingOff = new IndexedHeap();
  private readonly onVerdict: ((v: Verdict) => void) | null;
  /** VMs per phase: kept as phases change, so that no question scans every VM. */
  private readonly phaseCount = new Int32Array(8);
  /** The policy picks only what vCenter's limits would let start now. */
  private readonly aware: boolean;
  /** svMotion slots held: VMs submitted (their vMotion first, if any) whose copy has not ended. */
  private slots = 0;
  /** Own operations vCenter holds in its queue. */
  private queuedOps = 0;
  private nextId: number;
  private retried = 0;
  private bytesDone = 0;
  private readonly bytesTotal: number;

  constructor(
    private readonly campaign: Campaign,
    readonly policy: Policy,
    options: PlannerOptions = {},
  ) {
    this.nextId = options.firstId ?? 1;
    this.onVerdict = options.onVerdict ?? null;
    this.fit = strictWindows(campaign);
    // In a window a copy must start at once to be sure of its end: only what vCenter admits now goes.
    this.aware = policy.pick === 'host-aware' || policy.perHost !== null || policy.perEnclosure !== null || this.fit !== null;
    this.longestWindow = campaign.windows === null ? Infinity : Math.max(0, ...campaign.windows.intervals.map((i) => i.end - i.start));
    this.book = new TargetBook(campaign, { slotOf: (name) => this.datastore(name), hasRoom: (slot) => this.datastoreHasRoom(slot) });
    this.skippedVms = [...campaign.blocked];
    this.adaptive = policy.adaptive ? new AdaptiveController(policy.adaptive) : null;
    const ordered = options.ordered ?? orderItems(campaign.items, policy, campaign.priority);
    const layout = layoutOf(campaign, ordered);
    this.sourceSlots = layout.sources.map((name) => this.datastore(name));
    this.sourceStart = layout.sourceStart;
    this.sourceOf = layout.sourceOf;
    // The VMs' hosts first, so that a host's slot has the number the layout gives it.
    const hosts = layout.hosts.map((h) => this.hostSlot(h));
    this.clusters = layout.clusters.map((c, index) => ({
      index,
      name: c.name,
      hosts: c.hosts.map((h) => this.hostSlot(h)),
      cap: this.clusterCap(c.hosts.length),
      // Ranks go into the queues in increasing order: each is a heap as it stands.
      queue: new RankQueue(layout.clusterRanks[index], true),
      ready: [],
      inFlight: 0,
      waiting: layout.clusterRanks[index]!.length,
      stuck: false,
    }));
    // Only a pick that looks host by host (host-aware) reads the hosts' queues: other policies keep none.
    if (this.aware) for (let i = 0; i < hosts.length; i++) hosts[i]!.queue = new RankQueue(layout.hostRanks[i], true);
    const n = ordered.length;
    this.clusterOf = layout.clusterOf;
    this.phase = new Uint8Array(n); // every VM waiting
    this.hostAt = layout.hostOf.slice();
    this.placement = new Array<Placement | null>(n).fill(null);
    this.attempts = new Int32Array(n);
    this.eligibleAt = new Float64Array(n);
    this.ordered = ordered;
    this.phaseCount[Phase.waiting] = n;
    this.bytesTotal = layout.bytesTotal;
    let concurrency = 0;
    for (const c of this.clusters) concurrency += Math.min(c.cap, this.campaign.hostSvmotionLimit * c.hosts.length);
    this.concurrency = Math.max(1, Math.min(concurrency, policy.global ?? Infinity));
    for (const c of this.clusters) this.refresh(c);
    this.skipMisfits();
  }

  /**
   * Takes up a campaign that already ran in part (the live executor after a restart): VMs already
   * moved, attempts made so far, VMs whose last attempt failed (given up on or backing off, by the
   * same rule as when the failure is observed), and operations still running in vCenter, which
   * count in flight exactly as if this planner had started them. Call before the first decide.
   */
  resume(state: ResumeState): void {
    for (const name of state.done) {
      const vm = this.named(name);
      if (vm !== undefined && this.phase[vm] === Phase.waiting) {
        this.setPhase(vm, Phase.done);
        this.bytesDone += this.ordered[vm]!.bytes;
      }
    }
    for (const [name, n] of state.attempts) {
      const vm = this.named(name);
      if (vm !== undefined) this.attempts[vm] = n;
    }
    for (const f of state.failed) {
      const vm = this.named(f.vm);
      if (vm !== undefined && this.phase[vm] === Phase.waiting) this.afterFailure(vm, f.reason, f.transient, f.at);
    }
    for (const op of state.inFlight) {
      if (op.kind !== 'svmotion' && op.kind !== 'vmotion') continue;
      const vm = this.named(op.vm);
      if (vm === undefined || this.phase[vm] !== Phase.waiting) continue;
      this.place(vm, op.host);
      const item = this.ordered[vm]!;
      const placement = op.kind === VM_MOVE ? this.book.placementOf(item, op.targetDatastore, op.disks) : this.book.choose(item, op.host, false);
      this.placement[vm] = placement;
      if (placement) this.book.reserve(placement, item, -1);
      this.addInFlight(this.clusterOfVm(vm), 1);
      if (op.kind === VM_MOVE) {
        this.setPhase(vm, Phase.svmotion);
        this.addLoad(this.hostOf(vm), 1);
        this.addDatastoreLoad(vm, op, 1);
      } else {
        this.setPhase(vm, Phase.vmotion);
        this.addLoad(this.hostSlot(op.toHost), 1);
      }
      this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0, floor: null });
    }
    this.nextId = Math.max(this.nextId, state.nextId);
  }

  /** The operations to start now. Calling it again without new observations returns nothing new. */
  decide(now: number): Operation[] {
    this.requeueRetries(now);
    const windows = this.campaign.windows;
    const window = windows === null ? ALWAYS_OPEN : openIntervalAt(windows, now);
    if (window === null) {
      this.adaptive?.pause(now);
      return NO_OPERATIONS;
    }
    if (this.adaptive && now >= this.adaptive.nextDecision) {
      const backlog = this.phaseCount[Phase.waiting]! > 0;
      this.adaptive.update({ now, bytesSeen: this.bytesSeen(), queued: this.queuedOps, inFlight: this.slots, backlog });
    }
    this.picking.now = now;
    this.picking.closes = window.end;

    let out: Operation[] | null = null;
    if (this.readyClusters.size > 0) {
      const clusters = [...this.readyClusters].sort((a, b) => a.index - b.index);
      this.readyClusters.clear();
      for (const cluster of clusters) {
        const held: number[] = [];
        for (const vm of cluster.ready) {
          if (this.fitsWindow(vm, true)) (out ??= []).push(this.svmotion(vm));
          else held.push(vm);
        }
        cluster.ready = held;
        if (held.length > 0) this.readyClusters.add(cluster);
      }
    }

    const global = Math.min(this.policy.global ?? Infinity, this.adaptive?.limit ?? Infinity, this.ceiling);
    let stuck: ClusterState[] | null = null;
    while (this.slots < global) {
      const top = this.eligible.top;
      if (top === undefined) break;
      const cluster = this.clusters[top]!;
      const vm = this.pick(cluster);
      if (vm < 0) {
        (stuck ??= []).push(this.stick(cluster));
        continue;
      }
      // In a window, a copy vCenter would keep waiting may start after the window closes: it goes
      // only from a host with a free slot, or after a vMotion to one.
      if (this.fit !== null && !this.startsNow(vm) && (this.policy.placementFix !== 'least-busy' || this.relief(cluster, vm) === null)) {
        (stuck ??= []).push(this.stick(cluster));
        continue;
      }
      const item = this.ordered[vm]!;
      const host = this.hostOf(vm).name;
      const placement = this.book.choose(item, host, this.aware);
      if (placement === null) {
        // Every target with room for it is at vCenter's datastore limit: later, not never.
        if (this.book.choose(item, host, false) !== null) (stuck ??= []).push(this.stick(cluster));
        else this.skip(vm, this.book.noTargetReason(item, host));
        continue;
      }
      this.placement[vm] = placement;
      this.book.reserve(placement, item, -1);
      this.addInFlight(cluster, 1);
      const toHost = this.policy.placementFix === 'least-busy' ? this.relief(cluster, vm) : null;
      (out ??= []).push(toHost === null ? this.svmotion(vm) : this.vmotion(vm, toHost));
    }
    // Stuck for this decision only: the next one looks again.
    for (const cluster of stuck ?? []) {
      cluster.stuck = false;
      this.refresh(cluster);
    }
    return out ?? NO_OPERATIONS;
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
        if (!entry.queued) this.queuedOps++;
        entry.queued = true;
        return;
      case 'started':
        if (entry.queued) this.queuedOps--;
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
    let wake = this.backingOff.size > 0 ? this.backingOff.topKey : Infinity;
    const c = this.phaseCount;
    const pending = c[Phase.waiting]! + c[Phase.backoff]! + c[Phase.ready]! > 0;
    if (pending && this.adaptive && this.slots > 0) wake = Math.min(wake, this.adaptive.nextDecision);
    const windows = this.campaign.windows;
    if (pending && windows !== null) {
      wake = Math.min(wake, isOpen(windows, now) ? nextOpening(windows, closingAfter(windows, now)) : nextOpening(windows, now));
    }
    return Number.isFinite(wake) && wake > now ? wake : null;
  }

  /** Operations submitted and not ended. */
  get inFlight(): number {
    return this.ops.size;
  }

  /** True when every VM has ended (moved, failed or skipped) and nothing is in flight. */
  get finished(): boolean {
    if (this.ops.size > 0) return false;
    const c = this.phaseCount;
    return c[Phase.done]! + c[Phase.failed]! + c[Phase.skipped]! === this.ordered.length;
  }

  /** VMs that were not attempted, with the reason: blocked in the estate, or no target fits. */
  get skipped(): readonly SkippedVm[] {
    return this.skippedVms;
  }

  /** Attempts beyond each VM's first (the retries after failures). */
  get retries(): number {
    return this.retried;
  }

  /** Whether the VM's storage has moved (its last attempt succeeded). */
  hasMoved(name: string): boolean {
    const vm = this.named(name);
    return vm !== undefined && this.phase[vm] === Phase.done;
  }

  /** VMs whose copy fits no change window (they are among the skipped too). */
  get misfits(): readonly WindowMisfit[] {
    return this.misfitVms;
  }

  /** Whether copies must end in their change window (windows, no overrun). */
  get windowsHold(): boolean {
    return this.fit !== null;
  }

  /** How many VMs were moved. */
  get movedCount(): number {
    return this.phaseCount[Phase.done]!;
  }

  /** How many VMs were given up on. */
  get failedCount(): number {
    return this.phaseCount[Phase.failed]!;
  }

  /** VMs given up on after their last attempt failed. */
  get failed(): FailedVm[] {
    const failed: FailedVm[] = [];
    for (let vm = 0; vm < this.phase.length; vm++) {
      if (this.phase[vm] === Phase.failed) failed.push({ vm: this.ordered[vm]!.vm, attempts: this.attempts[vm]!, reason: this.lastFailure.get(vm) ?? 'failed' });
    }
    return failed;
  }

  /** The campaign-wide limit of the adaptive loop over time (empty for other policies). */
  get adaptiveHistory(): ReadonlyArray<{ at: number; limit: number; rate: number }> {
    return this.adaptive?.history ?? [];
  }

  /** Where the campaign stands, for a message when a run cannot finish: VMs waiting, in flight, bytes moved. */
  standing(): { waiting: number; inFlight: number; bytesDone: number; bytesTotal: number } {
    const c = this.phaseCount;
    return { waiting: c[Phase.waiting]! + c[Phase.backoff]!, inFlight: c[Phase.vmotion]! + c[Phase.ready]! + c[Phase.svmotion]!, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal };
  }

  /** A fresh operation id, for what a stage around the planner adds (remediation, DRS overrides). */
  takeId(): number {
    return this.nextId++;
  }

  /**
   * Forgets an operation decide() returned that never reached vCenter (a stage held it back, and
   * the run stopped): the VM waits again as if it had not been picked.
   */
  withdraw(id: number): void {
    const entry = this.ops.get(id);
    if (!entry) return;
    this.ops.delete(id);
    if (entry.queued) this.queuedOps--;
    const { op, vm } = entry;
    if (op.kind === VM_MOVE) {
      this.addLoad(this.hostOf(vm), -1);
      this.addDatastoreLoad(vm, op, -1);
      const attempts = (this.attempts[vm] = this.attempts[vm]! - 1);
      if (attempts > 0) this.retried--;
    } else {
      this.addLoad(this.hostSlot(op.toHost), -1);
    }
    this.addInFlight(this.clusterOfVm(vm), -1);
    this.giveBack(vm);
    this.setPhase(vm, Phase.waiting);
    this.requeue(vm);
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

  /**
   * Keeps `cluster` among the clusters that may dispatch exactly when it has room under its cap,
   * a VM waiting, and was not found stuck in this decision; ordered by copies in flight per host
   * (as exact as the cross-multiplied comparison it stands for: hosts are few, the ratios far apart).
   */
  private refresh(cluster: ClusterState): void {
    if (cluster.inFlight < cluster.cap && cluster.waiting > 0 && !cluster.stuck) {
      const hosts = cluster.hosts.length;
      this.eligible.set(cluster.index, hosts > 0 ? cluster.inFlight / hosts : Infinity, cluster.index);
    } else {
      this.eligible.remove(cluster.index);
    }
  }

  private stick(cluster: ClusterState): ClusterState {
    cluster.stuck = true;
    this.refresh(cluster);
    return cluster;
  }

  private addInFlight(cluster: ClusterState, delta: number): void {
    cluster.inFlight += delta;
    this.slots += delta;
    this.refresh(cluster);
  }

  /** The next VM (its rank) of `cluster` under the policy's pick, or -1 when none may go now. */
  private pick(cluster: ClusterState): number {
    this.picking.cluster = cluster.index;
    if (this.aware) {
      // Only VMs vCenter would let start now: a free slot on the host and on the source datastores.
      let best = -1;
      for (const h of cluster.hosts) {
        if (!this.hostHasRoom(h)) continue;
        this.picking.host = h.index;
        const rank = h.queue.find(this.waitingOnHost, this.admissible);
        if (rank !== undefined && (best < 0 || rank < best)) best = rank;
      }
      if (best >= 0 || this.policy.placementFix !== 'least-busy') return best;
    }
    return cluster.queue.find(this.waitingInCluster, this.fits) ?? -1;
  }

  // What `pick` looks for, as predicates made once (a pick runs at every decision).
  private readonly picking = { cluster: -1, host: -1, now: 0, closes: Infinity };
  private readonly waitingInCluster = (rank: number): boolean => this.phase[rank] === Phase.waiting && this.clusterOf[rank] === this.picking.cluster;
  private readonly waitingOnHost = (rank: number): boolean => this.waitingInCluster(rank) && this.hostAt[rank] === this.picking.host;
  private readonly fits = (rank: number): boolean => this.fitsWindow(rank, false);
  private readonly admissible = (rank: number): boolean => this.fits(rank) && this.sourcesHaveRoom(rank);

  /** Every legacy datastore the VM of this rank reads from is under vCenter's datastore limit. */
  private sourcesHaveRoom(rank: number): boolean {
    const limit = this.campaign.datastoreSvmotionLimit;
    for (let k = this.sourceStart[rank]!, end = this.sourceStart[rank + 1]!; k < end; k++) if (this.sourceSlots[this.sourceOf[k]!]!.load >= limit) return false;
    return true;
  }

  private datastoreHasRoom(ds: DatastoreSlot): boolean {
    return ds.load < this.campaign.datastoreSvmotionLimit;
  }

  private hostHasRoom(host: HostSlot): boolean {
    const limit = this.policy.perHost ?? this.campaign.hostSvmotionLimit;
    if (host.load >= limit) return false;
    if (this.policy.perEnclosure !== null && host.enclosure !== null && host.enclosure.load >= this.policy.perEnclosure) return false;
    return true;
  }

  /**
   * The host to vMotion `vm` to before copying it, or null to copy where it is: only when its host
   * is already at the svMotion limit and another host of the cluster, seeing the target datastore,
   * has a free slot. The least loaded goes first; among equally loaded hosts, the one chosen least
   * often so far, then by name: idle hosts take turns instead of the first by name taking every VM
   * whenever its copies have ended.
   */
  private relief(cluster: ClusterState, vm: number): string | null {
    const at = this.hostOf(vm);
    if (at.load < this.campaign.hostSvmotionLimit) return null;
    let best: HostSlot | null = null;
    for (const h of cluster.hosts) {
      if (h === at || h.load >= this.campaign.hostSvmotionLimit || !this.sees(h.name, vm)) continue;
      if (best === null || h.load < best.load || (h.load === best.load && h.chosen < best.chosen)) best = h;
    }
    if (best === null) return null;
    best.chosen++;
    return best.name;
  }

  // ——— change windows ———

  /**
   * Whether `vm`'s copy, started now, is sure to end before the open window closes: at its least
   * rate (its floor, campaign.ts) with as many copies in flight as it tolerates (`tolerance`). While
   * it runs, the planner keeps no more copies in flight than that (`ceiling`): a copy that needs
   * the links to itself to end in time lowers the policy's concurrency for the rest of its window.
   * It must tolerate the copies in flight now with it, and at least as many as fill the links it
   * shares (its shared capacity over its own cap) or as the policy runs, if fewer: a copy that
   * would need to run nearly alone waits for a longer window, rather than leave the links idle.
   * `holdsSlot`: the VM already counts in flight (its pro-active vMotion ended).
   */
  private fitsWindow(vm: number, holdsSlot: boolean): boolean {
    if (this.fit === null || !Number.isFinite(this.picking.closes)) return true;
    const inFlight = this.slots + (holdsSlot ? 0 : 1);
    if (inFlight > this.ceiling) return false;
    return this.tolerance(vm) >= Math.max(inFlight, this.company(vm));
  }

  /** The fewest copies in flight `vm`'s copy must tolerate: enough to fill the links it shares, or the policy's most. */
  private company(vm: number): number {
    const f = this.floorOf(vm);
    return Math.max(1, Math.min(this.concurrency, Math.ceil(f.shared / f.cap)));
  }

  /** The most copies that may be in flight while `vm`'s copy, started now, still ends in the open window. */
  private tolerance(vm: number): number {
    const fit = this.fit!;
    const f = this.floorOf(vm);
    const time = this.picking.closes - this.picking.now - fit.setupSeconds - fit.marginSeconds;
    const bytes = this.ordered[vm]!.bytes;
    if (bytes <= 0) return time >= 0 ? Infinity : 0;
    if (!(time > 0)) return 0;
    // The rate it needs, against floors scaled by what copies were seen to reach.
    const q = bytes / time / this.correction;
    if (f.cap < q) return 0;
    let n = f.shared / q;
    if (f.uplinks / f.uplinkCopies < q) n = Math.min(n, f.uplinks / q);
    if (f.hba / this.campaign.hostSvmotionLimit < q) n = Math.min(n, f.hba / q);
    return Math.floor(n);
  }

  /** The most copies in flight every copy started in a window tolerates (Infinity when none runs). */
  private get ceiling(): number {
    return this.tolerances.size > 0 ? this.tolerances.topKey : Infinity;
  }

  private floorOf(vm: number): CopyFloor {
    return this.fit!.floors.get(this.ordered[vm]!.vm) ?? { cap: this.campaign.expectedCopyRate, shared: Infinity, uplinks: Infinity, uplinkCopies: 1, hba: Infinity };
  }

  /** vCenter would admit `vm`'s copy now: a free svMotion slot on its host and on its source datastores. */
  private startsNow(vm: number): boolean {
    return this.hostHasRoom(this.hostOf(vm)) && this.sourcesHaveRoom(vm);
  }

  /**
   * Skips the VMs whose copy fits no window even at its floor, with the fewest copies in flight it
   * must tolerate (`company`). They are named, with the window they would need.
   */
  private skipMisfits(): void {
    if (this.fit === null) return;
    const fit = this.fit;
    for (let vm = 0; vm < this.ordered.length; vm++) {
      const item = this.ordered[vm]!;
      if (this.phase[vm] !== Phase.waiting || item.bytes <= 0) continue;
      const n = this.company(vm);
      const rate = floorRate(this.floorOf(vm), n, this.campaign.hostSvmotionLimit) * this.correction;
      const needs = fit.setupSeconds + fit.marginSeconds + item.bytes / rate;
      if (needs <= this.longestWindow) continue;
      this.misfitVms.push({ vm: item.vm, bytes: item.bytes, needsSeconds: needs, inFlight: n, longestWindowSeconds: this.longestWindow });
      const company = n === 1 ? 'even alone' : `with ${n} copies in flight`;
      this.skip(vm, `its copy fits no change window: ${formatBytes(item.bytes)} needs a window of ${formatDuration(needs)} ${company}, and the longest lasts ${formatDuration(this.longestWindow)}`);
    }
  }

  /** A copy started in a window ended at `at`: what it reached tells whether the floors hold. */
  private learnFloor(entry: OpState, at: number): void {
    if (entry.floor === null || entry.startedAt === null || entry.op.bytes <= 0) return;
    const copying = at - entry.startedAt - this.fit!.setupSeconds;
    if (!(copying > 0)) return;
    const ratio = entry.op.bytes / copying / entry.floor;
    if (ratio >= this.correction) return;
    const before = this.correction;
    this.correction = ratio;
    // Floors a few percent lower may leave some copies fitting no window any more.
    if (ratio < before * 0.99) this.skipMisfits();
  }

  // ——— operations ———

  private svmotion(vm: number): SvmotionOp {
    const placement = this.placement[vm]!;
    const item = this.ordered[vm]!;
    const at = this.hostOf(vm);
    const op: SvmotionOp = {
      kind: 'svmotion',
      id: this.nextId++,
      vm: item.vm,
      cluster: item.cluster,
      host: at.name,
      sourceDatastores: item.sourceDatastores,
      targetDatastore: placement.home.spec.name,
      bytes: item.bytes,
      estateIndex: item.estateIndex,
    };
    if (placement.disks !== null) op.disks = placement.disks.map((d) => ({ disk: d.item.label, source: d.item.datastore, target: d.target.spec.name, bytes: d.item.bytes }));
    this.setPhase(vm, Phase.svmotion);
    if (this.attempts[vm]! > 0) this.retried++;
    this.attempts[vm] = this.attempts[vm]! + 1;
    this.addLoad(at, 1);
    this.addDatastoreLoad(vm, op, 1);
    let floor: number | null = null;
    if (this.fit !== null && Number.isFinite(this.picking.closes)) {
      const tolerance = this.tolerance(vm);
      if (Number.isFinite(tolerance)) {
        this.tolerances.set(op.id, tolerance, op.id);
        floor = floorRate(this.floorOf(vm), tolerance, this.campaign.hostSvmotionLimit);
      }
    }
    this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0, floor });
    return op;
  }

  private vmotion(vm: number, toHost: string): VmotionOp {
    const item = this.ordered[vm]!;
    const op: VmotionOp = {
      kind: 'vmotion',
      id: this.nextId++,
      vm: item.vm,
      cluster: item.cluster,
      host: this.hostOf(vm).name,
      toHost,
      bytes: item.memoryBytes,
      estateIndex: item.estateIndex,
    };
    this.setPhase(vm, Phase.vmotion);
    // Count the VM on its new host already, so that two VMs are not sent to the same free slot.
    this.addLoad(this.hostSlot(toHost), 1);
    this.ops.set(op.id, { op, vm, queued: false, startedAt: null, fraction: 0, floor: null });
    return op;
  }

  private ended(entry: OpState, o: Extract<Observation, { type: 'succeeded' | 'failed' }>): void {
    this.ops.delete(entry.op.id);
    if (entry.queued) this.queuedOps--;
    const { op, vm } = entry;
    const cluster = this.clusterOfVm(vm);
    if (op.kind !== VM_MOVE) {
      // The pro-active vMotion ended: the VM's svMotion goes next, in the slot it holds.
      this.addLoad(this.hostSlot(op.toHost), -1);
      if (o.type === 'succeeded') this.place(vm, op.toHost);
      // Failed or not, the copy goes ahead from wherever the VM is: vCenter queues it if need be.
      this.setPhase(vm, Phase.ready);
      cluster.ready.push(vm);
      this.readyClusters.add(cluster);
      return;
    }
    // A VM copying stays where it was submitted from (see moved): its slot is the one it holds.
    const at = this.hostOf(vm);
    this.addLoad(op.host === at.name ? at : this.hostSlot(op.host), -1);
    this.addDatastoreLoad(vm, op, -1);
    this.addInFlight(cluster, -1);
    this.tolerances.remove(op.id);
    if (o.type === 'succeeded') {
      this.setPhase(vm, Phase.done);
      this.bytesDone += this.ordered[vm]!.bytes;
      this.onVerdict?.({ vm: this.ordered[vm]!.vm, state: 'moved' });
      this.learnFloor(entry, o.at);
      return;
    }
    this.giveBack(vm);
    this.afterFailure(vm, o.reason, o.transient, o.at);
  }

  /** The retry rule: a transient failure with retries left backs off (doubling), anything else gives up. */
  private afterFailure(vm: number, reason: string, transient: boolean, at: number): void {
    this.lastFailure.set(vm, reason);
    const attempts = this.attempts[vm]!;
    const name = this.ordered[vm]!.vm;
    if (transient && attempts <= this.policy.retries) {
      this.eligibleAt[vm] = at + this.policy.retryBackoffSeconds * 2 ** (Math.max(1, attempts) - 1);
      this.setPhase(vm, Phase.backoff);
      this.onVerdict?.({ vm: name, state: 'retrying' });
    } else {
      this.setPhase(vm, Phase.failed);
      this.onVerdict?.({ vm: name, state: 'failed' });
    }
  }

  private requeueRetries(now: number): void {
    while (this.backingOff.size > 0 && this.backingOff.topKey <= now) {
      const vm = this.backingOff.top!;
      this.setPhase(vm, Phase.waiting);
      this.requeue(vm);
    }
  }

  /** Puts a VM waiting again into its cluster's queue, and its host's when picks look host by host. */
  private requeue(vm: number): void {
    this.clusterOfVm(vm).queue.push(vm);
    if (this.aware) this.hostOf(vm).queue.push(vm);
  }

  /** Gives back the free space a VM's copy had reserved: it goes nowhere for now. */
  private giveBack(vm: number): void {
    const placement = this.placement[vm];
    if (placement) this.book.reserve(placement, this.ordered[vm]!, 1);
    this.placement[vm] = null;
  }

  private moved(name: string, toHost: string): void {
    const vm = this.named(name);
    if (vm === undefined || this.hostOf(vm).name === toHost) return;
    const phase = this.phase[vm];
    if (phase === Phase.waiting || phase === Phase.backoff || phase === Phase.ready) {
      this.place(vm, toHost);
      if (phase === Phase.waiting && this.aware) this.hostOf(vm).queue.push(vm);
    }
  }

  private skip(vm: number, reason: string): void {
    const item = this.ordered[vm]!;
    this.setPhase(vm, Phase.skipped);
    this.onVerdict?.({ vm: item.vm, state: 'skipped' });
    this.skippedVms.push({ vm: item.vm, cluster: item.cluster, host: this.hostOf(vm).name, bytes: item.bytes, sourceDatastores: item.sourceDatastores, reason });
  }

  // ——— bookkeeping ———

  private clusterOfVm(vm: number): ClusterState {
    return this.clusters[this.clusterOf[vm]!]!;
  }

  /** The bookkeeping of the host the VM is on. */
  private hostOf(vm: number): HostSlot {
    return this.hostList[this.hostAt[vm]!]!;
  }

  private setPhase(vm: number, phase: Phase): void {
    const from = this.phase[vm]!;
    this.phaseCount[from] = this.phaseCount[from]! - 1;
    this.phaseCount[phase] = this.phaseCount[phase]! + 1;
    this.phase[vm] = phase;
    if (phase === Phase.backoff) this.backingOff.set(vm, this.eligibleAt[vm]!, vm);
    else if (from === Phase.backoff) this.backingOff.remove(vm);
    if (from === Phase.waiting || phase === Phase.waiting) {
      const cluster = this.clusterOfVm(vm);
      cluster.waiting += phase === Phase.waiting ? 1 : -1;
      this.refresh(cluster);
    }
  }

  private bytesSeen(): number {
    let bytes = this.bytesDone;
    for (const e of this.ops.inOrder()) if (OPERATIONS[e.op.kind].movesStorage) bytes += e.op.bytes * e.fraction;
    return bytes;
  }

  private sees(host: string, vm: number): boolean {
    const placement = this.placement[vm] ?? null;
    return placement === null || this.book.seenFrom(placement, host);
  }

  /** The rank of the VM of this name, if it is in the campaign. */
  private named(name: string): number | undefined {
    return (this.rankOf ??= ranksByName(this.ordered)).get(name);
  }

  /** The bookkeeping of a host, made the first time the host is named. */
  private hostSlot(name: string): HostSlot {
    let slot = this.hostSlots.get(name);
    if (!slot) {
      const enclosure = this.campaign.enclosureOf.get(name) ?? null;
      let e: { load: number } | null = null;
      if (enclosure !== null) {
        e = this.enclosureSlots.get(enclosure) ?? null;
        if (!e) this.enclosureSlots.set(enclosure, (e = { load: 0 }));
      }
      slot = { index: this.hostList.length, name, load: 0, chosen: 0, enclosure: e, queue: new RankQueue() };
      this.hostSlots.set(name, slot);
      this.hostList.push(slot);
    }
    return slot;
  }

  private datastore(name: string): DatastoreSlot {
    let slot = this.datastoreSlots.get(name);
    if (!slot) this.datastoreSlots.set(name, (slot = { load: 0 }));
    return slot;
  }

  private place(vm: number, host: string): void {
    this.hostAt[vm] = this.hostSlot(host).index;
  }

  /** Counts an svMotion on each datastore it reads from or writes to, once each. */
  private addDatastoreLoad(vm: number, op: SvmotionOp, delta: number): void {
    const sources = op.sourceDatastores;
    const home = this.placement[vm]?.home;
    const target = home !== undefined && home.spec.name === op.targetDatastore ? home.slot : this.datastore(op.targetDatastore);
    // Slots are one per datastore name: the target is among the sources exactly when its slot is.
    let readsTarget = false;
    if (sources === this.ordered[vm]!.sourceDatastores) {
      for (let k = this.sourceStart[vm]!, end = this.sourceStart[vm + 1]!; k < end; k++) {
        const slot = this.sourceSlots[this.sourceOf[k]!]!;
        slot.load += delta;
        if (slot === target) readsTarget = true;
      }
    } else {
      // An operation read back from a journal: its own list, by name.
      for (let i = 0; i < sources.length; i++) {
        const ds = sources[i]!;
        if (sources.indexOf(ds) === i) this.datastore(ds).load += delta;
      }
      readsTarget = sources.includes(op.targetDatastore);
    }
    if (!readsTarget) target.load += delta;
    const disks = op.disks;
    if (disks === undefined) return;
    for (let i = 0; i < disks.length; i++) {
      const t = disks[i]!.target;
      if (t !== op.targetDatastore && !sources.includes(t) && disks.findIndex((d) => d.target === t) === i) this.datastore(t).load += delta;
    }
  }

  private addLoad(host: HostSlot, delta: number): void {
    host.load += delta;
    if (host.enclosure !== null) host.enclosure.load += delta;
  }
}

/**
 * Where each VM of an ordered campaign starts, by number: its cluster (clusters sorted by name) and
 * its host, and the ranks waiting in each cluster and on each host, in increasing order. It depends
 * on nothing a run changes, so every planner of the same ordered campaign shares it (a Monte Carlo
 * worker builds thousands), and a planner's own state is made from it without a lookup by name.
 */
interface StartLayout {
  clusters: ReadonlyArray<{ name: string; hosts: readonly string[] }>;
  clusterOf: Int32Array;
  clusterRanks: number[][];
  hosts: readonly string[];
  hostOf: Int32Array;
  hostRanks: number[][];
  /** The legacy datastores the VMs read from, numbered in first-seen order. */
  sources: readonly string[];
  /** The numbers of the datastores rank r reads from (each once): sourceOf[sourceStart[r] .. sourceStart[r + 1]). */
  sourceStart: Int32Array;
  sourceOf: Int32Array;
  /** Bytes the campaign copies, all VMs together (summed in rank order). */
  bytesTotal: number;
}

const LAYOUTS = new WeakMap<readonly MoveItem[], { campaign: Campaign; layout: StartLayout }>();

function layoutOf(campaign: Campaign, ordered: readonly MoveItem[]): StartLayout {
  const known = LAYOUTS.get(ordered);
  if (known !== undefined && known.campaign === campaign) return known.layout;
  const clusters = [...campaign.clusters].sort((a, b) => compare(a.name, b.name)).map((c) => ({ name: c.name, hosts: [...c.hosts].sort(compare) }));
  const clusterIndex = new Map(clusters.map((c, i) => [c.name, i]));
  // First each item in the order it was listed in (as the items lie in memory: read in rank order,
  // nearly every one would be a cache miss), its cluster, host and legacy datastores by number,
  // numbered as first met there; then the ranks in order, from these numbers alone.
  const { listed, at } = placesOf(ordered);
  const n = ordered.length;
  const bytes = new Float64Array(n);
  const clusterOfItem = new Int32Array(n);
  const hostOfItem = new Int32Array(n);
  const hostIds = new Map<string, number>();
  const hostNames: string[] = [];
  const sourceIds = new Map<string, number>();
  const sourceNames: string[] = [];
  const sourcesStart = new Int32Array(n + 1);
  const sourcesOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const item = listed[i]!;
    bytes[i] = item.bytes;
    clusterOfItem[i] = clusterIndex.get(item.cluster)!;
    hostOfItem[i] = numbered(hostIds, hostNames, item.host);
    sourcesStart[i] = sourcesOf.length;
    const names = item.sourceDatastores;
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      if (names.indexOf(name) === k) sourcesOf.push(numbered(sourceIds, sourceNames, name));
    }
  }
  sourcesStart[n] = sourcesOf.length;
  // In rank order: hosts and datastores numbered anew as first met by rank.
  const hostNumber = new Int32Array(hostNames.length).fill(-1);
  const sourceNumber = new Int32Array(sourceNames.length).fill(-1);
  const hosts: string[] = [];
  const sources: string[] = [];
  const clusterOf = new Int32Array(n);
  const hostOf = new Int32Array(n);
  const clusterRanks: number[][] = clusters.map(() => []);
  const hostRanks: number[][] = [];
  const sourceStart = new Int32Array(n + 1);
  const sourceOf = new Int32Array(sourcesOf.length);
  let filled = 0;
  let bytesTotal = 0;
  for (let rank = 0; rank < n; rank++) {
    const i = at[rank]!;
    bytesTotal += bytes[i]!;
    sourceStart[rank] = filled;
    for (let k = sourcesStart[i]!; k < sourcesStart[i + 1]!; k++) sourceOf[filled++] = renumbered(sourceNumber, sourcesOf[k]!, sourceNames, sources);
    const c = clusterOfItem[i]!;
    const h = renumbered(hostNumber, hostOfItem[i]!, hostNames, hosts);
    clusterOf[rank] = c;
    hostOf[rank] = h;
    clusterRanks[c]!.push(rank);
    (hostRanks[h] ??= []).push(rank);
  }
  sourceStart[n] = filled;
  const layout = { clusters, clusterOf, clusterRanks, hosts, hostOf, hostRanks, sources, sourceStart, sourceOf, bytesTotal };
  LAYOUTS.set(ordered, { campaign, layout });
  return layout;
}

/** `name`'s number in `names` (whose numbers `ids` holds), given it now when it is new. */
function numbered(ids: Map<string, number>, names: string[], name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    ids.set(name, (id = names.length));
    names.push(name);
  }
  return id;
}

/** The new number of old number `id` (`-1` in `number` until it is met), named `names[id]`, numbered in the order met into `into`. */
function renumbered(number: Int32Array, id: number, names: readonly string[], into: string[]): number {
  if (number[id] === -1) {
    number[id] = into.length;
    into.push(names[id]!);
  }
  return number[id]!;
}

/**
 * Where orderItems took each rank of its lists from: `at[rank]` is the rank's place in `listed`,
 * the items as it was given them.
 */
const PLACES = new WeakMap<readonly MoveItem[], { listed: readonly MoveItem[]; at: Int32Array }>();

/** `ordered`'s places (PLACES), or its own when orderItems did not make it (each rank its own place). */
function placesOf(ordered: readonly MoveItem[]): { listed: readonly MoveItem[]; at: Int32Array } {
  const known = PLACES.get(ordered);
  if (known !== undefined) return known;
  const at = new Int32Array(ordered.length);
  for (let rank = 0; rank < at.length; rank++) at[rank] = rank;
  return { listed: ordered, at };
}

const RANKS = new WeakMap<readonly MoveItem[], Map<string, number>>();

function ranksByName(ordered: readonly MoveItem[]): ReadonlyMap<string, number> {
  let ranks = RANKS.get(ordered);
  if (!ranks) RANKS.set(ordered, (ranks = new Map(ordered.map((item, rank) => [item.vm, rank]))));
  return ranks;
}

/** The campaign's order under the policy: rank 0 goes first. Ties go by VM name. */
export function orderItems(items: readonly MoveItem[], policy: Policy, priority: readonly string[]): MoveItem[] {
  switch (policy.ordering) {
    case 'largest-first':
      return sortedBy(items, null, (i) => -i.bytes);
    case 'smallest-first':
      return sortedBy(items, null, (i) => i.bytes);
    case 'drain-datastore': {
      // Empty datastores one at a time: each step takes the legacy datastore with the least left
      // to move and schedules every VM still touching it (largest first), so that it is empty once
      // they are done. A VM spread over several datastores goes with the first of them to drain.
      const byName = (a: MoveItem, b: MoveItem) => compare(a.vm, b.vm);
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
      return [...out, ...sortedBy(items.filter((i) => !scheduled.has(i)), null, (i) => -i.bytes)];
    }
    case 'priority': {
      const matchers = priority.map(matcher);
      const rank = (i: MoveItem) => {
        const k = matchers.findIndex((m) => m(i.vm));
        return k < 0 ? matchers.length : k;
      };
      return sortedBy(items, rank, (i) => -i.bytes);
    }
  }
}

/**
 * `items` by `first` (when given), then `then`, smallest first, then by VM name: each key is worked
 * out once per item, not at every comparison (a priority's patterns are matched once per VM).
 */
function sortedBy(items: readonly MoveItem[], first: ((item: MoveItem) => number) | null, then: (item: MoveItem) => number): MoveItem[] {
  const n = items.length;
  const b = new Float64Array(n);
  // Estates usually list VMs in name order already: then one key orders them without a
  // comparison function (see byKey).
  let simple = first === null;
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    b[i] = then(item);
    if (Number.isNaN(b[i]) || (i > 0 && items[i - 1]!.vm > item.vm)) simple = false;
  }
  if (simple) return byKey(items, b);
  const a = new Float64Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (first !== null) a[i] = first(items[i]!);
    order[i] = i;
  }
  order.sort((i, j) => a[i]! - a[j]! || b[i]! - b[j]! || compare(items[i]!.vm, items[j]!.vm));
  return withPlaces(items, Int32Array.from(order));
}

/**
 * `items` by `key` (no NaN), smallest first, equal keys in the order of `items`: each item's place
 * is the first of its key among the keys sorted as numbers (a native sort, ~800,000 comparisons
 * for 50,000 VMs without a call back into JavaScript), found by halving, after those of equal key
 * placed before it.
 */
function byKey(items: readonly MoveItem[], key: Float64Array): MoveItem[] {
  const n = items.length;
  const sorted = key.slice().sort();
  const placed = new Int32Array(n);
  const at = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = key[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    at[lo + placed[lo]!] = i;
    placed[lo]!++;
  }
  return withPlaces(items, at);
}

/** The items at places `at` of `items`, in that order, with their places kept (PLACES). */
function withPlaces(items: readonly MoveItem[], at: Int32Array): MoveItem[] {
  const out: MoveItem[] = [];
  for (let rank = 0; rank < at.length; rank++) out.push(items[at[rank]!]!);
  PLACES.set(out, { listed: items, at });
  return out;
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

/**
 * How copies are fitted to windows: the campaign's own figures, or a plain floor from the expected
 * copy rate when it brings none; null when copies need not end in their window (no windows, windows
 * always open, or overrun allowed).
 */
function strictWindows(campaign: Campaign): WindowFit | null {
  const w = campaign.windows;
  if (w === null || campaign.allowOverrun) return null;
  if (w.intervals.some((i) => i.end - i.start >= 3 * WEEK)) return null;
  return campaign.windowFit ?? { floors: new Map(), setupSeconds: campaign.setupSeconds, marginSeconds: 0 };
}
