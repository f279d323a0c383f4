// A restart's first step: folding the journal into what the planner must take up, checking every
// operation the journal left open with vCenter. Still running: re-attached. Ended while svmig was
// away: recorded. Killed between the intent and vCenter's answer: looked for on the VM, and voided
// when vCenter never saw it. vCenter's state is the truth: a VM the journal saw moved but that sits
// on legacy storage again is moved again. Attempts and failures survive: each VM's attempts so far
// and how its last one failed go to the planner, whose retry rule says whether it goes again, so a
// VM given up on stays given up on until someone asks for a new round (--retry-failed).

import { OPERATIONS, specOf } from '../core/operations.js';
import type { PastFailure, ResumeState } from '../core/planner.js';
import { isRemediation } from '../core/preflight.js';
import type { Operation } from '../core/port.js';
import type { Estate } from '../domain/estate.js';
import type { IntentRecord, Journal, JournalState } from '../live/journal.js';
import { failureReason, isTransient, taskTimes, type LiveVcenter } from '../live/vcenter.js';
import type { FollowedTask } from '../live/world.js';
import { isWaitingForResources } from '../vsphere/tasks.js';
import type { TaskInfo } from '../vsphere/types.js';

const reached = (op: Operation, vm: Estate['vms'][number]): boolean => specOf(op).reached(op, vm);

export interface Reconciled {
  resume: ResumeState;
  /** Tasks still running in vCenter, to follow again. */
  attached: FollowedTask[];
  /** VMs whose storage has moved. */
  moved: Set<string>;
}

export interface ReconcileOptions {
  /** Give every VM whose last attempt failed a new round: its attempts so far no longer count (journaled). */
  retryFailed?: boolean;
}

export async function reconcile(
  state: JournalState,
  vcenter: LiveVcenter,
  estate: Estate,
  journal: Journal,
  clock: () => number,
  report: (line: string) => void,
  options: ReconcileOptions = {},
): Promise<Reconciled> {
  const attempts = new Map<string, number>();
  /** How each VM's last counted attempt failed; a later attempt clears it. */
  const failures = new Map<string, PastFailure>();
  const inFlight: Operation[] = [];
  const attached: FollowedTask[] = [];
  const done: string[] = [];
  const at = () => new Date(clock()).toISOString();
  const origin = Date.parse(state.startedAt ?? at());
  const vmByName = new Map(estate.vms.map((v) => [v.name, v]));
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const onLegacy = (vm: string) => vmByName.get(vm)?.disks.some((d) => d.datastore !== null && legacy.has(d.datastore)) ?? false;
  const onTarget = (i: IntentRecord) => {
    const vm = vmByName.get(i.vm);
    return vm !== undefined && reached(OPERATIONS[i.kind].decode(i), vm);
  };
  // An attempt is the planner's decision to move a VM, counted from the last new round asked for
  // on: its svMotion's intent, or the failure of a remediation task before it (the svMotion then
  // never reached vCenter, and the planner saw it fail as the remediation did, preflight.ts).
  const round = (i: IntentRecord) => i.op >= (state.retriedFrom.get(i.vm) ?? 0);
  const counts = (i: IntentRecord) => OPERATIONS[i.kind].movesStorage && round(i);
  const remediates = (i: IntentRecord) => isRemediation(i) && round(i);
  const uncount = (i: IntentRecord) => {
    if (counts(i)) attempts.set(i.vm, attempts.get(i.vm)! - 1);
  };
  const failed = (i: IntentRecord, reason: string, transient: boolean, when: string) => {
    const at = (Date.parse(when) - origin) / 1000;
    if (counts(i)) failures.set(i.vm, { vm: i.vm, reason, transient, at });
    else if (remediates(i)) {
      attempts.set(i.vm, (attempts.get(i.vm) ?? 0) + 1);
      failures.set(i.vm, { vm: i.vm, reason: `${i.kind} failed: ${reason}`, transient, at });
    }
  };
  for (const h of [...state.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    const i = h.intent;
    if (h.voided) continue;
    // A cluster's task (a DRS override) is settled by the cluster's state (drs-guards.ts).
    if (OPERATIONS[i.kind].subject !== 'vm') continue;
    if (counts(i)) attempts.set(i.vm, (attempts.get(i.vm) ?? 0) + 1);
    // A new attempt under way: the failure before it is no longer the VM's last word.
    if (counts(i) || remediates(i)) failures.delete(i.vm);
    if (h.rejected !== null) {
      // vCenter refused the submission: the planner was told it failed for good.
      failed(i, h.rejected, false, i.at);
      continue;
    }
    if (h.ended !== null) {
      const e = h.ended;
      if (e.counted === false) uncount(i);
      else if (e.outcome === 'failed') failed(i, e.reason ?? 'failed', e.transient ?? false, e.at);
      else if (OPERATIONS[i.kind].movesStorage) {
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
        if (OPERATIONS[i.kind].movesStorage) done.push(i.vm);
        continue;
      } else {
        journal.write({ type: 'void', at: at(), op: i.op, reason: 'the submission never reached vCenter' });
        uncount(i);
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
      journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason: `vCenter no longer knows task ${task}`, transient: true, counted: false }) });
      if (ok && OPERATIONS[i.kind].movesStorage) done.push(i.vm);
      if (!ok) uncount(i);
      report(`resume: task ${task} (${i.kind} ${i.vm}) is gone from vCenter; the VM is ${ok ? 'where it was to go' : 'not moved'}`);
      continue;
    }
    if (info.state === 'success' || info.state === 'error') {
      const ok = info.state === 'success';
      const reason = failureReason(info);
      const ended = at();
      journal.write({ type: 'ended', at: ended, op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason, transient: isTransient(info) }), vcenter: taskTimes(info) });
      if (ok && OPERATIONS[i.kind].movesStorage) done.push(i.vm);
      if (!ok) failed(i, reason, isTransient(info), info.completeTime?.toISOString() ?? ended);
      report(`resume: ${i.kind} ${i.vm} ${ok ? 'succeeded' : `failed (${reason})`} while svmig was away`);
      continue;
    }
    const op = OPERATIONS[i.kind].decode(i);
    inFlight.push(op);
    // The planner and the views are told nothing of its state yet: the first update from vCenter
    // says queued or copying. A copy already running when we left is not seen to start again.
    attached.push({ op, task, started: info.state === 'running' && !isWaitingForResources(info), queued: false });
    report(`resume: re-attached to ${i.kind} ${i.vm} (${task}, ${isWaitingForResources(info) ? 'waiting in vCenter\'s queue' : info.state})`);
  }
  // A VM with an operation in flight or moved has no failure to act on.
  for (const op of inFlight) failures.delete(op.vm);
  for (const vm of done) failures.delete(vm);
  if (options.retryFailed && failures.size > 0) {
    const vms = [...failures.keys()].sort();
    journal.write({ type: 'retry', at: at(), vms });
    for (const vm of vms) attempts.set(vm, 0);
    failures.clear();
    report(`resume: ${vms.length} VM(s) whose last attempt failed get a new round, as asked: ${vms.slice(0, 5).join(', ')}${vms.length > 5 ? ' …' : ''}`);
  }
  return { resume: { done, failed: [...failures.values()], attempts, inFlight, nextId: state.nextId }, attached, moved: new Set(done) };
}
