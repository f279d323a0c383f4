// Following vCenter tasks, many at once, cheaply and truthfully.
//
// One property collector of our own, one ListView holding the tasks followed, and ONE filter on
// that view that selects only the task properties that matter: state, description, error,
// result, and fields that change together with them (times, cancelled) or never (key, entity,
// descriptionId). Progress is not in the filter: on a real vCenter it moves every few seconds
// for hours and each move would cost a WaitForUpdatesEx round; when asked for, it is read for all
// running tasks in one call at a bounded rate instead.
//
// Tasks join the view in batches (CreateListView for the first, ModifyListView after, which also
// wakes a wait in flight so the new tasks' current state comes at once); finished tasks leave it
// with the next batch of additions (or after a while), so removals cost no calls of their own.
// Each view change costs a call and the round that reports the tasks it added, whatever their
// number: a caller that can learn a task's first state later (an hour-long copy's, minutes later)
// says so (`joinWithinMs`), and the task waits to join with others. Whatever its state when it
// joins (ended meanwhile included), the view reports it: nothing is lost, only learnt later.
//
// Delivered: every change of state AND of description: vCenter keeps a migration that waits for
// resources in state `running` and says so only in its description ("Resources currently in use
// by other operations. Waiting."), so the description is what tells queued from copying. The
// final state (success or error) is always delivered, exactly once (govmomi task/wait.go).
//
// Collectors, filters and views live in the session: after the client renewed its session (a new
// sessionEpoch) the watcher builds them again with every unfinished task and starts from version
// "", which reports each task's current info, so a task that ended while the session was gone is
// still delivered.

import { setTimeout as delay } from 'node:timers/promises';
import type { VimClient } from './client.js';
import { isVimFault, VsphereConnectionError } from './faults.js';
import * as methods from './methods.js';
import { PropertyCollector, retrieveAll } from './property-collector.js';
import {
  decodeAny,
  decodeBool,
  decodeDate,
  decodeLocalizableMessage,
  decodeLocalizedMethodFault,
  decodeMor,
  decodeNumber,
  decodeTaskInfo,
  isTaskDone,
  refKey,
  type ManagedObjectReference,
  type ObjectUpdate,
  type PropertyFilterSpec,
  type TaskInfo,
  type TaskInfoState,
} from './types.js';
import { text, type XmlElement } from './xml.js';

/** What changed in a delivered update, compared with the previous delivery of that task. */
export type TaskChange = 'state' | 'description' | 'progress';

export interface TaskUpdate {
  task: ManagedObjectReference;
  info: TaskInfo;
  /** True for the final update (state success or error). */
  done: boolean;
  /** What changed since the task's previous update (all that is known, for its first). */
  changed: TaskChange[];
}

export interface TaskWatcherOptions {
  /** Also deliver progress while a task runs (default false), read at most every progressIntervalMs. */
  progress?: boolean;
  /** Milliseconds between two reads of the running tasks' progress (default 10 000). */
  progressIntervalMs?: number;
  /** Seconds each WaitForUpdatesEx may wait on the server (default 60). */
  maxWaitSeconds?: number;
  /** Called for every delivered update, in order, before the task's promise settles. */
  onUpdate?: (update: TaskUpdate) => void;
  /** Transport failures tolerated in a row before every watched task is rejected (default 5). */
  maxConnectionRetries?: number;
  /** Milliseconds new tasks are gathered before they join the view together (default 100). */
  batchMs?: number;
  /** Tasks waiting to join the view that make them join at once, whatever their `joinWithinMs` (default 16). */
  maxJoining?: number;
  /** Milliseconds finished tasks wait for additions to leave the view with, before leaving alone (default 30 000). */
  removeAfterMs?: number;
}

/** Counters of the work done, for benchmarks and tests. */
export interface TaskWatcherStats {
  /** WaitForUpdatesEx calls that returned updates. */
  rounds: number;
  /** CreateListView / ModifyListView calls. */
  viewChanges: number;
  /** Progress reads (one RetrievePropertiesEx each). */
  progressReads: number;
  /** Collectors built (one per session). */
  collectors: number;
}

export interface WatchOptions {
  /**
   * How long the task may wait to join the view, gathering others to join with (default: the
   * watcher's batchMs). Its first state is learnt that late at most; its end is never lost.
   */
  joinWithinMs?: number;
}

