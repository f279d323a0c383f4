// Rows of vDisk, vHost and vDatastore that do not fit vInfo: said, never silently dropped or guessed.

import { describe, expect, it } from 'vitest';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { csvFolder, csvText } from './helpers.js';

describe('rows that do not fit', async () => {
  const e = await importRvtools(
    await csvFolder({
      'RVTools_tabvInfo.csv': csvText([
        ['VM', 'Powerstate', 'Memory', 'Disks', 'Total disk capacity MiB', 'In Use MiB', 'Path', 'Cluster', 'Host', 'VM ID'],
        ['twin', 'poweredOn', '1', '1', '1024', '0', '[A] twin/twin.vmx', 'C', 'h1', ''],
        ['twin', 'poweredOn', '1', '1', '1024', '0', '[A] twin_1/twin.vmx', 'C', 'h1', ''],
        ['solo', 'poweredOn', '1', '2', '2048', '0', '[A] solo/solo.vmx', 'C', 'h1', 'vm-3'],
        ['', 'poweredOn', '1', '0', '0', '0', '', 'C', 'h1', 'vm-4'],
      ]),
      'RVTools_tabvDisk.csv': csvText([
        ['VM', 'Disk', 'Capacity MiB', 'Thin', 'Path', 'VM ID'],
        ['twin', 'Hard disk 1', '1024', 'False', '[A] twin/twin.vmdk', ''],
        ['ghost', 'Hard disk 1', '1024', 'False', '[A] ghost/ghost.vmdk', 'vm-99'],
      ]),
      'RVTools_tabvHost.csv': csvText([['Host', 'Cluster'], ['h1', 'C'], ['h1', 'C']]),
      'RVTools_tabvDatastore.csv': csvText([
        ['Name', 'Capacity MiB', 'Free MiB', 'Hosts'],
        ['A', '1024', '', 'h1, h-gone'],
        ['A', '2048', '10', 'h1'],
      ]),
    }),
  );
  const codes = (code: string) => e.warnings.filter((w) => w.code === code).map((w) => [w.tab, w.row]);

  it('two VMs of one name: both kept under distinct names and both blocked', () => {
    expect(e.vms.map((v) => v.name)).toEqual(['twin', 'twin (vInfo row 3)', 'solo']);
    expect(e.vms.slice(0, 2).every((v) => v.blockers?.includes('name not unique'))).toBe(true);
    expect(codes('duplicate-vm-name')).toEqual([['vInfo', 2], ['vInfo', 3]]);
  });

  it('a vDisk row that fits two VMs, or none, is skipped and said', () => {
    expect(codes('row-vm-ambiguous')).toEqual([['vDisk', 2]]);
    expect(codes('row-vm-not-in-vinfo')).toEqual([['vDisk', 3]]);
    expect(e.warnings.find((w) => w.code === 'row-vm-not-in-vinfo')!.message).toBe('VM "ghost" (vm-99) is not in vInfo; the row was skipped.');
  });

  it('a VM vDisk does not list gets its storage from vInfo, noted and warned', () => {
    const solo = e.vms.find((v) => v.name === 'solo')!;
    expect(solo.disks.map((d) => [d.label, d.capacityBytes, d.datastore])).toEqual([['2 disks (vInfo total)', 2048 * 2 ** 20, 'A']]);
    // The twins too: their one vDisk row could not be told apart, so it went to neither.
    expect(e.warnings.filter((w) => w.code === 'vm-not-in-vdisk').map((w) => w.message)).toEqual([
      'VM "twin" (vInfo row 2) has no rows in vDisk; its storage is taken from vInfo\'s totals.',
      'VM "twin" (vInfo row 3) has no rows in vDisk; its storage is taken from vInfo\'s totals.',
      'VM "solo" (vInfo row 4) has no rows in vDisk; its storage is taken from vInfo\'s totals.',
    ]);
  });

  it('a row without a name is skipped and said', () => {
    expect(codes('row-without-name')).toEqual([['vInfo', 5]]);
  });

  it('the first of two hosts or datastores of one name is kept; hosts unknown to the estate leave a host list', () => {
    expect(e.hosts.map((h) => h.name)).toEqual(['h1']);
    expect(codes('duplicate-host')).toEqual([['vHost', 3]]);
    expect(e.datastores).toEqual([{ name: 'A', capacityBytes: 1024 * 2 ** 20, freeBytes: 0, array: null, role: 'other', hosts: ['h1'], type: null }]);
    expect(codes('duplicate-datastore')).toEqual([['vDatastore', 3]]);
    expect(codes('datastore-size-unknown')).toEqual([['vDatastore', 2]]);
    expect(e.warnings.find((w) => w.code === 'datastore-host-unknown')!.message).toBe(
      'Datastore "A" is mounted on 1 host the estate does not hold ("h-gone"); they are left out of its host list.',
    );
  });
});

describe('filling gaps from other tabs', () => {
  it("a VM with no Cluster takes its host's cluster from vHost; an assumed datastore places disks and home", async () => {
    const e = await importRvtools(
      await csvFolder({
        'RVTools_tabvInfo.csv': csvText([['VM', 'Powerstate', 'Memory', 'Cluster', 'Host'], ['v1', 'poweredOn', '1', '', 'h1']]),
        'RVTools_tabvDisk.csv': csvText([['VM', 'Disk', 'Capacity MiB', 'Thin'], ['v1', 'Hard disk 1', '1024', 'False']]),
        'RVTools_tabvHost.csv': csvText([['Host', 'Cluster'], ['h1', 'Gold']]),
      }),
      { rules: { legacy: [], new: [], arrays: [], assume: [{ cluster: null, datastore: 'OLD' }] } },
    );
    expect(e.vms[0]).toMatchObject({ cluster: 'Gold', homeDatastore: 'OLD' });
    expect(e.vms[0]!.disks[0]!.datastore).toBe('OLD');
    expect(e.vms[0]!.blockers).toBeUndefined();
    expect(e.datastores.map((d) => [d.name, d.capacityBytes])).toEqual([['OLD', 0]]);
  });
});
