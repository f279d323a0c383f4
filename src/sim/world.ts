// The simulated world behind the planner's port, on a virtual clock. It is a SyncWorld: the one
// driver loop (core/loop.ts) advances it an instant at a time and decides at the end of each,
// exactly as it drives the live world.
//
// The world itself only follows each operation through vCenter: submitted (refused at once if it
// could never run), waiting for the VM (one relocation per VM at a time), waiting for resources
// (cost admission), running, ended; and it records it. Everything else is a model of its own, with
// its own settings, in models/: the fabric and the copies on it (copies, fabric, maxmin), admission,
// VM locks, where VMs run (placement), how each kind of task runs (tasks), faults, monitoring and
// its API calls, progress reports, DRS (or any other mover of VMs), host failures and HA. Models
// keep their timers on the one event heap, so simultaneous events keep one order whatever model
// they belong to, which is what makes a run reproducible.

import { refusalOf, specOf, type ResourceKind } from '../core/operations.js';
import type { Observation, ObservationSink, Operation, SyncWorld } from '../core/port.js';
import type { Estate, Vm } from '../domain/estate.js';
import { drsPinned, vmDatastores } from '../domain/estate.js';
import type { Scenario } from '../scenario/scenario.js';
import { Priority, Simulation, type ScheduledEvent } from './engine.js';
import { Admission, Resources, type Debits } from './models/admission.js';
import { CopyModel, CopyPaths } from './models/copies.js';
import { DrsLayout, DrsModel, type Mover, type MoverContext } from './models/drs.js';
import { FaultModel, type Fault } from './models/faults.js';
import { HostFailures } from './models/ha.js';
import { VmLocks } from './models/locks.js';
import { Monitoring } from './models/monitoring.js';
import { hostNumbersOf, initialHosts, Placement } from './models/placement.js';
import { ProgressReports } from './models/progress-reports.js';
import { Tasks, type Task } from './models/tasks.js';
import { stream } from './random.js';
import { drawSystematic, fabricOfRun, hasSystematic, type Drawn } from './systematic.js';
import { HostNumbers } from './host-numbers.js';
import { RunVmNumbers, VmNumbers } from './vm-numbers.js';
import type { LinkUsage, OperationRecord, Outcome } from '../core/result.js';
import type { Timeline } from '../core/result.js';

export type Origin = 'planner' | 'drs';

const noop = (): void => undefined;
const NO_DATASTORES: readonly string[] = [];

/** An operation as the world ran it, as its log keeps it. */
export interface LoggedRun {
  readonly origin: Origin;
  readonly op: Operation;
  /** Where the VM ran when it was admitted (until then, where the planner saw it). */
  readonly host: string;
  readonly submittedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly outcome: Outcome;
  readonly reason: string | undefined;
}

/**
 * An operation as vCenter runs it: the planner's, or one DRS (someone else) started. A class, not
 * an object literal: a run makes one per operation and keeps them all, and every one has the same
 * shape from its constructor on.
 */
class Run implements Task {
  /** Where it stands in vCenter: waiting for the VM's lock, for resources, running, ended. */
  state: 'locked-out' | 'queued' | 'running' | 'ended' = 'locked-out';
  /** Where the VM ran when it was admitted (until then, where the planner saw it). */
  host: string;
  /** That host's number (host-numbers.ts), -1 for one the estate does not have. */
  hostNumber = -1;
  timer: ScheduledEvent | null = null;
  copying = false;
  fault: Fault | null = null;
  startedAt: number | null = null;
  finishedAt: number | null = null;
  outcome: Outcome = 'success';
  reason: string | undefined = undefined;

  constructor(
    readonly id: number,
    readonly origin: Origin,
    readonly op: Operation,
    /** The number of the VM it works on (vm-numbers.ts); -1 for a task on a cluster. */
    readonly vm: number,
    readonly resumedCopying: boolean,
    readonly submittedAt: number,
  ) {
    this.host = op.host;
  }
}

