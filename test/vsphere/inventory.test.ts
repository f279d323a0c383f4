// readInventory against a harness started from a known spec: what comes back is that spec.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Estate, Vm } from '../../src/domain/estate.js';
import type { VimClient } from '../../src/vsphere/client.js';
import { readInventory } from '../../src/vsphere/inventory.js';
import { startVcsim, type Vcsim } from '../vcsim/harness.js';
import { GiB, login, smallSpec, TiB } from './fixture.js';

let vc: Vcsim;
let client: VimClient;
let estate: Estate;

beforeAll(async () => {
  vc = await startVcsim(smallSpec());
  client = await login(vc);
  estate = await readInventory(client, { classify: ({ name }) => (name.startsWith('LEG-') ? 'legacy' : name.startsWith('NEW-') ? 'new' : 'other') });
});

afterAll(async () => {
  await client?.close();
  await vc?.stop();
});

const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name));

function vm(name: string): Vm {
  const found = estate.vms.find((v) => v.name === name);
  if (!found) throw new Error(`VM ${name} not read`);
  return found;
}

describe('readInventory', () => {
  it('reads clusters with their datacenter and hosts with their cluster and model', () => {
    expect(estate.vcenter).toBe('127.0.0.1');
    expect(byName(estate.clusters)).toEqual([
      { name: 'C1', datacenter: 'DC0' },
      { name: 'C2', datacenter: 'DC0' },
    ]);
    expect(byName(estate.hosts).map((h) => [h.name, h.cluster])).toEqual([
      ['esx-a1', 'C1'],
      ['esx-a2', 'C1'],
      ['esx-b1', 'C2'],
      ['esx-sa', null],
    ]);
    expect(estate.hosts.find((h) => h.name === 'esx-a1')?.model).toBe('ProLiant BL460c Gen10');
  });

  it('reads datastores with capacity, free space, type, role and the hosts that mount them', () => {
    const ds = byName(estate.datastores);
    expect(ds.map((d) => [d.name, d.capacityBytes, d.freeBytes, d.type, d.role, d.hosts])).toEqual([
      ['LEG-01', 10 * TiB, 2 * TiB, 'VMFS', 'legacy', null],
      // free space not given in the spec: capacity minus the 200 GiB thick disk of db01
      ['LEG-02', 4 * TiB, 4 * TiB - 200 * GiB, 'VMFS', 'legacy', ['esx-a1', 'esx-a2']],
      ['NEW-01', 20 * TiB, 19 * TiB, 'VMFS', 'new', null],
      ['NEW-02', 20 * TiB, 20 * TiB, 'VMFS', 'new', null],
    ]);
  });

  it('reads every VM with its placement, power state, memory and home', () => {
    expect(byName(estate.vms).map((v) => [v.name, v.cluster, v.host, v.powerState, v.memoryBytes, v.homeDatastore])).toEqual([
      ['app01', 'C2', 'esx-b1', 'poweredOff', 4 * GiB, 'LEG-01'],
      ['db01', 'C1', 'esx-a2', 'poweredOn', 32 * GiB, 'LEG-02'],
      ['sa01', null, 'esx-sa', 'poweredOn', 2 * GiB, 'LEG-01'],
      ['tmpl01', 'C1', 'esx-a1', 'poweredOff', 2 * GiB, 'LEG-01'],
      ['web01', 'C1', 'esx-a1', 'poweredOn', 8 * GiB, 'LEG-01'],
    ]);
  });

  it('reads disks: capacity, allocated bytes of thin disks from layoutEx, datastore, key, label and path', () => {
    expect(vm('web01').disks).toEqual([
      { label: 'Hard disk 1', key: 2000, capacityBytes: 100 * GiB, allocatedBytes: 30 * GiB, thin: true, datastore: 'LEG-01', path: '[LEG-01] web01/web01.vmdk' },
      { label: 'Hard disk 2', key: 2001, capacityBytes: 50 * GiB, allocatedBytes: 50 * GiB, thin: false, datastore: 'LEG-01', path: '[LEG-01] web01/web01_1.vmdk' },
    ]);
    expect(vm('db01').disks.map((d) => [d.datastore, d.capacityBytes, d.allocatedBytes, d.thin])).toEqual([
      ['LEG-02', 200 * GiB, 200 * GiB, false],
      ['LEG-01', 1 * TiB, 600 * GiB, true],
    ]);
  });

  it('marks a template as blocked, and nothing else', () => {
    expect(vm('tmpl01').template).toBe(true);
    expect(vm('tmpl01').blockers).toEqual(['template']);
    expect(estate.vms.filter((v) => v.blockers !== undefined).map((v) => v.name)).toEqual(['tmpl01']);
  });

  it('reads the same estate in small pages, following the continuation token', async () => {
    const c = await login(vc);
    try {
      const paged = await readInventory(c, { pageSize: 3 });
      expect(c.callCounts()['ContinueRetrievePropertiesEx']).toBeGreaterThanOrEqual(3);
      expect(byName(paged.vms)).toEqual(byName(estate.vms));
      expect(byName(paged.datastores).map((d) => d.freeBytes)).toEqual(byName(estate.datastores).map((d) => d.freeBytes));
      // one view, destroyed afterwards
      expect(c.callCounts()['CreateContainerView']).toBe(1);
      expect(c.callCounts()['DestroyView']).toBe(1);
    } finally {
      await c.close();
    }
  });
});
