// Where each disk of a VM is: after a relocation with per-disk locators, each disk may sit on a
// datastore of its own. Read from the VM's device list (one call, for one VM or many): the disk's
// backing, its datastore, and its chain of files (snapshot deltas down to the base disk), which all
// move together; with the VM's host, since a vMotion moves that.

import type { VimClient } from './client.js';
import { propertiesOf, retrieveAll } from './property-collector.js';
import { decodeMor, decodeNumber, type ManagedObjectReference } from './types.js';
import { child, childNames, children, childText, xsiType, type XmlElement } from './xml.js';

export interface DiskPlacement {
  /** The device key (VirtualMachineRelocateSpecDiskLocator.diskId). */
  key: number;
  label: string;
  /** backing.datastore, when the server gives it. */
  datastore?: ManagedObjectReference;
  /** The datastore's name as the file name says ("[NEW-01] vm/vm.vmdk" → "NEW-01"). */
  datastoreName: string | null;
  /** The file the disk writes to now (the newest snapshot delta, or the base disk). */
  fileName: string;
  /** The backing chain, newest first, the base disk last. */
  chain: string[];
}

function datastoreOfPath(path: string): string | null {
  return /^\[([^\]]+)\]/.exec(path)?.[1] ?? null;
}

function items(val: XmlElement | undefined): XmlElement[] {
  if (!val) return [];
  return childNames(val).flatMap((n) => children(val, n));
}

/** Each disk of the VM, in device order. */
export async function readDiskPlacement(client: VimClient, vm: ManagedObjectReference): Promise<DiskPlacement[]> {
  return (await readVmPlacements(client, [vm])).get(vm.value)?.disks ?? [];
}

/** Where a VM is now: its host and each of its disks. */
export interface VmPlacement {
  host: ManagedObjectReference | null;
  disks: DiskPlacement[];
}

/** Where each of the VMs is now, by managed object id, in one call (a VM vCenter no longer has is left out). */
export async function readVmPlacements(client: VimClient, vms: readonly ManagedObjectReference[]): Promise<Map<string, VmPlacement>> {
  const out = new Map<string, VmPlacement>();
  if (vms.length === 0) return out;
  const contents = await retrieveAll(client, [{ propSet: [{ type: 'VirtualMachine', pathSet: ['config.hardware.device', 'runtime.host'] }], objectSet: vms.map((obj) => ({ obj })) }]);
  for (const oc of contents) {
    const p = propertiesOf(oc);
    out.set(oc.obj.value, { host: decodeMor(p.get('runtime.host')) ?? null, disks: disksOf(p.get('config.hardware.device')) });
  }
  return out;
}

function disksOf(devices: XmlElement | undefined): DiskPlacement[] {
  const out: DiskPlacement[] = [];
  for (const dev of items(devices)) {
    if (xsiType(dev) !== 'VirtualDisk') continue;
    const backing = child(dev, 'backing');
    const chain: string[] = [];
    for (let b = backing; b; b = child(b, 'parent')) {
      const name = childText(b, 'fileName');
      if (name !== undefined) chain.push(name);
    }
    const fileName = chain[0] ?? '';
    const placement: DiskPlacement = {
      key: decodeNumber(childText(dev, 'key')) ?? -1,
      label: childText(child(dev, 'deviceInfo'), 'label') ?? '',
      datastoreName: datastoreOfPath(fileName),
      fileName,
      chain,
    };
    const ds = decodeMor(child(backing, 'datastore'));
    if (ds) placement.datastore = ds;
    out.push(placement);
  }
  return out;
}
