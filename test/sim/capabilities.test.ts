// The simulator's models of per-disk svMotions, remediation tasks and DRS overrides. Every
// expected time and call count is worked out by hand in the comments, on fabrics where nothing
// limits a copy but what the test names (openFabric).

import { describe, expect, it } from 'vitest';
import type { CostProfile } from '../../src/domain/costs.js';
import type { Disk, Estate, Vm } from '../../src/domain/estate.js';
import type { OperationRecord } from '../../src/core/result.js';
import { DEFAULT_CAMPAIGN, type CampaignSettings, type Scenario } from '../../src/scenario/scenario.js';
import { simulate } from '../../src/sim/simulate.js';
import { NEW, OLD, datastore, estate, hosts, openFabric, scenario } from '../helpers/build.js';

const GB = 1e9;

function disk(label: string, gb: number, ds: string): Disk {
  return { label, capacityBytes: gb * GB, allocatedBytes: gb * GB, thin: false, datastore: ds };
}

function multi(name: string, host: string, disks: Disk[], extra: Partial<Vm> = {}): Vm {
  return { name, cluster: 'C', host, powerState: 'poweredOn', memoryBytes: 4e9, disks, homeDatastore: disks[0]!.datastore, ...extra };
}

function lab(vms: Vm[], datastores = [datastore('OLD-A', 'legacy'), datastore('OLD-B', 'legacy'), datastore('OLD-C', 'legacy'), datastore('N1', 'new'), datastore('N2', 'new')]): Estate {
  return estate({ hosts: hosts('C', 4), vms, datastores });
}

function run(s: Scenario, campaign: Partial<CampaignSettings> = {}, options: Parameters<typeof simulate>[1] = {}) {
  return simulate({ ...s, campaign: { ...DEFAULT_CAMPAIGN, ...campaign } }, options);
}

const of = (r: { operations: OperationRecord[] }, kind: string, vm: string) => r.operations.find((o) => o.kind === kind && o.vm === vm)!;
const disks = (vm: string, map: Record<string, string>) => new Map([[vm, new Map(Object.entries(map))]]);

describe('per-disk svMotions in the simulator', () => {
  it('copy with one stream per distinct pair of source and target datastore', () => {
    // 2 × 100 GB on OLD-A at 100 MB/s per stream: to N1 and N2, two pairs, 200 MB/s: 1000 s;
    // both to N1, one pair: 100 MB/s, 2000 s.
    const s = scenario(lab([multi('x', 'C-esx01', [disk('Hard disk 1', 100, 'OLD-A'), disk('Hard disk 2', 100, 'OLD-A')])]), openFabric({ perCopyRate: 100e6 }), 'fixed:1');
    const spread = run(s, {}, { fixedTargets: new Map([['x', 'N1']]), fixedDisks: disks('x', { 'Hard disk 1': 'N1', 'Hard disk 2': 'N2' }) });
    expect(spread.makespanSeconds).toBeCloseTo(1000, 6);
    expect(of(spread, 'svmotion', 'x').disks!.map((d) => d.target)).toEqual(['N1', 'N2']);
    expect(run(s, {}, { fixedTargets: new Map([['x', 'N1']]) }).makespanSeconds).toBeCloseTo(2000, 6);
  });

  it('charge every target datastore in vCenter\'s admission: a copy waits for a full target', () => {
    // Two svMotions per datastore (datastoreMax 32, svMotion 16). x and y each write to N1 and N2,
    // z to N1 only: z waits in vCenter's queue until x ends. Streams: x and y 2 pairs (200 MB/s),
    // z 1 (100 MB/s). x: 100 GB → 500 s; y: 300 GB → 1500 s; z: 50 GB from 500 s → 1000 s.
    const costs: CostProfile = { ...scenario(lab([])).costs, datastoreMax: 32 };
    const vms = [
      multi('x', 'C-esx01', [disk('Hard disk 1', 50, 'OLD-A'), disk('Hard disk 2', 50, 'OLD-A')]),
      multi('y', 'C-esx02', [disk('Hard disk 1', 150, 'OLD-B'), disk('Hard disk 2', 150, 'OLD-B')]),
      multi('z', 'C-esx03', [disk('Hard disk 1', 50, 'OLD-C')]),
    ];
    const s: Scenario = { ...scenario(lab(vms), openFabric({ perCopyRate: 100e6 }), 'fixed:3'), costs };
    const r = run(s, {}, {
      fixedTargets: new Map([['x', 'N1'], ['y', 'N1'], ['z', 'N1']]),
      fixedDisks: new Map([
        ['x', new Map([['Hard disk 2', 'N2']])],
        ['y', new Map([['Hard disk 2', 'N2']])],
      ]),
    });
    expect(of(r, 'svmotion', 'x').finishedAt).toBeCloseTo(500, 6);
    expect(of(r, 'svmotion', 'z').submittedAt).toBe(0);
    expect(of(r, 'svmotion', 'z').startedAt).toBeCloseTo(500, 6);
    expect(of(r, 'svmotion', 'z').finishedAt).toBeCloseTo(1000, 6);
    expect(r.makespanSeconds).toBeCloseTo(1500, 6);
  });

  it('puts a copy\'s bytes on each target array\'s front-end: the slowest one bounds it', () => {
    // NEW-A takes 50 MB/s in, NEW-B is open. x: 2 × 50 GB from OLD-A, one disk to each array: the
    // one flow crosses both front-ends at its whole rate (an upper bound on each), so 50 MB/s:
    // 2000 s, and each array's front-end in carries all 100 GB.
    const fabric = openFabric({ perCopyRate: 100e6, arrays: [{ name: OLD, ports: 1, portRate: 1e12 }, { name: 'NEW-A', ports: 1, portRate: 50e6 }, { name: 'NEW-B', ports: 1, portRate: 1e12 }] });
    const ds = [datastore('OLD-A', 'legacy'), { ...datastore('NA', 'new'), array: 'NEW-A' }, { ...datastore('NB', 'new'), array: 'NEW-B' }];
    const s = scenario(lab([multi('x', 'C-esx01', [disk('Hard disk 1', 50, 'OLD-A'), disk('Hard disk 2', 50, 'OLD-A')])], ds), fabric, 'fixed:1');
    const r = run(s, {}, { fixedTargets: new Map([['x', 'NB']]), fixedDisks: disks('x', { 'Hard disk 1': 'NA', 'Hard disk 2': 'NB' }) });
    expect(r.makespanSeconds).toBeCloseTo(2000, 6);
    const carried = new Map(r.links.map((l) => [l.id, l.bytes]));
    expect(carried.get('array:NEW-A:in')).toBeCloseTo(100 * GB, -3);
    expect(carried.get('array:NEW-B:in')).toBeCloseTo(100 * GB, -3);
    expect(carried.get(`array:${NEW}:in`)).toBeUndefined();
  });
});

