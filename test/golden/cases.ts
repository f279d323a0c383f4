// The golden cases: scenario × policy × seed combinations whose results are fixed, so that a change
// of the simulator's insides that changes a result is seen. Together they exercise every model and
// policy part: DRS (automated, drifting, manual), faults and retries, a VM that always fails, host
// failures and HA, change windows (with and without overrun), poll monitoring, progress reports
// and the adaptive loop, per-host / per-enclosure / global limits, the orderings, a fabric core
// (the full max-min solve instead of the shared-bottleneck path), targets that run out of room,
// frozen targets and fixed task durations (what `run` and `plan` use), random placement, and the
// Monte Carlo runner.

import { join } from 'node:path';
import { dailyInterval } from '../../src/domain/windows.js';
import { GiB, TiB } from '../../src/domain/units.js';
import { loadScenario } from '../../src/scenario/load.js';
import { DEFAULT_CAMPAIGN, type CampaignSettings, type Scenario } from '../../src/scenario/scenario.js';
import { syntheticScenario } from '../../src/scenario/synthetic.js';
import type { SimulateOptions } from '../../src/sim/simulate.js';

const ROOT = join(import.meta.dirname, '../..');
const H = 3600;

export interface SimulateCase {
  name: string;
  scenario: () => Scenario;
  options: SimulateOptions;
}

export interface MonteCarloCase {
  name: string;
  scenario: () => Scenario;
  policies: string[];
  runs: number;
  seed: number;
}

const memo = new Map<string, Scenario>();
function once(key: string, make: () => Scenario): () => Scenario {
  return () => {
    let s = memo.get(key);
    if (!s) memo.set(key, (s = make()));
    return s;
  };
}

function withCampaign(s: Scenario, name: string, campaign: Partial<CampaignSettings>): Scenario {
  return { ...s, name, campaign: { ...DEFAULT_CAMPAIGN, ...s.campaign, ...campaign } };
}

const seedEstate = once('seed', () => loadScenario(join(ROOT, 'scenarios/seed-estate.yaml')));
const smallLab = once('lab', () => loadScenario(join(ROOT, 'scenarios/small-lab.yaml')));

/** 600 VMs on 4 clusters of blades: DRS at full automation with drift, faults on both kinds, jitter. */
const busy = once('busy', () =>
  withCampaign(syntheticScenario({ vms: 600, seed: 11, clusters: [12, 8, 6, 4] }), 'busy', {
    drs: { level: 'fully-automated', intervalSeconds: 60, maxMovesPerPass: 3, imbalanceThreshold: 0.1, driftProbability: 0.2 },
    faults: { svmotion: { probability: 0.04, transientShare: 0.7 }, vmotion: { probability: 0.03, transientShare: 1 }, hosts: [], vms: [] },
    jitter: 0.15,
  }),
);

/** Two hosts fail (one of them twice over), and two VMs fail at every attempt. */
const failing = once('failing', () => {
  const s = syntheticScenario({ vms: 300, seed: 5, clusters: [6, 4] });
  const vms = s.estate.vms;
  return withCampaign(s, 'failing', {
    drs: { level: 'fully-automated', intervalSeconds: 300, maxMovesPerPass: 2, imbalanceThreshold: 0.15, driftProbability: 0.05 },
    faults: {
      svmotion: { probability: 0.02, transientShare: 0.5 },
      vmotion: { probability: 0, transientShare: 1 },
      hosts: [
        { host: 'cl01-esx02', atSeconds: 2 * H, downSeconds: H },
        { host: 'cl02-esx01', atSeconds: 3 * H, downSeconds: 1800 },
        { host: 'cl01-esx02', atSeconds: 2.5 * H, downSeconds: H },
      ],
      vms: [vms[0]!.name, vms[vms.length - 1]!.name],
    },
  });
});

/** Nightly windows from a Monday 18:00 start. */
function nightly(allowOverrun: boolean): Partial<CampaignSettings> {
  const open = [0, 1, 2, 3, 4].map((d) => dailyInterval(d, 20 * H, 6 * H));
  return { windows: { open: [...open, { start: 5 * 86400, end: 7 * 86400 }], startOffset: 18 * H, allowOverrun, text: 'nightly' } };
}
/** A legacy array of one 8Gb port: the campaign needs about three nights. */
const slowArray = { arrays: [{ name: 'VNX-LEGACY', ports: 1, portRate: 800e6 }, { name: 'PURE-NEW', ports: 4, portRate: 1600e6 }] };
const windowed = once('windowed', () => withCampaign(syntheticScenario({ vms: 400, seed: 7, clusters: [8, 8], fabric: slowArray }), 'windowed', nightly(false)));
const overrun = once('overrun', () => withCampaign(syntheticScenario({ vms: 400, seed: 7, clusters: [8, 8], fabric: slowArray }), 'overrun', nightly(true)));

/** svMotion ends seen at the next poll, with DRS moving VMs meanwhile. */
const polled = (interval: number) =>
  once(`poll${interval}`, () =>
    withCampaign(syntheticScenario({ vms: 500, seed: 3, clusters: [10, 6, 4] }), `poll-${interval}`, {
      monitoring: { mode: 'poll', intervalSeconds: interval },
      drs: { level: 'fully-automated', intervalSeconds: 300, maxMovesPerPass: 2, imbalanceThreshold: 0.15, driftProbability: 0.1 },
      faults: { svmotion: { probability: 0.02, transientShare: 1 }, vmotion: { probability: 0, transientShare: 1 }, hosts: [], vms: [] },
    }),
  );

