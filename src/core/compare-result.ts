// The result of Monte Carlo runs of one or more policies on one scenario (`svmig compare`, and
// `svmig simulate --runs N`). Other tools read this JSON: fields may be added, never renamed.
// Percentiles are nearest-rank (see run-stats.ts): always one of the runs' own values.

import type { DrawnFigures, SavedCalendar, WindowMisfit } from './result.js';

/** One run of one policy. */
export interface RunSummary {
  seed: number;
  /** Present when the scenario has systematic uncertainty: what this run drew (the same under every policy). */
  drawn?: DrawnFigures;
  makespanSeconds: number;
  bytesMoved: number;
  vmotions: number;
  apiCalls: number;
  queuedSeconds: number;
  vmsFailed: number;
  /** When the first and the last legacy datastore became empty (null if none did). */
  firstLegacyEmptySeconds: number | null;
  lastLegacyEmptySeconds: number | null;
  /** VMs not attempted (blocked, no target with room, or a copy that fits no change window). */
  vmsSkipped: number;
  /** Attempts beyond each VM's first, and vMotions DRS made. */
  retries: number;
  drsMoves: number;
  /** VMs moved. (Absent from results of svmig before it counted them; so are the three below.) */
  vmsMoved?: number;
  /** Legacy datastores in the campaign's scope, and how many of them the run emptied. */
  legacyDatastores?: number;
  legacyDatastoresEmptied?: number;
  /** When every legacy datastore in scope was empty; null when some never was. */
  allLegacyEmptySeconds?: number | null;
}

export interface PolicyStats {
  policy: string;
  p50Seconds: number;
  p90Seconds: number;
  p99Seconds: number;
  /** Share of runs that finished by the deadline; null without a deadline. */
  deadlineProbability: number | null;
  /** Means over the runs. */
  vmotions: number;
  apiCalls: number;
  bytesPerHour: number;
  /** P50 makespan over the lower bound. */
  ratioToLowerBound: number;
  /** Mean makespan over the runs. */
  meanSeconds: number;
  /** Means over the runs. */
  bytesMoved: number;
  queuedSeconds: number;
  vmsFailed: number;
  /** P50 of when the first and the last legacy datastore became empty, a run that emptied none counting as never (null). */
  firstLegacyEmptyP50Seconds: number | null;
  lastLegacyEmptyP50Seconds: number | null;
  /** Means over the runs: VMs moved (null when the runs do not say), and VMs left behind (failed for good or skipped). */
  vmsMoved: number | null;
  vmsSkipped: number;
  vmsLeft: number;
  /** Legacy datastores in scope, and the P50 of how many a run emptied (null when the runs do not say). */
  legacyDatastores: number | null;
  legacyDatastoresEmptiedP50: number | null;
  /** P50 of when every legacy datastore was empty: null when the median run left some never emptied. */
  allLegacyEmptyP50Seconds: number | null;
  runs: RunSummary[];
}

export interface CompareResult {
  scenario: string;
  /** Seed from which every run's seed is derived; run i uses the same seed under every policy. */
  seed: number;
  runs: number;
  deadlineSeconds: number | null;
  lowerBoundSeconds: number;
  policies: PolicyStats[];
  /** The scenario file the runs read, when there was one. */
  scenarioFile: string | null;
  /** The lower bound with its parts (lowerBoundSeconds is its `seconds`). */
  lowerBound: LowerBound;
  /**
   * The best policy by the ranking (run-stats.ts, rankPolicies): fewest VMs left behind, then the
   * best odds of meeting the deadline, then the lowest P90, then the least time in vCenter's queue.
   */
  winner: string | null;
  /** Every policy, best first, by that ranking. */
  ranking?: string[];
  /** Why the winner won and what the others left behind, in a sentence or two. */
  verdict?: string;
  /** When the scenario has a start: the campaign's calendar, so that a saved comparison shows dates. */
  calendar?: SavedCalendar;
  /** How percentiles are taken. */
  percentileMethod: 'nearest-rank';
}

/** The least time any schedule of the scenario needs (how it is worked out: sim/lower-bound.ts). */
export type LowerBoundKind =
  | 'legacy-array'
  | 'new-arrays'
  | 'core'
  | 'cluster-hbas'
  | 'enclosure-uplinks'
  | 'single-copy'
  | 'host-admission'
  | 'legacy-datastore-admission'
  | 'new-datastore-admission';

export interface LowerBoundPart {
  /** Which family of bound this is; one part per family, its tightest instance. */
  kind: LowerBoundKind;
  /** What a person reads: the resource that gives this part, e.g. `VNX-LEGACY front-end out`. */
  name: string;
  seconds: number;
  /** One sentence with the figures behind `seconds`. */
  explanation: string;
  /** With change windows: the copying time the part needs; `seconds` is when, counting only open time, it can end. */
  openSeconds?: number;
}

export interface LowerBound {
  /** The largest part: no schedule of this scenario ends sooner. */
  seconds: number;
  /** Name of the part that gives `seconds` (`nothing to move` for an empty campaign). */
  binding: string;
  parts: LowerBoundPart[];
  /**
   * With systematic uncertainty: the drawn figures the bound is worked out for, and why those (a
   * comparison bounds the most favourable draws of its runs, so the bound holds for each of them).
   */
  drawn?: DrawnFigures & { basis: string };
  /** With change windows that copies may not overrun: copies that fit no window even alone, left out of the bound. */
  windowMisfits?: WindowMisfit[];
}
