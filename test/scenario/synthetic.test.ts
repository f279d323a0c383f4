// The synthetic estate generator: deterministic, shaped as its spec says, heavy-tailed.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import type { Estate, Vm } from '../../src/domain/estate.js';
import { GiB, MiB, TiB } from '../../src/domain/units.js';
import { parseScenario } from '../../src/scenario/load.js';
import { apportion, generateEstate, syntheticScenario, type SyntheticEstateSpec } from '../../src/scenario/synthetic.js';

function spec(overrides: Partial<SyntheticEstateSpec> = {}): SyntheticEstateSpec {
  return {
    vcenter: 'vc.test',
    datacenter: null,
    clusters: [
      { name: 'A', hosts: 12 },
      { name: 'B', hosts: 8 },
    ],
    enclosureSize: 16,
    vms: 400,
    vmSize: { median: 80 * GiB, sigma: 1.3, min: 20 * GiB, max: 16 * TiB },
    totalSize: null,
    diskMax: null,
    disksPerVm: { mean: 2, max: 8 },
    thin: 0.6,
    thinAllocated: { min: 0.3, max: 0.95 },
    memory: { median: 8 * GiB, sigma: 0.8, min: 2 * GiB, max: 256 * GiB },
    poweredOn: 0.9,
    placement: { skew: 0 },
    legacy: { array: 'OLD', datastoresPerCluster: 3, capacity: null, fill: 0.8 },
    new: { array: 'NEW', capacity: 20 * TiB, datastoresPerCluster: 2, fill: null },
    ...overrides,
  };
}

const vmBytes = (vm: Vm) => vm.disks.reduce((s, d) => s + d.capacityBytes, 0);
const total = (e: Estate) => e.vms.reduce((s, vm) => s + vmBytes(vm), 0);
const perHost = (e: Estate, cluster: string) =>
  e.hosts.filter((h) => h.cluster === cluster).map((h) => e.vms.filter((vm) => vm.host === h.name).length);

