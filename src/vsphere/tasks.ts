// Following vCenter tasks the way govmomi's task/wait.go does, for many tasks at once: a filter on
// each task's `info` in a property collector of our own, fed by WaitForUpdatesEx, never polling.
// Tasks can be added while a wait is in flight (CreateFilter on the live collector). Every state
// change is delivered; progress and description changes only when asked for; the final state
// (success or error) always, exactly once. A finished task's filter is destroyed between waits.
//
// Collectors and filters live in the session: after the client renewed its session (a new
// sessionEpoch) the watcher builds a new collector with a filter for every unfinished task and
// starts again from version "", which reports each task's current info, so a task that ended
// while the session was gone is still delivered.

import type { VimClient } from './client.js';
import { isVimFault, VsphereConnectionError } from './faults.js';
import { PropertyCollector } from './property-collector.js';
import {
  decodeAny,
  decodeBool,
  decodeDate,
  decodeLocalizableMessage,
  decodeLocalizedMethodFault,
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
import { text } from './xml.js';

export interface TaskUpdate {
  task: ManagedObjectReference;
  info: TaskInfo;
  /** True for the final update (state success or error). */
  done: boolean;
}

export interface TaskWatcherOptions {
  /** Also deliver progress and description changes while a task runs (default false). */
  progress?: boolean;
  /** Seconds each WaitForUpdatesEx may wait on the server (default 60). */
  maxWaitSeconds?: number;
  /** Called for every delivered update, in order, before the task's promise settles. */
  onUpdate?: (update: TaskUpdate) => void;
  /** Transport failures tolerated in a row before every watched task is rejected (default 5). */
  maxConnectionRetries?: number;
}

export class TaskWatchError extends Error {
  override readonly name = 'TaskWatchError';
}

interface Entry {
  task: ManagedObjectReference;
  info: TaskInfo | undefined;
  delivered: { state?: TaskInfoState; progress?: number; description?: string };
  filter: ManagedObjectReference | undefined;
  /** Collector generation the filter belongs to. */
  generation: number;
  done: boolean;
  promise: Promise<TaskInfo>;
  resolve: (info: TaskInfo) => void;
  reject: (e: unknown) => void;
}

function taskFilterSpec(task: ManagedObjectReference): PropertyFilterSpec {
  return { propSet: [{ type: 'Task', pathSet: ['info'] }], objectSet: [{ obj: task }] };
}

export class TaskWatcher {
  private readonly entries = new Map<string, Entry>();
  private collector: PropertyCollector | undefined;
  private collectorEpoch = -1;
  private generation = 0;
  private version = '';
  /** Collector changes (create, filters) run one at a time; the wait runs beside them. */
  private serial: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private waiting = false;
  private closed = false;
  /** Aborts the wait in flight: on close, and when its collector is no longer the current one. */
  private waitAbort: AbortController | undefined;
  private readonly unsubscribe: () => void;
  private readonly progress: boolean;
  private readonly maxWaitSeconds: number;
  private readonly maxRetries: number;
  private readonly onUpdate: ((u: TaskUpdate) => void) | undefined;

  constructor(
    private readonly client: VimClient,
    options: TaskWatcherOptions = {},
  ) {
    this.progress = options.progress ?? false;
    this.maxWaitSeconds = options.maxWaitSeconds ?? 60;
    this.maxRetries = options.maxConnectionRetries ?? 5;
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

  /** Follows a task; the promise settles with its final info (also for a task that ended in error). */
  watch(task: ManagedObjectReference): Promise<TaskInfo> {
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
    const entry: Entry = { task, info: undefined, delivered: {}, filter: undefined, generation: -1, done: false, promise, resolve, reject };
    this.entries.set(refKey(task), entry);
    // Add the filter now, even while a wait is in flight; if that fails, the loop tries again.
    void this.exclusive(() => this.sync()).catch((e: unknown) => {
      if (isVimFault(e, 'ManagedObjectNotFound')) this.collector = undefined;
    });
    this.ensureLoop();
    return promise;
  }

  /** Starts the wait loop unless it runs; a task added while a loop was ending gets a new one. */
  private ensureLoop(): void {
    if (this.loop || this.closed) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.pending > 0) this.ensureLoop();
    });
  }

  /** Stops following: cancels the wait, destroys the collector; unfinished tasks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const collector = this.collector;
    this.unsubscribe();
    if (collector && this.waiting) await collector.cancelWaitForUpdates().catch(() => undefined);
    this.waitAbort?.abort();
    await this.loop?.catch(() => undefined);
    await this.exclusive(async () => {
      if (collector && this.collectorEpoch === this.client.sessionEpoch) await collector.destroy().catch(() => undefined);
      this.collector = undefined;
    }).catch(() => undefined);
    for (const e of this.entries.values()) {
      if (!e.done) e.reject(new TaskWatchError(`stopped following task ${e.task.value} before it finished`));
      e.done = true;
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Makes the collector current for this session and gives every unfinished task a filter in it. */
  private async sync(): Promise<void> {
    if (this.closed) return;
    if (!this.collector || this.collectorEpoch !== this.client.sessionEpoch) {
      this.collectorEpoch = this.client.sessionEpoch;
      this.collector = await PropertyCollector.create(this.client);
      this.generation++;
      this.version = '';
      this.waitAbort?.abort(); // a wait in flight belongs to the collector just replaced
    }
    for (const e of this.entries.values()) {
      if (e.done || e.generation === this.generation) continue;
      try {
        e.filter = await this.collector.createFilter(taskFilterSpec(e.task));
        e.generation = this.generation;
      } catch (err) {
        // A task vCenter does not know fails alone; anything else concerns the collector.
        if (!this.rejectMissingTask(err)) throw err;
      }
    }
  }

  /** If err is ManagedObjectNotFound for one of our tasks, rejects that task and says so. */
  private rejectMissingTask(err: unknown): boolean {
    if (!isVimFault(err, 'ManagedObjectNotFound')) return false;
    const obj = err.fault.fields['obj'] as ManagedObjectReference | undefined;
    const entry = obj && typeof obj === 'object' && 'type' in obj ? this.entries.get(refKey(obj)) : undefined;
    if (!entry) return false;
    if (!entry.done) {
      entry.done = true;
      entry.reject(new TaskWatchError(`task ${entry.task.value} does not exist in vCenter (any more)`));
    }
    return true;
  }

  /** Destroys the filters of finished tasks (between waits: never under a wait in flight). */
  private async prune(): Promise<void> {
    for (const [key, e] of this.entries) {
      if (!e.done) continue;
      this.entries.delete(key);
      if (e.filter && e.generation === this.generation && this.collectorEpoch === this.client.sessionEpoch) {
        await this.collector?.destroyFilter(e.filter).catch(() => undefined);
      }
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed && this.pending > 0) {
      try {
        await this.exclusive(async () => {
          await this.prune();
          await this.sync();
        });
        const collector = this.collector;
        if (!collector || this.closed) continue;
        const generation = this.generation;
        const abort = new AbortController();
        this.waitAbort = abort;
        this.waiting = true;
        let set;
        try {
          set = await collector.waitForUpdatesEx(this.version, { maxWaitSeconds: this.maxWaitSeconds }, { signal: abort.signal });
        } finally {
          this.waiting = false;
          this.waitAbort = undefined;
        }
        failures = 0;
        if (set === null || generation !== this.generation) continue;
        this.version = set.version;
        for (const fu of set.filterSet) for (const ou of fu.objectSet) this.apply(ou);
      } catch (e) {
        if (this.closed) break;
        if (isVimFault(e, 'RequestCanceled')) continue; // someone cancelled the wait: wait again
        if (e instanceof VsphereConnectionError && e.code === 'ABORT_ERR') continue; // we stopped it: the collector changed
        // A filter on a task that vanished (vcsim fails the whole wait for it): drop that task,
        // its filter goes before the next wait.
        if (this.rejectMissingTask(e)) continue;
        if (isVimFault(e, 'ManagedObjectNotFound') || isVimFault(e, 'NotAuthenticated') || isVimFault(e, 'InvalidCollectorVersion')) {
          // The collector went with the session (or its version is stale): build a new one.
          this.collector = undefined;
          continue;
        }
        if (e instanceof VsphereConnectionError && e.code !== 'CERT_PIN_MISMATCH' && ++failures <= this.maxRetries) {
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** failures)));
          continue;
        }
        this.failAll(e);
        return;
      }
    }
    if (!this.closed) await this.exclusive(() => this.prune()).catch(() => undefined);
  }

  private failAll(e: unknown): void {
    for (const entry of this.entries.values()) {
      if (entry.done) continue;
      entry.done = true;
      entry.reject(e);
    }
  }

  private apply(ou: ObjectUpdate): void {
    const entry = this.entries.get(refKey(ou.obj));
    if (!entry || entry.done) return;
    if (ou.kind === 'leave' || ou.missingSet.length > 0) {
      entry.done = true;
      entry.reject(new TaskWatchError(`task ${ou.obj.value} disappeared from vCenter before it finished`));
      return;
    }
    for (const change of ou.changeSet) {
      if (change.name === 'info') {
        if (change.val && change.op !== 'remove' && change.op !== 'indirectRemove') entry.info = decodeTaskInfo(change.val);
      } else if (change.name.startsWith('info.') && entry.info) {
        patchInfo(entry.info, change.name.slice(5), change.op === 'remove' || change.op === 'indirectRemove' ? undefined : change.val);
      }
    }
    const info = entry.info;
    if (!info) return;
    const done = isTaskDone(info);
    const d = entry.delivered;
    const description = info.description ? `${info.description.key}\u0000${info.description.message ?? ''}` : undefined;
    const changed = info.state !== d.state || (this.progress && (info.progress !== d.progress || description !== d.description));
    if (!changed && !done) return;
    entry.delivered = { state: info.state, description };
    if (info.progress !== undefined) entry.delivered.progress = info.progress;
    const snapshot = structuredClone(info);
    this.onUpdate?.({ task: entry.task, info: snapshot, done });
    if (done) {
      entry.done = true;
      entry.resolve(snapshot);
    }
  }
}

