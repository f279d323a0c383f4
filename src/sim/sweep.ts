// The sweep runner: Monte Carlo runs of several policies at every point of a grid of what-ifs
// (`svmig sweep`), with the Monte Carlo's machinery (summary-only runs on a prepared scenario,
// run-seeds.ts, the core's statistics).
//
// Jobs are (point, policy, run) triples in a fixed list, point-major; run i has the same seed at
// every point and under every policy (common random numbers). Points that share a scenario (a
// sweep of policy parts only has one) share its preparation. Worker threads stay up for the whole
// sweep: each receives a scenario once, when it is first handed a job of it, keeps the last few
// prepared, and answers each job into the job's slot. So the result depends on the inputs only,
// never on how many workers ran or in which order they finished; and jobs go out in order, so
// a worker moves from one scenario to the next and seldom prepares one twice.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { parsePolicy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunSummary } from '../core/compare-result.js';
import { policyStats } from '../core/run-stats.js';
import type { SweepAxis, SweepResult } from '../core/sweep-result.js';
import { lowerBound } from './lower-bound.js';
import { runJob } from './montecarlo-job.js';
import { PreparedScenario } from './prepared.js';
import { runSeeds } from './run-seeds.js';
import { drawSystematic, hasSystematic, mostFavourable } from './systematic.js';
import { runInWorkers, workerCount } from './worker-pool.js';

/** Prepared scenarios a thread keeps: the one it works on and the one before, for the jobs that straddle them. */
export const PREPARED_KEPT = 2;

export interface SweepPointInput {
  /** One value per axis, as written. */
  values: string[];
  /** Index into SweepOptions.scenarios of this point's scenario. */
  scenario: number;
  /** The policy run for each listed policy, in the order listed (the point's policy parts applied). */
  specs: string[];
}

export interface SweepOptions {
  /** The distinct scenarios of the grid, each validated already. */
  scenarios: Scenario[];
  scenarioFile: string;
  axes: SweepAxis[];
  /** The policies as listed. */
  policies: string[];
  points: SweepPointInput[];
  /** Runs per policy and point. */
  runs: number;
  seed: number;
  deadlineSeconds: number | null;
  /** Worker threads; default min(available parallelism, jobs). 1 runs in this thread. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One job: a run of one policy at one point. */
export interface SweepJob {
  /** Position in the job list: point-major, then policy, then run. */
  index: number;
  scenario: number;
  policy: string;
  seed: number;
}

/** What the main thread sends a sweep worker: a scenario (once per worker), then jobs on it. */
export type SweepMessage = { kind: 'scenario'; index: number; scenario: Scenario } | ({ kind: 'job' } & SweepJob);

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { runs, seed, deadlineSeconds, points, scenarios } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive whole number, not ${runs}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, not ${seed}`);
  if (scenarios.length === 0 || points.length === 0) throw new RangeError('a sweep needs a scenario and a grid point');
  checkPolicies(options.policies);
  const total = runs * options.policies.length * points.length;
  if (total > LIMITS.runs) {
    throw new UserError(
      `${points.length.toLocaleString('en-US')} grid points × ${options.policies.length} ${options.policies.length === 1 ? 'policy' : 'policies'} × ${runs} runs make ${total.toLocaleString('en-US')} runs, more than svmig's limit of ${LIMITS.runs.toLocaleString('en-US')} runs in all.`,
    );
  }

  const seeds = runSeeds(seed, runs);
  const jobs: SweepJob[] = [];
  for (const point of points) for (const spec of point.specs) for (const s of seeds) jobs.push({ index: jobs.length, scenario: point.scenario, policy: spec, seed: s });
  const workers = workerCount(options.workers, jobs.length);
  const progress = (done: number) => options.onProgress?.(done, jobs.length);
  const summaries = workers === 1 ? await runHere(scenarios, jobs, progress) : await runInWorkers(jobs, workers, { script: 'sweep-worker', label: 'sweep', sender: () => sweepSender(scenarios) }, progress);

  // Each scenario's bound, as compare works it out: with figures drawn per run, for the most
  // favourable draws of these runs, so that no run can beat it.
  const bounds = scenarios.map((s) => {
    const favourable = hasSystematic(s.fabric) ? mostFavourable(seeds.map((x) => drawSystematic(s.fabric, x))) : null;
    return lowerBound(s, favourable === null ? null : { drawn: favourable, runs }).seconds;
  });
  const first = scenarios[0]!;
  let at = 0;
  return {
    kind: 'sweep',
    scenario: first.name,
    scenarioFile: options.scenarioFile,
    seed,
    runs,
    deadlineSeconds,
    axes: options.axes,
    policies: [...options.policies],
    points: points.map((point) => {
      const bound = bounds[point.scenario]!;
      return {
        values: point.values,
        lowerBoundSeconds: bound,
        cells: point.specs.map((spec, p) => {
          const mine = summaries.slice(at, at + runs);
          at += runs;
          return { ...policyStats(options.policies[p]!, mine, deadlineSeconds, bound), spec, vmsLeft: meanLeft(mine) };
        }),
      };
    }),
    percentileMethod: 'nearest-rank',
  };
}

function meanLeft(runs: readonly RunSummary[]): number {
  return runs.reduce((s, r) => s + r.vmsFailed + r.vmsSkipped, 0) / runs.length;
}

/** The policies as listed: each one known, none twice. Throws a UserError naming the first that is not. */
export function checkPolicies(specs: readonly string[]): void {
  if (specs.length === 0) throw new UserError('no policy to sweep: name at least one (e.g. field,fixed:4).');
  const seen = new Set<string>();
  for (const spec of specs) {
    const canonical = parsePolicy(spec).spec;
    if (seen.has(canonical)) throw new UserError(`policy "${canonical}" is listed twice.`);
    seen.add(canonical);
  }
}

/** Prepared scenarios by index, the last few used kept (a sweep over many estates would not fit them all). */
export class PreparedCache {
  private readonly kept = new Map<number, PreparedScenario>();

  constructor(private readonly scenarioOf: (index: number) => Scenario) {}

  get(index: number): PreparedScenario {
    let p = this.kept.get(index);
    if (p !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.kept.delete(index);
    } else {
      p = new PreparedScenario(this.scenarioOf(index));
      if (this.kept.size >= PREPARED_KEPT) this.kept.delete(this.kept.keys().next().value!);
    }
    this.kept.set(index, p);
    return p;
  }
}

async function runHere(scenarios: readonly Scenario[], jobs: readonly SweepJob[], progress: (done: number) => void): Promise<RunSummary[]> {
  const cache = new PreparedCache((i) => scenarios[i]!);
  const out: RunSummary[] = [];
  for (const job of jobs) {
    out.push(runJob(cache.get(job.scenario), job));
    progress(out.length);
    // Let timers and signals through between runs: a long sweep stays responsive.
    await nextTurn();
  }
  return out;
}

/** A worker's messages for a job: the job's scenario the first time it needs it (plain data, cloned once), then the job. */
function sweepSender(scenarios: readonly Scenario[]): (job: SweepJob) => SweepMessage[] {
  const sent = new Set<number>();
  return (job) => {
    const messages: SweepMessage[] = [];
    if (!sent.has(job.scenario)) {
      messages.push({ kind: 'scenario', index: job.scenario, scenario: scenarios[job.scenario]! });
      sent.add(job.scenario);
    }
    messages.push({ kind: 'job', ...job });
    return messages;
  };
}
