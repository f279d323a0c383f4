// How each kind of operation runs in the simulated world, once vCenter admitted it: an svMotion
// prepares (setup), then copies its bytes as one flow on the fabric (to each of its target
// datastores' arrays, with one stream per distinct pair of source and target datastore, up to the
// data mover's limit); a vMotion copies the VM's memory over the vMotion network in a time of its
// own; a remediation task merges its bytes at the scenario's rate after a set-up, on the array
// (not on the FC fabric: the model's assumption); a DRS override is a short reconfiguration. A
// fault drawn at the start ends it part way. A new kind of task adds its model to Tasks, beside
// its entry in core/operations.ts.

import { streamsOf, targetsOf } from '../../core/operations.js';
import type { Operation, OperationKind } from '../../core/port.js';
import type { Fabric } from '../../domain/fabric.js';
import { Priority, type Clock, type ScheduledEvent } from '../engine.js';
import type { Random } from '../random.js';
import type { CopyModel } from './copies.js';
import type { Fault } from './faults.js';

/** An operation as a task model runs it. */
export interface Task {
  readonly op: Operation;
  /** Where the VM ran when it was admitted. */
  readonly host: string;
  /** That host's number (host-numbers.ts), -1 for one the estate does not have. */
  readonly hostNumber: number;
  readonly fault: Fault | null;
  timer: ScheduledEvent | null;
  /** Its bytes are on the fabric now. */
  copying: boolean;
  /** It was copying already when the run began (a campaign resumed part way): no setup left. */
  readonly resumedCopying?: boolean;
}

export interface TaskSettings {
  fabric: Pick<Fabric, 'perCopyRate' | 'maxParallelDiskCopies' | 'vmotionRate' | 'vmotionSetupSeconds' | 'svmotionSetupSeconds'>;
  /** Per-copy rate jitter j: each copy's cap is scaled by a factor drawn in [1 - j, 1 + j]. */
  jitter: number;
  /** Every svMotion and vMotion takes this long, whatever it moves (a rehearsal against fixed task delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number } | undefined;
  /** Remediation tasks: a fixed set-up, then their bytes at this rate. */
  remediation: { setupSeconds: number; rate: number };
}

/** How long vCenter takes to reconfigure a cluster's DRS overrides (a short task: an assumption). */
export const DRS_RECONFIGURE_SECONDS = 2;

/** What a task model needs of the world around it. */
export interface TaskContext {
  readonly clock: Clock;
  readonly settings: TaskSettings;
  readonly copies: CopyModel;
  readonly jitter: Random;
  /** The task ended: with its fault if it has one, else successfully. */
  finish(task: Task): void;
}

/** How each kind of task runs: given the task, it arranges for `finish` to be called at its end. */
type TaskModel = (task: Task) => void;

export class Tasks {
  private readonly models: { readonly [K in OperationKind]: TaskModel };

  constructor(private readonly ctx: TaskContext) {
    this.models = {
      svmotion: (task) => {
        if (task.resumedCopying) this.copy(task);
        else task.timer = this.ctx.clock.after(this.ctx.settings.fabric.svmotionSetupSeconds, Priority.start, this.copy, task);
      },
      vmotion: (task) => {
        const fabric = this.ctx.settings.fabric;
        this.timed(task, fabric.vmotionSetupSeconds + (fabric.vmotionRate > 0 ? task.op.bytes / fabric.vmotionRate : 0));
      },
      'remove-all-snapshots': this.merge,
      'remove-oldest-snapshot': this.merge,
      'consolidate-disks': this.merge,
      'drs-override': (task) => this.timed(task, DRS_RECONFIGURE_SECONDS),
    };
  }

  /** Starts `task` as its kind runs, or in a fixed time when the world rehearses fixed delays. */
  run(task: Task): void {
    const fixed = this.ctx.settings.fixedDurations;
    const kind = task.op.kind;
    if (fixed && (kind === 'svmotion' || kind === 'vmotion')) this.timed(task, kind === 'svmotion' ? fixed.svmotionSeconds : fixed.vmotionSeconds);
    else this.models[kind](task);
  }

  /** A remediation task: set-up, then its bytes merged at the scenario's rate. */
  private readonly merge = (task: Task): void => {
    const r = this.ctx.settings.remediation;
    this.timed(task, r.setupSeconds + (r.rate > 0 ? task.op.bytes / r.rate : 0));
  };

  /** Ends after `seconds`, or at the fault's share of them. */
  private timed(task: Task, seconds: number): void {
    task.timer = this.ctx.clock.after(task.fault === null ? seconds : seconds * task.fault.at, Priority.completion, this.finish, task);
  }

  private readonly finish = (task: Task): void => this.ctx.finish(task);

  /** An svMotion prepared: its bytes (up to its fault) go on the fabric, at most its streams' rate. */
  private readonly copy = (task: Task): void => {
    const op = task.op as Extract<Operation, { kind: 'svmotion' }>;
    const fabric = this.ctx.settings.fabric;
    task.timer = null;
    const bytes = task.fault === null ? op.bytes : op.bytes * task.fault.at;
    if (bytes <= 0) {
      this.ctx.finish(task);
      return;
    }
    const streams = Math.min(fabric.maxParallelDiskCopies, streamsOf(op));
    const j = this.ctx.settings.jitter;
    const factor = j > 0 ? 1 - j + 2 * j * this.ctx.jitter() : 1;
    task.copying = true;
    this.ctx.copies.start(op.id, bytes, task.host, op.sourceDatastores, op.disks === undefined ? op.targetDatastore : targetsOf(op), op.vm, fabric.perCopyRate * streams * factor, task.hostNumber);
  };
}
