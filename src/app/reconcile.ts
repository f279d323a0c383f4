// A restart's first step: folding the journal into what the planner must take up, checking every
// operation the journal left open with vCenter. Still running: re-attached. Ended while svmig was
// away: recorded. Killed between the intent and vCenter's answer: looked for on the VM, and voided
// when vCenter never saw it. vCenter's state is the truth: a VM the journal saw moved but that sits
// on legacy storage again is moved again.

import { OPERATIONS, specOf } from '../core/operations.js';
import type { ResumeState } from '../core/planner.js';
import type { Operation } from '../core/port.js';
import type { Estate } from '../domain/estate.js';
import type { IntentRecord, Journal, JournalState } from '../live/journal.js';
import { failureReason, isTransient, type LiveVcenter } from '../live/vcenter.js';
import type { FollowedTask } from '../live/world.js';
import type { TaskInfo } from '../vsphere/types.js';

const reached = (op: Operation, vm: Estate['vms'][number]): boolean => specOf(op).reached(op, vm);

export interface Reconciled {
  resume: ResumeState;
  /** Tasks still running in vCenter, to follow again. */
  attached: FollowedTask[];
  /** VMs whose storage has moved. */
  moved: Set<string>;
}

export async function reconcile(state: JournalState, vcenter: LiveVcenter, estate: Estate, journal: Journal, clock: () => number, report: (line: string) => void): Promise<Reconciled> {
  const attempts = new Map<string, number>();
  const inFlight: Operation[] = [];
  const attached: FollowedTask[] = [];
  const done: string[] = [];
  const at = () => new Date(clock()).toISOString();
  const vmByName = new Map(estate.vms.map((v) => [v.name, v]));
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const onLegacy = (vm: string) => vmByName.get(vm)?.disks.some((d) => d.datastore !== null && legacy.has(d.datastore)) ?? false;
  const onTarget = (i: IntentRecord) => {
    const vm = vmByName.get(i.vm);
    return vm !== undefined && reached(OPERATIONS[i.kind].decode(i), vm);
  };
  const counts = (i: IntentRecord) => OPERATIONS[i.kind].movesStorage;
  for (const h of [...state.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    const i = h.intent;
    if (h.rejected !== null || h.voided) continue;
    // A cluster's task (a DRS override) is settled by the cluster's state (drs-guards.ts).
    if (OPERATIONS[i.kind].subject !== 'vm') continue;
    if (counts(i)) attempts.set(i.vm, (attempts.get(i.vm) ?? 0) + 1);
    if (h.ended !== null) {
      if (h.ended.outcome === 'success' && counts(i)) {
        if (onLegacy(i.vm)) {
          report(`resume: the journal saw ${i.vm} moved, but vCenter shows it on legacy storage: it will be moved again`);
          attempts.set(i.vm, 0);
        } else done.push(i.vm);
      }
      continue;
    }
    let task = h.task;
    let info: TaskInfo | null = null;
    if (task === null) {
      // Killed between the intent and vCenter's answer: the task may exist. Look on the VM.
      const since = Date.parse(i.at) - 5000;
      const found = (await vcenter.tasksOf(i.vm, i.kind)).filter((t) => (t.queueTime ?? t.startTime ?? new Date(0)).getTime() >= since);
      const latest = found[found.length - 1];
      if (latest) {
        task = latest.task.value;
        info = latest;
        journal.write({ type: 'submitted', at: at(), op: i.op, task });
        report(`resume: found ${i.kind} of ${i.vm} submitted before the stop (${task})`);
      } else if (onTarget(i)) {
        journal.write({ type: 'ended', at: at(), op: i.op, outcome: 'success', found: 'restart' });
        if (counts(i)) done.push(i.vm);
        continue;
      } else {
        journal.write({ type: 'void', at: at(), op: i.op, reason: 'the submission never reached vCenter' });
        if (counts(i)) attempts.set(i.vm, attempts.get(i.vm)! - 1);
        continue;
      }
    } else {
      info = await vcenter.taskInfo(task);
      // A task id vCenter now gives to something else (a restarted simulator reuses them) is not ours.
      if (info !== null && info.entityName !== undefined && info.entityName !== i.vm && info.entity?.value !== i.vm) info = null;
    }
    if (info === null) {
      // vCenter forgot the task (restarted, or it ended long ago): the VM tells how it went. A VM
      // still where it was was not touched: the attempt does not count, and it may go again.
      const ok = onTarget(i);
      journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason: `vCenter no longer knows task ${task}`, transient: true }) });
      if (ok && counts(i)) done.push(i.vm);
      if (!ok && counts(i)) attempts.set(i.vm, attempts.get(i.vm)! - 1);
      report(`resume: task ${task} (${i.kind} ${i.vm}) is gone from vCenter; the VM is ${ok ? 'where it was to go' : 'not moved'}`);
      continue;
    }
    if (info.state === 'success' || info.state === 'error') {
      const ok = info.state === 'success';
      const reason = failureReason(info);
      journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason, transient: isTransient(info) }) });
      if (ok && counts(i)) done.push(i.vm);
      report(`resume: ${i.kind} ${i.vm} ${ok ? 'succeeded' : `failed (${reason})`} while svmig was away`);
      continue;
    }
    const op = OPERATIONS[i.kind].decode(i);
    inFlight.push(op);
    attached.push({ op, task, started: info.state === 'running', queued: info.state === 'queued' });
    report(`resume: re-attached to ${i.kind} ${i.vm} (${task}, ${info.state})`);
  }
  return { resume: { done, failed: [], attempts, inFlight, nextId: state.nextId }, attached, moved: new Set(done) };
}
