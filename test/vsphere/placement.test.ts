// Per-disk placement: one RelocateVM_Task with disk locators sends each disk to its own datastore,
// vCenter's admission charges every datastore involved, and the VM's disks say where they ended up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import * as methods from '../../src/vsphere/methods.js';
import { readDiskPlacement } from '../../src/vsphere/placement.js';
import { isWaitingForResources, TaskWatcher, type TaskUpdate } from '../../src/vsphere/tasks.js';
import { decodeMorArray } from '../../src/vsphere/types.js';
import { startVcsim, type HarnessSpec, type Vcsim } from '../vcsim/harness.js';
import { dsRef, GiB, login, TiB, vmRef } from './fixture.js';

let vc: Vcsim;
let c: VimClient;

// One relocation per datastore at a time (source and target both count).
const spec: HarnessSpec = {
  clusters: [{ name: 'C' }],
  hosts: [{ name: 'h1', cluster: 'C' }],
  datastores: ['OLD-1', 'OLD-2', 'OLD-3', 'NEW-A', 'NEW-B', 'NEW-C'].map((name) => ({ name, capacityBytes: 4 * TiB })),
  vms: [
    {
      name: 'big',
      host: 'h1',
      disks: [
        { capacityBytes: 40 * GiB, datastore: 'OLD-1' },
        { capacityBytes: 100 * GiB, allocatedBytes: 60 * GiB, thin: true, datastore: 'OLD-1' },
        { capacityBytes: 10 * GiB, datastore: 'OLD-1' },
      ],
    },
    { name: 'other', host: 'h1', disks: [{ capacityBytes: 10 * GiB, datastore: 'OLD-2' }] },
    { name: 'third', host: 'h1', disks: [{ capacityBytes: 10 * GiB, datastore: 'OLD-3' }] },
  ],
  relocate: { fixedMs: 1500, progressIntervalMs: -1, maxPerDatastore: 1 },
};

beforeAll(async () => {
  vc = await startVcsim(spec);
  c = await login(vc);
});

afterAll(async () => {
  await c?.close();
  await vc?.stop();
});

describe('RelocateVM_Task with per-disk locators', () => {
  it('sends each disk to its datastore, charging every target datastore while it copies', async () => {
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { batchMs: 0, onUpdate: (u) => updates.push(u) });
    // big: the home and disk 2000 to NEW-A, disk 2001 to NEW-B, disk 2002 stays on OLD-1 (its locator says so).
    const big = await methods.RelocateVM_Task(c, vmRef(vc, 'big'), {
      datastore: dsRef(vc, 'NEW-A'),
      disk: [
        { diskId: 2001, datastore: dsRef(vc, 'NEW-B') },
        { diskId: 2002, datastore: dsRef(vc, 'OLD-1') },
      ],
    });
    // While big copies: other's target NEW-B is charged by big's second disk, so it waits;
    // third's datastores (OLD-3, NEW-C) are free, so it copies at once.
    const other = await methods.RelocateVM_Task(c, vmRef(vc, 'other'), { datastore: dsRef(vc, 'NEW-B') });
    const third = await methods.RelocateVM_Task(c, vmRef(vc, 'third'), { datastore: dsRef(vc, 'NEW-C') });
    const [iBig, iOther, iThird] = await Promise.all([big, other, third].map((t) => watcher.watch(t)));
    await watcher.close();
    expect([iBig?.state, iOther?.state, iThird?.state]).toEqual(['success', 'success', 'success']);
    const first = (t: typeof big) => updates.find((u) => u.task.value === t.value);
    expect(isWaitingForResources(first(big)!.info)).toBe(false);
    expect(isWaitingForResources(first(other)!.info)).toBe(true);
    expect(isWaitingForResources(first(third)!.info)).toBe(false);
    // other started copying only when big had ended.
    expect(iOther!.completeTime!.getTime()).toBeGreaterThan(iBig!.completeTime!.getTime());

    const placement = await readDiskPlacement(c, vmRef(vc, 'big'));
    expect(placement.map((d) => [d.key, d.label, d.datastoreName, d.fileName, d.datastore?.value])).toEqual([
      [2000, 'Hard disk 1', 'NEW-A', '[NEW-A] big/big.vmdk', dsRef(vc, 'NEW-A').value],
      [2001, 'Hard disk 2', 'NEW-B', '[NEW-B] big/big_1.vmdk', dsRef(vc, 'NEW-B').value],
      [2002, 'Hard disk 3', 'OLD-1', '[OLD-1] big/big_2.vmdk', dsRef(vc, 'OLD-1').value],
    ]);
    // The VM's datastore list: home first, then the others it uses.
    const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [
      { propSet: [{ type: 'VirtualMachine', pathSet: ['datastore', 'config.files.vmPathName'] }], objectSet: [{ obj: vmRef(vc, 'big') }] },
    ]);
    const ds = decodeMorArray(r.objects[0]?.propSet.find((p) => p.name === 'datastore')?.val).map((x) => x.value);
    expect(ds).toEqual(['NEW-A', 'NEW-B', 'OLD-1'].map((n) => dsRef(vc, n).value));
  });
});
