// The task watcher against the harness: it tells a task waiting in vCenter's admission queue from
// one that copies, and it is cheap: one filter on one view for every task, progress ticks cost no
// round, removals ride on additions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import * as methods from '../../src/vsphere/methods.js';
import { isWaitingForResources, TaskWatcher, type TaskUpdate } from '../../src/vsphere/tasks.js';
import type { ManagedObjectReference } from '../../src/vsphere/types.js';
import { startVcsim, type HarnessSpec, type Vcsim } from '../vcsim/harness.js';
import { text } from '../../src/vsphere/xml.js';
import { until } from '../helpers/until.js';
import { dsRef, GiB, login, TiB, vmRef } from './fixture.js';

let vc: Vcsim;
const clients: VimClient[] = [];

async function client(): Promise<VimClient> {
  const c = await login(vc);
  clients.push(c);
  return c;
}

// Two hosts, one legacy and two new datastores; VMs v1…v14 alternate between the hosts.
const spec: HarnessSpec = {
  clusters: [{ name: 'C' }],
  hosts: [
    { name: 'h1', cluster: 'C' },
    { name: 'h2', cluster: 'C' },
  ],
  datastores: [
    { name: 'OLD', capacityBytes: 4 * TiB },
    { name: 'NEW-A', capacityBytes: 4 * TiB },
    { name: 'NEW-B', capacityBytes: 4 * TiB },
  ],
  vms: Array.from({ length: 14 }, (_, i) => ({
    name: `v${i + 1}`,
    host: i % 2 === 0 ? 'h1' : 'h2',
    disks: [{ capacityBytes: 8 * GiB, datastore: 'OLD' }],
  })),
  relocate: { fixedMs: 300, progressIntervalMs: -1 },
};

beforeAll(async () => {
  vc = await startVcsim(spec);
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await vc?.stop();
});

/** Where each update of a task says it is: [state, waiting for resources]. */
function phases(updates: TaskUpdate[], task: ManagedObjectReference): Array<[string, boolean]> {
  return updates.filter((u) => u.task.value === task.value).map((u) => [u.info.state, isWaitingForResources(u.info)]);
}

describe('TaskWatcher: queued and copying told apart', () => {
  it('reports a task first seen waiting for resources, later seen copying, then done, without progress', async () => {
    // One relocation per host at a time: the second one on h1 waits in vCenter's queue, in state
    // running, until the first ends; only its description changes when it starts to copy.
    const admission = await startVcsim({ ...spec, relocate: { fixedMs: 800, progressIntervalMs: -1, maxPerHost: 1 } });
    try {
      const c1 = await login(admission);
      clients.push(c1);
      const updates: TaskUpdate[] = [];
      const watcher = new TaskWatcher(c1, { batchMs: 0, onUpdate: (u) => updates.push(u) });
      const first = await methods.RelocateVM_Task(c1, vmRef(admission, 'v1'), { datastore: dsRef(admission, 'NEW-A') });
      const second = await methods.RelocateVM_Task(c1, vmRef(admission, 'v3'), { datastore: dsRef(admission, 'NEW-A') }); // also on h1
      await Promise.all([watcher.watch(first), watcher.watch(second)]);
      await watcher.close();

      expect(phases(updates, first)).toEqual([
        ['running', false],
        ['success', false],
      ]);
      expect(phases(updates, second)).toEqual([
        ['running', true], // queued in vCenter: state running, "Waiting" description
        ['running', false], // copying: only the description changed
        ['success', false],
      ]);
      const copying = updates.find((u) => u.task.value === second.value && u.info.state === 'running' && !isWaitingForResources(u.info));
      expect(copying?.changed).toEqual(['description']);
      expect(copying?.info.description?.message).toBe('Migrating Virtual Machine active state');
    } finally {
      await admission.stop();
    }
  });
});

