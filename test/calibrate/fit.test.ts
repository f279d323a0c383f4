// The fit, on observations written by hand from a model worked out on paper: what the replay must
// recover, and that it recovers it because it shares links between concurrent copies as the
// simulator does (a formula of bytes over time alone would not).

import { describe, expect, it } from 'vitest';
import { fitParameters, smallSampleWidening } from '../../src/app/calibrate/fit.js';
import type { ObservedTask, Observations } from '../../src/app/calibrate/observations.js';
import { parametersOf } from '../../src/app/calibrate/parameters.js';
import { Replay } from '../../src/app/calibrate/replay.js';
import { datastore, estate, hosts, NEW, OLD, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;
const T0 = Date.parse('2026-12-01T08:00:00Z');

/** A successful svMotion of `gb` GB on `host`, submitted and copying from `at` s to `at + seconds` s. */
function copy(key: number, vmName: string, host: string, gb: number, at: number, seconds: number): ObservedTask {
  return {
    key: String(key),
    kind: 'svmotion',
    vm: vmName,
    host,
    sourceDatastores: ['OLD-01'],
    targetDatastore: 'NEW-01',
    toHost: null,
    bytes: gb * GB,
    submittedAt: T0 + at * 1000,
    startedAt: T0 + at * 1000,
    endedAt: T0 + (at + seconds) * 1000,
    outcome: 'success',
  };
}

function observations(tasks: ObservedTask[]): Observations {
  return { source: { kind: 'journal', name: 'hand.jsonl' }, tasks, timeScale: 1, notes: [] };
}

const hostList = hosts('C', 4);
const vms = ['a', 'b', 'c', 'd', 'e'].map((n, i) => vm(n, hostList[i % 4]!.name, 'C', 100 * GB));
const lab = (legacyPortRate: number) =>
  scenario(
    estate({ hosts: hostList, vms, datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new')] }),
    openFabric({
      perCopyRate: 250e6, // the scenario's guess: wrong
      svmotionSetupSeconds: 10, // wrong too
      arrays: [
        { name: OLD, ports: 1, portRate: legacyPortRate },
        { name: NEW, ports: 1, portRate: 1e12 },
      ],
    }),
  );

describe('fitting by replay', () => {
  it('recovers rate and setup from copies that ran alone: time = setup + bytes / rate', () => {
    // The truth: 100 MB/s per copy, 30 s of setup. One copy at a time, far apart:
    // 100 GB → 30 + 1000 s, 200 GB → 30 + 2000 s, 50 GB → 30 + 500 s, 300 GB → 30 + 3000 s.
    const s = lab(1e12);
    const o = observations([copy(1, 'a', 'C-esx01', 100, 0, 1030), copy(2, 'b', 'C-esx02', 200, 5000, 2030), copy(3, 'c', 'C-esx03', 50, 10_000, 530), copy(4, 'd', 'C-esx04', 300, 15_000, 3030)]);
    const c = fitParameters(new Replay(s, o), parametersOf(s), { replicates: 10, seed: 3 });
    expect(c.perCopyRate.value / 100e6).toBeCloseTo(1, 2);
    expect(c.svmotionSetupSeconds.value).toBeCloseTo(30, 0);
    expect(c.fit.medianAbsError).toBeLessThan(0.005);
    // The intervals hold the fitted value, and exact data leave them narrow.
    expect(c.perCopyRate.low).toBeLessThanOrEqual(c.perCopyRate.value);
    expect(c.perCopyRate.high).toBeGreaterThanOrEqual(c.perCopyRate.value);
    expect(c.perCopyRate.high / c.perCopyRate.low).toBeLessThan(1.1);
    expect(c.samples.perCopyRate).toHaveLength(10);
  });

  it('finds the shared link: copies that ran together were slowed by the array, not by their own rate', () => {
    // The truth: 100 MB/s per copy, no setup, the legacy array's single port 300 MB/s of which
    // production takes half: 150 MB/s for the copies. Alone, a 100 GB copy takes 1000 s. Two at once
    // share 150 MB/s, 75 each: 100 GB in 1333.3 s. Three at once: 50 MB/s each, 2000 s. A 200 GB
    // and a 50 GB copy alone (2000 s, 500 s) tell the setup from the rate.
    // A rate worked out as bytes / time would say 75 MB/s and 50 MB/s for those: wrong.
    const s = lab(300e6);
    const o = observations([
      copy(1, 'a', 'C-esx01', 100, 0, 1000),
      copy(2, 'b', 'C-esx02', 100, 5000, 1000 + 1000 / 3),
      copy(3, 'c', 'C-esx03', 100, 5000, 1000 + 1000 / 3),
      copy(4, 'd', 'C-esx04', 100, 10_000, 2000),
      copy(5, 'e', 'C-esx01', 100, 10_000, 2000),
      copy(6, 'a', 'C-esx02', 100, 10_000, 2000),
      copy(7, 'b', 'C-esx03', 200, 15_000, 2000),
      copy(8, 'c', 'C-esx04', 50, 20_000, 500),
    ]);
    const prior = { ...parametersOf(s), svmotionSetupSeconds: 0 };
    const c = fitParameters(new Replay(s, o), prior, { replicates: 0 });
    expect(c.perCopyRate.value / 100e6).toBeCloseTo(1, 1);
    expect(c.productionLoad[OLD]!.value).toBeCloseTo(0.5, 1);
    expect(c.svmotionSetupSeconds.value).toBeLessThan(5);
    expect(c.fit.medianAbsError).toBeLessThan(0.02);
  });
});

describe('small-sample widening of the bootstrap', () => {
  it('is √(n/(n−1)) · t(0.95; n−1) / z(0.95), against printed t tables', () => {
    // t(0.95; ν) from the tables: ν = 4: 2.132, ν = 9: 1.833, ν = 19: 1.729, ν = 49: 1.677.
    const z = 1.645;
    for (const [n, t] of [
      [5, 2.132],
      [10, 1.833],
      [20, 1.729],
      [50, 1.677],
    ] as const) {
      expect(smallSampleWidening(n)).toBeCloseTo((Math.sqrt(n / (n - 1)) * t) / z, 2);
    }
    expect(smallSampleWidening(1000)).toBeLessThan(1.002);
  });
});
