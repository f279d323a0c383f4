// One Monte Carlo job, and the messages that carry it between the main thread and a worker.

import type { RunSummary } from '../core/compare-result.js';
import type { PreparedScenario } from './prepared.js';

export interface JobMessage {
  /** Position in the job list: policy-major, run-minor (policy p, run i → p · runs + i). */
  index: number;
  policy: string;
  seed: number;
}

export type WorkerReply =
  | { index: number; summary: RunSummary }
  | { index: number; error: string; userError: boolean; stack: string };

/** One run of the job's policy and seed, on the scenario the worker prepared once: its summary only. */
export function runJob(prepared: PreparedScenario, job: JobMessage): RunSummary {
  return prepared.summaryRun(job.policy, job.seed);
}
