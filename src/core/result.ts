// The result of one campaign run: inputs, totals and one record per operation attempt. The
// simulation writes it, reports read it, and so do other tools (the JSON file), so fields may be
// added but never renamed. Types only: it sits in the core so that what reads results needs no
// simulator.

import type { DiskMove, OperationKind } from './port.js';

export type { OperationKind };
export type Outcome = 'success' | 'failed' | 'cancelled' | 'skipped';

export interface OperationRecord {
  vm: string;
  kind: OperationKind;
  cluster: string;
  /** Host the VM ran on during the operation (for a vMotion, the host it left). */
  host: string;
  toHost: string | null;
  sourceDatastores: string[];
  targetDatastore: string | null;
  bytes: number;
  /** Seconds from the campaign's start: reached vCenter, passed admission, ended. */
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  outcome: Outcome;
  /** Why it failed or was skipped. */
  reason?: string;
  /** Set when vCenter's DRS, not the campaign, started it. */
  by?: 'drs';
  /** An svMotion with per-disk targets: where each moved disk went (targetDatastore is the home's). */
  disks?: DiskMove[];
  /** A DRS override operation (`vm` is the cluster): the VMs whose override it set, and those whose override it put back. */
  overrides?: { set: string[]; restore: string[] };
}

export interface LinkUsage {
  id: string;
  label: string;
  /** Bytes per second, one direction. */
  capacity: number;
  bytes: number;
  /** Bytes carried over capacity × the campaign's time (with change windows: its open time, `openSeconds`). */
  utilisation: number;
  /** Seconds it ran full, at its capacity (absent from results of svmig before it counted them). */
  saturatedSeconds?: number;
}

export interface WindowMisfit {
  vm: string;
  bytes: number;
  needsSeconds: number;
  inFlight: number;
  longestWindowSeconds: number;
}

export interface SimulationSummary {
  svmotions: number;
  vmotions: number;
  vmsMoved: number;
  vmsFailed: number;
  vmsSkipped: number;
  /** Attempts beyond each VM's first (retries after transient failures). */
  retries: number;
  /** vMotions DRS made during the campaign. */
  drsMoves: number;
  hostFailures: number;
  /** Operation-seconds spent submitted but waiting in vCenter's queue. */
  queuedSeconds: number;
  /** Operations that had to wait in vCenter's queue at all. */
  queuedOperations: number;
  meanThroughput: number;
  peakThroughput: number;
  /** Greatest number of svMotions copying at once. */
  peakConcurrentCopies: number;
  /** vCenter API calls the run cost: submissions, task monitoring (push updates or polls), cancels. */
  apiCalls: number;
  events: number;
}

/** When a legacy datastore held nothing left to move (null: something on it was not moved). */
export interface DatastoreEmptied {
  name: string;
  at: number | null;
}

/**
 * What a run drew of the scenario's systematic uncertainty (fabric figures given as distributions,
 * production load on arrays): the per-copy rate (bytes/s), the svMotion set-up (s), and the share of
 * each loaded array's front-end capacity production took.
 */
export interface DrawnFigures {
  perCopyRate: number;
  svmotionSetup: number;
  productionLoad: Record<string, number>;
}

/** The campaign's calendar as a result file keeps it: the start as written, and as an instant in its zone. */
export interface SavedCalendar {
  /** `2026-12-07T20:00 Europe/Paris`, as campaign.start is written. */
  start: string;
  /** The instant of t = 0, milliseconds since the Unix epoch. */
  startMs: number;
  zone: string;
}

export interface SimulationResult {
  scenario: string;
  policy: string;
  seed: number;
  /** When the scenario has a start: the campaign's calendar, so that a saved result shows dates. */
  calendar?: SavedCalendar;
  /** Present when the scenario has systematic uncertainty: what this run drew. */
  drawn?: DrawnFigures;
  makespanSeconds: number;
  bytesMoved: number;
  /** VMs in the campaign's scope: every VM with storage on a legacy datastore. */
  vmCount: number;
  summary: SimulationSummary;
  /**
   * With change windows: the seconds of the campaign in which a window was open or a copy ran, the
   * time over which link utilisation is measured.
   */
  openSeconds?: number;
  /** With change windows: the open windows that began by the end, seconds from the start, the last one whole (what charts shade, what a schedule groups copies by). */
  windows?: Array<{ start: number; end: number }>;
  /** Every legacy datastore in scope, in the order they became empty (never-emptied last). */
  datastoresEmptied: DatastoreEmptied[];
  /**
   * With change windows that copies may not overrun: the VMs whose copy fits no window (skipped),
   * with the window each would need at the least, with `inFlight` copies in flight.
   */
  windowMisfits?: WindowMisfit[];
  /** Every fabric link that carried traffic, busiest first. */
  links: LinkUsage[];
  /** Aggregate copy throughput as a step function: [seconds, bytes per second] at every change. */
  throughput: Array<[number, number]>;
  operations: OperationRecord[];
  /** The adaptive loop's limit and measured throughput at each of its decisions (adaptive policies). */
  adaptive?: Array<{ at: number; limit: number; rate: number }>;
  /** Binned time series for charts; present when asked for. */
  timeline?: Timeline;
}

/** Time series of a run for charts, in equal bins (see sim/timeline.ts for how they are made). */
export interface Timeline {
  binSeconds: number;
  /** Start of each bin, seconds. */
  times: number[];
  /** Mean copy throughput per cluster in each bin, bytes/s. */
  clusters: Array<{ name: string; bytesPerSecond: number[] }>;
  /** Mean utilisation (0..1) of the busiest links in each bin. */
  links: Array<{ id: string; label: string; capacity: number; utilisation: number[] }>;
}
