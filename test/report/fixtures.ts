// Results for the report tests, small enough that their figures are worked out by hand.
//
// The lab: cluster BIG (4 hosts) and SMALL (2 hosts); legacy OLD-01 and OLD-02, new NEW-01; every
// copy limited to 100 MB/s by the data mover and by nothing else; policy fixed:2 (two copies per
// cluster at once, largest first; no vMotions, no faults, no DRS). So, in seconds:
//   BIG   600 GB (esx01, OLD-01) 0–6000 · 500 GB (esx02, OLD-02) 0–5000 · 400 GB (esx03, OLD-01)
//         5000–9000 · 300 GB (esx04, OLD-02) 6000–9000 · 200 GB (esx02, OLD-01) 9000–11000 ·
//         100 GB (esx01, OLD-02) 9000–10000
//   SMALL 150 GB (esx05, OLD-02) 0–1500 · 50 GB (esx06, OLD-02) 0–500
// Makespan 11000 s; 2300 GB moved; 4 copies at once from 0 to 500; OLD-02 empty at 10000 (its last
// copy, the 100 GB one), OLD-01 at 11000.

import type { CompareResult, RunSummary } from '../../src/core/compare-result.js';
import { lowerBound } from '../../src/sim/lower-bound.js';
import { policyStats } from '../../src/core/run-stats.js';
import type { SimulationResult } from '../../src/core/result.js';
import { simulate } from '../../src/sim/simulate.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

export const GB = 1e9;
export const LAB_MAKESPAN = 11_000;
export const LAB_BYTES = 2300 * GB;
export const LAB_BIG_VMS = 6;

export function labScenario(): Scenario {
  const big = hosts('BIG', 4).map((h, i) => ({ ...h, name: `esx0${i + 1}` }));
  const small = hosts('SMALL', 2).map((h, i) => ({ ...h, name: `esx0${i + 5}` }));
  const e = estate({
    hosts: [...big, ...small],
    datastores: [datastore('OLD-01', 'legacy'), datastore('OLD-02', 'legacy'), datastore('NEW-01', 'new')],
    vms: [
      vm('big600', 'esx01', 'BIG', 600 * GB, 'OLD-01'),
      vm('big500', 'esx02', 'BIG', 500 * GB, 'OLD-02'),
      vm('big400', 'esx03', 'BIG', 400 * GB, 'OLD-01'),
      vm('big300', 'esx04', 'BIG', 300 * GB, 'OLD-02'),
      vm('big200', 'esx02', 'BIG', 200 * GB, 'OLD-01'),
      vm('big100', 'esx01', 'BIG', 100 * GB, 'OLD-02'),
      vm('small150', 'esx05', 'SMALL', 150 * GB, 'OLD-02'),
      vm('small50', 'esx06', 'SMALL', 50 * GB, 'OLD-02'),
    ],
  });
  return { ...scenario(e, openFabric({ perCopyRate: 100e6 }), 'fixed:2'), name: 'lab' };
}

export function labResult(timelineBins = 22): SimulationResult {
  return simulate(labScenario(), { timelineBins });
}

function run(seed: number, makespanSeconds: number): RunSummary {
  return {
    seed,
    makespanSeconds,
    bytesMoved: LAB_BYTES,
    vmotions: 0,
    apiCalls: 20,
    queuedSeconds: 0,
    vmsFailed: 0,
    firstLegacyEmptySeconds: makespanSeconds - 1000,
    lastLegacyEmptySeconds: makespanSeconds,
    vmsSkipped: 0,
    retries: 0,
    drsMoves: 0,
  };
}

/**
 * Two policies, ten runs each, makespans in hours: slow 10..19 h (one per hour), fast 5, 5, 6, 6,
 * 6, 7, 7, 8, 9, 12 h. Nearest rank: slow P50 = 14 h (5th of 10), P90 = 18 h (9th); fast P50 = 6 h,
 * P90 = 9 h. Deadline 12 h.
 */
export function compareFixture(): CompareResult {
  const h = 3600;
  const slow = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((x, i) => run(i + 1, x * h));
  const fast = [12, 5, 6, 7, 5, 6, 8, 9, 6, 7].map((x, i) => run(i + 1, x * h));
  const deadline = 12 * h;
  const bound = lowerBound(labScenario());
  const policies = [policyStats('slow', slow, deadline, bound.seconds), policyStats('fast', fast, deadline, bound.seconds)];
  return {
    scenario: 'lab',
    seed: 1,
    runs: 10,
    deadlineSeconds: deadline,
    lowerBoundSeconds: bound.seconds,
    policies,
    scenarioFile: null,
    lowerBound: bound,
    winner: 'fast',
    percentileMethod: 'nearest-rank',
  };
}
