// The system under test: svmig's compiled modules under a root (this tree's dist/, or a baseline
// ref's, built in a temporary worktree), reached through the few entry points every version has.
// The simulation cases call these, so that the same case runs on today's code and on a baseline in
// the same bench run, and their figures compare as ratios.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario } from '../src/scenario/scenario.js';

/** What a case reads of a simulation result (every version has these fields). */
export interface ResultFigures {
  makespanSeconds: number;
  summary: { events: number };
}

export interface SummaryFigures {
  makespanSeconds: number;
}

export interface Sut {
  /** The compiled tree: `<root>/src/…`; the scenarios are in `<root>/../scenarios`. */
  root: string;
  loadScenario(path: string): Scenario;
  syntheticScenario(options: { vms: number; seed?: number }): Scenario;
  simulate(scenario: Scenario, options?: { policy?: string; seed?: number }): ResultFigures;
  /** One run as a Monte Carlo runs it: the summary only. */
  summaryRun(scenario: Scenario, policy: string, seed: number): SummaryFigures;
  runMonteCarlo(options: { scenario: Scenario; policies: string[]; runs: number; seed: number; deadlineSeconds: number | null; workers?: number }): Promise<{ lowerBoundSeconds: number; winner: string | null; policies: Array<{ p50Seconds: number }> }>;
  scenarioPath(name: string): string;
}

async function load<T>(root: string, module: string): Promise<T> {
  return (await import(pathToFileURL(join(root, 'src', module)).href)) as T;
}

export async function loadSut(root: string): Promise<Sut> {
  const { loadScenario } = await load<{ loadScenario: Sut['loadScenario'] }>(root, 'scenario/load.js');
  const { syntheticScenario } = await load<{ syntheticScenario: Sut['syntheticScenario'] }>(root, 'scenario/synthetic.js');
  const { simulate } = await load<{ simulate: Sut['simulate'] }>(root, 'sim/simulate.js');
  const { runMonteCarlo } = await load<{ runMonteCarlo: Sut['runMonteCarlo'] }>(root, 'sim/montecarlo.js');
  // Today's code runs summary-only runs on a campaign prepared once; older code summarises a full result.
  const prepared = existsSync(join(root, 'src/sim/prepared.js'))
    ? await load<{ PreparedScenario: new (s: Scenario) => { summaryRun(policy: string, seed: number): SummaryFigures } }>(root, 'sim/prepared.js')
    : null;
  const cache = new WeakMap<Scenario, { summaryRun(policy: string, seed: number): SummaryFigures }>();
  const summaryRun: Sut['summaryRun'] = prepared
    ? (scenario, policy, seed) => {
        let p = cache.get(scenario);
        if (!p) cache.set(scenario, (p = new prepared.PreparedScenario(scenario)));
        return p.summaryRun(policy, seed);
      }
    : (scenario, policy, seed) => simulate(scenario, { policy, seed });
  return {
    root,
    loadScenario,
    syntheticScenario,
    simulate,
    summaryRun,
    runMonteCarlo,
    scenarioPath: (name) => join(root, '..', 'scenarios', name),
  };
}
