// The live executor: the planner of `simulate`, unchanged, driving a real vCenter.
//
// One loop: what vCenter reported (task updates pushed by the property collector, VMs that moved)
// goes to the planner as observations; the planner decides; each decision is written to the
// journal (intent, flushed), submitted as RelocateVM_Task, and written again with its task id
// (flushed) before anything else happens. Every task is followed to its end, success or failure.
// On start it reconciles the journal with vCenter, so that a run killed at any point resumes
// without submitting a migration twice: tasks still running are re-attached, tasks that ended
// while it was away are recorded, and a submission whose answer was lost is looked for on the VM.

import { campaignFor } from '../sim/simulate.js';
import { Planner, type ResumeState } from '../core/planner.js';
import { parsePolicy } from '../core/policy.js';
import type { Observation, Operation } from '../core/port.js';
import { UserError } from '../domain/errors.js';
import type { Estate } from '../domain/estate.js';
import { formatBytes } from '../domain/units.js';
import { isVimFault } from '../vsphere/faults.js';
import { TaskWatchError, type TaskUpdate } from '../vsphere/tasks.js';
import type { TaskInfo } from '../vsphere/types.js';
import { Journal, readJournal, type IntentRecord, type JournalState } from './journal.js';
import { describeChanges, diffEstate, plannedTargets, type EstateChanges, type Plan } from './plan.js';
import { liveScenario, readPlannedEstate, remainingSeconds, type LiveClock } from './live-scenario.js';
import type { LiveVcenter } from './vcenter.js';

/** How a person asked the run to stop: once (finish what runs), twice (leave it running). */
export interface Control {
  stopping: boolean;
  abandoned: boolean;
  /** Wakes the loop when the control changes. */
  onChange: (wake: () => void) => void;
}

export interface RunView {
  /** One line about something that happened (logged as is with --quiet). */
  event(line: string): void;
  /** The state of the campaign, redrawn by a live view. */
  status(s: RunStatus): void;
}

export interface RunStatus {
  now: Date;
  clusters: Array<{ name: string; done: number; running: number; queued: number; failed: number; left: number; bytesDone: number }>;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last minutes. */
  throughput: number;
  /** Predicted end (simulated from the current state), null until computed. */
  eta: Date | null;
  stopping: boolean;
}

export interface RunOptions {
  plan: Plan;
  /** Hash of the plan file, written in the journal: a journal belongs to one plan. */
  planHash: string;
  journalPath: string;
  vcenter: LiveVcenter;
  acceptChanges: boolean;
  control: Control;
  view: RunView;
  /** Seconds between re-reads of where VMs run (DRS moves), default 300. */
  hostRefreshSeconds?: number;
  /** Seconds between ETA simulations, default 60. */
  etaSeconds?: number;
  /** Wall clock in ms (tests may slow or speed nothing: it is the real clock by default). */
  clock?: () => number;
}

export interface RunSummary {
  outcome: 'finished' | 'stopped' | 'interrupted';
  moved: string[];
  failed: Array<{ vm: string; reason: string }>;
  skipped: Array<{ vm: string; reason: string }>;
  changes: EstateChanges;
  /** vCenter calls after the inventory read, and per VM moved. */
  calls: number;
  callsPerMovedVm: number;
  /** Seconds from a task's end being known to the next submission, when one followed. */
  handoverDelays: number[];
  submitted: number;
}

interface LiveOp {
  op: Operation;
  task: string;
  started: boolean;
  queued: boolean;
}

type Event = { type: 'task'; update: TaskUpdate } | { type: 'watch-error'; error: unknown } | { type: 'wake' };

