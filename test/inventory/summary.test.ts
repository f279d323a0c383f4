// `inventory show`: the figures (per cluster, datastore, array; blocked VMs; warnings) and their tables.

import { describe, expect, it } from 'vitest';
import type { Disk } from '../../src/domain/estate.js';
import { GiB, TiB } from '../../src/domain/units.js';
import { ESTATE_FORMAT, type EstateFile } from '../../src/inventory/estate-file.js';
import { blockerKind, formatSummary, formatTable, summariseEstate } from '../../src/inventory/summary.js';

const disk = (label: string, capacity: number, allocated: number, thin: boolean, datastore: string | null): Disk => ({
  label, capacityBytes: capacity, allocatedBytes: allocated, thin, datastore, key: null, path: null,
});

const estate: EstateFile = {
  format: ESTATE_FORMAT,
  vcenter: 'vc01',
  clusters: [{ name: 'Prod', datacenter: 'DC1' }, { name: 'Test', datacenter: 'DC1' }, { name: 'Empty', datacenter: null }],
  hosts: [
    { name: 'p1', cluster: 'Prod', enclosure: null },
    { name: 'p2', cluster: 'Prod', enclosure: null },
    { name: 't1', cluster: 'Test', enclosure: null },
    { name: 's1', cluster: null, enclosure: null },
  ],
  datastores: [
    { name: 'VNX_01', capacityBytes: 10 * TiB, freeBytes: 2 * TiB, array: 'VNX', role: 'legacy', hosts: null, type: 'VMFS' },
    { name: 'VNX_02', capacityBytes: 10 * TiB, freeBytes: 5 * TiB, array: 'VNX', role: 'legacy', hosts: null, type: 'VMFS' },
    { name: 'PURE_01', capacityBytes: 50 * TiB, freeBytes: 50 * TiB, array: 'PURE', role: 'new', hosts: null, type: 'VMFS' },
    { name: 'LOCAL', capacityBytes: TiB, freeBytes: TiB / 2, array: null, role: 'other', hosts: null, type: 'VMFS' },
  ],
  vms: [
    { name: 'a', cluster: 'Prod', host: 'p1', powerState: 'poweredOn', memoryBytes: GiB,
      disks: [disk('Hard disk 1', 100 * GiB, 30 * GiB, true, 'VNX_01'), disk('Hard disk 2', 50 * GiB, 50 * GiB, false, 'VNX_02')] },
    { name: 'b', cluster: 'Prod', host: 'p2', powerState: 'poweredOff', memoryBytes: GiB, template: true, blockers: ['template'],
      disks: [disk('Hard disk 1', 20 * GiB, 20 * GiB, false, 'VNX_01')] },
    { name: 'c', cluster: 'Test', host: 't1', powerState: 'poweredOn', memoryBytes: GiB,
      disks: [disk('Hard disk 1', 10 * GiB, 10 * GiB, true, 'PURE_01')] },
    { name: 'd', cluster: null, host: 's1', powerState: 'poweredOn', memoryBytes: GiB,
      blockers: ['standalone host (no cluster)', 'datastore unknown: Hard disk 2'],
      disks: [disk('Hard disk 1', 5 * GiB, 5 * GiB, false, 'LOCAL'), disk('Hard disk 2', GiB, GiB, false, null)] },
  ],
  warnings: [
    { code: 'tab-missing', file: 'x.xlsx', tab: 'vCluster', row: null, message: 'No vCluster tab.' },
    { code: 'memory-unknown', file: 'x.xlsx', tab: 'vInfo', row: 4, column: 'Memory', message: 'VM "d" has no memory size; 0 is used.' },
    { code: 'memory-unknown', file: 'x.xlsx', tab: 'vInfo', row: null, column: 'Memory', message: '40 more…', omitted: 40 },
  ],
  source: null,
};

