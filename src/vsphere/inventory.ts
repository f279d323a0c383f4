// Reads a live vCenter into an Estate: one container view over the inventory, one paged
// RetrievePropertiesEx pass for the properties a storage migration cares about.
//
// Where the numbers come from:
//   - disk capacity: VirtualDisk.capacityInBytes (capacityInKB × 1024 on old servers);
//   - allocated bytes of a thin disk: the sizes of its extent files in layoutEx (every unit of
//     its chain, so snapshot deltas count: they are copied too); a thick disk is fully allocated;
//     without layoutEx a thin disk counts at capacity (the safe side for a plan);
//   - datastore of a disk: backing.datastore, else the "[name]" of backing.fileName;
//   - a host's cluster: its parent when that is a ClusterComputeResource (standalone hosts sit in
//     a ComputeResource of their own); a cluster's datacenter: the first Datacenter above it.

import type { Cluster, Datastore, DatastoreRole, Disk, Estate, Host, PowerState, Vm } from '../domain/estate.js';
import type { VimClient } from './client.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from './property-collector.js';
import { SNAPSHOT_PATHS, snapshotStateOf, type VmSnapshotState } from './snapshots.js';
import { decodeBool, decodeMor, decodeNumber, refKey, type ManagedObjectReference, type ObjectContent } from './types.js';
import { child, children, childNames, childText, text, xsiType, type XmlElement } from './xml.js';

export interface ReadInventoryOptions {
  /** Which side of the migration each datastore is on; default: every datastore is 'other'. */
  classify?: (datastore: { name: string; type: string | null }) => DatastoreRole;
  /** Objects per RetrievePropertiesEx page (default 500). */
  pageSize?: number;
}

const PROPERTIES = [
  { type: 'Folder', pathSet: ['name', 'parent'] },
  { type: 'Datacenter', pathSet: ['name', 'parent'] },
  { type: 'ClusterComputeResource', pathSet: ['name', 'parent'] },
  { type: 'HostSystem', pathSet: ['name', 'parent', 'summary.hardware.model', 'config.storageDevice.hostBusAdapter'] },
  { type: 'Datastore', pathSet: ['name', 'summary.capacity', 'summary.freeSpace', 'summary.type', 'host'] },
  {
    type: 'VirtualMachine',
    pathSet: [
      'name',
      'runtime.host',
      'runtime.powerState',
      'runtime.faultToleranceState',
      'config.template',
      'config.hardware.memoryMB',
      'config.hardware.device',
      'config.files.vmPathName',
      'layoutEx.file',
      'layoutEx.disk',
      'layoutEx.snapshot',
    ],
  },
];

/** Every element of an ArrayOf… value, whatever its element name. */
function items(val: XmlElement | undefined): XmlElement[] {
  if (!val) return [];
  return childNames(val).flatMap((n) => children(val, n));
}

function datastoreOfPath(path: string | undefined): string | null {
  const m = path ? /^\[([^\]]+)\]/.exec(path) : null;
  return m?.[1] ?? null;
}

interface RawObject {
  ref: ManagedObjectReference;
  props: Map<string, XmlElement>;
}

export async function readInventory(client: VimClient, options: ReadInventoryOptions = {}): Promise<Estate> {
  return (await readPass(client, options, [])).estate;
}

/**
 * The estate and, from the same pass, each VM's snapshot state (count, depth, current snapshot,
 * consolidationNeeded) by VM name: what pre-flight remediation needs, without a second read.
 */
export async function readInventoryWithSnapshots(
  client: VimClient,
  options: ReadInventoryOptions = {},
): Promise<{ estate: Estate; snapshots: Map<string, VmSnapshotState> }> {
  const { estate, contents } = await readPass(client, options, SNAPSHOT_PATHS);
  const snapshots = new Map<string, VmSnapshotState>();
  for (const oc of contents) {
    if (oc.obj.type !== 'VirtualMachine') continue;
    const state = snapshotStateOf(oc);
    snapshots.set(state.name, state);
  }
  return { estate, snapshots };
}

