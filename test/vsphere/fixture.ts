// A small estate for the vSphere client tests: two clusters and a standalone host, legacy and new
// datastores (one legacy datastore mounted only on one cluster), VMs with thin and thick disks,
// a powered-off VM and a template.

import type { HarnessSpec } from '../vcsim/harness.js';
import { connectAndLogin, type VimClient } from '../../src/vsphere/client.js';
import type { Vcsim } from '../vcsim/harness.js';

export const GiB = 1024 ** 3;
export const TiB = 1024 ** 4;

export function smallSpec(overrides: Partial<HarnessSpec> = {}): HarnessSpec {
  return {
    clusters: [{ name: 'C1' }, { name: 'C2' }],
    hosts: [
      { name: 'esx-a1', cluster: 'C1', model: 'ProLiant BL460c Gen10' },
      { name: 'esx-a2', cluster: 'C1' },
      { name: 'esx-b1', cluster: 'C2' },
      { name: 'esx-sa' },
    ],
    datastores: [
      { name: 'LEG-01', capacityBytes: 10 * TiB, freeBytes: 2 * TiB, type: 'VMFS' },
      { name: 'LEG-02', capacityBytes: 4 * TiB, hosts: ['esx-a1', 'esx-a2'], type: 'VMFS' },
      { name: 'NEW-01', capacityBytes: 20 * TiB, freeBytes: 19 * TiB, type: 'VMFS' },
      { name: 'NEW-02', capacityBytes: 20 * TiB, type: 'VMFS' },
    ],
    vms: [
      {
        name: 'web01',
        host: 'esx-a1',
        memoryBytes: 8 * GiB,
        disks: [
          { capacityBytes: 100 * GiB, allocatedBytes: 30 * GiB, thin: true, datastore: 'LEG-01' },
          { capacityBytes: 50 * GiB, datastore: 'LEG-01' },
        ],
      },
      {
        name: 'db01',
        host: 'esx-a2',
        memoryBytes: 32 * GiB,
        homeDatastore: 'LEG-02',
        disks: [
          { capacityBytes: 200 * GiB, datastore: 'LEG-02' },
          { capacityBytes: 1 * TiB, allocatedBytes: 600 * GiB, thin: true, datastore: 'LEG-01' },
        ],
      },
      { name: 'app01', host: 'esx-b1', powerState: 'poweredOff', memoryBytes: 4 * GiB, disks: [{ capacityBytes: 40 * GiB, datastore: 'LEG-01' }] },
      { name: 'tmpl01', host: 'esx-a1', powerState: 'poweredOff', template: true, memoryBytes: 2 * GiB, disks: [{ capacityBytes: 20 * GiB, thin: true, allocatedBytes: 5 * GiB, datastore: 'LEG-01' }] },
      { name: 'sa01', host: 'esx-sa', memoryBytes: 2 * GiB, disks: [{ capacityBytes: 16 * GiB, datastore: 'LEG-01' }] },
    ],
    relocate: { fixedMs: 600, progressIntervalMs: 100 },
    ...overrides,
  };
}

export function login(vc: Vcsim): Promise<VimClient> {
  return connectAndLogin({ url: vc.url, thumbprint: vc.thumbprint, username: vc.username, password: vc.password });
}

export function vmRef(vc: Vcsim, name: string): { type: string; value: string } {
  const value = vc.ids.vms[name];
  if (!value) throw new Error(`no VM ${name} in the harness`);
  return { type: 'VirtualMachine', value };
}

export function dsRef(vc: Vcsim, name: string): { type: string; value: string } {
  const value = vc.ids.datastores[name];
  if (!value) throw new Error(`no datastore ${name} in the harness`);
  return { type: 'Datastore', value };
}

export function hostRef(vc: Vcsim, name: string): { type: string; value: string } {
  const value = vc.ids.hosts[name];
  if (!value) throw new Error(`no host ${name} in the harness`);
  return { type: 'HostSystem', value };
}
