// Pre-flight remediation against the harness: snapshot chains and consolidationNeeded read back,
// RemoveSnapshot_Task / RemoveAllSnapshots_Task / ConsolidateVMDisks_Task with their effect on the
// tree, the disk chains and the bytes, their duration model, injected faults, cancellation, and a
// relocation that carries a VM's whole chain.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import { isVimFault } from '../../src/vsphere/faults.js';
import { readInventory, readInventoryWithSnapshots } from '../../src/vsphere/inventory.js';
import * as methods from '../../src/vsphere/methods.js';
import { readDiskPlacement } from '../../src/vsphere/placement.js';
import { flattenSnapshots, readSnapshotStates, type VmSnapshotState } from '../../src/vsphere/snapshots.js';
import { waitForTask } from '../../src/vsphere/tasks.js';
import type { TaskInfo } from '../../src/vsphere/types.js';
import { startVcsim, type HarnessSpec, type Vcsim } from '../vcsim/harness.js';
import { dsRef, GiB, login, TiB, vmRef } from './fixture.js';

const MiB = 1024 ** 2;
let vc: Vcsim;
let c: VimClient;

// Every VM has a 10 GiB thin disk (2 GiB allocated) and a 20 GiB thick one on OLD.
const disks = [
  { capacityBytes: 10 * GiB, allocatedBytes: 2 * GiB, thin: true, datastore: 'OLD' },
  { capacityBytes: 20 * GiB, datastore: 'OLD' },
];
const chain3 = [
  { name: 's1', deltaBytes: 1 * GiB },
  { name: 's2', deltaBytes: 512 * MiB },
  { name: 's3', deltaBytes: 256 * MiB },
];
const spec: HarnessSpec = {
  clusters: [{ name: 'C' }],
  hosts: [{ name: 'h1', cluster: 'C' }],
  datastores: [
    { name: 'OLD', capacityBytes: 4 * TiB },
    { name: 'NEW', capacityBytes: 4 * TiB },
  ],
  vms: [
    { name: 'chain', host: 'h1', disks, snapshots: chain3 },
    { name: 'all', host: 'h1', disks, snapshots: chain3 },
    { name: 'slow', host: 'h1', disks, snapshots: [{ name: 'big', deltaBytes: 4 * GiB }] },
    { name: 'faulty', host: 'h1', disks, snapshots: chain3 },
    { name: 'busy', host: 'h1', disks, snapshots: chain3 },
    { name: 'mover', host: 'h1', disks, snapshots: chain3 },
    { name: 'orphan', host: 'h1', disks, unconsolidatedBytes: 1 * GiB },
    { name: 'plain', host: 'h1', disks },
  ],
  relocate: { fixedMs: 100, progressIntervalMs: -1 },
  remediation: { fixedMs: 100, bytesPerSecond: 8 * GiB, progressIntervalMs: 50 },
};

beforeAll(async () => {
  vc = await startVcsim(spec);
  c = await login(vc);
});

afterAll(async () => {
  await c?.close();
  await vc?.stop();
});

async function state(vm: string): Promise<VmSnapshotState> {
  const [s] = await readSnapshotStates(c, { vms: [vmRef(vc, vm)] });
  if (!s) throw new Error(`no state for ${vm}`);
  return s;
}

async function snapshotRef(vm: string, name: string) {
  const snap = flattenSnapshots((await state(vm)).tree).find((s) => s.name === name);
  if (!snap) throw new Error(`no snapshot ${name} on ${vm}`);
  return snap.snapshot;
}

/** Allocated bytes per disk as the inventory reader sees them (base plus deltas, thin disks). */
async function allocated(vm: string): Promise<number[]> {
  const estate = await readInventory(c);
  return estate.vms.find((v) => v.name === vm)?.disks.map((d) => d.allocatedBytes) ?? [];
}

const took = (i: TaskInfo) => (i.completeTime as Date).getTime() - (i.startTime as Date).getTime();

