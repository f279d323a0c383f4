// The live world behind the planner's port: a real vCenter on the wall clock. It is an AsyncWorld
// for the one driver loop (core/loop.ts), the simulated world's twin: operations submitted by the
// loop are journaled (intent, flushed), handed to vCenter, journaled again with their task (flushed),
// and followed to their end; what vCenter reports comes back to the loop as the same observations
// the simulator gives. A refused submission is a `failed` observation, as in the simulator; VMs
// that someone else moved (DRS, an administrator) are seen by re-reading where VMs run every
// `hostRefreshSeconds` (this world's cadence, as a poll interval is the simulator's) and reported
// as `vmMoved`, as in the simulator.
//
// vCenter itself is behind VcenterSide (implemented over vim25 in vcenter.ts), so this file knows
// tasks and hosts, not SOAP.

import { intentOf, OPERATIONS, specOf } from '../core/operations.js';
import type { AsyncWorld, Observation, ObservationSink, Operation } from '../core/port.js';
import type { Journal, TaskTimes } from './journal.js';

/** What vCenter says of a task, as the live world needs it; an ended one with its own times, for the journal. */
export type TaskState =
  | { state: 'queued' }
  /** `waiting`: running in name, held by vCenter until resources free ("Resources currently in use"). */
  | { state: 'running'; waiting: boolean; progress?: number }
  | { state: 'success'; times?: TaskTimes }
  | { state: 'error'; reason: string; transient: boolean; times?: TaskTimes };

export interface TaskEvent {
  task: string;
  info: TaskState;
}

/** vCenter's answer to a submission: the task that runs it, or why it refused. */
export type Submission = { task: string } | { refused: string };

/** The vCenter behind the live world. */
export interface VcenterSide {
  /** Submits; rejects only when the answer was lost (vCenter unreachable), which a restart sorts out. */
  submit(op: Operation): Promise<Submission>;
  /**
   * Follows a task to its end: its changes arrive through `onTask`. `firstStateWithinSeconds`: its
   * first state may be learnt that late (so that it joins what is watched with others, for fewer
   * calls); its end is never lost.
   */
  follow(task: string, firstStateWithinSeconds?: number): void;
  onTask(handler: (e: TaskEvent) => void): void;
  /** A failure to follow tasks at all (vCenter gone for good). */
  onError(handler: (error: unknown) => void): void;
  /** Where each VM runs now, by name. */
  vmHosts(): Promise<Map<string, string>>;
}

/** An operation this run follows in vCenter. */
export interface FollowedTask {
  op: Operation;
  task: string;
  started: boolean;
  queued: boolean;
  /** Wall time (ms) it was seen to start copying, when this run saw it. */
  startedAtMs?: number;
  /** Wall time (ms) this run submitted it, until its first state is known. */
  submittedAtMs?: number;
}

export interface LiveWorldOptions {
  vcenter: VcenterSide;
  journal: Journal;
  /** Wall clock, ms. */
  clock: () => number;
  /** Wall time (ms) of the campaign's t = 0. */
  startedAt: number;
  /** Where each VM runs, as last read. */
  hosts: Map<string, string>;
  /** Tasks of earlier runs still running, re-attached. */
  attached: readonly FollowedTask[];
  /** VMs whose storage has moved already. */
  moved: ReadonlySet<string>;
  /** Seconds between re-reads of where VMs run. */
  hostRefreshSeconds: number;
  /** Seconds at most between two turns of the loop, so that views and the ETA move on in a quiet spell. */
  tickSeconds: number;
  /** One line about something that happened. */
  report: (line: string) => void;
  /**
   * How late a new copy's first state (waiting or copying) may be learnt, as a share of how long
   * it should take (from the copies this run saw), and at most how many seconds: new tasks then
   * join what vCenter reports on together, for fewer calls. Defaults 0.2 and 600; 0 learns at once.
   */
  firstStateShare?: number;
  firstStateMaxSeconds?: number;
}

/** Copies whose durations the first-state allowance is worked out from. */
const DURATION_SAMPLES = 20;

type Pending = { type: 'task'; event: TaskEvent } | { type: 'error'; error: unknown };

export class LiveWorld implements AsyncWorld {
  private sink: ObservationSink = { deliver: () => undefined, done: false };
  private readonly byTask = new Map<string, FollowedTask>();
  /** VMs with an operation in flight, so that none is ever submitted twice. */
  private readonly busy = new Set<string>();
  private readonly movedVms: Set<string>;
  private readonly outbox: Operation[] = [];
  private readonly inbox: Pending[] = [];
  private hosts: Map<string, string>;
  private nextHostRefresh: number;
  private nextTick: number;
  private delivered = false;
  private wakeUp: (() => void) | null = null;
  private lastEndKnownAt: number | null = null;
  private abandonedFlag = false;
  /** Operations this run handed to vCenter. */
  submitted = 0;
  /** Seconds from a task's end being known to the next submission, when one followed. */
  readonly handoverDelays: number[] = [];
  /** Seconds from a submission to vCenter's first word on the task (waiting, copying or ended). */
  readonly firstStateDelays: number[] = [];
  /** Recent copies this run saw from start to end: bytes and seconds. */
  private readonly copies: Array<{ bytes: number; seconds: number }> = [];