describe('summariseEstate', () => {
  const s = summariseEstate(estate);

  it('counts what is to move only on legacy datastores and only for VMs that can move', () => {
    expect(s.datastores.map((d) => [d.name, d.disks, d.vmBytes / GiB, d.toMoveBytes / GiB, d.blockedBytes / GiB])).toEqual([
      ['PURE_01', 1, 10, 0, 0],
      ['VNX_01', 2, 50, 30, 20],
      ['VNX_02', 1, 50, 50, 0],
      ['LOCAL', 1, 5, 0, 5],
    ]);
    expect(s.arrays.map((a) => [a.array, a.datastores, a.capacityBytes / TiB, a.freeBytes / TiB, a.vmBytes / GiB, a.toMoveBytes / GiB, a.blockedBytes / GiB])).toEqual([
      ['PURE', 1, 50, 50, 10, 0, 0],
      ['VNX', 2, 20, 7, 100, 80, 20],
      [null, 1, 1, 0.5, 5, 0, 5],
    ]);
  });

  it('totals the estate', () => {
    expect(s.totals).toEqual({
      vms: 4, movable: 2, blocked: 2, templates: 1, poweredOn: 3, disks: 6, disksWithoutDatastore: 1,
      capacityBytes: 186 * GiB, copyBytes: 116 * GiB, toMoveBytes: 80 * GiB,
    });
  });

  it('gives each cluster its hosts, VMs and data; VMs and hosts without a cluster get a line of their own', () => {
    expect(s.clusters.map((c) => [c.name, c.hosts, c.vms, c.blocked, c.copyBytes / GiB])).toEqual([
      ['Prod', 2, 2, 1, 100],
      ['Test', 1, 1, 0, 10],
      ['Empty', 0, 0, 0, 0],
      [null, 1, 1, 1, 6],
    ]);
    expect(s.standaloneHosts).toEqual(['s1']);
  });

  it('groups blockers by reason, disk labels and details left out', () => {
    expect(blockerKind('independent disk (independent_persistent): Hard disk 2, Hard disk 3')).toBe('independent disk');
    expect(blockerKind('fault tolerance (FT state running)')).toBe('fault tolerance');
    expect(s.blockerKinds).toEqual([
      { reason: 'datastore unknown', vms: 1 },
      { reason: 'standalone host', vms: 1 },
      { reason: 'template', vms: 1 },
    ]);
    expect(s.warningKinds.map((k) => [k.code, k.count])).toEqual([['tab-missing', 1], ['memory-unknown', 41]]);
  });
});

describe('formatSummary', () => {
  const text = formatSummary(estate, summariseEstate(estate));
  const lines = text.split('\n');

  it('prints sizes in binary units, labelled, and right-aligns them under their heading', () => {
    const header = lines.find((l) => l.includes('DATASTORE') && l.includes('CAPACITY'))!;
    const row = lines.find((l) => l.includes('VNX_01'))!;
    expect(row).toMatch(/VNX\s+legacy\s+VNX_01\s+VMFS\s+10\.0 TiB\s+2\.0 TiB\s+2\s+50\.0 GiB\s+30\.0 GiB$/);
    expect(row.indexOf('10.0 TiB') + '10.0 TiB'.length).toBe(header.indexOf('CAPACITY') + 'CAPACITY'.length);
    expect(text).toContain('186.0 GiB provisioned on disks, 116.0 GiB to copy if all moved, 80.0 GiB to move from legacy datastores');
  });

  it('lists blocked VMs with their reasons, and the warnings by kind with the first one', () => {
    expect(text).toContain('Blocked VMs: 2 of 4 cannot be moved by Storage vMotion as they are');
    expect(lines.some((l) => /^\s+d\s+standalone host \(no cluster\); datastore unknown: Hard disk 2$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\s+memory-unknown\s+41\s+vInfo row 4: VM "d" has no memory size; 0 is used\.$/.test(l))).toBe(true);
    expect(text).toContain('Hosts without a cluster (not planned on): s1');
    expect(text).toContain('1 disk on no known datastore');
  });

  it('cuts long lists of blocked VMs unless asked for all', () => {
    const many: EstateFile = {
      ...estate,
      vms: Array.from({ length: 30 }, (_, i) => ({ name: `t${i}`, cluster: 'Prod', host: 'p1', powerState: 'poweredOff' as const, memoryBytes: 0, disks: [], blockers: ['template'] })),
    };
    const short = formatSummary(many, summariseEstate(many));
    expect(short.split('\n').filter((l) => /^\s+t\d+\s+template$/.test(l))).toHaveLength(20);
    expect(short).toContain('… and 10 more (--all lists them).');
    const all = formatSummary(many, summariseEstate(many), { all: true });
    expect(all.split('\n').filter((l) => /^\s+t\d+\s+template$/.test(l))).toHaveLength(30);
  });

  it('pads tables to the widest cell', () => {
    expect(formatTable(['A', 'NUM'], [['long name', '1'], ['x', '12345']], new Set([1]))).toEqual(['A            NUM', 'long name      1', 'x          12345']);
  });
});
