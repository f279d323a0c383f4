// A restart's first step: folding the journal into what the planner must take up, checking every
// operation the journal left open with vCenter. Still running: re-attached. Ended while svmig was
// away: recorded. Killed between the intent and vCenter's answer: looked for on the VM, and voided
// when vCenter never saw it. vCenter's state is the truth: a VM the journal saw moved but that sits
// on legacy storage again is moved again. Attempts and failures survive: each VM's attempts so far
// and how its last one failed go to the planner, whose retry rule says whether it goes again, so a
// VM given up on stays given up on until someone asks for a new round (--retry-failed).
//
// Every open operation is settled from evidence that cannot be older than its task's end. The
// estate was read before the journal's open operations were looked for, so a task that ended in
// between changed its VM after the estate showed it: the estate never judges an open operation.
// Its task is looked up first, by its reference, on its VM's recent tasks, and in vCenter's task
// history (an ended task leaves recentTask after 10 minutes, or sooner behind 200 newer ones, and
// its reference stops resolving; the history keeps it): found, its state settles it. Found nowhere,
// the operation is judged by its VM as vCenter has it after every look-up, which no end of that
// task can postdate. The VMs whose open operation ended or was not found are read again all the
// same (disks, host, snapshots), so that the campaign is rebuilt from what vCenter has now: the
// pre-flight stage never asks for a remediation that is already done, nor the planner for a move.

