// How each kind of operation runs in the simulated world, once vCenter admitted it: an svMotion
// prepares (setup), then copies its bytes as one flow on the fabric; a vMotion copies the VM's
// memory over the vMotion network in a time of its own. A fault drawn at the start ends it part
// way. A new kind of task (snapshot removal, consolidation, a per-disk move) adds its model to
// Tasks, beside its entry in core/operations.ts.

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
  /** Every task takes this long, whatever it moves (a rehearsal against fixed task delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number } | undefined;
}

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
    };
  }

  /** Starts `task` as its kind runs, or in a fixed time when the world rehearses fixed delays. */
  run(task: Task): void {
    const fixed = this.ctx.settings.fixedDurations;
    if (fixed) this.timed(task, task.op.kind === 'svmotion' ? fixed.svmotionSeconds : fixed.vmotionSeconds);
    else this.models[task.op.kind](task);
  }

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
    const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, op.sourceDatastores.length));
    const j = this.ctx.settings.jitter;
    const factor = j > 0 ? 1 - j + 2 * j * this.ctx.jitter() : 1;
    task.copying = true;
    this.ctx.copies.start(op.id, bytes, task.host, op.sourceDatastores, op.targetDatastore, op.vm, fabric.perCopyRate * streams * factor);
  };
}
