// The port between the planner and a world (the simulator or a live vCenter).
//
// The planner emits Operations and learns what happened only through Observations; it never reads
// a clock (time comes in with each call) and never touches the world itself. A world takes
// operations and reports back; it never sees the planner, only the loop's sink (see loop.ts), so
// the simulated world and the live one are interchangeable behind the same loop.

import type { DrsVmOverride } from '../domain/estate.js';

/**
 * Move the VM's disks (and home) to `targetDatastore`, staying on `host`: a server-side task. With
 * `disks`, each disk listed goes to a datastore of its own (RelocateSpec.disk locators) and the
 * home to `targetDatastore`.
 */
export interface SvmotionOp {
  kind: 'svmotion';
  id: number;
  vm: string;
  /** Where the VM is in the estate's list of VMs, when the planner knows (MoveItem.estateIndex): a world may find the VM by it. */
  estateIndex?: number;
  cluster: string;
  host: string;
  sourceDatastores: string[];
  targetDatastore: string;
  /** Bytes the copy moves (thin disks: allocated bytes). */
  bytes: number;
  /** Where each moved disk goes, when not all to `targetDatastore`. */
  disks?: DiskMove[];
}

/** One disk of an svMotion with per-disk targets. */
export interface DiskMove {
  /** The disk's label ("Hard disk 2"): unique within its VM. */
  disk: string;
  source: string;
  target: string;
  bytes: number;
}

/** Move the running VM to another host, storage unchanged: a client-side task. */
export interface VmotionOp {
  kind: 'vmotion';
  id: number;
  vm: string;
  /** As SvmotionOp.estateIndex. */
  estateIndex?: number;
  cluster: string;
  host: string;
  toHost: string;
  /** The VM's memory: what the vMotion copies. */
  bytes: number;
}

/**
 * Pre-flight remediation of a VM before its svMotion, a server-side task on the VM: all its
 * snapshots removed and merged (RemoveAllSnapshots_Task), its oldest snapshot removed
 * (RemoveSnapshot_Task, leaving `depthAfter` on its chain), or its orphaned redo logs merged
 * (ConsolidateVMDisks_Task). `bytes` is what the task merges.
 */
export type RemediationKind = 'remove-all-snapshots' | 'remove-oldest-snapshot' | 'consolidate-disks';

export interface RemediationOp<K extends RemediationKind = RemediationKind> {
  kind: K;
  id: number;
  vm: string;
  cluster: string;
  host: string;
  bytes: number;
  /** remove-oldest-snapshot: the length of the VM's snapshot chain once it is done. */
  depthAfter?: number;
}

/**
 * Per-VM DRS overrides of one cluster, changed in one ReconfigureComputeResource_Task: each VM's
 * set (DRS leaves it where it is, partially automated, while it is moved) or put back (its
 * `previous` override again; none: removed). A task on the cluster: `vm` names the cluster, and
 * no VM is held by it.
 */
export interface DrsOverrideOp {
  kind: 'drs-override';
  id: number;
  vm: string;
  cluster: string;
  host: string;
  bytes: number;
  vms: DrsOverrideEntry[];
}

export interface DrsOverrideEntry {
  vm: string;
  action: 'set' | 'restore';
  /** The VM's override before the campaign touched it; null: it had none. */
  previous: DrsVmOverride | null;
}

/** Every operation a campaign can start. A new kind is one more member here and one entry in operations.ts. */
export type Operation = SvmotionOp | VmotionOp | RemediationOp<'remove-all-snapshots'> | RemediationOp<'remove-oldest-snapshot'> | RemediationOp<'consolidate-disks'> | DrsOverrideOp;
export type OperationKind = Operation['kind'];

export type Observation =
  /** vCenter accepted the operation but it waits for resources (cost admission) or for the VM. */
  | { type: 'queued'; op: number; at: number }
  /** The operation passed admission and is running. */
  | { type: 'started'; op: number; at: number }
  | { type: 'progress'; op: number; at: number; fraction: number }
  | { type: 'succeeded'; op: number; at: number }
  /**
   * `transient`: worth retrying (host busy, timeout); otherwise the VM cannot be moved this way.
   * A submission the world refused outright (vCenter answered the call with a fault, or the
   * simulated vCenter could never admit it) ends this way too, not transient.
   */
  | { type: 'failed'; op: number; at: number; reason: string; transient: boolean }
  /** Someone else (DRS, HA, an administrator) moved the VM to another host. */
  | { type: 'vmMoved'; vm: string; toHost: string; at: number };

/**
 * Whoever makes the decisions: the planner, or something wrapped around it. The loop asks it what
 * to start, tells it what happened, and asks when it wants to be asked again.
 */
export interface Decider {
  /** The operations to start now; asking again with nothing new observed returns nothing new. */
  decide(now: number): Operation[];
  observe(o: Observation): void;
  /** When to be asked again even if nothing happens (a window opening, a back-off ending); null: never. */
  nextWakeUp(now: number): number | null;
  /** Every VM has ended (moved, given up on, skipped) and nothing is in flight. */
  readonly finished: boolean;
  /** Operations handed to the world that have not ended. */
  readonly inFlight: number;
  /**
   * The run is stopping: no new work, but what the campaign changed and must put back (a DRS
   * override) is still started, and what was decided and held back is given up (see withdraw).
   * Called at every turn once stopping; optional.
   */
  wrapUp?(now: number): Operation[];
  /**
   * An operation decide() returned that never reached the world (a stage held it back, and the
   * run stopped): forget it, as if it had not been decided. Optional.
   */
  withdraw?(op: number): void;
}

/** What a world may know of the campaign it runs for: where to report, and whether it is over. */
export interface ObservationSink {
  /** Reports what happened, as it happens, in the order it happened. */
  deliver(o: Observation): void;
  /** Nothing more will be asked of the world: the campaign is finished, or stopped with nothing running. */
  readonly done: boolean;
}

/**
 * A world behind the port. The loop attaches its sink once, then alternates: it submits the
 * operations decided, and asks the world to move time on (advance). Everything the world has to say
 * (an operation queued, started, ended, refused; a VM moved by someone else) goes to the sink.
 */
export interface World {
  /** Seconds since the campaign's start. */
  readonly now: number;
  attach(sink: ObservationSink): void;
  /** Hands an operation over. A refusal comes back as a `failed` observation, never as an exception. */
  submit(op: Operation): void;
}

/**
 * The simulated world: advancing is a synchronous step of its event engine, to the end of the next
 * instant in which something happens (or `wakeAt`, when the decider asked to be woken then).
 * Returns false when nothing can happen any more.
 */
export interface SyncWorld extends World {
  advance(wakeAt: number | null): boolean;
}

/** The live world: advancing waits on the real clock and on vCenter. Resolves false when the run is over. */
export interface AsyncWorld extends World {
  advance(wakeAt: number | null): Promise<boolean>;
}
