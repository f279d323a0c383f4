// How each kind of operation runs in the simulated world, once vCenter admitted it: an svMotion
// prepares (setup), then copies its bytes as one flow on the fabric; a vMotion copies the VM's
// memory over the vMotion network in a time of its own. A fault drawn at the start ends it part
// way. A new kind of task (snapshot removal, consolidation, a per-disk move) adds its entry to
// TASKS, beside its entry in core/operations.ts.

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

type TaskModel = (task: Task, ctx: TaskContext) => void;

/** Ends after `seconds`, or at the fault's share of them. */
function timed(task: Task, ctx: TaskContext, seconds: number): void {
  task.timer = ctx.clock.after(task.fault === null ? seconds : seconds * task.fault.at, Priority.completion, () => ctx.finish(task));
}

export const TASKS: { readonly [K in OperationKind]: TaskModel } = {
  svmotion(task, ctx) {
    const op = task.op as Extract<Operation, { kind: 'svmotion' }>;
    const fabric = ctx.settings.fabric;
    task.timer = ctx.clock.after(fabric.svmotionSetupSeconds, Priority.start, () => {
      task.timer = null;
      const bytes = task.fault === null ? op.bytes : op.bytes * task.fault.at;
      if (bytes <= 0) {
        ctx.finish(task);
        return;
      }
      const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, op.sourceDatastores.length));
      const j = ctx.settings.jitter;
      const factor = j > 0 ? 1 - j + 2 * j * ctx.jitter() : 1;
      task.copying = true;
      ctx.copies.start(op.id, bytes, task.host, op.sourceDatastores, op.targetDatastore, op.vm, fabric.perCopyRate * streams * factor);
    });
  },
  vmotion(task, ctx) {
    const fabric = ctx.settings.fabric;
    timed(task, ctx, fabric.vmotionSetupSeconds + (fabric.vmotionRate > 0 ? task.op.bytes / fabric.vmotionRate : 0));
  },
};

/** Starts `task` as its kind runs, or in a fixed time when the world rehearses fixed delays. */
export function runTask(task: Task, ctx: TaskContext): void {
  const fixed = ctx.settings.fixedDurations;
  if (fixed) {
    timed(task, ctx, task.op.kind === 'svmotion' ? fixed.svmotionSeconds : fixed.vmotionSeconds);
    return;
  }
  TASKS[task.op.kind](task, ctx);
}