describe('generateEstate', () => {
  it('is deterministic: the same seed gives the same estate, another seed another one', () => {
    const a = generateEstate(spec(), 42);
    expect(generateEstate(spec(), 42)).toEqual(a);
    const b = generateEstate(spec(), 43);
    expect(b).not.toEqual(a);
    expect(b.vms.map(vmBytes)).not.toEqual(a.vms.map(vmBytes));
  });

  it('gives the VMs to clusters in proportion to their hosts', () => {
    const e = generateEstate(spec(), 1);
    // 400 × 12/20 = 240 and 400 × 8/20 = 160.
    expect(e.vms.filter((vm) => vm.cluster === 'A')).toHaveLength(240);
    expect(e.vms.filter((vm) => vm.cluster === 'B')).toHaveLength(160);
  });

  it('keeps every reference consistent: VM host in its cluster, disks on datastores its host mounts', () => {
    const e = generateEstate(spec(), 5);
    const hosts = new Map(e.hosts.map((h) => [h.name, h]));
    const datastores = new Map(e.datastores.map((d) => [d.name, d]));
    expect(new Set(e.vms.map((vm) => vm.name)).size).toBe(e.vms.length);
    for (const vm of e.vms) {
      expect(hosts.get(vm.host!)!.cluster).toBe(vm.cluster);
      expect(vm.homeDatastore).toBe(vm.disks[0]!.datastore);
      for (const d of vm.disks) expect(datastores.get(d.datastore!)!.hosts).toContain(vm.host);
    }
  });

  it('packs hosts into enclosures in order, across cluster boundaries', () => {
    const e = generateEstate(spec(), 1);
    // 12 hosts of A + the first 4 of B fill ENC01; the other 4 of B are in ENC02.
    const enc = (name: string) => e.hosts.filter((h) => h.enclosure === name);
    expect(enc('ENC01').map((h) => h.cluster)).toEqual([...Array(12).fill('A'), ...Array(4).fill('B')]);
    expect(enc('ENC02').map((h) => h.cluster)).toEqual(Array(4).fill('B'));
    expect(generateEstate(spec({ enclosureSize: 0 }), 1).hosts.every((h) => h.enclosure === null)).toBe(true);
  });

  it('rescales sizes to the requested total', () => {
    const e = generateEstate(spec({ totalSize: 100 * TiB }), 3);
    // Disks are rounded to whole GiB: at most half a GiB off each.
    const disks = e.vms.reduce((s, vm) => s + vm.disks.length, 0);
    expect(Math.abs(total(e) - 100 * TiB)).toBeLessThanOrEqual(disks * 0.5 * GiB);
  });

  it('keeps VM sizes within [min, max] (up to rounding)', () => {
    const e = generateEstate(spec({ vmSize: { median: 80 * GiB, sigma: 2, min: 30 * GiB, max: 1 * TiB } }), 9);
    for (const vm of e.vms) {
      expect(vmBytes(vm)).toBeGreaterThanOrEqual(30 * GiB - vm.disks.length * 0.5 * GiB);
      expect(vmBytes(vm)).toBeLessThanOrEqual(TiB + vm.disks.length * 0.5 * GiB);
    }
  });

  it('is heavy-tailed with a large sigma, and flat with sigma 0', () => {
    const many = spec({ vms: 20000, clusters: [{ name: 'A', hosts: 200 }], legacy: { array: 'OLD', datastoresPerCluster: 40, capacity: null, fill: 0.8 } });
    const share = (e: Estate) => {
      const sizes = e.vms.map(vmBytes).sort((a, b) => b - a);
      return sizes.slice(0, sizes.length / 100).reduce((a, b) => a + b, 0) / total(e);
    };
    // Lognormal sigma 1.3: the top 1 % hold 1 − Φ(2.326 − 1.3) ≈ 15 % of the bytes.
    const heavy = share(generateEstate(many, 1));
    expect(heavy).toBeGreaterThan(0.11);
    expect(heavy).toBeLessThan(0.2);
    // sigma 0: every VM is the median, so the top 1 % hold 1 %.
    const flat = generateEstate({ ...many, vmSize: { ...many.vmSize, sigma: 0 } }, 1);
    expect(share(flat)).toBeCloseTo(0.01, 3);
  });

  it('places evenly with skew 0 and unevenly with a skew', () => {
    const even = perHost(generateEstate(spec(), 1), 'A');
    // 240 VMs on 12 hosts: exactly 20 each.
    expect(even).toEqual(Array(12).fill(20));
    const skewed = perHost(generateEstate(spec({ placement: { skew: 1 } }), 1), 'A');
    expect(skewed.reduce((a, b) => a + b, 0)).toBe(240);
    // Zipf(1) over 12 hosts: the heaviest gets 240 / H(12) ≈ 77, the lightest ≈ 6.
    expect(Math.max(...skewed)).toBeGreaterThan(70);
    expect(Math.min(...skewed)).toBeLessThan(10);
    // The heaviest host is not always the cluster's first.
    const heaviest = [1, 2, 3, 4, 5, 6].map((seed) => {
      const counts = perHost(generateEstate(spec({ placement: { skew: 1 } }), seed), 'A');
      return counts.indexOf(Math.max(...counts));
    });
    expect(new Set(heaviest).size).toBeGreaterThan(1);
  });

  it('follows the thin share: all thick at 0 %, all thin within the allocated range at 100 %', () => {
    const thick = generateEstate(spec({ thin: 0 }), 1).vms.flatMap((vm) => vm.disks);
    expect(thick.every((d) => !d.thin && d.allocatedBytes === d.capacityBytes)).toBe(true);
    const thin = generateEstate(spec({ thin: 1 }), 1).vms.flatMap((vm) => vm.disks);
    for (const d of thin) {
      expect(d.thin).toBe(true);
      expect(d.allocatedBytes).toBeGreaterThanOrEqual(0.3 * d.capacityBytes - MiB);
      expect(d.allocatedBytes).toBeLessThanOrEqual(0.95 * d.capacityBytes + MiB);
    }
  });

  it('gives big VMs enough disks to stay under diskMax', () => {
    const e = generateEstate(spec({ diskMax: 2 * TiB, disksPerVm: { mean: 1, max: 1 }, vmSize: { median: 3 * TiB, sigma: 0.5, min: 1 * TiB, max: 9 * TiB } }), 2);
    for (const vm of e.vms) {
      for (const d of vm.disks) expect(d.capacityBytes).toBeLessThanOrEqual(2 * TiB);
      expect(vm.disks.length).toBeGreaterThanOrEqual(Math.ceil((vmBytes(vm) - vm.disks.length * GiB) / (2 * TiB)));
    }
    expect(e.vms.some((vm) => vm.disks.length > 1)).toBe(true);
  });

  it('has one disk per VM when the mean is 1', () => {
    expect(generateEstate(spec({ disksPerVm: { mean: 1, max: 8 } }), 1).vms.every((vm) => vm.disks.length === 1)).toBe(true);
  });

  it('sizes legacy datastores from what lands on them, and adds empty new ones', () => {
    const e = generateEstate(spec(), 4);
    const legacy = e.datastores.filter((d) => d.role === 'legacy');
    const fresh = e.datastores.filter((d) => d.role === 'new');
    expect(legacy).toHaveLength(6); // 3 per cluster
    expect(fresh).toHaveLength(4); // 2 per cluster
    for (const d of legacy) {
      const used = d.capacityBytes - d.freeBytes;
      expect(used).toBeGreaterThan(0);
      expect(used / d.capacityBytes).toBeLessThanOrEqual(0.8);
      // Rounded up to 256 GiB steps, so never emptier than one step below 80 %.
      expect(d.capacityBytes - used / 0.8).toBeLessThan(256 * GiB);
    }
    for (const d of fresh) expect([d.capacityBytes, d.freeBytes]).toEqual([20 * TiB, 20 * TiB]);
  });

  it('derives datastore counts from capacities when no count is given', () => {
    const e = generateEstate(
      spec({
        totalSize: 38 * TiB,
        thin: 0,
        clusters: [{ name: 'A', hosts: 10 }],
        legacy: { array: 'OLD', datastoresPerCluster: null, capacity: 4 * TiB, fill: 0.8 },
        new: { array: 'NEW', capacity: 10 * TiB, datastoresPerCluster: null, fill: 0.5 },
      }),
      1,
    );
    // All thick: 38 TiB to hold (give or take rounding). Legacy: 38 / (4 × 0.8) = 11.9 → 12 LUNs;
    // new: 38 / (10 × 0.5) = 7.6 → 8.
    const used = e.datastores.filter((d) => d.role === 'legacy').reduce((s, d) => s + d.capacityBytes - d.freeBytes, 0);
    expect(Math.abs(used - 38 * TiB)).toBeLessThan(e.vms.length * 8 * GiB);
    expect(e.datastores.filter((d) => d.role === 'legacy')).toHaveLength(12);
    expect(e.datastores.filter((d) => d.role === 'new')).toHaveLength(8);
  });

  it('rejects a total out of reach', () => {
    expect(() => generateEstate(spec({ totalSize: 1 * GiB }), 1)).toThrow(RangeError);
  });
});