/**
 * What a world needs of its scenario that no run changes: where hosts and VMs belong, the VMs'
 * datastores and memory, vCenter's resources by number, the fabric and the path of every copy.
 * Built once and shared by every run of the scenario (placement drawn per run included: it moves
 * VMs between hosts, which nothing here depends on).
 */
export class WorldLayout {
  readonly clusterOf: Map<string, string | null>;
  readonly clusters: string[];
  readonly clusterIndex: Map<string, number>;
  readonly resources: Resources;
  readonly paths: CopyPaths;
  /** The estate's VMs by number: a placement drawn for one run has the same VMs. */
  readonly vms: VmNumbers;
  /** The estate's hosts by number. */
  readonly hostNumbers: HostNumbers;
  private readonly estate: Estate;
  /** Each VM by number, its memory, and its datastores once asked for (by the charges of kinds other than svMotion, and refusals). */
  private readonly vmOf: Vm[];
  private readonly memory: Float64Array;
  private readonly datastoreLists: Array<readonly string[] | undefined>;
  /** For the layout's own estate: where each VM starts, by name and number, and the VMs DRS may not move by itself. */
  private readonly hosts: Array<string | undefined>;
  private readonly hostNumbersOfVms: number[];
  private readonly pinned: number[];
  private drs: DrsLayout | null = null;

  constructor(scenario: Scenario, estate: Estate = scenario.estate) {
    this.estate = estate;
    this.clusterOf = new Map(estate.hosts.map((h) => [h.name, h.cluster]));
    this.clusters = estate.clusters.map((c) => c.name).sort();
    this.clusterIndex = new Map(this.clusters.map((c, i) => [c, i]));
    this.hostNumbers = new HostNumbers(estate.hosts.map((h) => h.name));
    this.resources = new Resources(scenario.costs, this.hostNumbers);
    this.paths = new CopyPaths(scenario.fabric, estate, this.hostNumbers);
    this.vms = new VmNumbers(estate.vms.map((v) => v.name));
    this.vmOf = new Array<Vm>(this.vms.size);
    this.memory = new Float64Array(this.vms.size);
    this.hosts = new Array<string | undefined>(this.vms.size).fill(undefined);
    this.hostNumbersOfVms = [];
    for (let n = 0; n < this.vms.size; n++) this.hostNumbersOfVms.push(-1);
    this.pinned = [];
    // In the estate's order: of two VMs of one name, the last is the one (as a map by name keeps
    // it), and where the last placed one runs (as initialHosts has it). One pass over the VMs.
    for (let i = 0; i < estate.vms.length; i++) {
      const v = estate.vms[i]!;
      const n = this.vms.at(i, v.name);
      this.vmOf[n] = v;
      this.memory[n] = v.memoryBytes;
      if (v.host !== null) {
        this.hosts[n] = v.host;
        this.hostNumbersOfVms[n] = this.hostNumbers.of(v.host);
      }
      if (drsPinned(v.drsOverride)) this.pinned.push(n);
    }
    this.datastoreLists = new Array<readonly string[] | undefined>(this.vms.size);
  }

  /** The datastores of VM number `vm` (none for a VM the estate does not have). */
  datastoresOf(vm: number): readonly string[] {
    const v = this.vmOf[vm];
    if (v === undefined) return NO_DATASTORES;
    return (this.datastoreLists[vm] ??= vmDatastores(v));
  }

  /** The memory of VM `name` (0 for one the estate does not have). */
  memoryOfVm(name: string): number {
    const n = this.vms.of(name);
    return n < 0 ? 0 : this.memory[n]!;
  }

  /** Where the VMs of `estate` start, by VM number: kept for the layout's own estate, worked out for another (a placement drawn for one run). */
  hostsOf(estate: Estate): ReadonlyArray<string | undefined> {
    return estate === this.estate ? this.hosts : initialHosts(estate.vms, this.vms);
  }

  /** The same hosts by host number. */
  hostNumbersOf(estate: Estate): readonly number[] {
    return estate === this.estate ? this.hostNumbersOfVms : hostNumbersOf(this.hostsOf(estate), this.hostNumbers);
  }

