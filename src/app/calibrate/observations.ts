// What actually happened to migrations, in one neutral form whatever told it: the journal of an
// `svmig run` (from-journal.ts), or vCenter's own task and event history of migrations other tools
// ran (from-history.ts). A calibration replays these through the simulator and fits the model to
// them (fit.ts); a forecast takes up the campaign where they leave it (forecast.ts).
//
// Times are milliseconds since the Unix epoch on the clock that told them (vCenter's where it gave
// them, the executor's for what only it saw). `timeScale` says how many seconds of the modelled
// world pass per second of that clock: 1 for a real vCenter; more for a rehearsal against a
// simulator that runs faster than real time (test/vcsim's harness), whose timestamps stay real.

import type { OperationKind } from '../../core/port.js';

/** One task vCenter ran: an svMotion (a VM's storage moved) or a vMotion (its host). */
export interface ObservedTask {
  /** The journal's operation id, or vCenter's task key. */
  key: string;
  kind: OperationKind;
  vm: string;
  /** Where the VM ran. */
  host: string;
  /** svMotion: where its disks were, where they went; vMotion: the host it went to. */
  sourceDatastores: string[];
  targetDatastore: string | null;
  toHost: string | null;
  /** Bytes the copy moved (or had to move); an svMotion's allocated bytes, a vMotion's memory. */
  bytes: number;
  /** When the task was handed to vCenter. */
  submittedAt: number;
  /** When it started copying (past vCenter's queue); null when it never did, or nobody saw. */
  startedAt: number | null;
  /** When it ended; null while it runs. */
  endedAt: number | null;
  outcome: 'success' | 'failed' | 'running';
  reason?: string;
}

export interface ObservationSource {
  kind: 'journal' | 'vcenter';
  /** The journal file, or the vCenter's address. */
  name: string;
  /** The plan's hash the journal belongs to (journals only). */
  plan?: string;
}

export interface Observations {
  source: ObservationSource;
  /** Every task, in the order it was submitted. */
  tasks: ObservedTask[];
  /** Seconds of the modelled world per second of the clock that gave the times (1: real time). */
  timeScale: number;
  /** What was left out, and why, one line each (tasks of VMs the scenario does not know, …). */
  notes: string[];
  /**
   * How late the executor learned that a task had ended (median over the tasks, seconds of the
   * modelled world): its reaction time, during which the slot stays taken. Null where unknown
   * (vCenter's history, journals without vCenter's times).
   */
  reactionSeconds?: number | null;
}

/** A task's copy time (start of copying to end), in seconds of the modelled world; null when unknown. */
export function copySeconds(t: ObservedTask, timeScale: number): number | null {
  if (t.startedAt === null || t.endedAt === null) return null;
  return ((t.endedAt - t.startedAt) / 1000) * timeScale;
}

/** The successful svMotions with a known copy time: what a fit compares the model with. */
export function measuredCopies(o: Observations): ObservedTask[] {
  return o.tasks.filter((t) => t.kind === 'svmotion' && t.outcome === 'success' && t.bytes > 0 && (copySeconds(t, o.timeScale) ?? 0) > 0);
}

/** The first submission: time 0 of a replay. */
export function epochOf(o: Observations): number {
  let first = Infinity;
  for (const t of o.tasks) first = Math.min(first, t.submittedAt);
  return Number.isFinite(first) ? first : 0;
}

/** The time span the observations cover, as wall times (ms): first submission to last end. */
export function spanOf(o: Observations): { from: number; to: number } | null {
  if (o.tasks.length === 0) return null;
  let to = -Infinity;
  for (const t of o.tasks) to = Math.max(to, t.endedAt ?? t.startedAt ?? t.submittedAt);
  return { from: epochOf(o), to };
}
