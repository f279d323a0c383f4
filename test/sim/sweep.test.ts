// The sweep runner: makespan against per-cluster concurrency and against an array's production
// load on estates small enough to work out by hand; common random numbers (a parameter that changes
// nothing changes no run); the same answer whatever the threads.

import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/core/sweep-result.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { gridPoints, parseAxes, pointPolicy, pointSettings, pointValues } from '../../src/scenario/sweep-grid.js';
import { runSeeds } from '../../src/sim/run-seeds.js';
import { runSweep } from '../../src/sim/sweep.js';

/** The grid as `svmig sweep` builds it: one scenario per distinct set of scenario values. */
function sweepOf(text: string, vary: string[], policies: string[], runs: number, seed: number, workers = 1, deadlineSeconds: number | null = null): Promise<SweepResult> {
  const axes = parseAxes(vary);
  const scenarios: Scenario[] = [];
  const keys: string[] = [];
  const points = gridPoints(axes).map((p) => {
    const settings = pointSettings(axes, p);
    const key = settings.map((s) => s.valueText).join('\u0000');
    let index = keys.indexOf(key);
    if (index < 0) {
      index = keys.push(key) - 1;
      scenarios.push(parseScenario(text, 'scenarios/t.yaml', { settings }));
    }
    return { values: pointValues(axes, p), scenario: index, specs: policies.map((policy) => pointPolicy(axes, p, policy)) };
  });
  return runSweep({
    scenarios,
    scenarioFile: 'scenarios/t.yaml',
    axes: axes.map((a) => ({ path: a.pathText, kind: a.kind, values: a.values })),
    policies,
    points,
    runs,
    seed,
    deadlineSeconds,
    workers,
  });
}

// Eight VMs of one 100 GB thick disk, one per host of one cluster, four per legacy datastore. Each
// copy runs at its data mover's 250 MB/s: the legacy array's 4 × 8Gb ports carry 3,200 MB/s, more
// than 8 copies at once take; each host runs one svMotion (vSphere allows 2), each datastore at most
// 8 (vSphere's 128 / 16). No jitter, no faults, no DRS: every run is the same.
// prettier-ignore
const EIGHT = [
  'name: eight',
  'vsphere: { costs: vsphere-6 }',
  'fabric:',
  '  hosts: { hbaPorts: 2, portSpeed: 8Gb }',
  '  arrays:',
  '    - { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }',
  '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
  '  perCopyRate: 250MB/s',
  '  svmotionSetup: 20s',
  'estate:',
  '  vcenter: vc.test',
  '  arrays: { legacy: [OLD], new: [NEW] }',
  '  clusters: [ { name: CL, hosts: [ ' + Array.from({ length: 8 }, (_, i) => `{ name: esx0${i + 1} }`).join(', ') + ' ] } ]',
  '  datastores:',
  '    - { name: OLD-01, array: OLD, capacity: 4TiB }',
  '    - { name: OLD-02, array: OLD, capacity: 4TiB }',
  '    - { name: NEW-01, array: NEW, capacity: 8TiB }',
  '    - { name: NEW-02, array: NEW, capacity: 8TiB }',
  '  vms:',
  ...Array.from({ length: 8 }, (_, i) => `    - { name: vm0${i + 1}, host: esx0${i + 1}, memory: 4GiB, disks: [ { size: 100GB, datastore: OLD-0${(i % 2) + 1} } ] }`),
  '',
].join('\n');

// One VM of one 100 GB disk behind one 8Gb legacy port (800 MB/s); its data mover could do 1 GB/s,
// so the port is the limit, less what production takes of it.
// prettier-ignore
const ONE = [
  'name: one',
  'fabric:',
  '  hosts: { hbaPorts: 2, portSpeed: 32Gb }',
  '  arrays:',
  '    - { name: OLD, frontEndPorts: 1, portSpeed: 8Gb }',
  '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
  '  perCopyRate: 1GB/s',
  '  svmotionSetup: 20s',
  'estate:',
  '  vcenter: vc.test',
  '  arrays: { legacy: [OLD], new: [NEW] }',
  '  clusters: [ { name: LAB, hosts: [ { name: esx01 }, { name: esx02 } ] } ]',
  '  datastores:',
  '    - { name: OLD-01, array: OLD, capacity: 4TiB }',
  '    - { name: NEW-01, array: NEW, capacity: 8TiB }',
  '  vms:',
  '    - { name: app01, host: esx01, memory: 8GiB, disks: [ { size: 100GB, datastore: OLD-01 } ] }',
  '',
].join('\n');

const p50s = (r: SweepResult) => r.points.map((p) => p.cells.map((c) => c.p50Seconds));