describe('apportion', () => {
  it('splits by largest remainder, ties to the first', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7 × 3/4 = 5.25, 7 × 1/4 = 1.75: floors 5 + 1, the one left goes to the larger remainder.
    expect(apportion(7, [3, 1])).toEqual([5, 2]);
    expect(apportion(0, [2, 5])).toEqual([0, 0]);
  });
});

describe('syntheticScenario', () => {
  it('builds a whole scenario in the field story proportions', () => {
    const s = syntheticScenario({ vms: 5000, seed: 3 });
    expect(s.estate.vms).toHaveLength(5000);
    // 5000 VMs at 3000/140 per host = 233.3 → 234 hosts, in ⌈234/32⌉ = 8 clusters of 29–30.
    expect(s.estate.hosts).toHaveLength(234);
    expect(s.estate.clusters).toHaveLength(8);
    // 5000 × 500 TiB / 3000.
    expect(total(s.estate) / ((5000 * 500 * TiB) / 3000)).toBeCloseTo(1, 2);
    expect(s.file).toBeNull();
    expect(s.seed).toBe(3);
    expect(s.targets.headroom).toBe(0.1);
    expect(syntheticScenario({ vms: 5000, seed: 3 }).estate).toEqual(s.estate);
  });

  it('takes cluster sizes and generator overrides', () => {
    const s = syntheticScenario({ vms: 100, clusters: [10, 6], spec: { enclosureSize: 0 }, fabric: { perCopyRate: 100e6 } });
    expect(s.estate.clusters.map((c) => s.estate.hosts.filter((h) => h.cluster === c.name).length)).toEqual([10, 6]);
    expect(s.estate.hosts.every((h) => h.enclosure === null)).toBe(true);
    expect(s.fabric.perCopyRate).toBe(100e6);
  });
});

