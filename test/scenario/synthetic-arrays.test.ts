// A generated estate on several legacy and several new arrays: datastores dealt to arrays by share
// or by count, the fabric's arrays listed to match. Every VM below is one thick 100 GiB disk, so the
// counts and bytes follow by hand from the dealing and the balanced placement.

import { describe, expect, it } from 'vitest';
import type { Estate } from '../../src/domain/estate.js';
import { UserError } from '../../src/domain/errors.js';
import { GiB, TiB } from '../../src/domain/units.js';
import { parseScenario } from '../../src/scenario/load.js';
import { parseSetting } from '../../src/scenario/overrides.js';

// prettier-ignore
const FILE = (legacy: string, neu: string, arrays = '[ { name: OLD-A, frontEndPorts: 8, portSpeed: 8Gb }, { name: OLD-B, frontEndPorts: 4, portSpeed: 8Gb }, { name: NEW-A, frontEndPorts: 8, portSpeed: 16Gb }, { name: NEW-B, frontEndPorts: 8, portSpeed: 16Gb } ]') => [
  /*  1 */ 'fabric:',
  /*  2 */ '  hosts: { hbaPorts: 2, portSpeed: 16Gb }',
  /*  3 */ `  arrays: ${arrays}`,
  /*  4 */ '  perCopyRate: 250MB/s',
  /*  5 */ 'estate:',
  /*  6 */ '  synthetic:',
  /*  7 */ '    vcenter: vc.test',
  /*  8 */ '    clusters: [ { name: A, hosts: 4 }, { name: B, hosts: 4 } ]',
  /*  9 */ '    vms: 32',
  /* 10 */ '    vmSize: { median: 100GiB, sigma: 0, min: 100GiB, max: 100GiB }',
  /* 11 */ '    disksPerVm: { mean: 1, max: 1 }',
  /* 12 */ '    thin: 0%',
  /* 13 */ `    legacy: ${legacy}`,
  /* 14 */ `    new: ${neu}`,
  '',
].join('\n');

const onDatastore = (e: Estate, ds: string) => e.vms.filter((vm) => vm.disks[0]!.datastore === ds).length * 100 * GiB;
const byArray = (e: Estate, role: 'legacy' | 'new') => {
  const out: Record<string, { datastores: number; bytes: number; capacity: number }> = {};
  for (const d of e.datastores.filter((x) => x.role === role)) {
    const a = (out[d.array!] ??= { datastores: 0, bytes: 0, capacity: 0 });
    a.datastores++;
    a.bytes += onDatastore(e, d.name);
    a.capacity += d.capacityBytes;
  }
  return out;
};

