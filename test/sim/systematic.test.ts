// Systematic uncertainty: fabric figures given as distributions (or a production load on an array)
// are drawn once per run from a stream of their own, change what the run's copies meet, are written
// into the result, and leave a scenario of plain figures exactly as it was.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/domain/distribution.js';
import { UserError } from '../../src/domain/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { parseSetting } from '../../src/scenario/overrides.js';
import { lowerBound } from '../../src/sim/lower-bound.js';
import { runMonteCarlo } from '../../src/sim/montecarlo.js';
import { simulate } from '../../src/sim/simulate.js';
import { drawSystematic } from '../../src/sim/systematic.js';

// One VM of one 100 GB disk on a legacy array of one 8Gb port (800 MB/s per direction): the copy's
// rate is the smaller of its data mover's cap and what production leaves of that port.
// prettier-ignore
const ONE_VM = (fabric: string[]) => [
  'name: t',
  'fabric:',
  '  hosts: { hbaPorts: 2, portSpeed: 32Gb }',
  '  arrays:',
  ...fabric,
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

const load = (lines: string[], ...sets: string[]) => parseScenario(ONE_VM(lines), 'scenarios/t.yaml', { settings: sets.map(parseSetting) });

/** The value a named stream of run `seed` draws first, as seedrandom's alea gives it (random.ts names streams `${seed}/${name}`). */
const firstUniform = (seed: number, name: string) => seedrandom.alea(`${seed}/${name}`)();

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('accepted');
}

const PLAIN = ['    - { name: OLD, frontEndPorts: 1, portSpeed: 8Gb }', '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }', '  perCopyRate: 1GB/s', '  svmotionSetup: 20s'];

