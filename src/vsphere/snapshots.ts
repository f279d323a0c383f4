// What stands before a VM's Storage vMotion: its snapshots and whether its disks need
// consolidation. One paged pass over a container view reads, for every VM, the snapshot tree and
// runtime.consolidationNeeded; counts and depth are worked out here.

import type { VimClient } from './client.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from './property-collector.js';
import { decodeBool, decodeNumber, decodeSnapshotInfo, type ManagedObjectReference, type ObjectContent, type VirtualMachineSnapshotTree } from './types.js';
import { child, childNames, children, childText, text, xsiType, type XmlElement } from './xml.js';

export interface VmSnapshotState {
  vm: ManagedObjectReference;
  name: string;
  /** Snapshots in the tree. */
  snapshotCount: number;
  /** Longest chain from a root snapshot down (0: no snapshot). */
  depth: number;
  currentSnapshot?: ManagedObjectReference;
  /** runtime.consolidationNeeded: redo logs no snapshot holds (a removal that did not consolidate). */
  consolidationNeeded: boolean;
  tree: VirtualMachineSnapshotTree[];
  /**
   * Bytes of the VM's redo logs, all disks: every unit of each disk's chain in layoutEx but the
   * base disk (snapshot deltas and orphaned ones alike); undefined when layoutEx was not read
   * (readInventoryWithSnapshots reads it).
   */
  redoBytes?: number;
}

/** Every element of an ArrayOf… value, whatever its element name. */
function items(val: XmlElement | undefined): XmlElement[] {
  if (!val) return [];
  return childNames(val).flatMap((n) => children(val, n));
}

/**
 * The bytes of a VM's redo logs from its layoutEx (file, disk) and its devices: every unit of each
 * disk's chain but its base disk, which is told by name (the bottom of the disk's backing chain in
 * config.hardware.device), not by its place in the chain, whose order the API does not promise.
 */
export function redoLogBytes(files: XmlElement | undefined, disks: XmlElement | undefined, devices: XmlElement | undefined): number {
  const byKey = new Map<number, { name: string; size: number; type: string }>();
  for (const f of items(files)) {
    const key = decodeNumber(childText(f, 'key'));
    if (key !== undefined) byKey.set(key, { name: childText(f, 'name') ?? '', size: decodeNumber(childText(f, 'size')) ?? 0, type: childText(f, 'type') ?? '' });
  }
  const bases = new Set<string>();
  for (const dev of items(devices)) {
    if (xsiType(dev) !== 'VirtualDisk') continue;
    let b = child(dev, 'backing');
    while (child(b, 'parent') !== undefined) b = child(b, 'parent');
    const name = childText(b, 'fileName');
    if (name !== undefined) bases.add(name);
  }
  let bytes = 0;
  for (const d of items(disks)) {
    for (const unit of children(d, 'chain')) {
      const unitFiles = children(unit, 'fileKey').map((fk) => byKey.get(decodeNumber(text(fk)) ?? -1));
      if (unitFiles.some((f) => f !== undefined && bases.has(f.name))) continue;
      for (const f of unitFiles) if (f && f.type === 'diskExtent') bytes += f.size;
    }
  }
  return bytes;
}

export function snapshotCount(tree: VirtualMachineSnapshotTree[]): number {
  return tree.reduce((n, s) => n + 1 + snapshotCount(s.childSnapshotList), 0);
}

export function snapshotDepth(tree: VirtualMachineSnapshotTree[]): number {
  return tree.reduce((d, s) => Math.max(d, 1 + snapshotDepth(s.childSnapshotList)), 0);
}

/** Every snapshot of the tree, parents before their children. */
export function flattenSnapshots(tree: VirtualMachineSnapshotTree[]): VirtualMachineSnapshotTree[] {
  return tree.flatMap((s) => [s, ...flattenSnapshots(s.childSnapshotList)]);
}

/** The VirtualMachine properties a snapshot state is read from. */
export const SNAPSHOT_PATHS = ['name', 'snapshot', 'runtime.consolidationNeeded'];

/** The snapshot state of a VM from its ObjectContent (SNAPSHOT_PATHS read). */
export function snapshotStateOf(oc: ObjectContent): VmSnapshotState {
  const p = propertiesOf(oc);
  const info = decodeSnapshotInfo(p.get('snapshot'));
  const tree = info?.rootSnapshotList ?? [];
  const state: VmSnapshotState = {
    vm: oc.obj,
    name: p.get('name') ? text(p.get('name')) : oc.obj.value,
    snapshotCount: snapshotCount(tree),
    depth: snapshotDepth(tree),
    consolidationNeeded: decodeBool(text(p.get('runtime.consolidationNeeded'))) ?? false,
    tree,
  };
  if (info?.currentSnapshot) state.currentSnapshot = info.currentSnapshot;
  if (p.has('layoutEx.disk')) state.redoBytes = redoLogBytes(p.get('layoutEx.file'), p.get('layoutEx.disk'), p.get('config.hardware.device'));
  return state;
}

/** Snapshot state of the given VMs (one call), or of every VM in the inventory (one paged pass). */
export async function readSnapshotStates(client: VimClient, options: { vms?: ManagedObjectReference[]; pageSize?: number } = {}): Promise<VmSnapshotState[]> {
  const maxObjects = options.pageSize ?? 500;
  if (options.vms) {
    if (options.vms.length === 0) return [];
    const contents = await retrieveAll(client, [{ propSet: [{ type: 'VirtualMachine', pathSet: SNAPSHOT_PATHS }], objectSet: options.vms.map((obj) => ({ obj })) }], { maxObjects });
    return contents.map(snapshotStateOf);
  }
  const contents = await withContainerView(client, { type: ['VirtualMachine'] }, (view) =>
    retrieveAll(client, [viewSpec(view, [{ type: 'VirtualMachine', pathSet: SNAPSHOT_PATHS }])], { maxObjects }),
  );
  return contents.map(snapshotStateOf);
}
