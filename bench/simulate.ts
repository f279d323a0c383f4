// Simulation benchmarks: the seed estate, and synthetic estates up to 50,000 VMs to see how the
// cost grows with n. Each case runs in its own process (see index.ts) so peak memory is its own.

import { formatBytes } from '../src/domain/units.js';
import { loadScenario } from '../src/scenario/load.js';
import { syntheticScenario } from '../src/scenario/synthetic.js';
import { simulate } from '../src/sim/simulate.js';
import { line, measure } from './measure.js';

export function benchSeedEstate(): string[] {
  const load = measure(() => loadScenario('scenarios/seed-estate.yaml'));
  const run = measure(() => simulate(load.value));
  const r = run.value;
  return [
    line('seed estate: load + generate', { wall: `${load.seconds.toFixed(3)} s`, vms: String(load.value.estate.vms.length) }),
    line(`seed estate: simulate (${r.policy})`, {
      wall: `${run.seconds.toFixed(3)} s`,
      events: String(r.summary.events),
      'events/s': `${Math.round(r.summary.events / run.seconds).toLocaleString('en-US')}`,
      'peak RSS': formatBytes(run.peakRss),
    }),
  ];
}

export function benchSynthetic(vms: number): string[] {
  const build = measure(() => syntheticScenario({ vms, seed: 7 }));
  const run = measure(() => simulate(build.value));
  const r = run.value;
  const nlogn = vms * Math.log2(vms);
  return [
    line(`synthetic ${vms.toLocaleString('en-US')} VMs: simulate`, {
      wall: `${run.seconds.toFixed(3)} s`,
      events: String(r.summary.events),
      'events/s': `${Math.round(r.summary.events / run.seconds).toLocaleString('en-US')}`,
      'µs per n·log2 n': (run.seconds / nlogn * 1e6).toFixed(3),
      'peak RSS': formatBytes(run.peakRss),
      generate: `${build.seconds.toFixed(3)} s`,
    }),
  ];
}