describe('systematic uncertainty in a scenario', () => {
  it('reads rates, set-ups and loads as distributions, the plain figure being the mean', () => {
    const s = load([
      '    - { name: OLD, frontEndPorts: 1, portSpeed: 8Gb, productionLoad: "triangular(0.1, 0.2, 0.4)" }',
      '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb, productionLoad: 25% }',
      '  perCopyRate: lognormal(100MB/s, 0.15)',
      '  svmotionSetup: triangular(10s, 20s, 60s)',
    ]);
    expect(s.fabric.uncertain?.perCopyRate).toEqual({ kind: 'lognormal', median: 100e6, sigma: 0.15, low: 1e6, high: Infinity });
    // The mean of a lognormal is its median · exp(σ²/2) = 100 MB/s · e^0.01125 = 101.1314 MB/s
    // (the truncation at 1 MB/s, 30 σ below the median, changes nothing visible).
    expect(s.fabric.perCopyRate / 1e6).toBeCloseTo(101.1314, 3);
    // Triangular mean (a + c + b) / 3 = (10 + 20 + 60) / 3 = 30 s.
    expect(s.fabric.svmotionSetupSeconds).toBeCloseTo(30, 9);
    expect(s.fabric.arrays[0]!.productionLoad).toEqual({ kind: 'triangular', low: 0.1, mode: 0.2, high: 0.4 });
    expect(s.fabric.arrays[1]!.productionLoad).toEqual({ kind: 'fixed', value: 0.25 });
  });

  it('keeps a scenario of plain figures as it was: no distribution, no load', () => {
    const s = load(PLAIN);
    expect(s.fabric.uncertain).toBeUndefined();
    expect(s.fabric.perCopyRate).toBe(1e9);
    expect(s.fabric.svmotionSetupSeconds).toBe(20);
    expect(s.fabric.arrays.every((a) => !('productionLoad' in a))).toBe(true);
    // A load of 0 is no load: the same scenario, the same result byte for byte, and nothing drawn.
    const zero = load(PLAIN, 'fabric.arrays[0].productionLoad=0');
    expect(zero.fabric).toEqual(s.fabric);
    const r = simulate(s);
    expect(r.drawn).toBeUndefined();
    expect(JSON.stringify(simulate(zero))).toBe(JSON.stringify(r));
  });

  it('takes a distribution from --set, and refuses bad ones in one sentence naming the field', () => {
    const s = load(PLAIN, 'fabric.arrays[0].productionLoad=triangular(0.1,0.2,0.4)');
    expect(s.fabric.arrays[0]!.productionLoad).toEqual({ kind: 'triangular', low: 0.1, mode: 0.2, high: 0.4 });
    expect(errorOf(() => load(PLAIN, 'fabric.arrays[0].productionLoad=triangular(0.1,0.2,1.2)'))).toMatch(/^--set fabric\.arrays\[0\]\.productionLoad: .*1\.2 lies outside \[0, 0\.95\]/);
    expect(errorOf(() => load(PLAIN, 'fabric.arrays[0].productionLoad=0.99'))).toMatch(/^--set fabric\.arrays\[0\]\.productionLoad: .*at most 95 %/);
    expect(errorOf(() => load(PLAIN, 'fabric.perCopyRate=lognormal(fast, 0.1)'))).toMatch(/^--set fabric\.perCopyRate: lognormal's median "fast" is not a valid value/);
    expect(errorOf(() => load(PLAIN, 'fabric.perCopyRate=gamma(1, 2)'))).toMatch(/^--set fabric\.perCopyRate: unknown distribution "gamma"/);
    expect(errorOf(() => load(PLAIN, 'fabric.svmotionSetup=uniform(2d, 3d)'))).toMatch(/^--set fabric\.svmotionSetup: uniform's low 172800 lies outside \[0, 86400\]/);
    // A plain value keeps the messages it always had.
    expect(errorOf(() => load(PLAIN, 'fabric.perCopyRate=0.5MB/s'))).toMatch(/^--set fabric\.perCopyRate: "0\.5MB\/s" is too small/);
  });
});

describe('drawn once per run', () => {
  const uncertain = [
    '    - { name: OLD, frontEndPorts: 1, portSpeed: 8Gb, productionLoad: "triangular(0.1, 0.2, 0.4)" }',
    '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
    '  perCopyRate: triangular(300MB/s, 500MB/s, 900MB/s)',
    '  svmotionSetup: uniform(10s, 30s)',
  ];

  it('draws each figure from its own stream: the quantile of that stream’s first number', () => {
    const s = load(uncertain);
    for (const seed of [1, 2, 77]) {
      const d = drawSystematic(s.fabric, seed);
      expect(d.perCopyRate).toBe(quantile(s.fabric.uncertain!.perCopyRate!, firstUniform(seed, 'perCopyRate')));
      expect(d.svmotionSetup).toBe(10 + 20 * firstUniform(seed, 'svmotionSetup'));
      expect(d.productionLoad).toEqual({ OLD: quantile(s.fabric.arrays[0]!.productionLoad!, firstUniform(seed, 'productionLoad/OLD')) });
    }
  });

  it('turning one figure on leaves the draws of the others unchanged', () => {
    const all = drawSystematic(load(uncertain).fabric, 5);
    const withoutLoad = drawSystematic(load(uncertain, 'fabric.arrays[0].productionLoad=0').fabric, 5);
    const withoutRate = drawSystematic(load(uncertain, 'fabric.perCopyRate=500MB/s').fabric, 5);
    expect(withoutLoad.perCopyRate).toBe(all.perCopyRate);
    expect(withoutLoad.svmotionSetup).toBe(all.svmotionSetup);
    expect(withoutRate.productionLoad).toEqual(all.productionLoad);
    expect(withoutRate.svmotionSetup).toBe(all.svmotionSetup);
  });

  it('a run meets its draws: set-up plus bytes over the smaller of its cap and what production leaves of the port', () => {
    const s = load(uncertain);
    for (const seed of [1, 2, 3, 4]) {
      const r = simulate(s, { seed });
      const d = r.drawn!;
      expect(d).toEqual(drawSystematic(s.fabric, seed));
      // One copy, one stream: rate = min(drawn per-copy rate, 800 MB/s · (1 − drawn load)).
      const rate = Math.min(d.perCopyRate, 800e6 * (1 - d.productionLoad['OLD']!));
      expect(r.makespanSeconds).toBeCloseTo(d.svmotionSetup + 100e9 / rate, 6);
    }
    // Worked for one fixed case: 1 GB/s asked, 25 % of the 800 MB/s port taken → 600 MB/s;
    // 100 GB / 600 MB/s = 166.667 s, plus 20 s of set-up.
    const fixed = simulate(load(PLAIN, 'fabric.arrays[0].productionLoad=25%'));
    expect(fixed.drawn).toEqual({ perCopyRate: 1e9, svmotionSetup: 20, productionLoad: { OLD: 0.25 } });
    expect(fixed.makespanSeconds).toBeCloseTo(20 + 100e9 / 600e6, 6);
    expect(fixed.links.find((l) => l.id === 'array:OLD:out')!.capacity).toBeCloseTo(600e6, 3);
  });

  it('in a comparison, run i draws the same under every policy, and the bound holds for every run', async () => {
    const s = load(uncertain);
    const c = await runMonteCarlo({ scenario: s, policies: ['fixed:1', 'host-aware'], runs: 12, seed: 3, deadlineSeconds: null, workers: 1 });
    const [a, b] = c.policies;
    expect(a!.runs.map((r) => r.drawn)).toEqual(b!.runs.map((r) => r.drawn));
    expect(new Set(a!.runs.map((r) => r.drawn!.perCopyRate)).size).toBe(12);
    // The bound is for the most favourable draws of the 12 runs, figure by figure: the fastest
    // rate, the shortest set-up, the lightest load. For one VM it is its copy: set-up + bytes / rate.
    const drawn = a!.runs.map((r) => r.drawn!);
    const fastest = Math.max(...drawn.map((d) => d.perCopyRate));
    const shortest = Math.min(...drawn.map((d) => d.svmotionSetup));
    const lightest = Math.min(...drawn.map((d) => d.productionLoad['OLD']!));
    expect(c.lowerBound.drawn).toMatchObject({ perCopyRate: fastest, svmotionSetup: shortest, productionLoad: { OLD: lightest } });
    expect(c.lowerBoundSeconds).toBeCloseTo(shortest + 100e9 / Math.min(fastest, 800e6 * (1 - lightest)), 6);
    for (const p of c.policies) for (const r of p.runs) expect(r.makespanSeconds).toBeGreaterThanOrEqual(c.lowerBoundSeconds - 1e-9);
    expect(c.lowerBound.drawn!.basis).toContain('most favourable figures any of the 12 runs drew');
    // One run's own draws give that run's own bound, which its makespan meets exactly here.
    const one = simulate(s, { seed: 9 });
    expect(lowerBound(s, { drawn: one.drawn!, runs: 1 }).seconds).toBeCloseTo(one.makespanSeconds, 6);
  });
});