/** Milliseconds each clean-up call of close() may take (the session ends with the run anyway). */
const CLOSE_TIMEOUT_MS = 5_000;

export class TaskWatchError extends Error {
  override readonly name = 'TaskWatchError';
}

/** The TaskInfo paths the filter selects: what a consumer acts on, and what only changes with it. */
export const WATCHED_TASK_PATHS = [
  'info.key',
  'info.task',
  'info.name',
  'info.descriptionId',
  'info.entity',
  'info.entityName',
  'info.state',
  'info.description',
  'info.error',
  'info.result',
  'info.cancelled',
  'info.cancelable',
  'info.queueTime',
  'info.startTime',
  'info.completeTime',
  'info.eventChainId',
] as const;

/** True when vCenter holds the task for resources: state running (or queued) and the "Waiting" description. */
export function isWaitingForResources(info: TaskInfo): boolean {
  if (info.state === 'queued') return true;
  if (info.state !== 'running') return false;
  const d = info.description;
  return d !== undefined && (/WaitForResources$/.test(d.key) || /resources currently in use/i.test(d.message ?? ''));
}

interface Entry {
  task: ManagedObjectReference;
  info: TaskInfo;
  delivered: { state?: TaskInfoState; progress?: number; description?: string } | undefined;
  /** Collector generation whose view holds the task (-1: not in a view). */
  generation: number;
  /** Wall time (ms) by which it joins the view. */
  joinBy: number;
  done: boolean;
  promise: Promise<TaskInfo>;
  resolve: (info: TaskInfo) => void;
  reject: (e: unknown) => void;
}

function blankInfo(task: ManagedObjectReference): TaskInfo {
  return { key: task.value, task, descriptionId: '', state: 'queued', cancelled: false, cancelable: false };
}

function descriptionKey(info: TaskInfo): string | undefined {
  return info.description ? `${info.description.key}\u0000${info.description.message ?? ''}` : undefined;
}

/** The filter: the watched paths of every task in the view (not the view itself). */
function viewFilterSpec(view: ManagedObjectReference, paths: readonly string[]): PropertyFilterSpec {
  return {
    propSet: [{ type: 'Task', pathSet: [...paths] }],
    objectSet: [{ obj: view, skip: true, selectSet: [{ name: 'traverseListView', type: 'ListView', path: 'view', skip: false }] }],
  };
}

/** The server-side objects of one session. */
interface Session {
  epoch: number;
  generation: number;
  collector: PropertyCollector;
  view: ManagedObjectReference | undefined;
  filter: ManagedObjectReference | undefined;
  version: string;
}

export class TaskWatcher {
  private readonly entries = new Map<string, Entry>();
  /** Finished tasks still in the view, to remove with the next change of it. */
  private readonly leaving = new Map<string, ManagedObjectReference>();
  private session: Session | undefined;
  private generation = 0;
  /** Collector changes (create, view changes) run one at a time; the wait runs beside them. */
  private serial: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private closed = false;
  private addTimer: NodeJS.Timeout | undefined;
  /** When addTimer fires (wall ms). */
  private addAt = Infinity;
  private removeTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Aborts the wait in flight: on close, and when its collector is no longer the current one. */
  private waitAbort: AbortController | undefined;
  /** Aborts every other call in flight (view changes, collector set-up, a retry's pause) on close. */
  private readonly closing = new AbortController();
  private readonly unsubscribe: () => void;
  private readonly progress: boolean;
  private readonly progressIntervalMs: number;
  private readonly maxWaitSeconds: number;
  private readonly maxRetries: number;
  private readonly batchMs: number;
  private readonly maxJoining: number;
  private readonly removeAfterMs: number;
  private readonly onUpdate: ((u: TaskUpdate) => void) | undefined;
  private readonly counters: TaskWatcherStats = { rounds: 0, viewChanges: 0, progressReads: 0, collectors: 0 };

  constructor(
    private readonly client: VimClient,
    options: TaskWatcherOptions = {},
  ) {
    this.progress = options.progress ?? false;
    this.progressIntervalMs = Math.max(10, options.progressIntervalMs ?? 10_000);
    this.maxWaitSeconds = options.maxWaitSeconds ?? 60;
    this.maxRetries = options.maxConnectionRetries ?? 5;
    this.batchMs = Math.max(0, options.batchMs ?? 100);
    this.maxJoining = Math.max(1, options.maxJoining ?? 16);
    this.removeAfterMs = Math.max(0, options.removeAfterMs ?? 30_000);
    this.onUpdate = options.onUpdate;
    // A wait on the old session's collector may never return (vCenter) or report a dead collector
    // (vcsim): stop it, and the loop rebuilds in the new session at once.
    this.unsubscribe = client.onSessionChange(() => this.waitAbort?.abort());
  }

