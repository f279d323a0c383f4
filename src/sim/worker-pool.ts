// Runs of a Monte Carlo or a sweep spread over worker threads: each worker is handed one job at a
// time and the next as soon as it answers, so a slow run does not hold up the others; the first
// error (a run's, or a worker that stops) ends the whole batch. What a job is and what a worker must
// hold before it (one scenario, or the grid's scenarios as they are needed) is the caller's.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunSummary } from '../core/compare-result.js';
import { UserError } from '../domain/errors.js';
import type { WorkerReply } from './montecarlo-job.js';

/** A run a worker is asked for: its place in the results, and what names it in an error. */
export interface PoolJob {
  index: number;
  policy: string;
  seed: number;
}

export interface WorkerPoolSpec<J extends PoolJob> {
  /** The worker's module name (`montecarlo-worker`), compiled beside this module. */
  script: string;
  /** What its runs are called in an error ("Monte Carlo", "sweep"). */
  label: string;
  workerData?: unknown;
  /** Made once per worker: the messages that hand that worker a job (what it must hold first, then the job). */
  sender: () => (job: J) => readonly unknown[];
}

// A run allocates a few MiB that live as long as the run: a young generation that holds a few runs
// lets them die young instead of being copied and promoted at every scavenge.
const YOUNG_GENERATION_MB = 96;

/** Threads for `jobs` runs: as asked, else one per core; never more than the runs. */
export function workerCount(requested: number | undefined, jobs: number): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new RangeError(`workers must be a positive whole number, not ${requested}`);
  }
  return Math.max(1, Math.min(requested ?? availableParallelism(), jobs));
}

/**
 * A compiled worker script. Next to this module when it runs compiled (dist/src/sim/); when it runs
 * from the TypeScript sources (vitest), the compiled copy under dist/ (`npm test` builds it first).
 * Null when neither exists.
 */
export function compiledWorker(script: string): URL | null {
  for (const candidate of [`./${script}.js`, `../../dist/src/sim/${script}.js`]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

/** Every job's summary, in the jobs' order. */
export function runInWorkers<J extends PoolJob>(
  jobs: readonly J[],
  workers: number,
  spec: WorkerPoolSpec<J>,
  progress: (done: number) => void,
): Promise<RunSummary[]> {
  const script = compiledWorker(spec.script);
  if (script === null) {
    return Promise.reject(new Error(`the ${spec.label} worker is not built (dist/src/sim/${spec.script}.js): run \`npm run build\` first`));
  }
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
    for (let k = 0; k < workers; k++) {
      const w = new Worker(script, {
        ...(spec.workerData === undefined ? {} : { workerData: spec.workerData }),
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      const send = spec.sender();
      const feed = () => {
        if (next >= jobs.length) return;
        for (const message of send(jobs[next++]!)) w.postMessage(message);
      };
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
        else feed();
      });
      w.on('error', (err) => settle(err));
      w.on('exit', (code) => {
        if (!settled) settle(new Error(`a ${spec.label} worker stopped (exit code ${code}) with ${jobs.length - done} runs left`));
      });
      feed();
    }
  });
}

function replyError(reply: { error: string; userError: boolean; stack: string }, job: PoolJob): Error {
  if (reply.userError) return new UserError(reply.error);
  const err = new Error(`run with policy ${job.policy} and seed ${job.seed} failed: ${reply.error}`);
  err.stack = `${err.message}\n(in a worker thread)\n${reply.stack}`;
  return err;
}
