// Monte Carlo benchmarks: 1000 runs of the seed estate under the field policy on 2 workers, and one
// compare of 4 policies × 200 runs. Each case can run on its own (bench/index.ts runs every case in a
// process of its own, so that peak memory is that case's; worker threads count in their process's).

import { availableParallelism } from 'node:os';
import { formatBytes } from '../src/domain/units.js';
import { loadScenario } from '../src/scenario/load.js';
import { runMonteCarlo } from '../src/sim/montecarlo.js';
import { line, measureAsync } from './measure.js';

const SEED_ESTATE = 'scenarios/seed-estate.yaml';
const COMPARE_POLICIES = ['field', 'fixed:4', 'fixed:8', 'fixed:16'];

/** 1000 runs of the seed estate, policy field, on 2 worker threads. */
export async function benchMonteCarloRuns(runs = 1000, workers = 2): Promise<string[]> {
  const scenario = loadScenario(SEED_ESTATE);
  const m = await measureAsync(() => runMonteCarlo({ scenario, policies: ['field'], runs, seed: 1, deadlineSeconds: null, workers }));
  const p = m.value.policies[0]!;
  return [
    line(`seed estate: ${runs} runs (field, ${workers} workers)`, {
      wall: `${m.seconds.toFixed(1)} s`,
      'runs/s': (runs / m.seconds).toFixed(2),
      'peak RSS': formatBytes(m.peakRss),
      P50: `${Math.round(p.p50Seconds)} s`,
      bound: `${Math.round(m.value.lowerBoundSeconds)} s`,
    }),
  ];
}

/** One compare of 4 policies × 200 runs of the seed estate, on every available core (the CLI's default). */
export async function benchMonteCarloCompare(runs = 200, workers = availableParallelism()): Promise<string[]> {
  const scenario = loadScenario(SEED_ESTATE);
  const total = runs * COMPARE_POLICIES.length;
  const m = await measureAsync(() => runMonteCarlo({ scenario, policies: COMPARE_POLICIES, runs, seed: 1, deadlineSeconds: null, workers }));
  return [
    line(`seed estate: compare ${COMPARE_POLICIES.length} policies × ${runs} runs (${workers} workers)`, {
      wall: `${m.seconds.toFixed(1)} s`,
      'runs/s': (total / m.seconds).toFixed(2),
      'peak RSS': formatBytes(m.peakRss),
      winner: m.value.winner ?? '-',
    }),
  ];
}

/** What the second core buys: the same 40 runs in this thread, then on 2 workers. */
export async function benchMonteCarloSpeedup(runs = 40): Promise<string[]> {
  const scenario = loadScenario(SEED_ESTATE);
  const once = (workers: number) => measureAsync(() => runMonteCarlo({ scenario, policies: ['field'], runs, seed: 1, deadlineSeconds: null, workers }));
  const one = await once(1);
  const two = await once(2);
  return [
    line(`seed estate: ${runs} runs, 1 vs 2 workers`, {
      '1 worker': `${one.seconds.toFixed(1)} s`,
      '2 workers': `${two.seconds.toFixed(1)} s`,
      speed: `${(one.seconds / two.seconds).toFixed(2)}×`,
    }),
  ];
}

/** The two cases the issue asks for, one after the other. */
export async function benchMonteCarlo(): Promise<string[]> {
  return [...(await benchMonteCarloRuns()), ...(await benchMonteCarloCompare())];
}