  /** Tasks being followed that have not finished. */
  get pending(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.done) n++;
    return n;
  }

  /** Work done so far (a copy). */
  get stats(): TaskWatcherStats {
    return { ...this.counters };
  }

  /** Follows a task; the promise settles with its final info (also for a task that ended in error). */
  watch(task: ManagedObjectReference, options: WatchOptions = {}): Promise<TaskInfo> {
    if (this.closed) return Promise.reject(new TaskWatchError('the task watcher is closed'));
    const existing = this.entries.get(refKey(task));
    if (existing) return existing.promise;
    let resolve!: (info: TaskInfo) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<TaskInfo>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // a caller that only uses onUpdate must not crash the process
    const joinBy = Date.now() + Math.max(this.batchMs, options.joinWithinMs ?? 0);
    const entry: Entry = { task, info: blankInfo(task), delivered: undefined, generation: -1, joinBy, done: false, promise, resolve, reject };
    this.entries.set(refKey(task), entry);
    this.scheduleAdd();
    return promise;
  }

  /**
   * Stops following: ends every call in flight at once, destroys the collector (which ends its
   * wait on the server) and the view; unfinished tasks are rejected. It never waits on vCenter for
   * long: a person who interrupted a run must get the prompt back even from a vCenter that stopped
   * answering (the collector and view die with the session anyway), so the clean-up calls have
   * CLOSE_TIMEOUT_MS each and nothing else in flight is waited for.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.addTimer, this.removeTimer, this.progressTimer]) if (t) clearTimeout(t);
    this.addTimer = undefined;
    const session = this.session;
    this.session = undefined;
    this.unsubscribe();
    this.waitAbort?.abort();
    this.closing.abort();
    await this.loop?.catch(() => undefined);
    if (session && session.epoch === this.client.sessionEpoch) {
      const call = { timeoutMs: CLOSE_TIMEOUT_MS };
      await session.collector.destroy(call).catch(() => undefined);
      if (session.view) await methods.DestroyView(this.client, session.view, call).catch(() => undefined);
    }
    for (const e of this.entries.values()) {
      if (!e.done) e.reject(new TaskWatchError(`stopped following task ${e.task.value} before it finished`));
      e.done = true;
    }
  }

  // ---- the view ----

  /** Unfinished tasks not in the current session's view. */
  private joining(): Entry[] {
    const generation = this.session?.generation;
    return [...this.entries.values()].filter((e) => !e.done && e.generation !== generation);
  }

  /**
   * New tasks join the view together when the first of them is due (or when maxJoining wait);
   * the wait loop starts (or goes on).
   */
  private scheduleAdd(): void {
    if (this.closed) return;
    const joining = this.joining();
    if (joining.length === 0) return;
    const now = Date.now();
    const due = joining.length >= this.maxJoining ? now + this.batchMs : Math.min(...joining.map((e) => e.joinBy));
    if (this.addTimer && this.addAt <= due) return;
    if (this.addTimer) clearTimeout(this.addTimer);
    this.addAt = due;
    this.addTimer = setTimeout(
      () => {
        this.addTimer = undefined;
        this.addAt = Infinity;
        // The loop starts once they are in the view: a loop ending meanwhile (nothing in the view
        // yet) would not start again. It retries what failed.
        void this.exclusive(() => this.sync({ all: true }))
          .catch(() => undefined)
          .finally(() => this.ensureLoop());
      },
      Math.max(0, due - now),
    );
  }

  /** Finished tasks leave with the next addition, or alone after removeAfterMs. */
  private scheduleRemove(): void {
    if (this.removeTimer || this.closed) return;
    this.removeTimer = setTimeout(() => {
      this.removeTimer = undefined;
      if (this.leaving.size > 0) void this.exclusive(() => this.sync({ all: true, flushRemovals: true })).catch(() => undefined);
    }, this.removeAfterMs);
    this.removeTimer.unref();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * Makes the collector, view and filter current for this session and puts the unfinished tasks
   * not yet in the view into it (one call): all of them with `all`, in a new session (the old view
   * went with the old one), or once one of them is due; else none. Finished tasks leave with them,
   * or alone with flushRemovals.
   */
  private async sync(options: { all?: boolean; flushRemovals?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    const flushRemovals = options.flushRemovals ?? false;
    let all = options.all ?? false;
    let s = this.session;
    if (!s || s.epoch !== this.client.sessionEpoch) {
      all = true;
      const epoch = this.client.sessionEpoch;
      const collector = await PropertyCollector.create(this.client, this.calls());
      this.counters.collectors++;
      s = { epoch, generation: ++this.generation, collector, view: undefined, filter: undefined, version: '' };
      this.session = s;
      this.leaving.clear(); // the old view went with the old session
      this.waitAbort?.abort(); // a wait in flight belongs to the collector just replaced
    }
    let adding = this.joining();
    const now = Date.now();
    if (!all && !adding.some((e) => e.joinBy <= now)) adding = [];
    const removing = [...this.leaving.values()];
    if (!s.view && adding.length > 0) {
      s.view = await this.createView(adding.map((e) => e.task));
      for (const e of adding) e.generation = s.generation;
      adding = [];
    }
    if (s.view && !s.filter) s.filter = await s.collector.createFilter(viewFilterSpec(s.view, WATCHED_TASK_PATHS), false, this.calls());
    if (!s.view || (adding.length === 0 && !(flushRemovals && removing.length > 0))) {
      this.scheduleAdd();
      return;
    }
    this.counters.viewChanges++;
    const unresolved = await methods.ModifyListView(this.client, s.view, adding.map((e) => e.task), removing, this.calls());
    for (const r of removing) this.leaving.delete(refKey(r));
    for (const e of adding) e.generation = s.generation;
    for (const r of unresolved) this.rejectMissing(r);
    // Those not due yet join when the first of them is (a timer, whatever brought this call).
    this.scheduleAdd();
  }

  /** A view holding tasks; one vCenter does not know is rejected (and not in the view). */
  private async createView(tasks: ManagedObjectReference[]): Promise<ManagedObjectReference> {
    const viewManager = this.client.serviceContent.viewManager;
    if (!viewManager) throw new TaskWatchError('this vCenter has no ViewManager to follow tasks with');
    this.counters.viewChanges++;
    try {
      return await methods.CreateListView(this.client, viewManager, tasks, this.calls());
    } catch (e) {
      if (!isVimFault(e, 'ManagedObjectNotFound')) throw e;
      // One of them is unknown: make the view empty and add them, which names every unknown one.
      const view = await methods.CreateListView(this.client, viewManager, [], this.calls());
      this.counters.viewChanges++;
      const unresolved = await methods.ModifyListView(this.client, view, tasks, [], this.calls());
      for (const r of unresolved) this.rejectMissing(r);
      return view;
    }
  }

  /** Options of the watcher's calls other than the wait: they end when the watcher closes. */
  private calls(): { signal: AbortSignal } {
    return { signal: this.closing.signal };
  }

  private rejectMissing(ref: ManagedObjectReference): void {
    const entry = this.entries.get(refKey(ref));
    if (!entry || entry.done) return;
    entry.done = true;
    this.entries.delete(refKey(ref));
    entry.reject(new TaskWatchError(`task ${ref.value} does not exist in vCenter (any more)`));
  }

  // ---- the wait loop ----

  /** Starts the wait loop unless it runs; a task added while a loop was ending gets a new one. */
  private ensureLoop(): void {
    if (this.loop || this.closed) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      // Tasks still waiting to join start a loop when they join (scheduleAdd).
      if (this.pending > this.joining().length && !this.closed) this.ensureLoop();
    });
    this.scheduleProgress();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed && this.pending > 0) {
      try {
        await this.exclusive(() => this.sync());
        const s = this.session;
        if (this.closed) continue;
        // No unfinished task in the view: the ones waiting to join start the loop when they join.
        if (!s?.filter || this.pending === this.joining().length) break;
        const abort = new AbortController();
        this.waitAbort = abort;
        let set;
        try {
          set = await s.collector.waitForUpdatesEx(s.version, { maxWaitSeconds: this.maxWaitSeconds }, { signal: abort.signal });
        } finally {
          this.waitAbort = undefined;
        }
        failures = 0;
        if (set === null || s !== this.session) continue;
        this.counters.rounds++;
        s.version = set.version;
        this.applyRound(set.filterSet.flatMap((fu) => fu.objectSet));
      } catch (e) {
        if (this.closed) break;
        if (isVimFault(e, 'RequestCanceled')) continue; // someone cancelled the wait: wait again
        if (e instanceof VsphereConnectionError && e.code === 'ABORT_ERR') continue; // we stopped it: the collector changed
        if (e instanceof VsphereConnectionError && e.code === 'ABANDONED') {
          // The client gave up on vCenter: no call will be answered again.
          this.failAll(e);
          return;
        }
        if (isVimFault(e, 'ManagedObjectNotFound') || isVimFault(e, 'NotAuthenticated') || isVimFault(e, 'InvalidCollectorVersion')) {
          // The collector or view went with the session (or the version is stale): build anew.
          this.session = undefined;
          for (const entry of this.entries.values()) entry.generation = -1;
          continue;
        }
        if (e instanceof VsphereConnectionError && e.code !== 'CERT_PIN_MISMATCH' && ++failures <= this.maxRetries) {
          await delay(Math.min(30_000, 500 * 2 ** failures), undefined, { signal: this.closing.signal }).catch(() => undefined);
          continue;
        }
        this.failAll(e);
        return;
      }
    }
  }

  private failAll(e: unknown): void {
    for (const entry of this.entries.values()) {
      if (entry.done) continue;
      entry.done = true;
      entry.reject(e);
    }
  }

  /**
   * Applies one round's updates, task by task, delivering every step that moved a task on. For a
   * task entering the view (or entering again: vcsim re-reports every task of a view it changed),
   * vcsim gives its state now first, then its changes since the previous round, which are older;
   * vCenter gives one update per object. So a task's changes are applied in order and the state it
   * entered with last: nothing is seen to go back, no step is skipped (a task seen waiting is seen
   * copying), and the end is delivered once, with the whole info. Changes of a task not seen yet
   * are partial (the ones before them went unreported): its first state is the one it entered with.
   */
  private applyRound(updates: ObjectUpdate[]): void {
    const steps = new Map<Entry, ObjectUpdate[]>();
    const entering = new Map<Entry, ObjectUpdate>();
    for (const ou of updates) {
      const entry = this.entries.get(refKey(ou.obj));
      if (!entry || entry.done) continue;
      if (ou.kind === 'leave') {
        this.finishWithError(entry, new TaskWatchError(`task ${ou.obj.value} disappeared from vCenter before it finished`));
        continue;
      }
      if (!steps.has(entry)) steps.set(entry, []);
      if (ou.kind === 'enter') entering.set(entry, ou);
      else steps.get(entry)!.push(ou);
    }
    for (const [entry, changes] of steps) {
      const enter = entering.get(entry);
      const ordered = enter ? (entry.delivered === undefined ? [enter] : [...changes, enter]) : changes;
      ordered.forEach((ou, k) => {
        if (entry.done) return;
        this.apply(entry, ou);
        this.deliver(entry, false, k === ordered.length - 1);
      });
    }
  }

  private apply(entry: Entry, ou: ObjectUpdate): void {
    for (const change of ou.changeSet) {
      const removed = change.op === 'remove' || change.op === 'indirectRemove';
      if (change.name === 'info') {
        if (change.val && !removed) entry.info = decodeTaskInfo(change.val);
      } else if (change.name.startsWith('info.')) {
        patchInfo(entry.info, change.name.slice(5), removed ? undefined : change.val);
      }
    }
  }

  /**
   * Delivers the entry's info if its state or description (or, with progress, progress) changed;
   * an end only when `mayEnd` (the round's last word on the task).
   */
  private deliver(entry: Entry, progressOnly: boolean, mayEnd = true): void {
    const info = entry.info;
    if (!mayEnd && isTaskDone(info)) return;
    const done = !progressOnly && isTaskDone(info);
    const d = entry.delivered;
    const description = descriptionKey(info);
    const changed: TaskChange[] = [];
    if (!progressOnly && (d === undefined || info.state !== d.state)) changed.push('state');
    if (!progressOnly && (d === undefined || description !== d.description)) changed.push('description');
    if (this.progress && info.progress !== undefined && info.progress !== d?.progress) changed.push('progress');
    if (changed.length === 0 && !done) return;
    entry.delivered = { state: info.state, description };
    if (info.progress !== undefined) entry.delivered.progress = info.progress;
    else if (d?.progress !== undefined) entry.delivered.progress = d.progress;
    const snapshot = structuredClone(info);
    this.onUpdate?.({ task: entry.task, info: snapshot, done, changed });
    if (done) {
      entry.done = true;
      this.entries.delete(refKey(entry.task));
      if (entry.generation === this.session?.generation) {
        this.leaving.set(refKey(entry.task), entry.task);
        this.scheduleRemove();
      }
      entry.resolve(snapshot);
    }
  }

  private finishWithError(entry: Entry, error: Error): void {
    entry.done = true;
    this.entries.delete(refKey(entry.task));
    entry.reject(error);
  }

  // ---- progress, at a bounded rate ----

  private scheduleProgress(): void {
    if (!this.progress || this.progressTimer || this.closed) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      if (this.closed || this.pending === 0) return;
      void this.readProgress()
        .catch(() => undefined) // the wait loop reports what is wrong with the session or vCenter
        .finally(() => this.scheduleProgress());
    }, this.progressIntervalMs);
    this.progressTimer.unref();
  }

  /** One read of info.progress for every task in the view that runs; delivers what moved. */
  private async readProgress(): Promise<void> {
    const s = this.session;
    if (!s?.view || s.epoch !== this.client.sessionEpoch) return;
    const running = [...this.entries.values()].filter((e) => !e.done && e.generation === s.generation && e.info.state === 'running');
    if (running.length === 0) return;
    this.counters.progressReads++;
    const spec = viewFilterSpec(s.view, ['info.state', 'info.progress']);
    const contents = await retrieveAll(this.client, [spec]);
    for (const oc of contents) {
      const entry = this.entries.get(refKey(oc.obj));
      if (!entry || entry.done || entry.info.state !== 'running') continue;
      const props = new Map(oc.propSet.map((p) => [p.name, p.val]));
      // A task that ended is reported by the wait loop, with its final info.
      if (text(props.get('info.state')) !== 'running') continue;
      const progress = decodeNumber(text(props.get('info.progress')));
      if (progress === undefined || progress === entry.info.progress) continue;
      entry.info.progress = progress;
      this.deliver(entry, true);
    }
  }
}