/** Applies a change of one field of TaskInfo (servers may report `info.state` rather than `info`). */
function patchInfo(info: TaskInfo, field: string, val: import('./xml.js').XmlElement | undefined): void {
  const t = val ? text(val) : undefined;
  const target = info as unknown as Record<string, unknown>;
  switch (field) {
    case 'state':
      if (t) info.state = t as TaskInfoState;
      return;
    case 'progress':
    case 'eventChainId':
      target[field] = decodeNumber(t);
      return;
    case 'cancelled':
    case 'cancelable':
      target[field] = decodeBool(t) ?? false;
      return;
    case 'queueTime':
    case 'startTime':
    case 'completeTime':
      target[field] = decodeDate(t);
      return;
    case 'description':
      target[field] = decodeLocalizableMessage(val);
      return;
    case 'error':
      target[field] = decodeLocalizedMethodFault(val);
      return;
    case 'result':
      target[field] = decodeAny(val);
      return;
    default:
      target[field] = val ? decodeAny(val) : undefined;
  }
}

/** Waits for every task to finish; returns each final TaskInfo by task value (errors included). */
export async function waitForTasks(client: VimClient, tasks: ManagedObjectReference[], options: TaskWatcherOptions = {}): Promise<Map<string, TaskInfo>> {
  const watcher = new TaskWatcher(client, options);
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
