// The Monte Carlo runner: many seeded runs of one scenario under several policies, summarised per
// policy (`svmig compare`, `svmig simulate --runs N`).
//
// Jobs are (policy, run) pairs in a fixed list, policy-major; run i has the same seed under every
// policy (common random numbers, run-seeds.ts). They are handed out by index to worker threads,
// each of which holds the scenario once; every answer goes back to its job's slot. The output
// therefore depends on the scenario, the policies, the runs and the seed only, never on how many
// workers ran or in which order they finished.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { parsePolicy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CompareResult, RunSummary } from '../core/compare-result.js';
import { lowerBound } from './lower-bound.js';
import { runJob, type JobMessage } from './montecarlo-job.js';
import { PreparedScenario } from './prepared.js';
import { policyStats, rankPolicies, verdictOf } from '../core/run-stats.js';
import { savedCalendar } from './calendar.js';
import { runSeeds } from './run-seeds.js';
import { drawSystematic, hasSystematic, mostFavourable } from './systematic.js';
import { runInWorkers, workerCount } from './worker-pool.js';

export interface MonteCarloOptions {
  scenario: Scenario;
  /** The file the scenario came from, recorded in the result (default: the scenario's own). */
  scenarioFile?: string;
  /** Policy specs, in the order the result lists them. */
  policies: string[];
  /** Runs per policy. */
  runs: number;
  /** Campaign seed from which each run's seed is derived. */
  seed: number;
  deadlineSeconds: number | null;
  /** Worker threads; default min(available parallelism, jobs). 1 runs in this thread. */
  workers?: number;
  /** Called after each finished run with the runs done and the runs in all. */
  onProgress?: (done: number, total: number) => void;
}

export async function runMonteCarlo(options: MonteCarloOptions): Promise<CompareResult> {
  const { scenario, runs, seed, deadlineSeconds } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive whole number, not ${runs}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, not ${seed}`);
  if (deadlineSeconds !== null && !(deadlineSeconds >= 0)) throw new RangeError(`deadline must be a non-negative number of seconds, not ${deadlineSeconds}`);
  const policies = canonicalPolicies(options.policies);
  if (runs * policies.length > LIMITS.runs) {
    throw new UserError(`${runs} runs of ${policies.length} policies is more than svmig's limit of ${LIMITS.runs.toLocaleString('en-US')} runs in all.`);
  }

  const seeds = runSeeds(seed, runs);
  const jobs: JobMessage[] = policies.flatMap((policy, p) => seeds.map((s, i) => ({ index: p * runs + i, policy, seed: s })));
  const workers = workerCount(options.workers, jobs.length);
  const progress = (done: number) => options.onProgress?.(done, jobs.length);
  const summaries = workers === 1 ? await runHere(scenario, jobs, progress) : await runInWorkers(jobs, workers, { script: 'montecarlo-worker', label: 'Monte Carlo', workerData: { scenario }, sender: () => (job) => [job] }, progress);

  // With figures drawn per run, the bound is for the most favourable draws of these runs: below
  // every run's own bound, so no run can beat it (lower-bound.ts).
  const favourable = hasSystematic(scenario.fabric) ? mostFavourable(seeds.map((s) => drawSystematic(scenario.fabric, s))) : null;
  const bound = lowerBound(scenario, favourable === null ? null : { drawn: favourable, runs });
  const stats = policies.map((policy, p) => policyStats(policy, summaries.slice(p * runs, (p + 1) * runs), deadlineSeconds, bound.seconds));
  const ranking = rankPolicies(stats).map((p) => p.policy);
  const calendar = scenario.campaign.calendar;
  return {
    scenario: scenario.name,
    seed,
    runs,
    deadlineSeconds,
    lowerBoundSeconds: bound.seconds,
    policies: stats,
    scenarioFile: options.scenarioFile ?? scenario.file,
    lowerBound: bound,
    winner: ranking[0] ?? null,
    ranking,
    verdict: verdictOf(stats),
    ...(calendar === null ? {} : { calendar: savedCalendar(calendar) }),
    percentileMethod: 'nearest-rank',
  };
}

/** The policies as the results name them; an unknown or repeated one is the user's error. */
function canonicalPolicies(specs: readonly string[]): string[] {
  if (specs.length === 0) throw new UserError('no policy to compare: name at least one (e.g. field,fixed:4).');
  const seen = new Set<string>();
  return specs.map((spec) => {
    const canonical = parsePolicy(spec).spec;
    if (seen.has(canonical)) throw new UserError(`policy "${canonical}" is listed twice.`);
    seen.add(canonical);
    return canonical;
  });
}

async function runHere(scenario: Scenario, jobs: JobMessage[], progress: (done: number) => void): Promise<RunSummary[]> {
  const prepared = new PreparedScenario(scenario);
  const out: RunSummary[] = [];
  for (const job of jobs) {
    out.push(runJob(prepared, job));
    progress(out.length);
    // Let timers and signals through between runs: a long compare stays responsive.
    await nextTurn();
  }
  return out;
}