/** A fabric core that binds before the arrays: the full max-min solve runs, not the shared path. */
const cored = once('cored', () =>
  withCampaign(syntheticScenario({ vms: 400, seed: 9, clusters: [8, 8, 4], fabric: { coreRate: 2.5e9, perCopyRate: 120e6 } }), 'cored', {
    jitter: 0.3,
    placement: 'random',
    progressIntervalSeconds: 120,
  }),
);

/** New datastores too small for everything: some VMs are skipped for want of room. */
const cramped = once('cramped', () => {
  const s = syntheticScenario({ vms: 200, seed: 4, clusters: [4], spec: { new: { array: 'PURE-NEW', capacity: 8 * TiB, datastoresPerCluster: 2, fill: null } } });
  return withCampaign(s, 'cramped', { priority: [s.estate.vms[7]!.name, '/vm00[1-3]/'] });
});

/** Datastores mounted on some hosts only; DRS at manual level (moves nothing). */
const partial = once('partial', () => {
  const s = syntheticScenario({ vms: 240, seed: 8, clusters: [6, 6], spec: { vmSize: { median: 60 * GiB, sigma: 1, min: 10 * GiB, max: 2 * TiB } } });
  const hosts = s.estate.hosts.map((h) => h.name);
  const datastores = s.estate.datastores.map((d, i) => (d.role === 'new' && i % 2 === 0 ? { ...d, hosts: hosts.filter((_, k) => k % 3 !== 0) } : d));
  return withCampaign({ ...s, estate: { ...s.estate, datastores } }, 'partial', {
    drs: { level: 'manual', intervalSeconds: 60, maxMovesPerPass: 2, imbalanceThreshold: 0.15, driftProbability: 0.5 },
  });
});

export const SIMULATE_CASES: SimulateCase[] = [
  ...['field', 'fixed:4', 'fixed:16', 'host-aware', 'adaptive', 'drain'].map((policy) => ({ name: `seed-estate ${policy} seed 1`, scenario: seedEstate, options: { policy, seed: 1 } })),
  { name: 'seed-estate field seed 2, timeline', scenario: seedEstate, options: { policy: 'field', seed: 2, timelineBins: 200 } },
  { name: 'seed-estate field+retries:2 seed 3', scenario: seedEstate, options: { policy: 'field+retries:2', seed: 3 } },
  ...['field', 'fixed:3', 'host-aware', 'adaptive', 'order:smallest-first+cluster:2', 'drain'].map((policy) => ({ name: `small-lab ${policy}`, scenario: smallLab, options: { policy, seed: 1 } })),
  { name: 'small-lab fixed:3, fixed durations', scenario: smallLab, options: { policy: 'fixed:3', seed: 1, fixedDurations: { svmotionSeconds: 0.3, vmotionSeconds: 0.3 } } },
  {
    name: 'small-lab host-aware, frozen targets',
    scenario: smallLab,
    options: { policy: 'host-aware', seed: 1, fixedTargets: new Map(smallLab().estate.vms.filter((_, i) => i % 2 === 0).map((v, i) => [v.name, i % 3 === 0 ? 'NEW-02' : 'NEW-01'])) },
  },
  ...['field+retries:2:2m', 'host-aware', 'adaptive', 'order:drain-datastore+global:24+pick:host-aware+vmotion:least-busy+retries:1'].map((policy) => ({
    name: `busy ${policy}`,
    scenario: busy,
    options: { policy, seed: 21 },
  })),
  ...['field', 'host-aware+retries:3:1m', 'adaptive:4:64:5m'].map((policy) => ({ name: `failing ${policy}`, scenario: failing, options: { policy, seed: 2 } })),
  ...['fixed:6', 'adaptive', 'host-aware'].map((policy) => ({ name: `windowed ${policy}`, scenario: windowed, options: { policy, seed: 1 } })),
  { name: 'overrun fixed:6', scenario: overrun, options: { policy: 'fixed:6', seed: 1 } },
  ...['field', 'host-aware', 'adaptive'].map((policy) => ({ name: `poll:30s ${policy}`, scenario: polled(30), options: { policy, seed: 4 } })),
  { name: 'poll:10m fixed:8', scenario: polled(600), options: { policy: 'fixed:8', seed: 4 } },
  ...['order:smallest-first+host:1+enclosure:3+global:20', 'adaptive+order:drain-datastore', 'field'].map((policy) => ({ name: `cored ${policy}`, scenario: cored, options: { policy, seed: 6 } })),
  ...['order:priority+cluster:3+retries:1', 'host-aware'].map((policy) => ({ name: `cramped ${policy}`, scenario: cramped, options: { policy, seed: 1 } })),
  ...['field', 'host-aware+host:1'].map((policy) => ({ name: `partial ${policy}`, scenario: partial, options: { policy, seed: 1 } })),
];

export const MONTE_CARLO_CASES: MonteCarloCase[] = [
  { name: 'busy: 3 policies × 4 runs', scenario: busy, policies: ['field', 'host-aware', 'adaptive'], runs: 4, seed: 5 },
  { name: 'failing: 2 policies × 3 runs', scenario: failing, policies: ['fixed:3', 'drain'], runs: 3, seed: 9 },
];
