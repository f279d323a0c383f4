// The explicit estate form (clusters, datastores and VMs listed by hand) → Estate, with every
// reference checked: a VM's host, a disk's datastore, a datastore's array and clusters.

import type { Cluster, Datastore, DatastoreRole, Disk, DrsVmOverride, Estate, Host, PowerState, Vm } from '../domain/estate.js';
import { diskCopyBytes } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { formatBytes } from '../domain/units.js';
import { NameTable } from './names.js';
import type { ExplicitEstate } from './schema.js';
import { FieldError } from './source.js';

const POWER: Record<'on' | 'off' | 'suspended', PowerState> = {
  on: 'poweredOn',
  off: 'poweredOff',
  suspended: 'suspended',
};

const DRS_OVERRIDES: Record<'manual' | 'partially-automated' | 'fully-automated' | 'disabled', DrsVmOverride> = {
  manual: { behavior: 'manual', enabled: true },
  'partially-automated': { behavior: 'partiallyAutomated', enabled: true },
  'fully-automated': { behavior: 'fullyAutomated', enabled: true },
  disabled: { behavior: null, enabled: false },
};

export function resolveExplicitEstate(section: ExplicitEstate, fabric: Fabric): Estate {
  const at = (...path: Array<string | number>) => ['estate', ...path];
  const roles = arrayRoles(section, fabric);

  const clusters = new NameTable<Cluster>('cluster');
  const hosts = new NameTable<Host>('host');
  const clusterHosts = new Map<string, string[]>();
  for (const [ci, c] of section.clusters.entries()) {
    clusters.add(c.name, { name: c.name, datacenter: c.datacenter ?? null }, at('clusters', ci, 'name'));
    const members: string[] = [];
    for (const [hi, h] of c.hosts.entries()) {
      const host: Host = { name: h.name, cluster: c.name, enclosure: h.enclosure ?? null };
      if (h.hbaPorts !== undefined) host.hbaPorts = h.hbaPorts;
      if (h.model !== undefined) host.model = h.model;
      hosts.add(h.name, host, at('clusters', ci, 'hosts', hi, 'name'));
      members.push(h.name);
    }
    clusterHosts.set(c.name, members);
  }

  const datastores = new NameTable<Datastore>('datastore');
  /** Clusters mounting each datastore; null = all. */
  const mountedOn = new Map<string, Set<string> | null>();
  for (const [di, d] of section.datastores.entries()) {
    const array = d.array ?? null;
    if (array !== null && !fabric.arrays.some((a) => a.name === array)) {
      throw new FieldError(at('datastores', di, 'array'), `array "${array}" is not one of fabric.arrays (${fabric.arrays.map((a) => a.name).join(', ')})`);
    }
    let hostNames: string[] | null = null;
    if (d.clusters !== undefined) {
      const mounting = new Set<string>();
      for (const [i, c] of d.clusters.entries()) {
        clusters.get(c, at('datastores', di, 'clusters', i));
        for (const h of clusterHosts.get(c) ?? []) mounting.add(h);
      }
      hostNames = [...mounting];
    }
    if (d.free !== undefined && d.free > d.capacity) {
      throw new FieldError(at('datastores', di, 'free'), `free space ${formatBytes(d.free)} is more than the capacity ${formatBytes(d.capacity)}`);
    }
    const role: DatastoreRole = array === null ? 'other' : (roles.get(array) ?? 'other');
    const ds: Datastore = { name: d.name, capacityBytes: d.capacity, freeBytes: d.free ?? d.capacity, array, role, hosts: hostNames };
    if (d.type !== undefined) ds.type = d.type;
    datastores.add(d.name, ds, at('datastores', di, 'name'));
    mountedOn.set(d.name, d.clusters === undefined ? null : new Set(d.clusters));
  }

  const vms = new NameTable<Vm>('VM');
  const used = new Map<string, number>();
  const vmList: Vm[] = [];
  for (const [vi, v] of section.vms.entries()) {
    const host = hosts.get(v.host, at('vms', vi, 'host'));
    const cluster = host.cluster;
    const reachable = (datastore: string, path: Array<string | number>) => {
      datastores.get(datastore, path);
      const mounts = mountedOn.get(datastore);
      if (mounts && cluster !== null && !mounts.has(cluster)) {
        throw new FieldError(path, `datastore "${datastore}" is not mounted on cluster "${cluster}" of host "${host.name}"`);
      }
    };
    const disks: Disk[] = v.disks.map((d, i) => {
      const path = at('vms', vi, 'disks', i);
      reachable(d.datastore, [...path, 'datastore']);
      if (d.allocated !== undefined && d.allocated > d.size) {
        throw new FieldError([...path, 'allocated'], `${formatBytes(d.allocated)} allocated is more than the disk's size ${formatBytes(d.size)}`);
      }
      if (!d.thin && d.allocated !== undefined && d.allocated !== d.size) {
        throw new FieldError([...path, 'allocated'], 'a thick disk allocates its whole size, so leave allocated out or set thin: true');
      }
      const disk: Disk = {
        label: d.label ?? `Hard disk ${i + 1}`,
        key: 2000 + i,
        capacityBytes: d.size,
        allocatedBytes: d.thin ? (d.allocated ?? d.size) : d.size,
        thin: d.thin,
        datastore: d.datastore,
      };
      used.set(d.datastore, (used.get(d.datastore) ?? 0) + diskCopyBytes(disk));
      return disk;
    });
    const home = v.home ?? disks[0]?.datastore ?? null;
    if (v.home !== undefined) reachable(v.home, at('vms', vi, 'home'));
    const vm: Vm = { name: v.name, cluster, host: host.name, powerState: POWER[v.power], memoryBytes: v.memory, disks, homeDatastore: home };
    if (v.template !== undefined) vm.template = v.template;
    if (v.blockers !== undefined) vm.blockers = v.blockers;
    if (v.notes !== undefined) vm.notes = v.notes;
    if (v.snapshots !== undefined) {
      const s = v.snapshots;
      const depth = s.depth ?? s.count;
      if (depth > s.count) throw new FieldError(at('vms', vi, 'snapshots', 'depth'), `a chain of ${depth} snapshots needs at least as many, but count is ${s.count}`);
      vm.snapshots = { count: s.count, depth, deltaBytes: s.delta, consolidationNeeded: s.consolidationNeeded, orphanBytes: s.orphans };
    }
    if (v.drsOverride !== undefined) vm.drsOverride = DRS_OVERRIDES[v.drsOverride];
    const labels = new Set<string>();
    for (const [i, d] of disks.entries()) {
      if (labels.has(d.label)) throw new FieldError(at('vms', vi, 'disks', i, 'label'), `the label "${d.label}" is used twice in VM "${v.name}"`);
      labels.add(d.label);
    }
    vms.add(v.name, vm, at('vms', vi, 'name'));
    vmList.push(vm);
  }

  const datastoreList = section.datastores.map((d, di) => {
    const ds = datastores.get(d.name, at('datastores', di, 'name'));
    const usedBytes = used.get(d.name) ?? 0;
    if (d.free === undefined) {
      if (usedBytes > d.capacity) {
        throw new FieldError(at('datastores', di, 'capacity'), `the disks listed on "${d.name}" allocate ${formatBytes(usedBytes)}, more than its capacity ${formatBytes(d.capacity)}`);
      }
      ds.freeBytes = d.capacity - usedBytes;
    }
    return ds;
  });

  for (const role of ['legacy', 'new'] as const) {
    if (!datastoreList.some((d) => d.role === role)) {
      throw new FieldError(at('arrays', role), `no datastore is on ${section.arrays[role].join(' or ')}, so the estate has no ${role === 'legacy' ? 'source' : 'target'} datastore`);
    }
  }

  return {
    vcenter: section.vcenter,
    clusters: section.clusters.map((c, ci) => clusters.get(c.name, at('clusters', ci, 'name'))),
    hosts: section.clusters.flatMap((c) => c.hosts.map((h) => hosts.get(h.name, []))),
    datastores: datastoreList,
    vms: vmList,
  };
}

/** Role of each array named in `estate.arrays`; each must be a fabric array and on one side only. */
function arrayRoles(section: ExplicitEstate, fabric: Fabric): Map<string, DatastoreRole> {
  const roles = new Map<string, DatastoreRole>();
  for (const role of ['legacy', 'new'] as const) {
    for (const [i, array] of section.arrays[role].entries()) {
      const path = ['estate', 'arrays', role, i];
      if (!fabric.arrays.some((a) => a.name === array)) {
        throw new FieldError(path, `array "${array}" is not one of fabric.arrays (${fabric.arrays.map((a) => a.name).join(', ')})`);
      }
      if (roles.has(array)) throw new FieldError(path, `array "${array}" is named as both legacy and new`);
      roles.set(array, role);
    }
  }
  return roles;
}