function errorOf(text: string, ...sets: string[]): string {
  try {
    parseScenario(text, 'syn.yaml', { settings: sets.map(parseSetting) });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('accepted');
}

describe('a generated estate on several arrays', () => {
  it('deals datastores by share: 75 % / 25 % of 8 legacy, 50 % / 50 % of 6 new', () => {
    const s = parseScenario(FILE('{ arrays: [ { name: OLD-A, share: 75% }, { name: OLD-B, share: 25% } ], datastoresPerCluster: 4 }', '{ arrays: [ NEW-A, NEW-B ], capacity: 4TiB, datastoresPerCluster: 3 }'), 'syn.yaml');
    const e = s.estate;
    // 32 VMs over two clusters of 4 hosts: 16 each. Legacy, 4 per cluster, dealt over the estate to
    // the array furthest behind its share (share × dealt − given; ties to the first):
    //   1: A .75 | B .25 → A    2: A .50 | B .50 → A    3: A .25 | B .75 → B    4: A 1 | B 0 → A
    //   5–8 repeat it. Cluster A: A A B A; cluster B: A A B A. Six on OLD-A, two on OLD-B.
    expect(e.datastores.filter((d) => d.role === 'legacy').map((d) => d.name)).toEqual([
      'OLD-A_A_01', 'OLD-A_A_02', 'OLD-B_A_01', 'OLD-A_A_03',
      'OLD-A_B_01', 'OLD-A_B_02', 'OLD-B_B_01', 'OLD-A_B_03',
    ]);
    // 16 VMs of 100 GiB, largest first on the emptiest (ties to the first): 4 on each of 4, 400 GiB.
    // Sized to hold that at 80 %: 500 GiB, in 256 GiB steps 512 GiB.
    expect(byArray(e, 'legacy')).toEqual({
      'OLD-A': { datastores: 6, bytes: 6 * 400 * GiB, capacity: 6 * 512 * GiB },
      'OLD-B': { datastores: 2, bytes: 2 * 400 * GiB, capacity: 2 * 512 * GiB },
    });
    // New, 3 per cluster at 50 % / 50 %: A B A, then B A B.
    expect(e.datastores.filter((d) => d.role === 'new').map((d) => d.name)).toEqual(['NEW-A_A_01', 'NEW-B_A_01', 'NEW-A_A_02', 'NEW-B_B_01', 'NEW-A_B_01', 'NEW-B_B_02']);
    expect(byArray(e, 'new')).toEqual({ 'NEW-A': { datastores: 3, bytes: 0, capacity: 12 * TiB }, 'NEW-B': { datastores: 3, bytes: 0, capacity: 12 * TiB } });
    // Every legacy datastore is on a legacy array, every disk on a legacy datastore.
    expect(e.vms.every((vm) => vm.disks[0]!.datastore!.startsWith('OLD-'))).toBe(true);
  });

  it('takes a count per array and cluster', () => {
    const s = parseScenario(FILE('{ arrays: [ { name: OLD-A, datastoresPerCluster: 2 }, { name: OLD-B, datastoresPerCluster: 1 } ] }', '{ arrays: [ { name: NEW-A, datastoresPerCluster: 1 }, { name: NEW-B, datastoresPerCluster: 2 } ], capacity: 8TiB }'), 'syn.yaml');
    const e = s.estate;
    expect(e.datastores.filter((d) => d.role === 'legacy' && d.name.includes('_A_')).map((d) => d.name)).toEqual(['OLD-A_A_01', 'OLD-A_A_02', 'OLD-B_A_01']);
    // 16 VMs round the 3 datastores of a cluster: 6, 5 and 5, so OLD-A holds 11 and OLD-B 5 per
    // cluster: 2 × 1,100 GiB and 2 × 500 GiB. Sizes: 600 GiB / 0.8 = 750 → 768 GiB; 500 → 625 → 768.
    expect(byArray(e, 'legacy')).toEqual({
      'OLD-A': { datastores: 4, bytes: 2200 * GiB, capacity: 4 * 768 * GiB },
      'OLD-B': { datastores: 2, bytes: 1000 * GiB, capacity: 2 * 768 * GiB },
    });
    expect(byArray(e, 'new')).toEqual({ 'NEW-A': { datastores: 2, bytes: 0, capacity: 16 * TiB }, 'NEW-B': { datastores: 4, bytes: 0, capacity: 32 * TiB } });
  });

  it('makes N arrays like one, and lists them in the fabric (also through --set)', () => {
    const file = FILE('{ array: OLD, datastoresPerCluster: 2 }', '{ array: NEW, capacity: 8TiB, datastoresPerCluster: 1 }', '[ { name: OLD, frontEndPorts: 8, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 16, portSpeed: 16Gb } ]');
    const one = parseScenario(file, 'syn.yaml');
    expect(one.fabric.arrays.map((a) => a.name)).toEqual(['OLD', 'NEW']);
    const two = parseScenario(file, 'syn.yaml', { settings: [parseSetting('estate.synthetic.legacy.arrays=2')] });
    // OLD's 8 × 8Gb ports stand for each of OLD-1 and OLD-2, in OLD's place.
    expect(two.fabric.arrays).toEqual([
      { name: 'OLD-1', ports: 8, portRate: 800e6 },
      { name: 'OLD-2', ports: 8, portRate: 800e6 },
      { name: 'NEW', ports: 16, portRate: 1600e6 },
    ]);
    // Two per cluster at 50 % / 50 %: 1 → OLD-1, 2 → OLD-2, and again in cluster B.
    expect(two.estate.datastores.filter((d) => d.role === 'legacy').map((d) => `${d.name}@${d.array}`)).toEqual(['OLD-1_A_01@OLD-1', 'OLD-2_A_01@OLD-2', 'OLD-1_B_01@OLD-1', 'OLD-2_B_01@OLD-2']);
    expect(byArray(two.estate, 'legacy')).toEqual({
      'OLD-1': { datastores: 2, bytes: 1600 * GiB, capacity: 2 * 1024 * GiB },
      'OLD-2': { datastores: 2, bytes: 1600 * GiB, capacity: 2 * 1024 * GiB },
    });
    // The VMs are those of the one-array estate, on datastores of other names.
    expect(two.estate.vms.map((v) => v.disks[0]!.capacityBytes)).toEqual(one.estate.vms.map((v) => v.disks[0]!.capacityBytes));
    // arrays: 1 is the one array itself.
    expect(parseScenario(file, 'syn.yaml', { settings: [parseSetting('estate.synthetic.legacy.arrays=1')] }).estate).toEqual(one.estate);
  });

  it('uses arrays the fabric lists by the generated names as they are listed', () => {
    const file = FILE('{ array: OLD, arrays: 2, datastoresPerCluster: 2 }', '{ array: NEW, capacity: 8TiB, datastoresPerCluster: 1 }', '[ { name: OLD-1, frontEndPorts: 8, portSpeed: 8Gb }, { name: OLD-2, frontEndPorts: 2, portSpeed: 4Gb }, { name: NEW, frontEndPorts: 16, portSpeed: 16Gb } ]');
    expect(parseScenario(file, 'syn.yaml').fabric.arrays.map((a) => [a.name, a.ports])).toEqual([['OLD-1', 8], ['OLD-2', 2], ['NEW', 16]]);
  });

  it('says what is wrong with the arrays of a side, on its line', () => {
    const legacy = (l: string) => errorOf(FILE(l, '{ arrays: [ NEW-A, NEW-B ], capacity: 4TiB, datastoresPerCluster: 3 }'));
    expect(legacy('{ arrays: [ { name: OLD-A, share: 60% }, { name: OLD-B, share: 60% } ], datastoresPerCluster: 4 }')).toBe(
      'syn.yaml line 13: estate.synthetic.legacy.arrays: the shares add up to 120 %, not 100 %',
    );
    expect(legacy('{ arrays: [ OLD-A, OLD-C ], datastoresPerCluster: 4 }')).toBe('syn.yaml line 13: estate.synthetic.legacy.arrays[1]: array "OLD-C" is not one of fabric.arrays (OLD-A, OLD-B, NEW-A, NEW-B)');
    expect(legacy('{ arrays: [ { name: OLD-A, share: 50% }, OLD-B ], datastoresPerCluster: 4 }')).toMatch(/^syn\.yaml line 13: estate\.synthetic\.legacy\.arrays\[1\]: give a share for every array or for none/);
    expect(legacy('{ array: OLD-A, arrays: [ OLD-A, OLD-B ], datastoresPerCluster: 4 }')).toMatch(/^syn\.yaml line 13: estate\.synthetic\.legacy\.array: give array \(one array\) or a list of arrays, not both/);
    expect(legacy('{ arrays: 2, datastoresPerCluster: 4 }')).toBe('syn.yaml line 13: estate.synthetic.legacy: arrays: 2 needs array: the fabric array each of them is like');
    expect(legacy('{ datastoresPerCluster: 4 }')).toMatch(/^syn\.yaml line 13: estate\.synthetic\.legacy: give array/);
    expect(legacy('{ arrays: [ { name: OLD-A, datastoresPerCluster: 2 } ], capacity: 8TiB }')).toMatch(/^syn\.yaml line 13: estate\.synthetic\.legacy: with a datastoresPerCluster for each array, the side has no datastoresPerCluster or capacity/);
    expect(legacy('{ arrays: [ OLD-A, NEW-B ], datastoresPerCluster: 4 }')).toBe('syn.yaml line 14: estate.synthetic.new.arrays: "NEW-B" is also a legacy array');
    expect(legacy('{ arrays: two, datastoresPerCluster: 4 }')).toMatch(/^syn\.yaml line 13: estate\.synthetic\.legacy\.arrays: expected a number of arrays, or a list of fabric arrays/);
    const partial = FILE('{ array: OLD, arrays: 3, datastoresPerCluster: 2 }', '{ array: NEW, capacity: 8TiB, datastoresPerCluster: 1 }', '[ { name: OLD, frontEndPorts: 8, portSpeed: 8Gb }, { name: OLD-2, frontEndPorts: 8, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 16, portSpeed: 16Gb } ]');
    expect(errorOf(partial)).toBe('syn.yaml line 13: estate.synthetic.legacy.arrays: fabric.arrays lists OLD-2 but not all of OLD-1 … OLD-3: list all of them there, or only "OLD" for each to be like it');
    expect(errorOf(FILE('{ array: OLD-A, datastoresPerCluster: 2 }', '{ array: NEW-A, capacity: 8TiB, datastoresPerCluster: 1 }'), 'estate.synthetic.legacy.arrays=0')).toMatch(/^--set estate\.synthetic\.legacy\.arrays: /);
  });
});
