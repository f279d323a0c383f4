import { describe, expect, it } from 'vitest';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { simulate } from '../../src/sim/simulate.js';
import { NEW, OLD, datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { maxOf, peakOverlap } from '../helpers/concurrency.js';

const GB = 1e9;

/** `count` equal VMs spread round-robin over the hosts of cluster C. */
function equalVms(count: number, bytes: number, hostCount: number) {
  return Array.from({ length: count }, (_, i) => vm(`vm${String(i).padStart(3, '0')}`, `C-esx${String((i % hostCount) + 1).padStart(2, '0')}`, 'C', bytes));
}

describe('simulate', () => {
  it('N equal copies on one bottleneck take N·size/capacity (closed form)', () => {
    // 4 hosts, 2 svMotions each → 8 copies at once, all read from one legacy array of 800 MB/s,
    // nothing else limiting. 16 VMs of 100 GB: two waves of 8, each 8 · 100 GB / 800 MB/s = 1000 s,
    // plus the 20 s svMotion setup per wave: makespan = 2 · (20 + 1000) = 2040 s.
    const fabric = openFabric({ arrays: [{ name: OLD, ports: 1, portRate: 800e6 }, { name: NEW, ports: 1, portRate: 1e12 }], svmotionSetupSeconds: 20 });
    const result = simulate(scenario(estate({ hosts: hosts('C', 4), vms: equalVms(16, 100 * GB, 4) }), fabric, 'fixed:8'));
    expect(result.makespanSeconds).toBeCloseTo(2040, 6);
    expect(result.bytesMoved).toBe(16 * 100 * GB);
    expect(result.summary.vmsMoved).toBe(16);
    // Every copy ran at 800/8 = 100 MB/s.
    expect(result.summary.peakThroughput).toBeCloseTo(800e6, 0);
    expect(result.links[0]).toMatchObject({ id: `array:${OLD}:out` });
    expect(result.links[0]!.utilisation).toBeCloseTo(2000 / 2040, 9);
  });

  it('a per-copy cap bounds a lone copy: size / cap', () => {
    // One 360 GB VM, data mover at 250 MB/s, fabric open: 1440 s.
    const result = simulate(scenario(estate({ hosts: hosts('C', 2), vms: equalVms(1, 360 * GB, 2) }), openFabric({ perCopyRate: 250e6 })));
    expect(result.makespanSeconds).toBeCloseTo(1440, 6);
  });

  it('never copies more than 2 svMotions per host or 8 per datastore; the surplus waits and is reported', () => {
    // fixed:12 on 3 hosts submits 12 at once; only 6 (2 per host) may copy; 12 legacy datastores
    // all written to 1 new datastore: at most 8 at once on it.
    const vms = Array.from({ length: 40 }, (_, i) => vm(`v${i}`, `C-esx0${(i % 3) + 1}`, 'C', (10 + (i % 7)) * GB, `OLD-${i % 12}`));
    const datastores = [...Array.from({ length: 12 }, (_, i) => datastore(`OLD-${i}`, 'legacy')), datastore('NEW-01', 'new')];
    const result = simulate(scenario(estate({ hosts: hosts('C', 3), vms, datastores }), openFabric({ perCopyRate: 100e6 }), 'fixed:12'));
    const svm = result.operations.filter((o) => o.kind === 'svmotion');
    expect(maxOf(peakOverlap(svm, (r) => [r.host]))).toBe(2);
    expect(maxOf(peakOverlap(svm, (r) => [...new Set([...r.sourceDatastores, r.targetDatastore!])]))).toBeLessThanOrEqual(8);
    expect(svm.every((r) => r.outcome === 'success')).toBe(true);
    expect(svm).toHaveLength(40);
    const waited = svm.filter((r) => r.startedAt! > r.submittedAt);
    expect(waited.length).toBeGreaterThan(0);
    expect(result.summary.queuedOperations).toBe(waited.length);
    expect(result.summary.queuedSeconds).toBeCloseTo(waited.reduce((s, r) => s + r.startedAt! - r.submittedAt, 0), 6);
  });

  it('limits a datastore to 8 copies even when hosts have room', () => {
    // 10 hosts (20 host slots), fixed:20, one legacy and one new datastore: 8 copy at once.
    const vms = equalVms(30, 10 * GB, 10);
    const result = simulate(scenario(estate({ hosts: hosts('C', 10), vms }), openFabric({ perCopyRate: 100e6 }), 'fixed:20'));
    const svm = result.operations.filter((o) => o.kind === 'svmotion');
    expect(maxOf(peakOverlap(svm, (r) => [r.targetDatastore!]))).toBe(8);
    expect(result.summary.peakConcurrentCopies).toBe(8);
  });

  it('field: moves a VM off a full host first (waiting for a host slot to do so), then copies it where it went', () => {
    const vms = [vm('a', 'C-esx01', 'C', 300 * GB), vm('b', 'C-esx01', 'C', 200 * GB), vm('c', 'C-esx01', 'C', 100 * GB)];
    const result = simulate(scenario(estate({ hosts: hosts('C', 6), vms }), openFabric({ perCopyRate: 100e6, vmotionSetupSeconds: 10 }), 'field'));
    const vmotions = result.operations.filter((o) => o.kind === 'vmotion');
    expect(vmotions).toEqual([expect.objectContaining({ vm: 'c', host: 'C-esx01', toHost: 'C-esx02', outcome: 'success' })]);
    const c = result.operations.find((o) => o.vm === 'c' && o.kind === 'svmotion')!;
    expect(c.host).toBe('C-esx02');
    // The vMotion itself costs 2 on esx01, whose 16 are taken by a and b (8 each): it waits in
    // vCenter's queue until b (200 GB at 100 MB/s) ends at 2000 s, then takes 4 GB at 1 GB/s + 10 s.
    expect(vmotions[0]!.submittedAt).toBe(0);
    expect(vmotions[0]!.startedAt).toBeCloseTo(2000, 9);
    expect(c.submittedAt).toBeCloseTo(2014, 9);
    expect(result.summary.vmotions).toBe(1);
  });

  it('field: pro-active vMotions take idle hosts in turn', () => {
    // a and b (1000 GB at 1 GB/s) fill esx01 until 1000 s; c…h (10 GB) are on esx01 too. The host
    // budget is 18 here, so a vMotion (2) fits beside the two svMotions (16) and nothing waits:
    // each small VM is vMotioned (4 GB at 1 GB/s: 4 s), copied on its new host (10 s), and the
    // next goes when it ends (cap 3 of 6 hosts: a, b and one more). By hand: the vMotions start
    // at 0, 14, 28, 42, 56, 70 s, each to the idle host chosen least often, then by name.
    const vms = [vm('a', 'C-esx01', 'C', 1000 * GB), vm('b', 'C-esx01', 'C', 1000 * GB), ...['c', 'd', 'e', 'f', 'g', 'h'].map((n) => vm(n, 'C-esx01', 'C', 10 * GB))];
    const s = { ...scenario(estate({ hosts: hosts('C', 6), vms }), openFabric({ perCopyRate: 1e9 }), 'field'), costs: { ...VSPHERE_6_PLUS, hostMax: 18 } };
    const result = simulate(s);
    const vmotions = result.operations.filter((o) => o.kind === 'vmotion');
    expect(vmotions.map((o) => `${o.vm}→${o.toHost}@${o.submittedAt}`)).toEqual(['c→C-esx02@0', 'd→C-esx03@14', 'e→C-esx04@28', 'f→C-esx05@42', 'g→C-esx06@56', 'h→C-esx02@70']);
    expect(result.makespanSeconds).toBeCloseTo(1000, 9);
  });

  it('reports a VM that fits on no new datastore as skipped, not dropped', () => {
    const e = estate({
      hosts: hosts('C', 2),
      vms: [vm('big', 'C-esx01', 'C', 900 * GB), vm('small', 'C-esx02', 'C', 10 * GB)],
      datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new', 1000 * GB, 950 * GB)],
    });
    const result = simulate(scenario(e, openFabric({ perCopyRate: 1e9 }), 'fixed:2'));
    expect(result.vmCount).toBe(2);
    const big = result.operations.find((o) => o.vm === 'big')!;
    expect(big).toMatchObject({ outcome: 'skipped', startedAt: null, finishedAt: null });
    expect(big.reason).toMatch(/keeps 10 % free/);
    expect(result.summary.vmsSkipped).toBe(1);
    expect(result.summary.vmsMoved).toBe(1);
  });

  it('gives byte-identical JSON for the same scenario, policy and seed', () => {
    const make = () => scenario(estate({ hosts: hosts('C', 4), vms: equalVms(50, 10 * GB, 4).map((v, i) => ({ ...v, disks: [{ ...v.disks[0]!, capacityBytes: (i % 9 + 1) * GB, allocatedBytes: (i % 9 + 1) * GB }] })) }), openFabric({ perCopyRate: 100e6 }), 'field');
    expect(JSON.stringify(simulate(make()))).toBe(JSON.stringify(simulate(make())));
  });
});