  /** The numbers of the VMs of `estate` whose DRS override keeps DRS from moving them by itself, kept likewise. */
  pinnedOf(estate: Estate): readonly number[] {
    if (estate === this.estate) return this.pinned;
    const pinned: number[] = [];
    for (let i = 0; i < estate.vms.length; i++) if (drsPinned(estate.vms[i]!.drsOverride)) pinned.push(this.vms.at(i, estate.vms[i]!.name));
    return pinned;
  }

  /** What DRS starts from in `estate`, kept likewise. */
  drsOf(estate: Estate): DrsLayout {
    if (estate !== this.estate) return new DrsLayout(estate, this.vms);
    return (this.drs ??= new DrsLayout(estate, this.vms));
  }
}

export interface WorldOptions {
  seed: number;
  recordTimeline: boolean;
  /** Report copy progress to the planner (the adaptive loop measures with it). */
  reportProgress: boolean;
  /** Every task takes this long, whatever it moves (a rehearsal against fixed task delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number } | undefined;
  /** Who else moves VMs, instead of the scenario's DRS (a rehearsal, moves replayed from a live run). */
  mover?: ((ctx: MoverContext, hostOf: (vm: string) => string | undefined) => Mover) | undefined;
  /** Events the run may handle before it is declared unable to finish (engine.ts). */
  eventBudget?: number;
  /** Keep only what a run's summary needs (no throughput series): a Monte Carlo's runs. */
  summaryOnly?: boolean;
  /**
   * Operations already in flight when the run begins (a campaign resumed part way, as a forecast
   * takes it up): handed to vCenter at time 0, before anything the planner decides, copying ones
   * first (they hold their slots already), each with the bytes it has left.
   */
  resumed?: readonly ResumedOperation[];
}

/** An operation that was in flight when the run began. */
export interface ResumedOperation {
  op: Operation;
  /** Bytes it has left to copy. */
  bytesLeft: number;
  /** It was copying (past its setup), not waiting in vCenter's queue. */
  copying: boolean;
}

export class SimulatedWorld implements SyncWorld {
  private readonly clock = new Simulation();
  private readonly resources: Resources;
  private readonly admission: Admission;
  private readonly vms: RunVmNumbers;
  private readonly locks: VmLocks;
  private readonly placement: Placement;
  private readonly faults: FaultModel;
  private readonly monitoring: Monitoring;
  private readonly copies: CopyModel;
  private readonly tasks: Tasks;
  private readonly progress: ProgressReports | null;
  private readonly mover: Mover | null;
  private readonly ha: HostFailures;
  /** Runs by operation id: the planner's (ids from 1), and the movers' (ids from -1 down). */
  private readonly byId: Run[] = [];
  private readonly byNegativeId: Run[] = [];
  /** Every run, in the order it was submitted. */
  private readonly order: Run[] = [];
  private readonly clusterOf: Map<string, string | null>;
  private readonly layout: WorldLayout;
  private readonly hostNumbers: HostNumbers;
  private sink: ObservationSink = { deliver: () => undefined, done: false };
  private wakeEvent: ScheduledEvent | null = null;
  /** Whether operations of a kind can be refused at all under the cost profile. */
  private readonly refusable = new Map<string, boolean>();
  /**
   * Where `debit` writes the charges of the operation being admitted (its first `debited` numbers):
   * reused, never emptied (emptying an array drops its storage), and copied at its size for
   * admission to keep.
   */
  private readonly debits: Debits = [];
  private debited = 0;
  private readonly debit = (kind: ResourceKind, name: string, cost: number): void => {
    // The host the operation runs on is known by number: charged without a look-up by name.
    const h = this.admittedHost;
    this.debits[this.debited++] = h >= 0 && kind !== 'datastore' && name === this.admittedHostName ? (kind === 'host' ? this.resources.host(h) : this.resources.network(h)) : this.resources.id(kind, name);
    this.debits[this.debited++] = cost;
  };
  /** The host of the operation being admitted, by name and number (-1: one the estate does not have), and its VM's number. */
  private admittedHostName = '';
  private admittedHost = -1;
  private admittedVm = -1;
  private readonly admittedVmDatastores = (): readonly string[] => this.layout.datastoresOf(this.admittedVm);
  private nextMoverId = -1;
  private readonly resumed: readonly ResumedOperation[];
  /** VMs (by number) whose DRS override keeps DRS from moving them by itself. */
  private readonly pinned: boolean[];
  /** vMotions someone else (DRS) made during the campaign. */
  drsMoves = 0;
  /** What this run drew of the scenario's systematic uncertainty; null when it has none. */
  readonly drawn: Drawn | null;

