// Small estates, fabrics and scenarios built in code, for tests whose answers are worked by hand.

import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import type { Datastore, Estate, Host, Vm } from '../../src/domain/estate.js';
import type { Fabric } from '../../src/domain/fabric.js';
import { DEFAULT_CAMPAIGN, type Scenario } from '../../src/scenario/scenario.js';

export const OLD = 'OLD-ARRAY';
export const NEW = 'NEW-ARRAY';

/** A fabric where nothing limits a copy unless the test says so. */
export function openFabric(overrides: Partial<Fabric> = {}): Fabric {
  return {
    hostPorts: 1,
    hostPortRate: 1e12,
    enclosureUplinkPorts: 1,
    enclosureUplinkPortRate: 1e12,
    arrays: [
      { name: OLD, ports: 1, portRate: 1e12 },
      { name: NEW, ports: 1, portRate: 1e12 },
    ],
    coreRate: null,
    perCopyRate: Infinity,
    maxParallelDiskCopies: 4,
    vmotionRate: 1e9,
    vmotionSetupSeconds: 0,
    svmotionSetupSeconds: 0,
    ...overrides,
  };
}

export function hosts(cluster: string, count: number, enclosure: string | null = null): Host[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${cluster}-esx${String(i + 1).padStart(2, '0')}`, cluster, enclosure }));
}

export function datastore(name: string, role: 'legacy' | 'new', capacityBytes = 1e15, freeBytes = capacityBytes): Datastore {
  return { name, capacityBytes, freeBytes, array: role === 'legacy' ? OLD : NEW, role, hosts: null };
}

export function vm(name: string, host: string, cluster: string, bytes: number, ds = 'OLD-01', memoryBytes = 4e9): Vm {
  return {
    name,
    cluster,
    host,
    powerState: 'poweredOn',
    memoryBytes,
    disks: [{ label: 'Hard disk 1', capacityBytes: bytes, allocatedBytes: bytes, thin: false, datastore: ds }],
  };
}

export function estate(parts: Partial<Estate> & Pick<Estate, 'hosts' | 'vms'>): Estate {
  const clusters = [...new Set(parts.hosts.map((h) => h.cluster).filter((c): c is string => c !== null))].map((name) => ({ name }));
  return {
    vcenter: 'vc.test',
    clusters,
    datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new')],
    ...parts,
  };
}

export function scenario(e: Estate, fabric: Fabric = openFabric(), policy = 'fixed:1'): Scenario {
  return {
    name: 'test',
    description: '',
    file: null,
    seed: 1,
    estate: e,
    fabric,
    costs: VSPHERE_6_PLUS,
    policy,
    targets: { headroom: 0.1 },
    campaign: DEFAULT_CAMPAIGN,
  };
}