describe('TaskWatcher: cost', () => {
  it('spends no WaitForUpdatesEx round on progress ticks', async () => {
    const c = await client();
    // Progress moves every 20 ms for 1.5 s: some 75 ticks, each a round for a watcher of `info`.
    await vc.setRelocate({ fixedMs: 1500, progressIntervalMs: 20 });
    const watcher = new TaskWatcher(c, { batchMs: 0 });
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'v5'), { datastore: dsRef(vc, 'NEW-A') });
    c.resetCallCounts();
    const info = await watcher.watch(task);
    await watcher.close();
    expect(info.state).toBe('success');
    // The task's first state and its end: two rounds, whatever the ticks.
    expect(c.callCounts()['WaitForUpdatesEx']).toBeLessThanOrEqual(3);
    expect(watcher.stats.rounds).toBeLessThanOrEqual(2);
  });

  it('follows tasks through one filter on one view: additions batched, removals riding on them', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 200, progressIntervalMs: -1 });
    const watcher = new TaskWatcher(c, { batchMs: 50, removeAfterMs: 60_000 });
    c.resetCallCounts();
    // A batch of three submitted together, then three more one after another as each ends.
    const wave = [];
    for (const vm of ['v2', 'v4', 'v6']) wave.push(await methods.RelocateVM_Task(c, vmRef(vc, vm), { datastore: dsRef(vc, 'NEW-B') }));
    const states = await Promise.all(wave.map((t) => watcher.watch(t)));
    for (const vm of ['v8', 'v10', 'v12']) {
      const t = await methods.RelocateVM_Task(c, vmRef(vc, vm), { datastore: dsRef(vc, 'NEW-B') });
      states.push(await watcher.watch(t));
    }
    await watcher.close();
    expect(states.map((s) => s.state)).toEqual(Array(6).fill('success'));
    const calls = c.callCounts();
    expect(calls['CreatePropertyCollector']).toBe(1);
    expect(calls['CreateFilter']).toBe(1);
    // The first three in CreateListView; each later one in one ModifyListView that also took the
    // finished ones out: no call of its own for a removal, none per task for a filter.
    expect(calls['CreateListView']).toBe(1);
    expect(calls['ModifyListView']).toBe(3);
    expect(calls['DestroyPropertyFilter'] ?? 0).toBe(0);
    expect(watcher.stats.viewChanges).toBe(4);
  });

  it('takes finished tasks out of the view on its own when no addition comes', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 100, progressIntervalMs: -1 });
    const watcher = new TaskWatcher(c, { batchMs: 0, removeAfterMs: 50 });
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'v7'), { datastore: dsRef(vc, 'NEW-A') });
    await watcher.watch(task);
    c.resetCallCounts();
    // Nothing else happens: the removal comes by itself, in one call.
    await until(() => watcher.stats.viewChanges >= 2, 'the finished task taken out of the view');
    expect(c.callCounts()['ModifyListView']).toBe(1);
    expect(watcher.stats.viewChanges).toBe(2); // the view made with the task, then this removal
    await watcher.close();
  });

  it('lets a task wait to join the view with others: one view change for both, and a task that ended meanwhile is still reported', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 100, progressIntervalMs: -1 });
    const updates: TaskUpdate[] = [];
    // Two tasks waiting to join make them join; alone, a task would wait its 10 minutes.
    const watcher = new TaskWatcher(c, { batchMs: 0, maxJoining: 2, removeAfterMs: 600_000, onUpdate: (u) => updates.push(u) });
    const state = async (t: ManagedObjectReference) => {
      const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [{ propSet: [{ type: 'Task', pathSet: ['info.state'] }], objectSet: [{ obj: t }] }]);
      return text(r.objects[0]?.propSet[0]?.val);
    };
    const first = await methods.RelocateVM_Task(c, vmRef(vc, 'v1'), { datastore: dsRef(vc, 'NEW-B') });
    const firstFinal = watcher.watch(first, { joinWithinMs: 600_000 });
    // It ends before anything joins the view.
    await until(async () => (await state(first)) === 'success', 'the first relocation ended in vCenter');
    expect(watcher.stats.viewChanges).toBe(0);
    const second = await methods.RelocateVM_Task(c, vmRef(vc, 'v3'), { datastore: dsRef(vc, 'NEW-B') });
    const secondFinal = watcher.watch(second, { joinWithinMs: 600_000 });
    expect((await firstFinal).state).toBe('success');
    expect((await secondFinal).state).toBe('success');
    await watcher.close();
    // One view for both; the first task's only update is its end.
    expect(watcher.stats.viewChanges).toBe(1);
    expect(updates.filter((u) => u.task.value === first.value).map((u) => [u.info.state, u.done])).toEqual([['success', true]]);
  });

  it('lets a task wait to join the view no longer than it was told', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 100, progressIntervalMs: -1 });
    const watcher = new TaskWatcher(c, { batchMs: 0, removeAfterMs: 600_000 });
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'v13'), { datastore: dsRef(vc, 'NEW-A') });
    // Alone, with 300 ms allowed: it joins then, and its end comes.
    expect((await watcher.watch(task, { joinWithinMs: 300 })).state).toBe('success');
    await watcher.close();
    expect(watcher.stats.viewChanges).toBe(1);
  });

  it('reads progress, when asked, for every running task in one call per interval', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 1500, progressIntervalMs: 20 });
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { batchMs: 0, progress: true, progressIntervalMs: 250, onUpdate: (u) => updates.push(u) });
    const tasks = [
      await methods.RelocateVM_Task(c, vmRef(vc, 'v9'), { datastore: dsRef(vc, 'NEW-A') }),
      await methods.RelocateVM_Task(c, vmRef(vc, 'v11'), { datastore: dsRef(vc, 'NEW-A') }),
    ];
    c.resetCallCounts();
    await Promise.all(tasks.map((t) => watcher.watch(t)));
    await watcher.close();
    const reads = watcher.stats.progressReads;
    expect(reads).toBeGreaterThanOrEqual(1);
    // One RetrievePropertiesEx per read for both tasks, at most one read per 250 ms of a 1.5 s copy.
    expect(c.callCounts()['RetrievePropertiesEx']).toBe(reads);
    expect(reads).toBeLessThanOrEqual(Math.ceil(1500 / 250) + 2);
    for (const t of tasks) {
      const mine = updates.filter((u) => u.task.value === t.value);
      const progress = mine.filter((u) => u.changed.includes('progress')).map((u) => u.info.progress as number);
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(mine.at(-1)?.done).toBe(true);
      expect(mine.filter((u) => u.done)).toHaveLength(1);
    }
  });
});