describe('the synthetic form of a scenario file', () => {
  // prettier-ignore
  const FILE = [
    /*  1 */ 'fabric:',
    /*  2 */ '  hosts: { hbaPorts: 2, portSpeed: 8Gb }',
    /*  3 */ '  enclosures: { uplinkPorts: 8, portSpeed: 8Gb }',
    /*  4 */ '  arrays: [ { name: OLD, frontEndPorts: 8, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 16, portSpeed: 16Gb } ]',
    /*  5 */ '  perCopyRate: 250MB/s',
    /*  6 */ 'estate:',
    /*  7 */ '  synthetic:',
    /*  8 */ '    vcenter: vc.test',
    /*  9 */ '    clusters: [ { name: A, hosts: 12 }, { name: B, hosts: 8 } ]',
    /* 10 */ '    enclosureSize: 16',
    /* 11 */ '    vms: 400',
    /* 12 */ '    vmSize: { median: 80GiB, sigma: 1.3, min: 20GiB, max: 16TiB }',
    /* 13 */ '    legacy: { array: OLD, datastoresPerCluster: 3 }',
    /* 14 */ '    new: { array: NEW, capacity: 20TiB, datastoresPerCluster: 2 }',
  ];
  const text = (n?: number, line?: string) => FILE.map((l, i) => (i + 1 === n ? line! : l)).join('\n');

  it('generates with the file defaults and the scenario seed (1)', () => {
    const s = parseScenario(text(), 'syn.yaml');
    expect(s.name).toBe('syn');
    expect(s.estate).toEqual(generateEstate(spec({ placement: { skew: 0 } }), 1));
  });

  it('reports a total that cannot be reached on its line', () => {
    const message = errorMessage(`${text()}\n    totalSize: 1GiB`);
    expect(message).toBe('syn.yaml line 15: estate.synthetic.totalSize: 1.0 GiB cannot be reached by 400 VMs of 20.0 GiB to 16.0 TiB each');
  });

  it('reports a legacy side with both a count and a capacity', () => {
    expect(errorMessage(text(13, '    legacy: { array: OLD, datastoresPerCluster: 3, capacity: 8TiB }'))).toMatch(
      /^syn\.yaml line 13: estate\.synthetic\.legacy: give exactly one of datastoresPerCluster/,
    );
  });

  it('reports an array the fabric does not have', () => {
    expect(errorMessage(text(14, '    new: { array: PURE, capacity: 20TiB, datastoresPerCluster: 2 }'))).toBe(
      'syn.yaml line 14: estate.synthetic.new.array: array "PURE" is not one of fabric.arrays (OLD, NEW)',
    );
  });

  it('reports a median outside [min, max]', () => {
    expect(errorMessage(text(12, '    vmSize: { median: 10GiB, sigma: 1.3, min: 20GiB, max: 16TiB }'))).toBe(
      'syn.yaml line 12: estate.synthetic.vmSize.min: min 20.0 GiB is above the median 10.0 GiB',
    );
  });

  function errorMessage(t: string): string {
    try {
      parseScenario(t, 'syn.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  }
});
