// What stands before a VM's Storage vMotion: its snapshots and whether its disks need
// consolidation. One paged pass over a container view reads, for every VM, the snapshot tree and
// runtime.consolidationNeeded; counts and depth are worked out here.

import type { VimClient } from './client.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from './property-collector.js';
import { decodeBool, decodeSnapshotInfo, type ManagedObjectReference, type ObjectContent, type VirtualMachineSnapshotTree } from './types.js';
import { text } from './xml.js';

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
