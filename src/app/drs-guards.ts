// DRS overrides a run left behind, settled on restart. The journal says which VMs the guard
// touched and what override each had before the campaign; the cluster's configuration, read now,
// says what is there. Operations the journal left open are followed to their end (their tasks
// looked for on the cluster and in vCenter's task history, as svMotions' are), or voided when
// vCenter never saw them. Then every VM the guard touched and did not put back gets its previous
// override again, in one operation per cluster (journaled like any other), unless its copy still
// runs: that VM stays guarded, and the run puts its override back when the copy ends. A VM whose
// override is as it was needs nothing, whatever the journal says.

import { GUARD_OVERRIDE, type Guarded } from '../core/drs-guard.js';
import { intentOf } from '../core/operations.js';
import type { DrsOverrideEntry, DrsOverrideOp } from '../core/port.js';
import type { DrsVmOverride } from '../domain/estate.js';
import type { Journal, JournalState, OpHistory } from '../live/journal.js';
import { failureReason, isTransient, type LiveVcenter } from '../live/vcenter.js';
import type { TaskInfo } from '../vsphere/types.js';

export interface SettledGuards {
  /** VMs whose copy still runs and whose override the guard holds: put back when the copy ends. */
  guarded: Map<string, Guarded>;
  /** Each VM the guard touched, with its override from before the campaign: what the new campaign starts from. */
  originals: Map<string, DrsVmOverride | null>;
  /** The next operation id to use. */
  nextId: number;
}

export async function settleGuards(
  state: JournalState,
  vcenter: LiveVcenter,
  journal: Journal,
  clock: () => number,
  report: (line: string) => void,
  copying: ReadonlySet<string>,
  firstId: number,
): Promise<SettledGuards> {
  const at = () => new Date(clock()).toISOString();
  const ops = [...state.ops.values()].filter((h) => h.intent.kind === 'drs-override').sort((a, b) => a.intent.op - b.intent.op);
  const settled: SettledGuards = { guarded: new Map(), originals: new Map(), nextId: firstId };
  if (ops.length === 0) return settled;

  const claimed = new Set([...state.ops.values()].flatMap((h) => (h.task === null ? [] : [h.task])));
  for (const h of ops) if (h.ended === null && h.rejected === null && !h.voided) await settleOpen(h, vcenter, journal, at, report, claimed);

  // What each VM had before the guard first touched it, for the VMs not put back since.
  const touched = new Map<string, Guarded>();
  for (const h of ops) {
    // A change vCenter refused touched nothing. One voided (never found in vCenter) may have taken
    // effect all the same, unseen: its sets count, and the cluster's overrides decide what is owed.
    if (h.rejected !== null) continue;
    const i = h.intent;
    const cluster = i.cluster ?? i.vm;
    for (const e of i.vms ?? []) {
      if (e.action === 'set' && !touched.has(e.vm)) touched.set(e.vm, { cluster, previous: e.previous });
      else if (e.action === 'restore' && h.ended?.outcome === 'success') touched.delete(e.vm);
    }
  }
  if (touched.size === 0) return settled;

  const now = await vcenter.drsOverrides();
  const owed = new Map<string, DrsOverrideEntry[]>();
  for (const [vm, g] of touched) {
    settled.originals.set(vm, g.previous);
    if (same(now.get(vm) ?? null, g.previous)) continue;
    if (copying.has(vm)) {
      settled.guarded.set(vm, g);
      continue;
    }
    const list = owed.get(g.cluster) ?? [];
    list.push({ vm, action: 'restore', previous: g.previous });
    owed.set(g.cluster, list);
  }
  for (const [cluster, vms] of [...owed].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const op: DrsOverrideOp = { kind: 'drs-override', id: settled.nextId++, vm: cluster, cluster, host: '', bytes: 0, vms };
    await restore(op, vcenter, journal, at, report);
  }
  return settled;
}

/**
 * Follows an operation the journal left open to its end, and journals how it ended. Its task is
 * looked for as an svMotion's is (reconcile.ts): on the cluster's recent tasks, then in vCenter's
 * task history, which keeps a task that ended more than 10 minutes ago (vCenter stops listing it
 * then, and its reference stops resolving). `claimed`: tasks the journal gives to other operations.
 */
