// One Monte Carlo job, and the messages that carry it between the main thread and a worker.

import type { Scenario } from '../scenario/scenario.js';
import type { RunSummary } from './compare-result.js';
import { summariseRun } from './montecarlo-stats.js';
import { simulate } from './simulate.js';

export interface JobMessage {
  /** Position in the job list: policy-major, run-minor (policy p, run i → p · runs + i). */
  index: number;
  policy: string;
  seed: number;
}

export type WorkerReply =
  | { index: number; summary: RunSummary }
  | { index: number; error: string; userError: boolean; stack: string };

export function runJob(scenario: Scenario, job: JobMessage): RunSummary {
  return summariseRun(simulate(scenario, { policy: job.policy, seed: job.seed }), job.seed);
}