async function readPass(client: VimClient, options: ReadInventoryOptions, extraVmPaths: string[]): Promise<{ estate: Estate; contents: ObjectContent[] }> {
  const types = PROPERTIES.map((p) => p.type);
  const props = PROPERTIES.map((p) => (p.type === 'VirtualMachine' ? { ...p, pathSet: [...new Set([...p.pathSet, ...extraVmPaths])] } : p));
  const contents: ObjectContent[] = await withContainerView(client, { type: types }, (view) =>
    retrieveAll(client, [viewSpec(view, props)], { maxObjects: options.pageSize ?? 500 }),
  );

  const byType = new Map<string, RawObject[]>();
  const byRef = new Map<string, RawObject>();
  for (const oc of contents) {
    const raw = { ref: oc.obj, props: propertiesOf(oc) };
    byRef.set(refKey(oc.obj), raw);
    const list = byType.get(oc.obj.type) ?? [];
    list.push(raw);
    byType.set(oc.obj.type, list);
  }
  const of = (type: string): RawObject[] => byType.get(type) ?? [];
  const str = (o: RawObject, p: string): string | undefined => {
    const v = o.props.get(p);
    return v === undefined ? undefined : text(v);
  };
  const ref = (o: RawObject, p: string): ManagedObjectReference | undefined => decodeMor(o.props.get(p));
  const nameOf = (r: ManagedObjectReference | undefined): string | null => {
    const o = r ? byRef.get(refKey(r)) : undefined;
    return o ? (str(o, 'name') ?? null) : null;
  };

  const datacenterOf = (start: ManagedObjectReference | undefined): string | null => {
    let cur = start;
    for (let depth = 0; cur && depth < 64; depth++) {
      const o = byRef.get(refKey(cur));
      if (!o) return null;
      if (cur.type === 'Datacenter') return str(o, 'name') ?? null;
      cur = ref(o, 'parent');
    }
    return null;
  };

  const clusters: Cluster[] = of('ClusterComputeResource').map((c) => ({ name: str(c, 'name') ?? c.ref.value, datacenter: datacenterOf(ref(c, 'parent')) }));

  const hostCluster = new Map<string, string | null>();
  const hosts: Host[] = of('HostSystem').map((h) => {
    const parent = ref(h, 'parent');
    const cluster = parent?.type === 'ClusterComputeResource' ? nameOf(parent) : null;
    const name = str(h, 'name') ?? h.ref.value;
    hostCluster.set(refKey(h.ref), cluster);
    const hbas = h.props.get('config.storageDevice.hostBusAdapter');
    return {
      name,
      cluster,
      enclosure: null,
      hbaPorts: hbas === undefined ? null : items(hbas).filter((a) => xsiType(a) === 'HostFibreChannelHba').length,
      model: str(h, 'summary.hardware.model') ?? null,
    };
  });

  const classify = options.classify ?? (() => 'other' as const);
  const allHosts = new Set(of('HostSystem').map((h) => refKey(h.ref)));
  const datastores: Datastore[] = of('Datastore').map((d) => {
    const name = str(d, 'name') ?? d.ref.value;
    const type = str(d, 'summary.type') ?? null;
    const mounts = items(d.props.get('host'))
      .map((m) => decodeMor(child(m, 'key')))
      .filter((r): r is ManagedObjectReference => r !== undefined && allHosts.has(refKey(r)));
    const mounted = new Set(mounts.map(refKey));
    const everyHost = mounted.size === allHosts.size;
    return {
      name,
      capacityBytes: decodeNumber(str(d, 'summary.capacity')) ?? 0,
      freeBytes: decodeNumber(str(d, 'summary.freeSpace')) ?? 0,
      array: null,
      role: classify({ name, type }),
      hosts: everyHost ? null : mounts.map((r) => nameOf(r) ?? r.value),
      type,
    };
  });

  const vms: Vm[] = of('VirtualMachine').map((v) => readVm(v, { str, ref, nameOf, hostCluster }));

  return { estate: { vcenter: new URL(client.url).hostname, clusters, hosts, datastores, vms }, contents };
}

interface Lookups {
  str: (o: RawObject, p: string) => string | undefined;
  ref: (o: RawObject, p: string) => ManagedObjectReference | undefined;
  nameOf: (r: ManagedObjectReference | undefined) => string | null;
  hostCluster: Map<string, string | null>;
}