  constructor(
    private readonly scenario: Scenario,
    private readonly estate: Estate,
    options: WorldOptions,
    layout: WorldLayout = new WorldLayout(scenario, estate),
  ) {
    const { seed } = options;
    const campaign = scenario.campaign;
    this.resumed = options.resumed ?? [];
    if (options.eventBudget !== undefined) this.clock.budget = options.eventBudget;
    this.clusterOf = layout.clusterOf;
    this.layout = layout;
    this.hostNumbers = layout.hostNumbers;
    this.resources = layout.resources;
    this.admission = new Admission(this.resources);
    this.vms = new RunVmNumbers(layout.vms);
    this.locks = new VmLocks(layout.vms.size);
    this.placement = new Placement(layout.hostsOf(estate), layout.hostNumbersOf(estate), this.vms, layout.hostNumbers);
    const f = campaign.faults;
    const remediation = f.remediation ?? { probability: 0, transientShare: 1 };
    const rates = { svmotion: f.svmotion, vmotion: f.vmotion, 'remove-all-snapshots': remediation, 'remove-oldest-snapshot': remediation, 'consolidate-disks': remediation };
    this.faults = new FaultModel({ rates, alwaysFail: f.vms }, stream(seed, 'faults'));
    this.pinned = new Array<boolean>(layout.vms.size).fill(false);
    for (const vm of layout.pinnedOf(estate)) this.pinned[vm] = true;
    this.monitoring = new Monitoring(campaign.monitoring, this.clock, (o) => this.sink.deliver(o));
    // The fabric as this run meets it: the scenario's, or its figures as this run drew them.
    this.drawn = hasSystematic(scenario.fabric) ? drawSystematic(scenario.fabric, seed) : null;
    const fabric = this.drawn === null ? scenario.fabric : fabricOfRun(scenario.fabric, this.drawn);
    const links = this.drawn === null ? undefined : layout.paths.fabric.linksUnder(this.drawn.productionLoad);
    const timeline = options.recordTimeline ? { clusters: layout.clusters, clusterOf: (id: number) => layout.clusterIndex.get(this.run(id).op.cluster) } : null;
    this.copies = new CopyModel(layout.paths, this.clock, (id) => this.copyEnded(id), timeline, !options.summaryOnly, links);
    this.tasks = new Tasks({
      clock: this.clock,
      settings: {
        fabric,
        jitter: campaign.jitter,
        fixedDurations: options.fixedDurations,
        remediation: campaign.remediation ?? { setupSeconds: 30, rate: 200e6 },
      },
      copies: this.copies,
      jitter: stream(seed, 'jitter'),
      finish: (task) => this.finished(task as Run),
    });
    this.progress = options.reportProgress
      ? new ProgressReports(
          campaign.progressIntervalSeconds,
          this.clock,
          this.copies.fabric,
          (id, copied) => {
            const run = this.run(id);
            if (run.origin === 'planner' && run.op.bytes > 0) this.tell(run, { type: 'progress', op: id, at: this.clock.now, fraction: copied / run.op.bytes });
          },
          () => this.sink.done,
        )
      : null;
    this.ha = new HostFailures(campaign.faults.hosts, estate.hosts, stream(seed, 'ha'), {
      clock: this.clock,
      abortOn: (host, reason) => this.abortOn(host, reason),
      vmsOn: (host) => this.placement.vmsOn(host),
      restart: (name, from, to) => {
        const vm = this.vms.of(name);
        this.placement.move(vm, to);
        this.mover?.moved(vm, from, to, false);
      },
      push: (o) => this.monitoring.push(o),
    });
    const moverContext: MoverContext = {
      clock: this.clock,
      // A VM a task holds, or whose DRS override keeps DRS off it, is not DRS's to move.
      busy: (vm) => this.locks.held(vm) || this.pinned[vm] === true,
      down: this.ha.down,
      over: () => this.sink.done,
      move: (m) =>
        this.submitRun(
          { kind: 'vmotion', id: this.nextMoverId--, vm: m.vm, cluster: this.clusterOf.get(m.from) ?? '', host: m.from, toHost: m.to, bytes: layout.memoryOfVm(m.vm) },
          'drs',
        ),
    };
    const drs = campaign.drs;
    this.mover = options.mover
      ? options.mover(moverContext, (vm) => this.placement.host(this.vms.of(vm)))
      : drs.level === 'fully-automated'
        ? new DrsModel(drs, layout.drsOf(estate), stream(seed, 'drs'), moverContext)
        : null;
  }

