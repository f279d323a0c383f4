// What a campaign has to do, derived from an estate: the VMs to move with their bytes and where
// they are, the datastores they may go to, and the VMs that cannot be moved as they are (kept,
// with the reason, so that nothing is dropped silently).

import { diskCopyBytes, type Estate, type Vm } from '../domain/estate.js';

export interface MoveItem {
  vm: string;
  cluster: string;
  host: string;
  /** Bytes the Storage vMotion copies (disks on legacy datastores; thin disks count allocated bytes). */
  bytes: number;
  /** Legacy datastores holding the VM's disks or home, in first-seen order. */
  sourceDatastores: string[];
  memoryBytes: number;
}

export interface TargetDatastore {
  name: string;
  capacityBytes: number;
  freeBytes: number;
  /** Hosts that mount it; null means all. */
  hosts: ReadonlySet<string> | null;
}

export interface SkippedVm {
  vm: string;
  cluster: string | null;
  host: string | null;
  bytes: number;
  sourceDatastores: string[];
  reason: string;
}

export interface Campaign {
  clusters: Array<{ name: string; hosts: string[] }>;
  items: MoveItem[];
  targets: TargetDatastore[];
  /** VMs on legacy storage that cannot be moved as they are. */
  blocked: SkippedVm[];
  /** Fraction of a target's capacity that must stay free after a copy. */
  headroom: number;
}

/** Builds the campaign: every VM with a disk or its home on a legacy datastore is in scope. */
export function campaignFromEstate(estate: Estate, headroom: number): Campaign {
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const hostsByCluster = new Map<string, string[]>();
  for (const c of estate.clusters) hostsByCluster.set(c.name, []);
  for (const h of estate.hosts) if (h.cluster !== null) hostsByCluster.get(h.cluster)?.push(h.name);

  const items: MoveItem[] = [];
  const blocked: SkippedVm[] = [];
  for (const vm of estate.vms) {
    const sources = legacySources(vm, legacy);
    if (sources.length === 0) continue;
    const bytes = vm.disks.reduce((sum, d) => (d.datastore !== null && legacy.has(d.datastore) ? sum + diskCopyBytes(d) : sum), 0);
    const reason = blockReason(vm, hostsByCluster);
    if (reason !== null) {
      blocked.push({ vm: vm.name, cluster: vm.cluster, host: vm.host, bytes, sourceDatastores: sources, reason });
      continue;
    }
    items.push({
      vm: vm.name,
      cluster: vm.cluster!,
      host: vm.host!,
      bytes,
      sourceDatastores: sources,
      memoryBytes: vm.memoryBytes,
    });
  }

  const targets = estate.datastores
    .filter((d) => d.role === 'new')
    .map((d) => ({ name: d.name, capacityBytes: d.capacityBytes, freeBytes: d.freeBytes, hosts: d.hosts === null ? null : new Set(d.hosts) }));

  return {
    clusters: [...hostsByCluster].map(([name, hosts]) => ({ name, hosts })),
    items,
    targets,
    blocked,
    headroom,
  };
}

function legacySources(vm: Vm, legacy: ReadonlySet<string>): string[] {
  const seen: string[] = [];
  const add = (ds: string | null | undefined) => {
    if (ds && legacy.has(ds) && !seen.includes(ds)) seen.push(ds);
  };
  add(vm.homeDatastore);
  for (const d of vm.disks) add(d.datastore);
  return seen;
}

function blockReason(vm: Vm, hostsByCluster: ReadonlyMap<string, string[]>): string | null {
  if (vm.blockers && vm.blockers.length > 0) return vm.blockers.join('; ');
  if (vm.cluster === null || !hostsByCluster.has(vm.cluster)) return 'the VM is not in a cluster';
  if (vm.host === null) return 'the VM has no host';
  const unknown = vm.disks.find((d) => d.datastore === null);
  if (unknown) return `${unknown.label} has no known datastore`;
  return null;
}