export async function runPlan(options: RunOptions): Promise<RunSummary> {
  const { plan, vcenter, view, control } = options;
  const clock = options.clock ?? Date.now;
  const policy = parsePolicy(plan.policy);

  // 1. The estate as vCenter has it now, against the plan.
  const estate = await readPlannedEstate(plan, vcenter);
  const changes = diffEstate(plan, estate);
  reportChanges(changes, view);
  const blocking = changes.added.length + changes.removed.length + changes.grown.length;
  if (blocking > 0 && !options.acceptChanges) {
    throw new UserError(
      `the estate changed since the plan was made (${describeChanges(changes)}); make a new plan, or pass --accept-changes to move the planned VMs that are still there as they are now.`,
    );
  }

  // 2. The journal, reconciled with what vCenter knows.
  const state = readJournal(options.journalPath);
  if (state.damaged.length > 0) view.event(`journal: ignored a torn last line (${state.damaged.join(', ')}): the run before stopped while writing it`);
  if (state.planHash !== null && state.planHash !== options.planHash) {
    throw new UserError(`${options.journalPath} belongs to another plan; give this run a journal of its own (--journal).`);
  }
  const journal = Journal.open(options.journalPath);
  const callsAtStart = vcenter.calls;
  try {
    const startedAt = state.startedAt ?? new Date(clock()).toISOString();
    journal.write({ type: 'open', at: new Date(clock()).toISOString(), plan: options.planHash, pid: process.pid });
    const events: Event[] = [];
    let wake: (() => void) | null = null;
    const push = (e: Event) => {
      events.push(e);
      wake?.();
    };
    vcenter.onTask((update) => push({ type: 'task', update }));
    vcenter.onError((error) => push({ type: 'watch-error', error }));
    control.onChange(() => push({ type: 'wake' }));

    const byTask = new Map<string, LiveOp>();
    const moved = new Set<string>();
    const resume = await reconcile(state, vcenter, estate, journal, clock, view, byTask, moved);

    // 3. The planner, on the live estate, with the plan's targets, taking up what runs already.
    const live: LiveClock = { startedAt: Date.parse(startedAt), now: clock };
    const scenario = liveScenario(plan, estate, live);
    const planned = new Set(plan.vms.map((v) => v.vm));
    const fixedTargets = plannedTargets(plan);
    const campaign = campaignFor(scenario, { ...estate, vms: estate.vms.filter((v) => planned.has(v.name) && !moved.has(v.name)) }, fixedTargets);
    const planner = new Planner(campaign, policy, { firstId: state.nextId });
    planner.resume(resume);
    for (const l of byTask.values()) vcenter.follow(l.task);

    const now = () => (clock() - live.startedAt) / 1000;
    const handoverDelays: number[] = [];
    let lastEndKnownAt: number | null = null;
    let submitted = 0;
    let nextHostRefresh = clock() + (options.hostRefreshSeconds ?? 300) * 1000;
    let lastHosts = new Map(estate.vms.map((v) => [v.name, v.host ?? '']));
    let nextEta = clock();
    let eta: Date | null = null;
    const samples: Array<[number, number]> = [];

    const observe = (o: Observation) => planner.observe(o);
    const onUpdate = (u: TaskUpdate) => {
      const l = byTask.get(u.task.value);
      if (!l) return;
      const at = now();
      for (const o of observationsOf(l, u.info, at)) {
        if (o.type === 'succeeded' || o.type === 'failed') {
          journal.write({
            type: 'ended',
            at: new Date(clock()).toISOString(),
            op: l.op.id,
            outcome: o.type === 'succeeded' ? 'success' : 'failed',
            ...(o.type === 'failed' ? { reason: o.reason, transient: o.transient } : {}),
          });
          byTask.delete(l.task);
          lastEndKnownAt = clock();
          if (o.type === 'succeeded' && l.op.kind === 'svmotion') moved.add(l.op.vm);
          view.event(describeEnd(l.op, o));
        } else if (o.type === 'started') {
          view.event(`${l.op.kind} ${l.op.vm} running (${l.task})`);
        }
        observe(o);
      }
    };

    // 4. The loop.
    let outcome: RunSummary['outcome'] = 'finished';
    for (;;) {
      for (const e of events.splice(0)) {
        if (e.type === 'task') onUpdate(e.update);
        else if (e.type === 'watch-error') throw e.error;
      }
      if (control.abandoned) {
        outcome = 'interrupted';
        break;
      }
      if (planner.finished) break;
      if (control.stopping && byTask.size === 0) {
        outcome = 'stopped';
        break;
      }
      if (clock() >= nextHostRefresh) {
        nextHostRefresh = clock() + (options.hostRefreshSeconds ?? 300) * 1000;
        const hosts = await vcenter.vmHosts();
        for (const [vm, host] of hosts) {
          if (lastHosts.get(vm) !== undefined && lastHosts.get(vm) !== host) observe({ type: 'vmMoved', vm, toHost: host, at: now() });
        }
        lastHosts = hosts;
      }
      if (!control.stopping) {
        for (const op of planner.decide(now())) {
          await submit(op);
          if (lastEndKnownAt !== null) {
            handoverDelays.push((clock() - lastEndKnownAt) / 1000);
            lastEndKnownAt = null;
          }
        }
      }
      if (clock() >= nextEta) {
        nextEta = clock() + (options.etaSeconds ?? 60) * 1000;
        eta = new Date(clock() + remainingSeconds(plan, scenario, planner.remainingWork()) * 1000);
      }
      const p = planner.progress();
      samples.push([clock(), p.bytesDone]);
      while (samples.length > 2 && samples[0]![0] < clock() - 15 * 60_000) samples.shift();
      const [t0, b0] = samples[0]!;
      const throughput = clock() > t0 ? ((p.bytesDone - b0) * 1000) / (clock() - t0) : 0;
      view.status({
        now: new Date(clock()),
        clusters: [...planner.clusterProgress().values()],
        bytesDone: p.bytesDone,
        bytesTotal: p.bytesTotal,
        throughput,
        eta,
        stopping: control.stopping,
      });
      if (events.length > 0) continue;
      const wakeAt = planner.nextWakeUp(now());
      const waitMs = Math.max(0, Math.min(wakeAt === null ? Infinity : wakeAt * 1000 + live.startedAt - clock(), nextHostRefresh - clock(), 1000));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }

    async function submit(op: Operation): Promise<void> {
      if (moved.has(op.vm) || [...byTask.values()].some((l) => l.op.vm === op.vm)) {
        // The planner never asks this; if it ever did, vCenter must not see it.
        throw new Error(`refusing to submit ${op.kind} of ${op.vm}: it is already moved or in flight`);
      }
      const intent: IntentRecord = {
        type: 'intent',
        at: new Date(clock()).toISOString(),
        op: op.id,
        vm: op.vm,
        kind: op.kind,
        host: op.host,
        bytes: op.bytes,
        ...(op.kind === 'svmotion' ? { target: op.targetDatastore } : { toHost: op.toHost }),
      };
      journal.write(intent);
      let task: string;
      try {
        task = await vcenter.submit(op);
      } catch (e) {
        if (e instanceof UserError) throw e; // the answer was lost: the restart will look for the task
        const reason = e instanceof Error ? e.message : String(e);
        journal.write({ type: 'rejected', at: new Date(clock()).toISOString(), op: op.id, reason });
        view.event(`${op.kind} ${op.vm} refused by vCenter: ${reason}`);
        observe({ type: 'failed', op: op.id, at: now(), reason, transient: false });
        return;
      }
      journal.write({ type: 'submitted', at: new Date(clock()).toISOString(), op: op.id, task });
      submitted++;
      byTask.set(task, { op, task, started: false, queued: false });
      vcenter.follow(task);
      view.event(
        op.kind === 'svmotion'
          ? `svmotion ${op.vm} (${formatBytes(op.bytes)}) → ${op.targetDatastore} submitted (${task})`
          : `vmotion ${op.vm} ${op.host} → ${op.toHost} submitted (${task})`,
      );
    }

    journal.write({ type: 'close', at: new Date(clock()).toISOString(), reason: outcome === 'finished' ? 'finished' : outcome });
    const calls = vcenter.calls - callsAtStart;
    const movedList = [...moved].sort();
    return {
      outcome,
      moved: movedList,
      failed: planner.failed.map((f) => ({ vm: f.vm, reason: f.reason })),
      skipped: planner.skipped.map((s) => ({ vm: s.vm, reason: s.reason })),
      changes,
      calls,
      callsPerMovedVm: movedList.length > 0 ? calls / movedList.length : 0,
      handoverDelays,
      submitted,
    };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    journal.write({ type: 'close', at: new Date(clock()).toISOString(), reason: 'error', detail });
    if (e instanceof UserError && e.exitCode !== 3) throw e;
    if (e instanceof UserError || e instanceof TaskWatchError || isVimFault(e)) {
      // vCenter went away or stopped answering for our tasks: stop, leaving what runs to vCenter.
      throw new UserError(
        `stopped: ${detail.replace(/\.$/, '')}; the journal ${options.journalPath} knows every migration in flight, run the same command again to resume.`,
        { exitCode: 3, cause: e },
      );
    }
    throw e;
  } finally {
    journal.close();
  }
}