  get events(): number {
    return this.clock.eventsProcessed;
  }

  get now(): number {
    return this.clock.now;
  }

  get apiCalls(): number {
    return this.monitoring.calls;
  }

  get hostFailures(): number {
    return this.ha.count;
  }

  get peakThroughput(): number {
    return this.copies.peakThroughput;
  }

  get peakCopies(): number {
    return this.copies.peakCopies;
  }

  get throughputSeries(): Array<[number, number]> {
    return this.copies.throughputSeries;
  }

  attach(sink: ObservationSink): void {
    this.sink = sink;
    this.ha.start();
    this.mover?.start();
    const inOrder = [...this.resumed.filter((r) => r.copying), ...this.resumed.filter((r) => !r.copying)];
    for (const r of inOrder) this.submitRun({ ...r.op, bytes: Math.max(0, r.bytesLeft) }, 'planner', r.copying);
    // Copies taken up mid-way start with no setup timer: their ends go on the clock now, or a run
    // with nothing else to do would find no event and stop at time 0.
    if (inOrder.length > 0) this.copies.settle();
  }

  submit(op: Operation): void {
    this.submitRun(op, 'planner');
  }

  /**
   * After the decisions of an instant: arms the decider's wake-up, then runs the next instant and
   * settles the copies (one solve for every copy that started or ended in it).
   */
  advance(wakeAt: number | null): boolean {
    // The decider's wake-up: nothing happens then but a decision. One kept while it stays the same.
    if (this.wakeEvent === null || this.wakeEvent.cancelled || this.wakeEvent.time !== wakeAt) {
      this.clock.cancel(this.wakeEvent);
      this.wakeEvent = wakeAt === null ? null : this.clock.at(wakeAt, Priority.periodic, noop);
    }
    this.progress?.arm();
    if (!this.clock.step()) return false;
    this.copies.settle();
    return true;
  }

  /** Every operation vCenter ran, in the order it was submitted. */
  get runLog(): readonly LoggedRun[] {
    return this.order;
  }

  /** Every operation vCenter ran, in the order it was submitted, as result records. */
  records(): OperationRecord[] {
    return this.order.map(recordOf);
  }

  /** Bytes each link carried, and its share of what it could carry over `seconds` (the campaign, or its open time). */
  linkUsage(seconds: number): LinkUsage[] {
    const fabric = this.copies.fabric;
    const carried = fabric.carriedBytes(this.clock.now);
    const saturated = this.copies.saturatedSeconds;
    return fabric.links
      .map((l, i) => ({
        id: l.id,
        label: l.label,
        capacity: l.capacity,
        bytes: carried[i]!,
        utilisation: seconds > 0 && l.capacity > 0 ? carried[i]! / (l.capacity * seconds) : 0,
        ...(saturated === null ? {} : { saturatedSeconds: saturated[i]! }),
      }))
      .filter((l) => l.bytes > 0)
      .sort((a, b) => b.utilisation - a.utilisation || (a.id < b.id ? -1 : 1));
  }

