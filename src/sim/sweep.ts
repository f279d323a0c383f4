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

import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePolicy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunSummary } from '../core/compare-result.js';
import { policyStats } from '../core/run-stats.js';
import type { SweepAxis, SweepResult } from '../core/sweep-result.js';
import { lowerBound } from './lower-bound.js';
import { runJob, type WorkerReply } from './montecarlo-job.js';
import { PreparedScenario } from './prepared.js';
import { runSeeds } from './run-seeds.js';
import { drawSystematic, hasSystematic, mostFavourable } from './systematic.js';

/** As the Monte Carlo's workers (montecarlo.ts): a young generation that holds a few runs' garbage. */
const YOUNG_GENERATION_MB = 96;
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
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  const progress = (done: number) => options.onProgress?.(done, jobs.length);
  const summaries = workers === 1 ? await runHere(scenarios, jobs, progress) : await runInWorkers(scenarios, jobs, workers, progress);

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

/** The compiled worker script (as montecarlo.ts finds its own), or null when it is not built. */
function workerScript(): URL | null {
  for (const candidate of ['./sweep-worker.js', '../../dist/src/sim/sweep-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

function runInWorkers(scenarios: readonly Scenario[], jobs: readonly SweepJob[], workers: number, progress: (done: number) => void): Promise<RunSummary[]> {
  const script = workerScript();
  if (script === null) return Promise.reject(new Error('the sweep worker is not built (dist/src/sim/sweep-worker.js): run `npm run build` first'));
  return new Promise((resolve, reject) => {
    const results = new Array<RunSummary>(jobs.length);
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const feed = (w: Worker, sent: Set<number>) => {
      if (next >= jobs.length) return;
      const job = jobs[next++]!;
      if (!sent.has(job.scenario)) {
        // Plain data, cloned into the worker once.
        w.postMessage({ kind: 'scenario', index: job.scenario, scenario: scenarios[job.scenario]! } satisfies SweepMessage);
        sent.add(job.scenario);
      }
      w.postMessage({ kind: 'job', ...job } satisfies SweepMessage);
    };
    for (let k = 0; k < workers; k++) {
      const w = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      const sent = new Set<number>();
      pool.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if ('error' in reply) {
          settle(replyError(reply, jobs[reply.index]!));
          return;
        }
        results[reply.index] = reply.summary;
        done++;
        progress(done);
        if (done === jobs.length) settle(null);
        else feed(w, sent);
      });
      w.on('error', (err) => settle(err));
      w.on('exit', (code) => {
        if (!settled) settle(new Error(`a sweep worker stopped (exit code ${code}) with ${jobs.length - done} runs left`));
      });
      feed(w, sent);
    }
  });
}

function replyError(reply: { error: string; userError: boolean; stack: string }, job: SweepJob): Error {
  if (reply.userError) return new UserError(reply.error);
  const err = new Error(`run with policy ${job.policy} and seed ${job.seed} failed: ${reply.error}`);
  err.stack = `${err.message}\n(in a worker thread)\n${reply.stack}`;
  return err;
}