/** Applies a change of one field of TaskInfo (filters on `info.x` paths report them one by one). */
function patchInfo(info: TaskInfo, field: string, val: XmlElement | undefined): void {
  const t = val ? text(val) : undefined;
  const target = info as unknown as Record<string, unknown>;
  const set = (v: unknown): void => {
    if (v === undefined) delete target[field];
    else target[field] = v;
  };
  switch (field) {
    case 'state':
      if (t) info.state = t as TaskInfoState;
      return;
    case 'key':
    case 'descriptionId':
      target[field] = t ?? '';
      return;
    case 'name':
    case 'entityName':
    case 'activationId':
      set(t);
      return;
    case 'task':
      if (val) info.task = decodeMor(val) ?? info.task;
      return;
    case 'entity':
      set(val ? decodeMor(val) : undefined);
      return;
    case 'progress':
    case 'eventChainId':
      set(decodeNumber(t));
      return;
    case 'cancelled':
    case 'cancelable':
      target[field] = decodeBool(t) ?? false;
      return;
    case 'queueTime':
    case 'startTime':
    case 'completeTime':
      set(decodeDate(t));
      return;
    case 'description':
      set(decodeLocalizableMessage(val));
      return;
    case 'error':
      set(decodeLocalizedMethodFault(val));
      return;
    case 'result':
      set(val ? decodeAny(val) : undefined);
      return;
    default:
      set(val ? decodeAny(val) : undefined);
  }
}

/** Waits for every task to finish; returns each final TaskInfo by task value (errors included). */
export async function waitForTasks(client: VimClient, tasks: ManagedObjectReference[], options: TaskWatcherOptions = {}): Promise<Map<string, TaskInfo>> {
  const watcher = new TaskWatcher(client, { batchMs: 0, ...options });
  try {
    const infos = await Promise.all(tasks.map((t) => watcher.watch(t)));
    return new Map(infos.map((info) => [info.task.value, info]));
  } finally {
    await watcher.close();
  }
}

/** Waits for one task to finish and returns its final info. */
export async function waitForTask(client: VimClient, task: ManagedObjectReference, options: TaskWatcherOptions = {}): Promise<TaskInfo> {
  const infos = await waitForTasks(client, [task], options);
  const info = infos.get(task.value);
  if (!info) throw new TaskWatchError(`task ${task.value} was not reported`);
  return info;
}