describe('snapshot state', () => {
  it('reads snapshot counts, tree depth, the current snapshot and consolidationNeeded for every VM in one pass', async () => {
    c.resetCallCounts();
    const states = await readSnapshotStates(c);
    expect(c.callCounts()['RetrievePropertiesEx']).toBe(1);
    const of = (n: string) => states.find((s) => s.name === n);
    expect([of('chain')?.snapshotCount, of('chain')?.depth, of('chain')?.consolidationNeeded]).toEqual([3, 3, false]);
    expect(flattenSnapshots(of('chain')?.tree ?? []).map((s) => s.name)).toEqual(['s1', 's2', 's3']);
    expect(of('chain')?.currentSnapshot).toEqual(flattenSnapshots(of('chain')?.tree ?? [])[2]?.snapshot);
    expect([of('orphan')?.snapshotCount, of('orphan')?.depth, of('orphan')?.consolidationNeeded]).toEqual([0, 0, true]);
    expect([of('plain')?.snapshotCount, of('plain')?.consolidationNeeded, of('plain')?.currentSnapshot]).toEqual([0, false, undefined]);
  });

  it('comes with the inventory from the same pass', async () => {
    c.resetCallCounts();
    const { estate, snapshots } = await readInventoryWithSnapshots(c);
    const plain = await readInventory(c);
    expect(c.callCounts()['RetrievePropertiesEx']).toBe(2); // one each
    expect(estate).toEqual(plain);
    expect([...snapshots.keys()].sort()).toEqual(estate.vms.map((v) => v.name).sort());
    expect([snapshots.get('chain')?.snapshotCount, snapshots.get('chain')?.depth, snapshots.get('orphan')?.consolidationNeeded]).toEqual([3, 3, true]);
  });

  it('gives each disk a chain of deltas that the inventory counts as allocated', async () => {
    const placement = await readDiskPlacement(c, vmRef(vc, 'chain'));
    expect(placement.map((d) => d.chain)).toEqual([
      ['[OLD] chain/chain-000003.vmdk', '[OLD] chain/chain-000002.vmdk', '[OLD] chain/chain-000001.vmdk', '[OLD] chain/chain.vmdk'],
      ['[OLD] chain/chain_1-000003.vmdk', '[OLD] chain/chain_1-000002.vmdk', '[OLD] chain/chain_1-000001.vmdk', '[OLD] chain/chain_1.vmdk'],
    ]);
    // Thin: 2 GiB + 1 GiB + 512 MiB + 256 MiB; thick: its capacity.
    expect(await allocated('chain')).toEqual([3.75 * GiB, 20 * GiB]);
    expect(await allocated('plain')).toEqual([2 * GiB, 20 * GiB]);
  });
});

describe('RemoveSnapshot_Task', () => {
  it('removes one snapshot, merging its delta into the one below: the tree and the chain shrink, the bytes stay', async () => {
    const task = await methods.RemoveSnapshot_Task(c, await snapshotRef('chain', 's2'), false, true);
    const info = await waitForTask(c, task);
    expect([info.state, info.name, info.descriptionId, info.entity?.value, info.entityName]).toEqual([
      'success',
      'RemoveSnapshot_Task',
      'vm.Snapshot.remove',
      vmRef(vc, 'chain').value,
      'chain',
    ]);
    const s = await state('chain');
    expect([s.snapshotCount, s.depth, s.consolidationNeeded]).toEqual([2, 2, false]);
    expect(flattenSnapshots(s.tree).map((x) => x.name)).toEqual(['s1', 's3']);
    expect((await readDiskPlacement(c, vmRef(vc, 'chain')))[0]?.chain).toEqual([
      '[OLD] chain/chain-000003.vmdk',
      '[OLD] chain/chain-000001.vmdk',
      '[OLD] chain/chain.vmdk',
    ]);
    expect(await allocated('chain')).toEqual([3.75 * GiB, 20 * GiB]);
  });

  it('removes a snapshot with its children', async () => {
    const info = await waitForTask(c, await methods.RemoveSnapshot_Task(c, await snapshotRef('chain', 's1'), true));
    expect(info.state).toBe('success');
    const s = await state('chain');
    expect([s.snapshotCount, s.depth, s.currentSnapshot]).toEqual([0, 0, undefined]);
    expect((await readDiskPlacement(c, vmRef(vc, 'chain')))[0]?.chain).toEqual(['[OLD] chain/chain.vmdk']);
    // Merged into the thin base: 2 GiB + 1.75 GiB.
    expect(await allocated('chain')).toEqual([3.75 * GiB, 20 * GiB]);
  });
});

