import { describe, expect, it } from 'vitest';
import type { Disk, Host, Vm } from '../../src/domain/estate.js';
import type { Fabric } from '../../src/domain/fabric.js';
import type { LowerBound } from '../../src/core/compare-result.js';
import { lowerBound } from '../../src/sim/lower-bound.js';
import { simulate } from '../../src/sim/simulate.js';
import { NEW, OLD, datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

const part = (b: LowerBound, kind: string) => b.parts.find((p) => p.kind === kind);

/** `count` VMs of `bytes` on cluster C, round-robin over its hosts (and over `datastores`). */
function spread(count: number, bytes: number, hostCount: number, datastores = ['OLD-01']): Vm[] {
  return Array.from({ length: count }, (_, i) =>
    vm(`vm${String(i).padStart(3, '0')}`, `C-esx${String((i % hostCount) + 1).padStart(2, '0')}`, 'C', bytes, datastores[i % datastores.length]),
  );
}

function withDisks(name: string, host: string, cluster: string, disks: Array<[number, string]>): Vm {
  const d: Disk[] = disks.map(([bytes, ds], i) => ({ label: `Hard disk ${i + 1}`, capacityBytes: bytes, allocatedBytes: bytes, thin: false, datastore: ds }));
  return { name, cluster, host, powerState: 'poweredOn', memoryBytes: 4 * GB, disks: d };
}

const slowOld = (rate: number): Partial<Fabric> => ({ arrays: [{ name: OLD, ports: 1, portRate: rate }, { name: NEW, ports: 1, portRate: 1e12 }] });

describe('lowerBound: closed forms', () => {
  it('N equal copies on one bottleneck link: N·size/capacity, and the simulator reaches it', () => {
    // 8 VMs of 100 GB read from a legacy array of 800 MB/s: 800 GB / 800 MB/s = 1000 s. 4 hosts run
    // 2 copies each, so fixed:8 starts all 8 at once, sharing 800 MB/s: each ends at exactly 1000 s.
    const s = scenario(estate({ hosts: hosts('C', 4), vms: spread(8, 100 * GB, 4) }), openFabric(slowOld(800e6)), 'fixed:8');
    const b = lowerBound(s);
    expect(b.seconds).toBeCloseTo(1000, 9);
    expect(b.binding).toBe(`${OLD} front-end out`);
    expect(part(b, 'legacy-array')!.seconds).toBeCloseTo(1000, 9);
    // A lone copy could take the whole 800 MB/s: 125 s. Slots: 8 × 125 s over 8 host slots = 125 s.
    expect(part(b, 'single-copy')!.seconds).toBeCloseTo(125, 9);
    expect(part(b, 'host-admission')!.seconds).toBeCloseTo(125, 9);
    expect(simulate(s).makespanSeconds).toBeCloseTo(1000, 6);
  });

  it('one huge VM: size over its per-copy cap, plus the svMotion setup', () => {
    // 1 TB in one disk at 100 MB/s (one stream) after 20 s of setup: 10 000 + 20 = 10 020 s.
    const s = scenario(estate({ hosts: hosts('C', 2), vms: [vm('huge', 'C-esx01', 'C', 1000 * GB)] }), openFabric({ perCopyRate: 100e6, svmotionSetupSeconds: 20 }));
    const b = lowerBound(s);
    expect(b.seconds).toBeCloseTo(10_020, 9);
    expect(b.binding).toBe('copy of huge');
    expect(simulate(s).makespanSeconds).toBeCloseTo(10_020, 6);
  });

  it('rate jitter: the bound allows the luckiest draw, perCopyRate · (1 + jitter)', () => {
    // Jitter 20 %: a copy's cap may be drawn up to 120 MB/s: 1 TB / 120 MB/s = 8333.3 s, + 20 s.
    const base = scenario(estate({ hosts: hosts('C', 2), vms: [vm('huge', 'C-esx01', 'C', 1000 * GB)] }), openFabric({ perCopyRate: 100e6, svmotionSetupSeconds: 20 }));
    const s = { ...base, campaign: { ...base.campaign, jitter: 0.2 } };
    expect(lowerBound(s).seconds).toBeCloseTo(1e12 / 120e6 + 20, 6);
    for (let seed = 1; seed <= 20; seed++) expect(simulate(s, { seed }).makespanSeconds).toBeGreaterThanOrEqual(lowerBound(s).seconds);
  });

  it('a VM on two legacy datastores copies with two streams: half the time', () => {
    // 2 × 500 GB on OLD-01 and OLD-02: 2 streams of 100 MB/s → 1 TB / 200 MB/s = 5000 s, + 20 s.
    const e = estate({
      hosts: hosts('C', 2),
      vms: [withDisks('wide', 'C-esx01', 'C', [[500 * GB, 'OLD-01'], [500 * GB, 'OLD-02']])],
      datastores: [datastore('OLD-01', 'legacy'), datastore('OLD-02', 'legacy'), datastore('NEW-01', 'new')],
    });
    const s = scenario(e, openFabric({ perCopyRate: 100e6, svmotionSetupSeconds: 20 }));
    expect(lowerBound(s).seconds).toBeCloseTo(5020, 9);
    expect(simulate(s).makespanSeconds).toBeCloseTo(5020, 6);
  });

  it('a legacy datastore admits 8 svMotions at once: 16 copies take two waves', () => {
    // 16 VMs of 100 GB at 100 MB/s = 1000 s each, all on OLD-01. 8 hosts offer 16 host slots and 2 new
    // datastores 16 target slots, but OLD-01 admits 8 (128 / 16): 16 × 1000 s / 8 = 2000 s.
    const e = estate({
      hosts: hosts('C', 8),
      vms: spread(16, 100 * GB, 8),
      datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new'), datastore('NEW-02', 'new')],
    });
    const s = scenario(e, openFabric({ perCopyRate: 100e6 }), 'fixed:16');
    const b = lowerBound(s);
    expect(b.seconds).toBeCloseTo(2000, 9);
    expect(b.binding).toBe('datastore OLD-01 slots');
    expect(part(b, 'host-admission')!.seconds).toBeCloseTo(1000, 9);
    expect(part(b, 'new-datastore-admission')!.seconds).toBeCloseTo(1000, 9);
    expect(simulate(s).makespanSeconds).toBeCloseTo(2000, 6);
  });

  it('new datastores admit 8 each, whichever one a policy picks: pooled', () => {
    // 16 VMs of 1000 s spread over 8 legacy datastores (2 each: 250 s per datastore) all go to the
    // one new datastore: 16 × 1000 s / 8 = 2000 s.
    const olds = Array.from({ length: 8 }, (_, i) => `OLD-0${i + 1}`);
    const e = estate({
      hosts: hosts('C', 8),
      vms: spread(16, 100 * GB, 8, olds),
      datastores: [...olds.map((n) => datastore(n, 'legacy')), datastore('NEW-01', 'new')],
    });
    const s = scenario(e, openFabric({ perCopyRate: 100e6 }), 'fixed:16');
    const b = lowerBound(s);
    expect(b.binding).toBe('datastore NEW-01 slots');
    expect(b.seconds).toBeCloseTo(2000, 9);
    expect(part(b, 'legacy-datastore-admission')!.seconds).toBeCloseTo(250, 9);
    expect(simulate(s).makespanSeconds).toBeCloseTo(2000, 6);
  });

  it('host admission is per cluster, not per host: VMs can be vMotioned to idle hosts', () => {
    // 8 VMs of 1000 s, all on esx01 of a 2-host cluster. esx01 alone runs 2 at once (8000/2 = 4000 s),
    // but a policy may move VMs to esx02: the cluster's 4 slots give 8000 / 4 = 2000 s.
    const vms = Array.from({ length: 8 }, (_, i) => vm(`v${i}`, 'C-esx01', 'C', 100 * GB));
    const s = scenario(estate({ hosts: hosts('C', 2), vms }), openFabric({ perCopyRate: 100e6 }), 'fixed:4');
    const b = lowerBound(s);
    expect(b.binding).toBe('cluster C host slots');
    expect(b.seconds).toBeCloseTo(2000, 9);
    // fixed:4 does not move VMs: it stays on esx01's 2 slots, 4 waves of 1000 s.
    expect(simulate(s).makespanSeconds).toBeCloseTo(4000, 6);
  });

  it('host HBAs bound per cluster; the core bounds everything', () => {
    // 2 hosts of one 1 GB/s port each: 4 TB over 2 GB/s = 2000 s. A core of 1 GB/s: 4000 s.
    const s = scenario(estate({ hosts: hosts('C', 2), vms: spread(8, 500 * GB, 2) }), openFabric({ hostPortRate: 1e9 }), 'fixed:4');
    expect(part(lowerBound(s), 'cluster-hbas')!.seconds).toBeCloseTo(2000, 9);
    expect(lowerBound(s).seconds).toBeCloseTo(2000, 9);
    const cored = scenario(s.estate, openFabric({ hostPortRate: 1e9, coreRate: 1e9 }), 'fixed:4');
    const b = lowerBound(cored);
    expect(b.binding).toBe('fabric core');
    expect(b.seconds).toBeCloseTo(4000, 9);
  });

  it('enclosure uplinks: only clusters wholly inside a set of enclosures count against it', () => {
    // A: 2 hosts in ENC1, 2 TB. B: one host in ENC1, one in ENC2, 1 TB, all of it on its ENC1 host
    // today. Uplinks 1 GB/s per enclosure. Counting VMs where they sit would give ENC1 3 TB: 3000 s,
    // but B's VMs may run on its ENC2 host. ENC1 alone carries A's 2 TB (2000 s); ENC1+ENC2 carry
    // 3 TB over 2 GB/s (1500 s). The bound is 2000 s.
    const hs = [
      { name: 'A-1', cluster: 'A', enclosure: 'ENC1' },
      { name: 'A-2', cluster: 'A', enclosure: 'ENC1' },
      { name: 'B-1', cluster: 'B', enclosure: 'ENC1' },
      { name: 'B-2', cluster: 'B', enclosure: 'ENC2' },
    ];
    const vms = [
      ...Array.from({ length: 4 }, (_, i) => vm(`a${i}`, i % 2 ? 'A-1' : 'A-2', 'A', 500 * GB)),
      ...Array.from({ length: 2 }, (_, i) => vm(`b${i}`, 'B-1', 'B', 500 * GB)),
    ];
    const s = scenario(estate({ hosts: hs, vms }), openFabric({ enclosureUplinkPortRate: 1e9 }), 'fixed:2');
    const b = lowerBound(s);
    expect(b.binding).toBe('enclosure ENC1 uplinks');
    expect(b.seconds).toBeCloseTo(2000, 9);
    expect(simulate(s).makespanSeconds).toBeGreaterThanOrEqual(2000 * (1 - 1e-9));
  });

  it('a cluster with a host outside every enclosure escapes the uplink cut', () => {
    const hs = [
      { name: 'C-1', cluster: 'C', enclosure: 'ENC1' },
      { name: 'C-2', cluster: 'C', enclosure: null },
    ];
    const s = scenario(estate({ hosts: hs, vms: [vm('x', 'C-1', 'C', 1000 * GB)] }), openFabric({ enclosureUplinkPortRate: 1e9 }));
    const b = lowerBound(s);
    expect(part(b, 'enclosure-uplinks')).toBeUndefined();
    // …and so does a lone copy: it could run on C-2, at the 1 TB/s of the open fabric: 1 s.
    expect(b.seconds).toBeCloseTo(1, 9);
  });

  it('nothing to move: zero', () => {
    const s = scenario(estate({ hosts: hosts('C', 1), vms: [vm('x', 'C-esx01', 'C', 10 * GB, 'NEW-01')] }));
    expect(lowerBound(s)).toEqual({ seconds: 0, binding: 'nothing to move', parts: [] });
  });
});

/** mulberry32: a small seeded generator, so the random scenarios are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomScenario(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const clusterCount = 1 + Math.floor(r() * 3);
  const useEnclosures = r() < 0.5;
  const allHosts: Host[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const n = 1 + Math.floor(r() * 5);
    for (let h = 0; h < n; h++) allHosts.push({ name: `C${c}-h${h}`, cluster: `C${c}`, enclosure: useEnclosures ? `ENC${Math.floor(r() * 3)}` : null });
  }
  const olds = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => `OLD-${i}`);
  const news = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => `NEW-${i}`);
  const vms: Vm[] = Array.from({ length: 3 + Math.floor(r() * 25) }, (_, i) => {
    const host = pick(allHosts);
    const disks = Array.from({ length: 1 + Math.floor(r() * 3) }, (): [number, string] => [Math.round((1 + r() * 400) * GB), pick(olds)]);
    return withDisks(`vm${i}`, host.name, host.cluster!, disks);
  });
  const fabric = openFabric({
    hostPortRate: pick([400e6, 800e6, 1600e6]),
    hostPorts: pick([1, 2]),
    enclosureUplinkPorts: pick([1, 2, 4]),
    enclosureUplinkPortRate: 800e6,
    arrays: [
      { name: OLD, ports: pick([1, 2, 4]), portRate: 800e6 },
      { name: NEW, ports: pick([2, 8]), portRate: 1600e6 },
    ],
    coreRate: r() < 0.3 ? pick([1e9, 3e9]) : null,
    perCopyRate: pick([100e6, 250e6, 500e6]),
    svmotionSetupSeconds: pick([0, 20, 60]),
    vmotionSetupSeconds: 15,
  });
  const e = estate({ hosts: allHosts, vms, datastores: [...olds.map((n) => datastore(n, 'legacy')), ...news.map((n) => datastore(n, 'new'))] });
  const s = scenario(e, fabric);
  // Half of them with the run's random factors on: rate jitter, DRS moving VMs, random placement.
  if (r() < 0.5) return s;
  const drs = { ...s.campaign.drs, level: 'fully-automated' as const, driftProbability: 0.5 };
  return { ...s, campaign: { ...s.campaign, jitter: pick([0.1, 0.3]), drs, placement: 'random' as const } };
}

describe('lowerBound: no policy beats it', () => {
  const policies = ['field', 'fixed:1', 'fixed:2', 'fixed:3', 'fixed:8', 'fixed:32', 'host-aware', 'adaptive', 'drain'];
  for (let seed = 1; seed <= 40; seed++) {
    it(`random small scenario #${seed}`, () => {
      const s = randomScenario(seed);
      const b = lowerBound(s);
      expect(b.seconds).toBeGreaterThan(0);
      for (const policy of policies) {
        const result = simulate(s, { policy, seed });
        // The bound is for campaigns that move everything; these scenarios have room for all.
        expect(result.summary.vmsMoved).toBe(s.estate.vms.length);
        expect(result.makespanSeconds, `${policy}: makespan ${result.makespanSeconds} under bound ${b.seconds} (${b.binding})`).toBeGreaterThanOrEqual(b.seconds * (1 - 1e-9));
      }
    });
  }
});

describe('lowerBound: change windows count only while open', () => {
  const H = 3600;
  // Every night 22:00–02:00 (4 h), the campaign starting on a Monday at 21:00: the first window
  // opens after 1 h and closes after 5 h; the next opens after 25 h.
  const nightly = (allowOverrun: boolean) => ({
    open: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ start: d * 86400 + 22 * H, end: d * 86400 + 26 * H })),
    startOffset: 21 * H,
    allowOverrun,
    text: 'nightly',
  });
  const windowed = (vms: Vm[], allowOverrun = false) => {
    const s = scenario(estate({ hosts: hosts('C', 10), vms }), openFabric({ ...slowOld(200e6), perCopyRate: 100e6 }), 'fixed:8');
    return { ...s, campaign: { ...s.campaign, windows: nightly(allowOverrun) } };
  };

  it('a part needing W seconds of copying ends when the windows have been open W seconds', () => {
    // 36 VMs of 100 GB read through 200 MB/s: 3.6 TB / 200 MB/s = 18,000 s of copying. The first
    // window gives 14,400 s (1 h → 5 h); the other 3,600 s come in the next, which opens after
    // 25 h: 25 h + 1 h = 26 h = 93,600 s.
    const b = lowerBound(windowed(spread(36, 100 * GB, 10)));
    const array = part(b, 'legacy-array')!;
    expect(array.openSeconds).toBeCloseTo(18_000, 9);
    expect(array.seconds).toBeCloseTo(93_600, 9);
    expect(b.seconds).toBeCloseTo(93_600, 9);
    expect(b.binding).toBe(`${OLD} front-end out`);
    expect(array.explanation).toContain('counting only the hours windows are open');
    // The longest copy (100 GB at 100 MB/s, 1,000 s) fits the first window: it ends 1 h + 1,000 s in.
    expect(part(b, 'single-copy')!.seconds).toBeCloseTo(H + 1000, 9);
    // With overrun a copy may run on after its window, but none starts before 1 h: 1 h + 18,000 s.
    expect(lowerBound(windowed(spread(36, 100 * GB, 10), true)).seconds).toBeCloseTo(H + 18_000, 9);
  });

  it('puts a long copy in the first window that holds it, and leaves out one that fits none, naming it', () => {
    // 1.2 TB at 100 MB/s: 12,000 s, within a 14,400 s window: the first one, 1 h + 12,000 s.
    const long = lowerBound(windowed([vm('long', 'C-esx01', 'C', 1200 * GB)]));
    expect(long.seconds).toBeCloseTo(H + 12_000, 9);
    expect(long.binding).toBe('copy of long');
    // 2 TB at 100 MB/s: 20,000 s, longer than any window: left out and named; the bound is the
    // 100 GB VM's (array: 100 GB / 200 MB/s = 500 s of copying; its copy alone 1,000 s).
    const b = lowerBound(windowed([vm('huge', 'C-esx01', 'C', 2000 * GB), vm('small', 'C-esx02', 'C', 100 * GB)]));
    expect(b.windowMisfits).toEqual([{ vm: 'huge', bytes: 2000 * GB, needsSeconds: 20_000, inFlight: 1, longestWindowSeconds: 4 * H }]);
    expect(b.seconds).toBeCloseTo(H + 1000, 9);
  });
});