async function settleOpen(h: OpHistory, vcenter: LiveVcenter, journal: Journal, at: () => string, report: (line: string) => void, claimed: Set<string>): Promise<void> {
  const i = h.intent;
  const cluster = i.cluster ?? i.vm;
  // A task of this operation was queued after its intent (a little earlier, for clocks apart).
  const since = new Date(Date.parse(i.at) - 5000);
  const unclaimed = (t: TaskInfo) => !claimed.has(t.task.value);
  let task = h.task;
  let info: TaskInfo | null;
  if (task === null) {
    // Killed between the intent and vCenter's answer: the task may exist. Look on the cluster, then in the history.
    const recent = (await vcenter.tasksOf(cluster, 'drs-override')).filter((t) => unclaimed(t) && (t.queueTime ?? t.startTime ?? new Date(0)).getTime() >= since.getTime());
    const latest = recent.at(-1) ?? (await vcenter.pastTasksOf(cluster, 'drs-override', since)).filter(unclaimed).at(-1);
    if (latest === undefined) {
      // Its sets still count as touched (settleGuards): the cluster's overrides say whether one is owed.
      journal.write({ type: 'void', at: at(), op: i.op, reason: 'the submission never reached vCenter' });
      return;
    }
    task = latest.task.value;
    info = latest;
    claimed.add(task);
    journal.write({ type: 'submitted', at: at(), op: i.op, task });
    report(`resume: found drs-override of ${cluster} submitted before the stop (${task})`);
  } else {
    info = await vcenter.taskInfo(task);
    if (info === null) {
      const known = task;
      info = (await vcenter.pastTasksOf(cluster, 'drs-override', since)).find((t) => t.task.value === known) ?? null;
      if (info !== null) report(`resume: task ${task} (drs-override ${cluster}) is gone from vCenter's recent tasks; its history says it ended`);
    }
  }
  if (info === null) {
    // vCenter forgot the task and its history lacks it: the cluster's overrides tell how it went.
    const tookEffect = reachedBy(i.vms ?? [], await vcenter.drsOverrides());
    journal.write({ type: 'ended', at: at(), op: i.op, outcome: tookEffect ? 'success' : 'failed', found: 'restart', ...(tookEffect ? {} : { reason: `vCenter no longer knows task ${task}`, transient: true }) });
    report(`resume: task ${task} (drs-override ${cluster}) is gone from vCenter; the cluster's overrides show it ${tookEffect ? 'took effect' : 'did not take effect'}`);
    return;
  }
  if (info.state === 'queued' || info.state === 'running') info = await vcenter.waitFor(task);
  const ok = info.state === 'success';
  const reason = failureReason(info);
  journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason, transient: isTransient(info) }) });
  report(`resume: DRS override change of ${cluster} ${ok ? 'succeeded' : `failed (${reason})`} while svmig was away`);
}

/** Whether every VM of an override change has what the change gave it: the guard's override when set, its own when put back. */
function reachedBy(entries: readonly DrsOverrideEntry[], now: ReadonlyMap<string, DrsVmOverride>): boolean {
  return entries.every((e) => same(now.get(e.vm) ?? null, e.action === 'set' ? GUARD_OVERRIDE : e.previous));
}

/** Puts overrides back now, journaled as any operation: intent, submission, end. */
async function restore(op: DrsOverrideOp, vcenter: LiveVcenter, journal: Journal, at: () => string, report: (line: string) => void): Promise<void> {
  journal.write({ type: 'intent', at: at(), ...intentOf(op) });
  const answer = await vcenter.submit(op);
  if ('refused' in answer) {
    journal.write({ type: 'rejected', at: at(), op: op.id, reason: answer.refused });
    report(`resume: could not put back the DRS overrides of ${op.vms.map((v) => v.vm).join(', ')} in ${op.cluster}: ${answer.refused}`);
    return;
  }
  journal.write({ type: 'submitted', at: at(), op: op.id, task: answer.task });
  const info = await vcenter.waitFor(answer.task);
  const ok = info.state === 'success';
  journal.write({ type: 'ended', at: at(), op: op.id, outcome: ok ? 'success' : 'failed', ...(ok ? {} : { reason: failureReason(info), transient: isTransient(info) }) });
  report(`resume: ${ok ? 'put back' : 'could not put back'} the DRS overrides a stopped run left on ${op.vms.map((v) => v.vm).join(', ')} (${op.cluster})${ok ? '' : `: ${failureReason(info)}`}`);
}

function same(a: DrsVmOverride | null, b: DrsVmOverride | null): boolean {
  if (a === null || b === null) return a === b;
  return a.behavior === b.behavior && a.enabled === b.enabled;
}