describe('sweep model checks', () => {
  it('makespan against per-cluster concurrency c is ⌈8 / c⌉ waves of 20 s + 100 GB / 250 MB/s = 420 s', async () => {
    const r = await sweepOf(EIGHT, ['policy.cluster=1..5,8'], ['fixed:1'], 3, 7);
    // By hand: c = 1 → 8 waves, 2 → 4, 3 → 3, 4 → 2, 5 → 2, 8 → 1.
    const expected = [3360, 1680, 1260, 840, 840, 420];
    r.points.forEach((p, i) => {
      const cell = p.cells[0]!;
      expect(cell.spec).toBe(`fixed:1+cluster:${p.values[0]}`);
      expect(cell.p50Seconds).toBeCloseTo(expected[i]!, 3);
      expect(cell.p90Seconds).toBeCloseTo(expected[i]!, 3);
      expect(cell.vmsLeft).toBe(0);
    });
    // The bound does not depend on the policy: 8 copies at once of 420 s each.
    expect(new Set(r.points.map((p) => p.lowerBoundSeconds)).size).toBe(1);
  });

  it('makespan against the legacy array’s production load L is 20 s + 100 GB / (800 MB/s · (1 − L))', async () => {
    const r = await sweepOf(ONE, ['fabric.arrays[0].productionLoad=0,0.5,0.75'], ['fixed:1'], 2, 3);
    // By hand: 20 + 125 = 145 s, 20 + 250 = 270 s, 20 + 500 = 520 s.
    expect(p50s(r).map(([x]) => x)).toEqual([expect.closeTo(145, 3), expect.closeTo(270, 3), expect.closeTo(520, 3)]);
    // The lower bound moves with the load too: each point is its own scenario.
    expect(r.points.map((p) => p.lowerBoundSeconds)).toEqual([expect.closeTo(145, 3), expect.closeTo(270, 3), expect.closeTo(520, 3)]);
  });

  it('two axes: each combination, the first axis slowest, with the deadline odds of each cell', async () => {
    const r = await sweepOf(ONE, ['fabric.arrays[0].productionLoad=0,0.5', 'fabric.perCopyRate=100MB/s,1GB/s'], ['fixed:1'], 2, 3, 1, 200);
    // min(rate, 800 MB/s · (1 − L)): 100 MB/s → 20 + 1000 s either way; 1 GB/s → 145 s, 270 s.
    expect(r.points.map((p) => p.values)).toEqual([
      ['0', '100MB/s'],
      ['0', '1GB/s'],
      ['0.5', '100MB/s'],
      ['0.5', '1GB/s'],
    ]);
    expect(p50s(r).map(([x]) => Math.round(x!))).toEqual([1020, 145, 1020, 270]);
    expect(r.points.map((p) => p.cells[0]!.deadlineProbability)).toEqual([0, 1, 0, 0]);
  });
});

// The small lab's shape with randomness in every run: ±20 % jitter, 5 % of copies failing, DRS,
// and the per-copy rate drawn once per run.
// prettier-ignore
const RANDOM = [
  'name: random',
  'seed: 5',
  'campaign:',
  '  jitter: 20%',
  '  faults: { svmotion: { probability: 5%, transient: 50% } }',
  '  drs: { level: fully-automated, interval: 5m, drift: 10% }',
  'fabric:',
  '  hosts: { hbaPorts: 2, portSpeed: 8Gb }',
  '  arrays:',
  '    - { name: OLD, frontEndPorts: 2, portSpeed: 8Gb, productionLoad: "triangular(0.1, 0.2, 0.4)" }',
  '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
  '  perCopyRate: lognormal(200MB/s, 0.2)',
  'estate:',
  '  synthetic:',
  '    vcenter: vc.test',
  '    datacenter: DC',
  '    clusters: [ { name: A, hosts: 6 }, { name: B, hosts: 4 } ]',
  '    vms: 60',
  '    vmSize: { median: 60GiB, sigma: 1, min: 10GiB, max: 2TiB }',
  '    legacy: { array: OLD, capacity: 4TiB, fill: 70% }',
  '    new: { array: NEW, capacity: 16TiB, fill: 60% }',
  '',
].join('\n');

describe('sweep with common random numbers', () => {
  it('a parameter that changes nothing gives the same runs at every point', async () => {
    const r = await sweepOf(RANDOM, ['description=first,second,third'], ['field', 'host-aware'], 6, 21);
    const [first, ...others] = r.points;
    // The runs vary among themselves (the dice are live) …
    expect(new Set(first!.cells[0]!.runs.map((x) => x.makespanSeconds)).size).toBeGreaterThan(1);
    for (const p of others) {
      // … and each one is the same at every point, down to its draws.
      expect(p.cells).toEqual(first!.cells);
    }
    expect(first!.cells[0]!.runs.map((x) => x.seed)).toEqual(runSeeds(21, 6));
  });

  it('run i has the same seed, and draws the same figures, at every point and under every policy', async () => {
    const r = await sweepOf(RANDOM, ['policy.cluster=1,3'], ['field', 'host-aware'], 4, 8);
    const seeds = runSeeds(8, 4);
    const drawn = r.points[0]!.cells[0]!.runs.map((x) => x.drawn);
    expect(drawn.every((d) => d !== undefined)).toBe(true);
    for (const p of r.points) {
      for (const c of p.cells) {
        expect(c.runs.map((x) => x.seed)).toEqual(seeds);
        expect(c.runs.map((x) => x.drawn)).toEqual(drawn);
      }
    }
    // More concurrency is faster here: the parameter, not the dice, makes the difference.
    for (const k of [0, 1]) expect(r.points[1]!.cells[k]!.p50Seconds).toBeLessThan(r.points[0]!.cells[k]!.p50Seconds);
  });

  it('is deterministic: the same inputs give the same result, on one thread or two', async () => {
    const vary = ['policy.cluster=2,4', 'fabric.perCopyRate=150MB/s,250MB/s'];
    const one = await sweepOf(RANDOM, vary, ['field', 'fixed:3'], 3, 99, 1);
    const again = await sweepOf(RANDOM, vary, ['field', 'fixed:3'], 3, 99, 1);
    const two = await sweepOf(RANDOM, vary, ['field', 'fixed:3'], 3, 99, 2);
    expect(JSON.stringify(again)).toBe(JSON.stringify(one));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    const other = await sweepOf(RANDOM, vary, ['field', 'fixed:3'], 3, 100, 1);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(one));
  });
});