describe('remediation and DRS overrides in the simulator', () => {
  const remediation: CampaignSettings['remediation'] = { snapshots: { policy: 'remove-all' }, consolidate: true, rate: 200e6, setupSeconds: 30 };
  const snapped = (name: string, host: string, gb: number, deltaGb: number) =>
    multi(name, host, [disk('Hard disk 1', gb, 'OLD-A')], { snapshots: { count: 2, depth: 2, deltaBytes: deltaGb * GB, consolidationNeeded: false } });

  it('removes snapshots first (set-up + delta / rate), guards the copy, puts the override back: times and calls', () => {
    // Removal 30 s + 6 GB / 200 MB/s = 60 s (0 → 60); override set 2 s (60 → 62); copy 100 GB at
    // 100 MB/s (62 → 1062); override put back (1062 → 1064). Calls under push: 4 submissions and
    // one update round at each of 0, 60, 62, 1062, 1064 (a start comes in the round of the end
    // before it): 9.
    const s = scenario(lab([snapped('a', 'C-esx01', 100, 6)]), openFabric({ perCopyRate: 100e6 }), 'fixed:1');
    const r = run(s, { remediation, drsOverride: true });
    expect(r.operations.map((o) => [o.kind, o.startedAt, o.finishedAt])).toEqual([
      ['remove-all-snapshots', 0, 60],
      ['drs-override', 60, 62],
      ['svmotion', 62, 1062],
      ['drs-override', 1062, 1064],
    ]);
    expect(r.operations.map((o) => o.overrides)).toEqual([undefined, { set: ['a'], restore: [] }, undefined, { set: [], restore: ['a'] }]);
    expect(r.makespanSeconds).toBe(1064);
    expect(r.summary.apiCalls).toBe(9);
    // Without either: the copy alone, 1000 s, 3 calls (a submission, the start's round, the end's).
    const plain = run(s);
    expect(plain.makespanSeconds).toBe(1000);
    expect(plain.summary.apiCalls).toBe(3);
  });

  it('charges a remediation on its host: it waits while two svMotions fill the host', () => {
    // p (100 GB, 1000 s) and q (200 GB, 2000 s) fill esx01 (8 + 8 of 16); r's removal costs 2 and
    // waits until p ends (1000), runs 60 s, then r's copy (50 GB, 500 s) fits beside q: 1060 → 1560.
    const vms = [multi('p', 'C-esx01', [disk('Hard disk 1', 100, 'OLD-A')]), multi('q', 'C-esx01', [disk('Hard disk 1', 200, 'OLD-B')]), { ...snapped('r', 'C-esx01', 50, 6), disks: [disk('Hard disk 1', 50, 'OLD-C')], homeDatastore: 'OLD-C' }];
    const s = scenario(lab(vms), openFabric({ perCopyRate: 100e6 }), 'fixed:3');
    const r = run(s, { remediation });
    const removal = of(r, 'remove-all-snapshots', 'r');
    expect(removal.submittedAt).toBe(0);
    expect(removal.startedAt).toBeCloseTo(1000, 6);
    expect(removal.finishedAt).toBeCloseTo(1060, 6);
    expect(of(r, 'svmotion', 'r').startedAt).toBeCloseTo(1060, 6);
    expect(of(r, 'svmotion', 'r').finishedAt).toBeCloseTo(1560, 6);
    expect(r.makespanSeconds).toBeCloseTo(2000, 6);
  });

  it('DRS never moves a VM whose override keeps it off, and moves the others', () => {
    // DRS fully automated, demand drifting at every pass of every cluster: it moves VMs, never `pinned`.
    const vms = Array.from({ length: 8 }, (_, i) => multi(`v${i}`, `C-esx0${(i % 2) + 1}`, [disk('Hard disk 1', 100, 'OLD-A')]));
    vms.push(multi('pinned', 'C-esx01', [disk('Hard disk 1', 100, 'OLD-A')], { drsOverride: { behavior: 'manual', enabled: true } }));
    const s = scenario(lab(vms), openFabric({ perCopyRate: 100e6 }), 'fixed:1');
    const r = run(s, { drs: { level: 'fully-automated', intervalSeconds: 60, maxMovesPerPass: 4, imbalanceThreshold: 0.15, driftProbability: 1 } });
    const moves = r.operations.filter((o) => o.by === 'drs');
    expect(moves.length).toBeGreaterThan(10);
    expect(moves.filter((o) => o.vm === 'pinned')).toEqual([]);
  });
});
