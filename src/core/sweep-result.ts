// The result of `svmig sweep`: Monte Carlo runs of each policy at each point of a grid of what-ifs.
// Other tools read this JSON: fields may be added, never renamed. Run i has the same seed at every
// point and under every policy (common random numbers), so a difference between two points is the
// parameter's, not the dice's.

import type { PolicyStats } from './compare-result.js';
import type { SavedCalendar } from './result.js';
import { sameTime } from './run-stats.js';

export interface SweepAxis {
  /** As given to --vary: a scenario field path (`fabric.perCopyRate`) or a policy part (`policy.cluster`). */
  path: string;
  kind: 'scenario' | 'policy';
  /** The values, as written (ranges expanded), in the order the grid runs them. */
  values: string[];
}

/** One policy at one grid point: the statistics of its runs, named by the policy as listed. */
export interface SweepCell extends PolicyStats {
  /** The policy that ran: the listed one with the point's policy parts (`field+cluster:8`). */
  spec: string;
  /** Mean per run of the VMs not on new storage at the end (failed or skipped). */
  vmsLeft: number;
}

export interface SweepPoint {
  /** One value per axis, as SweepAxis.values writes it. */
  values: string[];
  /** The lower bound of this point's scenario (for the most favourable draws of its runs, when it draws). */
  lowerBoundSeconds: number;
  /** One per listed policy, in the order listed. */
  cells: SweepCell[];
  /** The point's own campaign calendar, when its scenario has a start (each point's, when a sweep varies campaign.start). */
  calendar?: SavedCalendar;
  /**
   * The deadline in this point's seconds, when it is not the sweep's `deadlineSeconds`: a deadline
   * date lies at another distance from each start when the points start at different times.
   */
  deadlineSeconds?: number;
}

export interface SweepResult {
  kind: 'sweep';
  scenario: string;
  scenarioFile: string | null;
  /** Seed from which every run's seed is derived; run i uses the same seed at every point and under every policy. */
  seed: number;
  /** Runs per policy and point. */
  runs: number;
  deadlineSeconds: number | null;
  axes: SweepAxis[];
  /** The policies as listed. */
  policies: string[];
  /** Every grid point, the first axis varying slowest. */
  points: SweepPoint[];
  percentileMethod: 'nearest-rank';
}

/**
 * The best cell of a sweep: one that leaves no VM behind before one that does, then the highest
 * deadline odds, the lowest P90, P50, and fewer VMs left; the first in grid order on a tie. Null for
 * an empty sweep. Leaving VMs or not comes first, as in a comparison; how many are left comes last,
 * because between cells that all leave a few (no retries, random faults) the mean differs by chance
 * from point to point more than by the parameter, and would pick a point at random.
 */
export function bestCell(result: SweepResult): { point: SweepPoint; cell: SweepCell } | null {
  let best: { point: SweepPoint; cell: SweepCell } | null = null;
  for (const point of result.points) {
    for (const cell of point.cells) {
      if (best === null || better(cell, best.cell)) best = { point, cell };
    }
  }
  return best;
}

function better(a: SweepCell, b: SweepCell): boolean {
  const la = a.vmsLeft > 0;
  const lb = b.vmsLeft > 0;
  if (la !== lb) return lb;
  const oa = a.deadlineProbability ?? 0;
  const ob = b.deadlineProbability ?? 0;
  if (oa !== ob) return oa > ob;
  if (!sameTime(a.p90Seconds, b.p90Seconds)) return a.p90Seconds < b.p90Seconds;
  if (!sameTime(a.p50Seconds, b.p50Seconds)) return a.p50Seconds < b.p50Seconds;
  return a.vmsLeft < b.vmsLeft;
}

/** Whether any cell meets the deadline nine runs in ten (compare's test, over the whole grid); null without a deadline. */
export function sweepMeetsDeadline(result: SweepResult): boolean | null {
  const deadline = result.deadlineSeconds;
  if (deadline === null) return null;
  return result.points.some((p) => p.cells.some((c) => c.p90Seconds <= deadline));
}