  timeline(end: number, bins: number, busiest: string[]): Timeline {
    return this.copies.timelineOf(end, bins, busiest)!;
  }

  // ——— an operation's way through vCenter ———

  private submitRun(op: Operation, origin: Origin, resumedCopying = false): void {
    const now = this.clock.now;
    const spec = specOf(op);
    const vm = spec.subject === 'vm' ? this.vms.of(op.vm, 'estateIndex' in op ? op.estateIndex : undefined) : -1;
    const run = new Run(op.id, origin, op, vm, resumedCopying, now);
    if (op.id >= 0) this.byId[op.id] = run;
    else this.byNegativeId[-op.id] = run;
    this.order.push(run);
    const refusal = this.refusal(op, vm);
    if (origin === 'planner') this.monitoring.submitted(op, refusal === null);
    if (refusal !== null) {
      // vCenter refuses it outright: the call fails, nothing runs, and whoever asked hears it at once.
      run.state = 'ended';
      run.finishedAt = now;
      run.outcome = 'failed';
      run.reason = refusal;
      if (origin === 'planner') this.sink.deliver({ type: 'failed', op: op.id, at: now, reason: refusal, transient: false });
      else this.mover?.forget(vm);
      return;
    }
    if (vm >= 0 && !this.locks.acquire(vm, op.id)) {
      // Another task holds the VM (a DRS vMotion): vCenter runs this one after it.
      this.tell(run, { type: 'queued', op: op.id, at: now });
      return;
    }
    this.admit(run);
  }

  private admit(run: Run): void {
    const now = this.clock.now;
    const { op } = run;
    const spec = specOf(op);
    // The VM may have moved since the planner decided (DRS, HA): vCenter runs it where it is.
    const placed = run.vm >= 0 ? this.placement.host(run.vm) : undefined;
    const host = placed ?? op.host;
    run.host = host;
    run.hostNumber = placed !== undefined ? this.placement.hostNumber(run.vm) : this.hostNumbers.of(host);
    const down = this.ha.down.size === 0 ? undefined : spec.hosts(op, host).find((h) => this.ha.down.has(h));
    if (down !== undefined) {
      run.state = 'running';
      run.startedAt = now;
      this.end(run, 'failed', `host ${down} is not responding`, true);
      return;
    }
    this.debited = 0;
    this.admittedHostName = host;
    this.admittedHost = run.hostNumber;
    this.admittedVm = run.vm;
    spec.charges(op, host, this.admittedVmDatastores, this.scenario.costs, this.debit);
    if (this.admission.submit(op.id, this.debits.slice(0, this.debited))) {
      this.start(run);
    } else {
      run.state = 'queued';
      this.tell(run, { type: 'queued', op: op.id, at: now });
    }
  }

  private start(run: Run): void {
    const now = this.clock.now;
    run.state = 'running';
    run.startedAt = now;
    this.tell(run, { type: 'started', op: run.op.id, at: now });
    run.fault = this.faults.draw(run.op);
    this.tasks.run(run);
  }

  /** A task ran its course: to its end, or to the fault drawn for it. */
  private finished(run: Run): void {
    const fault = run.fault;
    if (fault === null) this.end(run, 'success');
    else this.end(run, 'failed', fault.reason, fault.transient);
  }

  private copyEnded(id: number): void {
    const run = this.run(id);
    run.copying = false;
    this.finished(run);
  }

