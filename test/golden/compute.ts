// Computes every golden case with the code as it stands.

import { runMonteCarlo } from '../../src/sim/montecarlo.js';
import { simulate } from '../../src/sim/simulate.js';
import { MONTE_CARLO_CASES, SIMULATE_CASES } from './cases.js';
import { monteCarloGolden, simulationGolden, type Golden } from './digest.js';

export function computeSimulateCase(name: string): Golden {
  const c = SIMULATE_CASES.find((x) => x.name === name)!;
  return simulationGolden(simulate(c.scenario(), c.options));
}

export async function computeMonteCarloCase(name: string): Promise<Golden> {
  const c = MONTE_CARLO_CASES.find((x) => x.name === name)!;
  // In this thread: the golden run must not depend on a build of dist/.
  return monteCarloGolden(await runMonteCarlo({ scenario: c.scenario(), policies: c.policies, runs: c.runs, seed: c.seed, deadlineSeconds: 20 * 3600, workers: 1 }));
}

export async function computeAll(): Promise<Record<string, Golden>> {
  const out: Record<string, Golden> = {};
  for (const c of SIMULATE_CASES) out[`simulate: ${c.name}`] = computeSimulateCase(c.name);
  for (const c of MONTE_CARLO_CASES) out[`monte carlo: ${c.name}`] = await computeMonteCarloCase(c.name);
  return out;
}
