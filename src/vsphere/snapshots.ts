// What stands before a VM's Storage vMotion: its snapshots and whether its disks need
// consolidation. One paged pass over a container view reads, for every VM, the snapshot tree and
// runtime.consolidationNeeded; counts and depth are worked out here.

import type { VimClient } from './client.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from './property-collector.js';
import { decodeBool, decodeNumber, decodeSnapshotInfo, type ManagedObjectReference, type ObjectContent, type VirtualMachineSnapshotTree } from './types.js';
import { childNames, children, childText, text, type XmlElement } from './xml.js';

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
   * base disk (snapshot deltas and orphaned ones alike); undefined when layoutEx was not read.
   */
  redoBytes?: number;
}

/** Every element of an ArrayOf… value, whatever its element name. */
function items(val: XmlElement | undefined): XmlElement[] {
  if (!val) return [];
  return childNames(val).flatMap((n) => children(val, n));
}

/** The bytes of a VM's redo logs from its layoutEx.file and layoutEx.disk (the base disk of each chain left out). */
export function redoLogBytes(files: XmlElement | undefined, disks: XmlElement | undefined): number {
  const size = new Map<number, { size: number; type: string }>();
  for (const f of items(files)) {
    const key = decodeNumber(childText(f, 'key'));
    if (key !== undefined) size.set(key, { size: decodeNumber(childText(f, 'size')) ?? 0, type: childText(f, 'type') ?? '' });
  }
  let bytes = 0;
  for (const d of items(disks)) {
    // The chain runs from the base disk up to the newest delta.
    for (const unit of children(d, 'chain').slice(1)) {
      for (const fk of children(unit, 'fileKey')) {
        const f = size.get(decodeNumber(text(fk)) ?? -1);
        if (f && f.type === 'diskExtent') bytes += f.size;
      }
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
  if (p.has('layoutEx.disk')) state.redoBytes = redoLogBytes(p.get('layoutEx.file'), p.get('layoutEx.disk'));
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