import { OPERATIONS, specOf } from '../core/operations.js';
import type { ResumeState } from '../core/planner.js';
import type { Operation } from '../core/port.js';
import type { Estate } from '../domain/estate.js';
import type { IntentRecord, Journal, JournalState } from '../live/journal.js';
import { failureReason, isTransient, taskTimes, type LiveVcenter } from '../live/vcenter.js';
import type { FollowedTask } from '../live/world.js';
import { AttemptLedger } from './attempts.js';
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
  const inFlight: Operation[] = [];
  const attached: FollowedTask[] = [];
  const done: string[] = [];
  /** VMs whose open operation this restart found ended or never started: the estate may show them as they were before it ended. */
  const lookedInto = new Set<string>();
  /** Open operations whose task vCenter shows nowhere (the task's reference when the journal has it): judged by their VM, read after every look-up. */
  const unseen: Array<{ intent: IntentRecord; task: string | null }> = [];
  /** Tasks the journal already gives to an operation: never taken for another one's lost submission (an earlier attempt's, say). */
  const claimed = new Set([...state.ops.values()].flatMap((h) => (h.task === null ? [] : [h.task])));
  const unclaimed = (t: TaskInfo) => !claimed.has(t.task.value);
  const at = () => new Date(clock()).toISOString();
  const origin = Date.parse(state.startedAt ?? at());
  const vmByName = new Map(estate.vms.map((v) => [v.name, v]));
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const onLegacy = (vm: string) => vmByName.get(vm)?.disks.some((d) => d.datastore !== null && legacy.has(d.datastore)) ?? false;
  const onTarget = (i: IntentRecord) => {
    const vm = vmByName.get(i.vm);
    return vm !== undefined && reached(OPERATIONS[i.kind].decode(i), vm);
  };
  // Attempts and failures are counted as a forecast counts them (attempts.ts).
  const ledger = new AttemptLedger(state, origin);
  const { attempts, failures } = ledger;
  for (const h of [...state.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    const i = h.intent;
    if (h.voided) continue;
    // A cluster's task (a DRS override) is settled by the cluster's state (drs-guards.ts).
    if (OPERATIONS[i.kind].subject !== 'vm') continue;
    ledger.begin(i);
    if (h.rejected !== null) {
      ledger.rejected(i, h.rejected);
      continue;
    }
    if (h.ended !== null) {
      const e = h.ended;
      ledger.ended(i, e);
      if (e.counted !== false && e.outcome === 'success' && OPERATIONS[i.kind].movesStorage) {
        if (onLegacy(i.vm)) {
          report(`resume: the journal saw ${i.vm} moved, but vCenter shows it on legacy storage: it will be moved again`);
          attempts.set(i.vm, 0);
        } else done.push(i.vm);
      }
      continue;
    }
    let task = h.task;
    let info: TaskInfo | null = null;
    // A task of this operation was queued after its intent (a little earlier, for clocks apart).
    const since = new Date(Date.parse(i.at) - 5000);
    if (task === null) {
      // Killed between the intent and vCenter's answer: the task may exist. Look on the VM, then in the history.
      const recent = (await vcenter.tasksOf(i.vm, i.kind)).filter((t) => unclaimed(t) && (t.queueTime ?? t.startTime ?? new Date(0)).getTime() >= since.getTime());
      const latest = recent.at(-1) ?? (await vcenter.pastTasksOf(i.vm, i.kind, since)).filter(unclaimed).at(-1);
      if (latest === undefined) {
        unseen.push({ intent: i, task: null });
        continue;
      }
      task = latest.task.value;
      info = latest;
      claimed.add(task);
      journal.write({ type: 'submitted', at: at(), op: i.op, task });
      report(`resume: found ${i.kind} of ${i.vm} submitted before the stop (${task})`);
    } else {
      info = await vcenter.taskInfo(task);
      // A task id vCenter now gives to something else (a restarted simulator reuses them) is not ours.
      if (info !== null && info.entityName !== undefined && info.entityName !== i.vm && info.entity?.value !== i.vm) info = null;
      if (info === null) {
        info = (await vcenter.pastTasksOf(i.vm, i.kind, since)).find((t) => t.task.value === task) ?? null;
        if (info !== null) report(`resume: task ${task} (${i.kind} ${i.vm}) is gone from vCenter's recent tasks; its history says it ended`);
      }
      if (info === null) {
        unseen.push({ intent: i, task });
        continue;
      }
    }
    if (info.state === 'success' || info.state === 'error') {
      const ok = info.state === 'success';
      const reason = failureReason(info);
      const ended = at();
      lookedInto.add(i.vm);
      journal.write({ type: 'ended', at: ended, op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason, transient: isTransient(info) }), vcenter: taskTimes(info) });
      if (ok && OPERATIONS[i.kind].movesStorage) done.push(i.vm);
      if (!ok) ledger.failed(i, reason, isTransient(info), info.completeTime?.toISOString() ?? ended);
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
  // Every open operation's task is known now: ended, running, or nowhere. What their VMs are now
  // cannot be older than the end of any of those tasks.
  for (const { intent } of unseen) lookedInto.add(intent.vm);
  await refreshVms(lookedInto, vcenter, vmByName);
  for (const { intent: i, task } of unseen) {
    const ok = onTarget(i);
    if (task === null) {
      // Not on the VM's recent tasks nor in the history: the submission never reached vCenter,
      // unless the VM is where it was to go all the same.
      if (ok) {
        journal.write({ type: 'ended', at: at(), op: i.op, outcome: 'success', found: 'restart' });
        if (OPERATIONS[i.kind].movesStorage) done.push(i.vm);
        report(`resume: ${i.kind} ${i.vm} found where it was to go; vCenter has no record of its task`);
      } else {
        journal.write({ type: 'void', at: at(), op: i.op, reason: 'the submission never reached vCenter' });
        ledger.uncount(i);
      }
      continue;
    }
    // vCenter forgot the task and its history does not have it (restarted, or long ago): the VM
    // tells how it went. A VM still where it was was not touched: the attempt does not count, and
    // it may go again.
    journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason: `vCenter no longer knows task ${task}`, transient: true, counted: false }) });
    if (ok && OPERATIONS[i.kind].movesStorage) done.push(i.vm);
    if (!ok) ledger.uncount(i);
    report(`resume: task ${task} (${i.kind} ${i.vm}) is gone from vCenter; the VM is ${ok ? 'where it was to go' : 'not moved'}`);
  }
  ledger.settle([...inFlight.map((op) => op.vm), ...done]);
  if (options.retryFailed && failures.size > 0) {
    const vms = [...failures.keys()].sort();
    journal.write({ type: 'retry', at: at(), vms });
    for (const vm of vms) attempts.set(vm, 0);
    failures.clear();
    report(`resume: ${vms.length} VM(s) whose last attempt failed get a new round, as asked: ${vms.slice(0, 5).join(', ')}${vms.length > 5 ? ' …' : ''}`);
  }
  return { resume: { done, failed: [...failures.values()], attempts, inFlight, nextId: state.nextId }, attached, moved: new Set(done) };
}

/** The VMs in the estate as vCenter has them now: host, each disk's datastore, snapshots (the bytes they hold kept as read). */
async function refreshVms(vms: ReadonlySet<string>, vcenter: LiveVcenter, vmByName: ReadonlyMap<string, Estate['vms'][number]>): Promise<void> {
  if (vms.size === 0) return;
  const names = [...vms].sort();
  for (const [name, now] of await vcenter.placementsOf(names)) {
    const vm = vmByName.get(name);
    if (vm === undefined) continue;
    vm.host = now.host;
    for (const d of vm.disks) if (now.disks.has(d.label)) d.datastore = now.disks.get(d.label)!;
  }
  for (const [name, now] of await vcenter.snapshotsOf(names)) {
    const vm = vmByName.get(name);
    if (vm === undefined) continue;
    if (now === null) delete vm.snapshots;
    else vm.snapshots = { ...(vm.snapshots ?? { deltaBytes: 0 }), ...now };
  }
}
