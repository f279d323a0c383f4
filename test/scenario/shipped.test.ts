// The two scenarios shipped in scenarios/: they load, and they have the shape their comments promise.
// Expected figures come from the field story (DESIGN.md) and from the files' own comments, worked
// out by hand, not from running the generator.

import { describe, expect, it } from 'vitest';
import { diskCopyBytes, type Estate } from '../../src/domain/estate.js';
import { GiB, TiB } from '../../src/domain/units.js';
import { loadScenario } from '../../src/scenario/load.js';
import { FIELD_FABRIC } from '../../src/scenario/synthetic.js';

const provisioned = (e: Estate) => e.vms.reduce((s, vm) => s + vm.disks.reduce((t, d) => t + d.capacityBytes, 0), 0);

describe('scenarios/seed-estate.yaml', () => {
  const scenario = loadScenario('scenarios/seed-estate.yaml');
  const { estate } = scenario;

  it('is the field story: one vCenter, 3000 VMs, ~500 TiB', () => {
    expect(scenario.name).toBe('seed-estate');
    expect(scenario.policy).toBe('field');
    expect(estate.vms).toHaveLength(3000);
    // "within a few %": the generator rescales to 500 TiB, disks are rounded to whole GiB.
    expect(Math.abs(provisioned(estate) / (500 * TiB) - 1)).toBeLessThan(0.03);
  });

  it('has 10 clusters of 32, 24, 16, 16, 12, 12, 8, 8, 8 and 4 hosts', () => {
    expect(estate.clusters).toHaveLength(10);
    const sizes = estate.clusters.map((c) => estate.hosts.filter((h) => h.cluster === c.name).length);
    expect(sizes).toEqual([32, 24, 16, 16, 12, 12, 8, 8, 8, 4]);
    expect(estate.hosts).toHaveLength(140);
    expect(Math.max(...sizes)).toBe(32);
  });

  it('packs its 140 blades into 16-blade enclosures in order: 8 full ones and one of 12', () => {
    const perEnclosure = new Map<string, Set<string>>();
    for (const h of estate.hosts) {
      expect(h.enclosure).not.toBeNull();
      const clusters = perEnclosure.get(h.enclosure!) ?? new Set<string>();
      clusters.add(h.cluster!);
      perEnclosure.set(h.enclosure!, clusters);
    }
    const counts = [...perEnclosure.keys()].map((e) => estate.hosts.filter((h) => h.enclosure === e).length);
    expect(counts).toEqual([16, 16, 16, 16, 16, 16, 16, 16, 12]);
    // CL01 (32 hosts) fills the first two enclosures alone; CL02's 24 hosts end half-way through the
    // fourth, which CL03 then shares: shared uplinks couple clusters.
    expect([...perEnclosure.values()][0]).toEqual(new Set(['CL01']));
    expect([...perEnclosure.values()][3]).toEqual(new Set(['CL02', 'CL03']));
  });

  it('puts every disk on a legacy datastore of its own cluster, on the legacy array', () => {
    const byName = new Map(estate.datastores.map((d) => [d.name, d]));
    for (const vm of estate.vms) {
      for (const disk of vm.disks) {
        const ds = byName.get(disk.datastore!)!;
        expect(ds.role).toBe('legacy');
        expect(ds.array).toBe('VNX-LEGACY');
        expect(ds.hosts).toContain(vm.host);
      }
    }
    for (const ds of estate.datastores) {
      expect(ds.role === 'legacy' ? 'VNX-LEGACY' : ds.role === 'new' ? 'PURE-NEW' : 'other').toBe(ds.array);
    }
  });

  it('sizes 8 TiB legacy LUNs ~80 % full and gives each cluster room on the new array at 70 %', () => {
    const legacy = estate.datastores.filter((d) => d.role === 'legacy');
    for (const ds of legacy) {
      expect(ds.capacityBytes).toBeGreaterThanOrEqual(8 * TiB);
      expect((ds.capacityBytes - ds.freeBytes) / ds.capacityBytes).toBeLessThanOrEqual(0.8 + 1e-9);
    }
    for (const c of estate.clusters) {
      const hosts = new Set(estate.hosts.filter((h) => h.cluster === c.name).map((h) => h.name));
      const mine = estate.datastores.filter((d) => d.hosts!.every((h) => hosts.has(h)));
      const held = mine.filter((d) => d.role === 'legacy').reduce((s, d) => s + d.capacityBytes - d.freeBytes, 0);
      const room = mine.filter((d) => d.role === 'new').reduce((s, d) => s + d.freeBytes, 0);
      expect(room * 0.7).toBeGreaterThanOrEqual(held);
    }
  });

  it('is heavy-tailed: the largest 1 % of VMs hold far more than 1 % of the bytes, a few are multi-TiB', () => {
    const sizes = estate.vms.map((vm) => vm.disks.reduce((s, d) => s + d.capacityBytes, 0)).sort((a, b) => b - a);
    const top = sizes.slice(0, 30).reduce((a, b) => a + b, 0);
    // Lognormal sigma 1.3: the top 1 % hold 1 - Phi(2.326 - 1.3) ~ 15 % of the total.
    expect(top / provisioned(estate)).toBeGreaterThan(0.1);
    expect(sizes[0]).toBeGreaterThanOrEqual(2 * TiB);
    // P(size > 1 TiB) = P(z > ln(1024/~75)/1.3 ~ 2.0) ~ 2 %: about 60 of 3000.
    expect(sizes.filter((s) => s >= TiB).length).toBeGreaterThan(20);
    // The median VM is small: near the 80 GiB median, rescaled a little towards 500 TiB.
    expect(sizes[1500]).toBeGreaterThan(50 * GiB);
    expect(sizes[1500]).toBeLessThan(110 * GiB);
  });

  it('keeps disks within the 2 TiB of pre-5.5 VMDKs and copies less than it provisions (thin disks)', () => {
    const disks = estate.vms.flatMap((vm) => vm.disks);
    for (const d of disks) expect(d.capacityBytes).toBeLessThanOrEqual(2 * TiB);
    const copied = disks.reduce((s, d) => s + diskCopyBytes(d), 0);
    // 60 % thin at 30–95 % (mean 62.5 %) + 40 % thick: about 0.6 × 0.625 + 0.4 = 78 % of provisioned.
    expect(copied / provisioned(estate)).toBeGreaterThan(0.7);
    expect(copied / provisioned(estate)).toBeLessThan(0.86);
  });

  it('places VMs unevenly, as DRS leaves them', () => {
    const cl01 = estate.hosts.filter((h) => h.cluster === 'CL01').map((h) => estate.vms.filter((vm) => vm.host === h.name).length);
    // 3000 × 32 / 140 = 685.7 VMs on CL01.
    expect(cl01.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(685);
    expect(cl01.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(686);
    expect(Math.max(...cl01) / Math.min(...cl01)).toBeGreaterThan(2);
  });

  it('has the field fabric: 2 × 8Gb HBAs, 8 × 8Gb uplinks per enclosure, 8 × 8Gb legacy and 16 × 16Gb new ports', () => {
    const f = scenario.fabric;
    expect([f.hostPorts, f.hostPortRate]).toEqual([2, 800e6]);
    expect([f.enclosureUplinkPorts, f.enclosureUplinkPortRate]).toEqual([8, 800e6]);
    expect(f.arrays).toEqual([
      { name: 'VNX-LEGACY', ports: 8, portRate: 800e6 },
      { name: 'PURE-NEW', ports: 16, portRate: 1600e6 },
    ]);
    expect(f.perCopyRate).toBe(250e6);
    // 16 blades × 2 ports against 8 uplinks: 4:1 oversubscribed.
    expect((16 * f.hostPorts * f.hostPortRate) / (f.enclosureUplinkPorts * f.enclosureUplinkPortRate)).toBe(4);
    // The programmatic scenarios use the same fabric.
    expect(f).toEqual(FIELD_FABRIC);
  });

  it('uses the vSphere 6.x cost table: 2 svMotions per host, 8 per datastore', () => {
    const c = scenario.costs;
    expect(c.hostMax / c.svmotionHost).toBe(2);
    expect(c.datastoreMax / c.svmotionDatastore).toBe(8);
  });
});

describe('scenarios/small-lab.yaml', () => {
  const scenario = loadScenario('scenarios/small-lab.yaml');
  const { estate } = scenario;

  it('is one 4-host cluster with 50 VMs, listed by hand', () => {
    expect(estate.clusters.map((c) => c.name)).toEqual(['LAB']);
    expect(estate.hosts.map((h) => h.name)).toEqual(['esx01', 'esx02', 'esx03', 'esx04']);
    expect(estate.hosts.every((h) => h.enclosure === null)).toBe(true);
    expect(estate.vms).toHaveLength(50);
    expect(new Set(estate.vms.map((v) => v.name)).size).toBe(50);
  });

  it('has 3 legacy and 2 new datastores, and the new ones can take everything with 10 % headroom', () => {
    const legacy = estate.datastores.filter((d) => d.role === 'legacy');
    const fresh = estate.datastores.filter((d) => d.role === 'new');
    expect(legacy.map((d) => d.name)).toEqual(['OLD-01', 'OLD-02', 'OLD-03']);
    expect(fresh.map((d) => d.name)).toEqual(['NEW-01', 'NEW-02']);
    expect(fresh.every((d) => d.freeBytes === d.capacityBytes)).toBe(true);
    const toCopy = estate.vms.reduce((s, vm) => s + vm.disks.reduce((t, d) => t + diskCopyBytes(d), 0), 0);
    const room = fresh.reduce((s, d) => s + d.capacityBytes * (1 - scenario.targets.headroom), 0);
    expect(toCopy).toBeLessThan(room);
    // Legacy free space is what the listed disks leave.
    for (const ds of legacy) {
      const used = estate.vms.flatMap((vm) => vm.disks).filter((d) => d.datastore === ds.name).reduce((s, d) => s + diskCopyBytes(d), 0);
      expect(ds.freeBytes).toBe(ds.capacityBytes - used);
      expect(used).toBeGreaterThan(0);
    }
  });

  it('has no enclosure link and 16Gb host ports', () => {
    expect(scenario.fabric.enclosureUplinkPorts).toBe(0);
    expect(scenario.fabric.hostPortRate).toBe(1600e6);
    expect(scenario.targets.headroom).toBeCloseTo(0.1, 12);
  });
});

describe('scenarios/multi-array.yaml', () => {
  const scenario = loadScenario('scenarios/multi-array.yaml');
  const { estate } = scenario;
  const copyBytes = (cluster: string) => estate.vms.filter((v) => v.cluster === cluster).reduce((s, vm) => s + vm.disks.reduce((t, d) => t + diskCopyBytes(d), 0), 0);
  const names = (role: 'legacy' | 'new', cluster: string) => estate.datastores.filter((d) => d.role === role && d.name.includes(`_${cluster}_`)).map((d) => d.name);

  it('is 240 VMs on two clusters of 6 and 4 hosts, starting Saturday 27 March 2027 20:00 in Paris', () => {
    expect(estate.vms).toHaveLength(240);
    // Shared in proportion to hosts: 240 × 6 / 10 and 240 × 4 / 10.
    expect(estate.vms.filter((v) => v.cluster === 'APP')).toHaveLength(144);
    expect(estate.vms.filter((v) => v.cluster === 'DB')).toHaveLength(96);
    // 20:00 CET is 19:00 UTC.
    expect(scenario.campaign.calendar).toEqual({ startMs: Date.UTC(2027, 2, 27, 19), zone: 'Europe/Paris' });
  });

  it('lists two legacy and two new arrays in the fabric, and puts each side on its own', () => {
    expect(scenario.fabric.arrays.map((a) => [a.name, a.ports, a.portRate])).toEqual([
      ['VNX-A', 2, 800e6],
      ['VNX-B', 4, 800e6],
      ['PURE-A', 8, 1600e6],
      ['PURE-B', 8, 1600e6],
    ]);
    for (const d of estate.datastores) expect(d.array!.startsWith(d.role === 'legacy' ? 'VNX-' : 'PURE-')).toBe(true);
  });

  it('deals the datastores 40 % / 60 % and 50 % / 50 % over the estate', () => {
    // Counts: a cluster's copied bytes over 8 TiB × 80 %, rounded up (legacy); over 32 TiB × 70 % (new).
    const legacyCount = (c: string) => Math.ceil(copyBytes(c) / (8 * TiB * 0.8));
    const newCount = (c: string) => Math.ceil(copyBytes(c) / (32 * TiB * 0.7));
    // Dealt one by one to the array furthest behind its share (share × dealt − given), worked out
    // for 40 % A / 60 % B: 1: A .4 | B .6 → B; 2: A .8 | B .2 → A; 3: A .2 | B .8 → B; 4: A .6 | B .4
    // → A; 5: A 0 | B 1 → B; after 5, A has 2 and B 3, their shares exactly: B A B A B repeats.
    // For 50 % / 50 %: A B A B ….
    const legacySequence = 'BABAB'.repeat(6).split('').map((x) => `VNX-${x}`);
    const newSequence = 'ABABABABAB'.split('').map((x) => `PURE-${x}`);
    const expectNames = (sequence: string[], from: number, count: number, cluster: string) => {
      const seen = new Map<string, number>();
      return sequence.slice(from, from + count).map((a) => {
        const i = (seen.get(a) ?? 0) + 1;
        seen.set(a, i);
        return `${a}_${cluster}_${String(i).padStart(2, '0')}`;
      });
    };
    const app = legacyCount('APP');
    expect(names('legacy', 'APP')).toEqual(expectNames(legacySequence, 0, app, 'APP'));
    expect(names('legacy', 'DB')).toEqual(expectNames(legacySequence, app, legacyCount('DB'), 'DB'));
    expect(names('new', 'APP')).toEqual(expectNames(newSequence, 0, newCount('APP'), 'APP'));
    expect(names('new', 'DB')).toEqual(expectNames(newSequence, newCount('APP'), newCount('DB'), 'DB'));
    const onA = estate.datastores.filter((d) => d.array === 'VNX-A').length;
    const legacy = estate.datastores.filter((d) => d.role === 'legacy').length;
    expect(Math.abs(onA - 0.4 * legacy)).toBeLessThan(1);
  });
});