/**
 * Folds the journal into what the planner must take up, checking every open operation with
 * vCenter: still running (re-attach), ended while we were away (record it), or never submitted.
 */
async function reconcile(
  state: JournalState,
  vcenter: LiveVcenter,
  estate: Estate,
  journal: Journal,
  clock: () => number,
  view: RunView,
  byTask: Map<string, LiveOp>,
  moved: Set<string>,
): Promise<ResumeState> {
  const attempts = new Map<string, number>();
  const inFlight: Operation[] = [];
  const done: string[] = [];
  const at = () => new Date(clock()).toISOString();
  const vmByName = new Map(estate.vms.map((v) => [v.name, v]));
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const onLegacy = (vm: string) => vmByName.get(vm)?.disks.some((d) => d.datastore !== null && legacy.has(d.datastore)) ?? false;
  const onTarget = (i: IntentRecord) => {
    const vm = vmByName.get(i.vm);
    if (!vm) return false;
    if (i.kind === 'svmotion') return vm.disks.length > 0 && vm.disks.every((d) => d.datastore === i.target);
    return vm.host === i.toHost;
  };
  for (const h of [...state.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    const i = h.intent;
    if (h.rejected !== null || h.voided) continue;
    if (i.kind === 'svmotion') attempts.set(i.vm, (attempts.get(i.vm) ?? 0) + 1);
    if (h.ended !== null) {
      if (h.ended.outcome === 'success' && i.kind === 'svmotion') {
        // vCenter's state is the truth: a VM the journal saw moved but that sits on legacy storage
        // again (a restore, a vCenter rebuilt) has to be moved again.
        if (onLegacy(i.vm)) {
          view.event(`resume: the journal saw ${i.vm} moved, but vCenter shows it on legacy storage: it will be moved again`);
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
      const found = (await vcenter.relocationsOf(i.vm)).filter((t) => (t.queueTime ?? t.startTime ?? new Date(0)).getTime() >= since);
      const latest = found[found.length - 1];
      if (latest) {
        task = latest.task.value;
        info = latest;
        journal.write({ type: 'submitted', at: at(), op: i.op, task });
        view.event(`resume: found ${i.kind} of ${i.vm} submitted before the stop (${task})`);
      } else if (onTarget(i)) {
        journal.write({ type: 'ended', at: at(), op: i.op, outcome: 'success', found: 'restart' });
        if (i.kind === 'svmotion') done.push(i.vm);
        continue;
      } else {
        journal.write({ type: 'void', at: at(), op: i.op, reason: 'the submission never reached vCenter' });
        if (i.kind === 'svmotion') attempts.set(i.vm, attempts.get(i.vm)! - 1);
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
      if (ok && i.kind === 'svmotion') done.push(i.vm);
      if (!ok && i.kind === 'svmotion') attempts.set(i.vm, attempts.get(i.vm)! - 1);
      view.event(`resume: task ${task} (${i.kind} ${i.vm}) is gone from vCenter; the VM is ${ok ? 'where it was to go' : 'not moved'}`);
      continue;
    }
    if (info.state === 'success' || info.state === 'error') {
      const ok = info.state === 'success';
      const reason = info.error?.localizedMessage ?? info.error?.fault.faultName ?? 'failed';
      journal.write({ type: 'ended', at: at(), op: i.op, outcome: ok ? 'success' : 'failed', found: 'restart', ...(ok ? {} : { reason, transient: isTransient(info) }) });
      if (ok && i.kind === 'svmotion') done.push(i.vm);
      view.event(`resume: ${i.kind} ${i.vm} ${ok ? 'succeeded' : `failed (${reason})`} while svmig was away`);
      continue;
    }
    const op = operationOf(i);
    inFlight.push(op);
    byTask.set(task, { op, task, started: info.state === 'running', queued: info.state === 'queued' });
    view.event(`resume: re-attached to ${i.kind} ${i.vm} (${task}, ${info.state})`);
  }
  for (const vm of done) moved.add(vm);
  return { done, failed: [], attempts, inFlight, nextId: state.nextId };
}

function operationOf(i: IntentRecord): Operation {
  if (i.kind === 'svmotion') {
    return { kind: 'svmotion', id: i.op, vm: i.vm, cluster: '', host: i.host, sourceDatastores: [], targetDatastore: i.target!, bytes: i.bytes };
  }
  return { kind: 'vmotion', id: i.op, vm: i.vm, cluster: '', host: i.host, toHost: i.toHost!, bytes: i.bytes };
}

/** Faults worth another attempt: the VM or a host was busy or unreachable, not a wrong request. */
const PERMANENT = new Set(['InvalidArgument', 'InvalidState', 'NotSupported', 'InvalidDatastore', 'FileAlreadyExists', 'RequestCanceled', 'InvalidPowerState', 'NoPermission', 'DisallowedMigrationDeviceAttached']);

export function isTransient(info: TaskInfo): boolean {
  const name = info.error?.fault.faultName ?? 'SystemError';
  return !PERMANENT.has(name);
}

/** What a task update tells the planner, given what it was told before. */
function observationsOf(l: LiveOp, info: TaskInfo, at: number): Observation[] {
  const out: Observation[] = [];
  const waiting = info.state === 'queued' || /waiting|resources currently in use/i.test(info.description?.message ?? '');
  if (info.state === 'queued' || (info.state === 'running' && waiting)) {
    if (!l.queued) out.push({ type: 'queued', op: l.op.id, at });
    l.queued = true;
  } else if (info.state === 'running' && (!l.started || l.queued)) {
    out.push({ type: 'started', op: l.op.id, at });
    l.started = true;
    l.queued = false;
  }
  if (info.state === 'running' && info.progress !== undefined) out.push({ type: 'progress', op: l.op.id, at, fraction: info.progress / 100 });
  if (info.state === 'success') out.push({ type: 'succeeded', op: l.op.id, at });
  if (info.state === 'error') {
    const reason = info.error?.localizedMessage || info.error?.fault.faultName || 'failed';
    out.push({ type: 'failed', op: l.op.id, at, reason, transient: isTransient(info) });
  }
  return out;
}

function describeEnd(op: Operation, o: Observation): string {
  if (o.type === 'succeeded') return op.kind === 'svmotion' ? `svmotion ${op.vm} → ${op.targetDatastore} done` : `vmotion ${op.vm} → ${op.toHost} done`;
  if (o.type === 'failed') return `${op.kind} ${op.vm} FAILED: ${o.reason}${o.transient ? ' (transient)' : ''}`;
  return '';
}

function reportChanges(c: EstateChanges, view: RunView): void {
  if (c.moved.length > 0) view.event(`${c.moved.length} planned VM(s) already have nothing on legacy storage and will not be moved: ${c.moved.slice(0, 5).join(', ')}${c.moved.length > 5 ? ' …' : ''}`);
  const d = describeChanges(c);
  if (d) view.event(`changes since the plan: ${d}`);
}