  private end(run: Run, outcome: 'success' | 'failed', reason?: string, transient = true): void {
    if (run.state === 'ended') return;
    const now = this.clock.now;
    const { op } = run;
    this.clock.cancel(run.timer);
    run.timer = null;
    const wasQueued = run.state === 'queued';
    run.state = 'ended';
    if (run.copying) {
      run.copying = false;
      if (outcome === 'failed') this.copies.abort(op.id);
    }
    run.finishedAt = now;
    run.outcome = outcome;
    if (reason !== undefined) run.reason = reason;
    if (wasQueued) this.admission.withdraw(op.id);
    const spec = specOf(op);
    if (outcome === 'success') {
      const freed = spec.drsFreedom(op);
      for (let i = 0; i < freed.length; i++) this.pinned[this.vms.of(freed[i]![0])] = freed[i]![1];
    }
    if (outcome === 'success' && spec.movesHost) {
      const to = spec.hostAfter(op, run.host);
      this.placement.move(run.vm, to);
      this.mover?.moved(run.vm, run.host, to, run.origin === 'drs');
    } else if (run.origin === 'drs') {
      this.mover?.forget(run.vm);
    }
    if (run.origin === 'planner') {
      this.monitoring.ended(op);
      this.tell(run, outcome === 'success' ? { type: 'succeeded', op: op.id, at: now } : { type: 'failed', op: op.id, at: now, reason: reason ?? 'failed', transient });
    } else if (outcome === 'success' && spec.movesHost) {
      this.drsMoves++;
      this.monitoring.push({ type: 'vmMoved', vm: op.vm, toHost: spec.hostAfter(op, run.host), at: now });
    }
    if (run.vm >= 0) this.unlock(run.vm, op.id);
    const started = this.admission.release(op.id);
    for (let i = 0; i < started.length; i++) this.start(this.run(started[i]!));
  }

  /**
   * Why vCenter would refuse `op` outright, or null. Whether an operation of a kind can be refused
   * at all depends only on the cost profile: it is worked out once per kind, and most profiles
   * refuse nothing.
   */
  private refusal(op: Operation, vm: number): string | null {
    let may = this.refusable.get(op.kind);
    if (may === undefined) {
      const costs = this.scenario.costs;
      may = refusalOf(op, NO_DATASTORES, costs) !== null || refusalOf(op, ['any datastore'], costs) !== null;
      this.refusable.set(op.kind, may);
    }
    return may ? refusalOf(op, this.layout.datastoresOf(vm), this.scenario.costs) : null;
  }

  private run(id: number): Run {
    return (id >= 0 ? this.byId[id] : this.byNegativeId[-id])!;
  }

  private unlock(vm: number, id: number): void {
    const next = this.locks.release(vm, id);
    if (next === undefined) return;
    this.locks.hold(vm, next);
    this.admit(this.run(next));
  }

  /** Fails everything admitted that runs on `host` or moves a VM to it (a host failure: rare, so a look at every run). */
  private abortOn(host: string, reason: string): void {
    for (const run of this.order) {
      if (run.state === 'ended' || run.state === 'locked-out') continue;
      if (specOf(run.op).hosts(run.op, run.host).includes(host)) this.end(run, 'failed', reason, true);
    }
  }

  /** Planner-bound news about one of its operations, as monitoring lets it through. */
  private tell(run: Run, o: Observation): void {
    if (run.origin === 'planner') this.monitoring.tell(run.op, o);
  }
}

function recordOf(run: Run): OperationRecord {
  const { op } = run;
  const fields = specOf(op).record(op);
  // The key order of the records as svmig has always written them: the kind's own fields after
  // the host. Most kinds have only the three every record has, written out without a spread (a
  // 50,000-VM run makes a record per operation).
  const record: OperationRecord =
    fields.disks === undefined && fields.overrides === undefined
      ? {
          vm: op.vm,
          kind: op.kind,
          cluster: op.cluster,
          host: run.host,
          toHost: fields.toHost,
          sourceDatastores: fields.sourceDatastores,
          targetDatastore: fields.targetDatastore,
          bytes: op.bytes,
          submittedAt: run.submittedAt,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          outcome: run.outcome,
        }
      : {
          vm: op.vm,
          kind: op.kind,
          cluster: op.cluster,
          host: run.host,
          ...fields,
          bytes: op.bytes,
          submittedAt: run.submittedAt,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          outcome: run.outcome,
        };
  if (run.origin === 'drs') record.by = 'drs';
  if (run.reason !== undefined) record.reason = run.reason;
  return record;
}
