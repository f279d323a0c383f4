// Simulation benchmarks, run on a system under test (sut.ts): today's code, or a baseline's. The
// seed estate (one run, and many summary-only runs as a Monte Carlo makes them), synthetic estates
// up to 50,000 VMs to see how the cost grows with n, and 20,000 VMs polled every 30 s.

import type { Scenario } from '../src/scenario/scenario.js';
import { allocated } from './measure.js';
import type { Sut } from './sut.js';

export type Figures = Record<string, number>;

const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** One full run of the seed estate under the field policy, after a warm-up run: wall, events, bytes allocated. */
export function benchSeedEstate(sut: Sut): Figures {
  const scenario = sut.loadScenario(sut.scenarioPath('seed-estate.yaml'));
  sut.simulate(scenario, { seed: 1 });
  const runs = 5;
  let seconds = 0;
  let bytes = 0;
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const m = allocated(() => sut.simulate(scenario, { seed: 1 + i }));
    seconds += m.seconds;
    bytes += m.bytes;
    events += m.value.summary.events;
  }
  return { wall: seconds / runs, events: events / runs, allocated: bytes / runs, peakRss: peakRss() };
}

/** Summary-only runs of the seed estate in one thread, as a Monte Carlo worker makes them. */
export function benchSeedEstateRuns(sut: Sut, runs = 200): Figures {
  const scenario = sut.loadScenario(sut.scenarioPath('seed-estate.yaml'));
  for (let i = 0; i < 5; i++) sut.summaryRun(scenario, 'field', 1000 + i);
  const m = allocated(() => {
    for (let i = 0; i < runs; i++) sut.summaryRun(scenario, 'field', i);
  });
  return { wall: m.seconds, perRun: m.seconds / runs, allocatedPerRun: m.bytes / runs, peakRss: peakRss() };
}

function synthetic(sut: Sut, vms: number, poll: boolean): Figures {
  const base = sut.syntheticScenario({ vms, seed: 7 });
  const scenario: Scenario = poll ? { ...base, campaign: { ...base.campaign, monitoring: { mode: 'poll', intervalSeconds: 30 } } } : base;
  const m = allocated(() => sut.simulate(scenario));
  return { wall: m.seconds, events: m.value.summary.events, allocated: m.bytes, peakRss: peakRss() };
}

export const benchSynthetic = (vms: number) => (sut: Sut) => synthetic(sut, vms, false);
export const benchPolled = (vms: number) => (sut: Sut) => synthetic(sut, vms, true);

/** Monte Carlo of the seed estate on worker threads: 1000 runs of field, or 4 policies × 200. */
export const benchMonteCarlo =
  (policies: string[], runs: number, workers = 2) =>
  async (sut: Sut): Promise<Figures> => {
    const scenario = sut.loadScenario(sut.scenarioPath('seed-estate.yaml'));
    const start = process.hrtime.bigint();
    const r = await sut.runMonteCarlo({ scenario, policies, runs, seed: 1, deadlineSeconds: null, workers });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { wall: seconds, runsPerSecond: (runs * policies.length) / seconds, p50: r.policies[0]!.p50Seconds, peakRss: peakRss() };
  };