  constructor(private readonly o: LiveWorldOptions) {
    this.hosts = o.hosts;
    this.movedVms = new Set(o.moved);
    this.nextHostRefresh = o.clock() + o.hostRefreshSeconds * 1000;
    this.nextTick = o.clock() + o.tickSeconds * 1000;
    for (const t of o.attached) {
      this.byTask.set(t.task, t);
      if (specOf(t.op).subject === 'vm') this.busy.add(t.op.vm);
    }
    o.vcenter.onTask((event) => this.post({ type: 'task', event }));
    o.vcenter.onError((error) => this.post({ type: 'error', error }));
    for (const t of o.attached) o.vcenter.follow(t.task);
  }

  get now(): number {
    return (this.o.clock() - this.o.startedAt) / 1000;
  }

  /** VMs whose storage has moved, this run or before. */
  get moved(): ReadonlySet<string> {
    return this.movedVms;
  }

  /** Tasks in flight that this run follows. */
  get following(): number {
    return this.byTask.size;
  }

  get abandoned(): boolean {
    return this.abandonedFlag;
  }

  attach(sink: ObservationSink): void {
    this.sink = sink;
  }

  submit(op: Operation): void {
    this.outbox.push(op);
  }

  /** Wakes a wait in flight: something outside the world changed (a person asked to stop). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops at once, leaving what runs to vCenter (the journal knows it). */
  abandon(): void {
    this.abandonedFlag = true;
    this.wake();
  }

  async advance(wakeAt: number | null): Promise<boolean> {
    await this.flush();
    for (;;) {
      this.take();
      if (this.abandonedFlag || this.sink.done) return false;
      if (this.o.clock() >= this.nextHostRefresh) await this.refreshHosts();
      const now = this.o.clock();
      if (this.delivered || (wakeAt !== null && this.now >= wakeAt) || now >= this.nextTick) {
        this.delivered = false;
        this.nextTick = now + this.o.tickSeconds * 1000;
        return true;
      }
      const until = Math.min(wakeAt === null ? Infinity : this.o.startedAt + wakeAt * 1000, this.nextHostRefresh, this.nextTick);
      await this.wait(until - now);
    }
  }

  // ——— submitting ———

  private async flush(): Promise<void> {
    for (const op of this.outbox.splice(0)) {
      if (this.abandonedFlag) return;
      await this.send(op);
    }
  }

  private async send(op: Operation): Promise<void> {
    const { journal, clock, vcenter, report } = this.o;
    const onVm = specOf(op).subject === 'vm';
    if (onVm && (this.movedVms.has(op.vm) || this.busy.has(op.vm))) {
      // The planner never asks this; if it ever did, vCenter must not see it.
      throw new Error(`refusing to submit ${op.kind} of ${op.vm}: it is already moved or in flight`);
    }
    journal.write({ type: 'intent', at: new Date(clock()).toISOString(), ...intentOf(op) });
    // A rejection here means the answer was lost: the restart will look for the task on the VM.
    const answer = await vcenter.submit(op);
    if ('refused' in answer) {
      journal.write({ type: 'rejected', at: new Date(clock()).toISOString(), op: op.id, reason: answer.refused });
      report(`${op.kind} ${op.vm} refused by vCenter: ${answer.refused}`);
      this.deliver({ type: 'failed', op: op.id, at: this.now, reason: answer.refused, transient: false });
      return;
    }
    journal.write({ type: 'submitted', at: new Date(clock()).toISOString(), op: op.id, task: answer.task });
    this.submitted++;
    if (this.lastEndKnownAt !== null) {
      this.handoverDelays.push((clock() - this.lastEndKnownAt) / 1000);
      this.lastEndKnownAt = null;
    }
    this.byTask.set(answer.task, { op, task: answer.task, started: false, queued: false, submittedAtMs: clock() });
    if (onVm) this.busy.add(op.vm);
    vcenter.follow(answer.task, this.firstStateWithin(op));
    report(`${specOf(op).describe(op)} submitted (${answer.task})`);
  }

  // ——— what vCenter reports ———

  private post(p: Pending): void {
    this.inbox.push(p);
    this.wake();
  }

  /** Turns what arrived from vCenter into observations, in arrival order. */
  private take(): void {
    for (const p of this.inbox.splice(0)) {
      if (p.type === 'error') throw p.error;
      const t = this.byTask.get(p.event.task);
      if (!t) continue;
      if (t.submittedAtMs !== undefined) {
        this.firstStateDelays.push((this.o.clock() - t.submittedAtMs) / 1000);
        t.submittedAtMs = undefined;
      }
      for (const o of this.observationsOf(t, p.event.info)) this.pass(t, o, p.event.info);
    }
  }