function readVm(v: RawObject, { str, ref, nameOf, hostCluster }: Lookups): Vm {
  const name = str(v, 'name') ?? v.ref.value;
  const hostRef = ref(v, 'runtime.host');
  const template = decodeBool(str(v, 'config.template')) ?? false;
  const blockers: string[] = [];
  const notes: string[] = [];
  if (template) blockers.push('template');
  const ft = str(v, 'runtime.faultToleranceState');
  if (ft && ft !== 'notConfigured') blockers.push('fault tolerance');

  // layoutEx: file sizes by key, and each disk's chain of file keys.
  const fileSize = new Map<number, { size: number; type: string }>();
  for (const f of items(v.props.get('layoutEx.file'))) {
    const key = decodeNumber(childText(f, 'key'));
    if (key !== undefined) fileSize.set(key, { size: decodeNumber(childText(f, 'size')) ?? 0, type: childText(f, 'type') ?? '' });
  }
  const chainBytes = new Map<number, number>();
  for (const d of items(v.props.get('layoutEx.disk'))) {
    const key = decodeNumber(childText(d, 'key'));
    if (key === undefined) continue;
    let bytes = 0;
    for (const unit of children(d, 'chain')) {
      for (const fk of children(unit, 'fileKey')) {
        const f = fileSize.get(decodeNumber(text(fk)) ?? -1);
        if (f && f.type === 'diskExtent') bytes += f.size;
      }
    }
    chainBytes.set(key, bytes);
  }
  if (items(v.props.get('layoutEx.snapshot')).length > 0) notes.push('has snapshots');

  const disks: Disk[] = [];
  for (const dev of items(v.props.get('config.hardware.device'))) {
    if (xsiType(dev) !== 'VirtualDisk') continue;
    const key = decodeNumber(childText(dev, 'key')) ?? null;
    const label = childText(child(dev, 'deviceInfo'), 'label') ?? `disk ${key ?? disks.length}`;
    const capacityBytes = decodeNumber(childText(dev, 'capacityInBytes')) ?? (decodeNumber(childText(dev, 'capacityInKB')) ?? 0) * 1024;
    const backing = child(dev, 'backing');
    const backingType = xsiType(backing) ?? '';
    const fileName = childText(backing, 'fileName');
    const dsRef = decodeMor(child(backing, 'datastore'));
    const datastore = (dsRef ? nameOf(dsRef) : null) ?? datastoreOfPath(fileName);
    const thin = decodeBool(childText(backing, 'thinProvisioned')) ?? false;
    const diskMode = childText(backing, 'diskMode') ?? '';
    const sharing = childText(backing, 'sharing') ?? '';
    if (backingType.startsWith('VirtualDiskRawDiskMapping') && childText(backing, 'compatibilityMode') === 'physicalMode') blockers.push(`${label}: physical RDM`);
    if (sharing === 'sharingMultiWriter') blockers.push(`${label}: multi-writer disk`);
    if (diskMode.startsWith('independent')) blockers.push(`${label}: independent disk`);
    if (datastore === null) blockers.push(`${label}: unknown datastore`);
    const extents = key === null ? undefined : chainBytes.get(key);
    const allocatedBytes = !thin ? capacityBytes : extents !== undefined ? Math.min(extents, capacityBytes) : capacityBytes;
    disks.push({ label, key, capacityBytes, allocatedBytes, thin, datastore, path: fileName ?? null });
  }

  const vm: Vm = {
    name,
    cluster: hostRef ? (hostCluster.get(refKey(hostRef)) ?? null) : null,
    host: nameOf(hostRef),
    powerState: (str(v, 'runtime.powerState') ?? 'poweredOff') as PowerState,
    memoryBytes: (decodeNumber(str(v, 'config.hardware.memoryMB')) ?? 0) * 1024 * 1024,
    disks,
    homeDatastore: datastoreOfPath(str(v, 'config.files.vmPathName')),
  };
  if (template) vm.template = true;
  if (blockers.length > 0) vm.blockers = blockers;
  if (notes.length > 0) vm.notes = notes;
  return vm;
}
