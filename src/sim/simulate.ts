// One simulated campaign: the scenario's estate, the policy's planner, the simulated world driven
// by the one loop, and the result JSON that reports and checks read. Many runs of one scenario go
// through a PreparedScenario (prepared.ts), which keeps what they share.

import type { LoopListener } from '../core/loop.js';
import type { Scenario } from '../scenario/scenario.js';
import { PreparedScenario } from './prepared.js';
import type { SimulationResult } from '../core/result.js';

export interface SimulateOptions {
  /** Policy spec; defaults to the scenario's. */
  policy?: string;
  /** Seed of the run's random draws; defaults to the scenario's. */
  seed?: number;
  /** Also record time series for charts, in this many bins (0 or absent: none). */
  timelineBins?: number;
  /** Every task takes this long instead of what the fabric allows (rehearsals against fixed delays). */
  fixedDurations?: { svmotionSeconds: number; vmotionSeconds: number };
  /** Targets frozen by a plan (VM → datastore). */
  fixedTargets?: ReadonlyMap<string, string>;
  /** Per-disk targets frozen by a plan (VM → disk label → datastore). */
  fixedDisks?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * Moves someone else makes during the run, each a vMotion of `vm` to host `to` at `at` seconds,
   * instead of the scenario's DRS: a rehearsal, or the moves a live run saw, replayed.
   */
  otherMoves?: ReadonlyArray<{ at: number; vm: string; to: string }>;
  /** Sees every decision and observation of the run (traces, comparisons with a live run). */
  listeners?: readonly LoopListener[];
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  return new PreparedScenario(scenario).run(options);
}