describe('RemoveAllSnapshots_Task and ConsolidateVMDisks_Task', () => {
  it('without consolidation leaves the deltas and sets consolidationNeeded; consolidating merges them', async () => {
    const removed = await waitForTask(c, await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'all'), false));
    expect([removed.state, removed.name, removed.descriptionId]).toEqual(['success', 'RemoveAllSnapshots_Task', 'VirtualMachine.removeAllSnapshots']);
    let s = await state('all');
    expect([s.snapshotCount, s.consolidationNeeded]).toEqual([0, true]);
    expect((await readDiskPlacement(c, vmRef(vc, 'all')))[0]?.chain).toHaveLength(4);

    const consolidated = await waitForTask(c, await methods.ConsolidateVMDisks_Task(c, vmRef(vc, 'all')));
    expect([consolidated.state, consolidated.name, consolidated.descriptionId]).toEqual(['success', 'ConsolidateVMDisks_Task', 'VirtualMachine.consolidateDisks']);
    s = await state('all');
    expect([s.snapshotCount, s.consolidationNeeded]).toEqual([0, false]);
    expect((await readDiskPlacement(c, vmRef(vc, 'all'))).map((d) => d.chain)).toEqual([['[OLD] all/all.vmdk'], ['[OLD] all/all_1.vmdk']]);
    expect(await allocated('all')).toEqual([3.75 * GiB, 20 * GiB]);
  });

  it('consolidates a VM that needed it from the start', async () => {
    expect((await waitForTask(c, await methods.ConsolidateVMDisks_Task(c, vmRef(vc, 'orphan')))).state).toBe('success');
    expect((await state('orphan')).consolidationNeeded).toBe(false);
    expect(await allocated('orphan')).toEqual([3 * GiB, 20 * GiB]);
  });

  it('takes fixedMs plus the merged delta bytes over the remediation rate', async () => {
    // Two disks × 4 GiB merged at 8 GiB/s: 1 s, plus 100 ms.
    const info = await waitForTask(c, await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'slow')));
    expect(info.state).toBe('success');
    expect(took(info)).toBeGreaterThanOrEqual(1100);
  });

  it('ends an injected fault in error with its message and changes nothing', async () => {
    await vc.injectFault({ vm: 'faulty', task: 'removeAllSnapshots', fault: 'FileLocked', message: 'Unable to access file since it is locked', atPercent: 30, times: 1 });
    const info = await waitForTask(c, await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'faulty')));
    expect([info.state, info.error?.fault.faultName, info.error?.localizedMessage]).toEqual(['error', 'FileLocked', 'Unable to access file since it is locked']);
    expect((await state('faulty')).snapshotCount).toBe(3);
    // A relocation of the same VM is not affected by a fault meant for snapshot removal.
    expect((await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'faulty'), { datastore: dsRef(vc, 'OLD') }))).state).toBe('success');
    // times: 1 — the next removal succeeds.
    expect((await waitForTask(c, await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'faulty')))).state).toBe('success');
    expect((await state('faulty')).snapshotCount).toBe(0);
  });

  it('refuses a removal while another task holds the VM (TaskInProgress), and a cancelled removal changes nothing', async () => {
    await vc.setRelocate({ fixedMs: 1500 });
    const relocation = await methods.RelocateVM_Task(c, vmRef(vc, 'busy'), { datastore: dsRef(vc, 'NEW') });
    const refused = await waitForTask(c, await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'busy')));
    expect([refused.state, refused.error?.fault.faultName]).toEqual(['error', 'TaskInProgress']);
    await methods.CancelTask(c, relocation);
    await vc.setRelocate({ fixedMs: 100 });

    const removal = await methods.RemoveAllSnapshots_Task(c, vmRef(vc, 'busy'));
    await methods.CancelTask(c, removal);
    const cancelled = await waitForTask(c, removal);
    expect([cancelled.state, cancelled.error?.fault.faultName]).toEqual(['error', 'RequestCanceled']);
    expect((await state('busy')).snapshotCount).toBe(3);
    await expect(methods.CancelTask(c, removal)).rejects.toSatisfy((e) => isVimFault(e, 'InvalidState'));
  });
});

describe('RelocateVM_Task of a VM with snapshots', () => {
  it('moves every file of every disk chain and copies the deltas too', async () => {
    const before = await allocated('mover');
    const info = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'mover'), { datastore: dsRef(vc, 'NEW') }));
    expect(info.state).toBe('success');
    const placement = await readDiskPlacement(c, vmRef(vc, 'mover'));
    expect(placement.flatMap((d) => d.chain).every((f) => f.startsWith('[NEW] '))).toBe(true);
    expect(placement[0]?.chain).toHaveLength(4);
    expect(await allocated('mover')).toEqual(before);
    expect((await state('mover')).snapshotCount).toBe(3);
  });
});