  /** Journals and reports an observation of one of our tasks, then delivers it. */
  private pass(t: FollowedTask, o: Observation, info: TaskState): void {
    const { journal, clock, report } = this.o;
    if (o.type === 'succeeded' || o.type === 'failed') {
      const times = info.state === 'success' || info.state === 'error' ? info.times : undefined;
      journal.write({
        type: 'ended',
        at: new Date(clock()).toISOString(),
        op: t.op.id,
        outcome: o.type === 'succeeded' ? 'success' : 'failed',
        ...(o.type === 'failed' ? { reason: o.reason, transient: o.transient } : {}),
        ...(times ? { vcenter: times } : {}),
      });
      this.byTask.delete(t.task);
      if (specOf(t.op).subject === 'vm') this.busy.delete(t.op.vm);
      this.lastEndKnownAt = clock();
      if (o.type === 'succeeded' && OPERATIONS[t.op.kind].movesStorage) {
        this.movedVms.add(t.op.vm);
        if (t.startedAtMs !== undefined && clock() > t.startedAtMs) {
          this.copies.push({ bytes: t.op.bytes, seconds: (clock() - t.startedAtMs) / 1000 });
          if (this.copies.length > DURATION_SAMPLES) this.copies.shift();
        }
      }
      report(o.type === 'succeeded' ? `${specOf(t.op).describe(t.op)} done` : `${t.op.kind} ${t.op.vm} FAILED: ${o.reason}${o.transient ? ' (transient)' : ''}`);
    } else if (o.type === 'started') {
      // When copying began is what a calibration measures copies from: vCenter's startTime does not say.
      journal.write({ type: 'started', at: new Date(clock()).toISOString(), op: t.op.id });
      report(`${t.op.kind} ${t.op.vm} running (${t.task})`);
    } else if (o.type === 'queued') {
      journal.write({ type: 'queued', at: new Date(clock()).toISOString(), op: t.op.id });
      report(`${t.op.kind} ${t.op.vm} waiting in vCenter's queue (${t.task})`);
    }
    this.deliver(o);
  }

  /**
   * What a task's new state tells the planner, given what it was told before. A task goes forward
   * only: queued (state queued, or running with vCenter's "Waiting" description), then copying,
   * then ended. vCenter holds a migration for resources before it copies, never after, so a
   * "Waiting" description reported once the copy was seen to start is an older change reported
   * late (vcsim does so for a task entering a view), not news.
   */
  private observationsOf(t: FollowedTask, info: TaskState): Observation[] {
    const out: Observation[] = [];
    const at = this.now;
    const id = t.op.id;
    if (info.state === 'queued' || (info.state === 'running' && info.waiting)) {
      if (!t.queued && !t.started) out.push({ type: 'queued', op: id, at });
      if (!t.started) t.queued = true;
    } else if (info.state === 'running' && (!t.started || t.queued)) {
      out.push({ type: 'started', op: id, at });
      t.started = true;
      t.queued = false;
      t.startedAtMs = this.o.clock();
    }
    if (info.state === 'running' && info.progress !== undefined) out.push({ type: 'progress', op: id, at, fraction: info.progress });
    if (info.state === 'success') out.push({ type: 'succeeded', op: id, at });
    if (info.state === 'error') out.push({ type: 'failed', op: id, at, reason: info.reason, transient: info.transient });
    return out;
  }

  /**
   * Seconds a new copy's first state may wait: a share of how long it should take, the least of
   * its bytes at the mean rate of recent copies and their median duration (copies that are mostly
   * setup take about as long whatever their size). Until a copy was seen from start to end, none.
   */
  private firstStateWithin(op: Operation): number | undefined {
    const share = this.o.firstStateShare ?? 0.2;
    if (share <= 0 || !OPERATIONS[op.kind].movesStorage || this.copies.length === 0) return undefined;
    const bytes = this.copies.reduce((sum, c) => sum + c.bytes, 0);
    const seconds = this.copies.map((c) => c.seconds).sort((a, b) => a - b);
    const total = seconds.reduce((a, b) => a + b, 0);
    const median = seconds[Math.floor(seconds.length / 2)]!;
    const expected = bytes > 0 ? Math.min((op.bytes * total) / bytes, median) : median;
    return Math.min(share * expected, this.o.firstStateMaxSeconds ?? 600);
  }

  private async refreshHosts(): Promise<void> {
    this.nextHostRefresh = this.o.clock() + this.o.hostRefreshSeconds * 1000;
    const hosts = await this.o.vcenter.vmHosts();
    for (const [vm, host] of hosts) {
      const before = this.hosts.get(vm);
      if (before !== undefined && before !== host) this.deliver({ type: 'vmMoved', vm, toHost: host, at: this.now });
    }
    this.hosts = hosts;
  }

  private deliver(o: Observation): void {
    this.delivered = true;
    this.sink.deliver(o);
  }

  private wait(ms: number): Promise<void> {
    if (this.inbox.length > 0 || this.abandonedFlag) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
