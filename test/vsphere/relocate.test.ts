// RelocateVM_Task followed through the property collector, against the harness: success, per-disk
// moves, injected failures, cancellation, tasks added to a live wait, and a session lost midway.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import { isVimFault, taskError } from '../../src/vsphere/faults.js';
import { readInventory } from '../../src/vsphere/inventory.js';
import * as methods from '../../src/vsphere/methods.js';
import { TaskWatcher, waitForTask, type TaskUpdate } from '../../src/vsphere/tasks.js';
import type { ManagedObjectReference, TaskInfo } from '../../src/vsphere/types.js';
import { decodeMorArray } from '../../src/vsphere/types.js';
import { startVcsim, type Vcsim } from '../vcsim/harness.js';
import { signal, until } from '../helpers/until.js';
import { dsRef, GiB, hostRef, login, smallSpec, vmRef } from './fixture.js';

let vc: Vcsim;
const clients: VimClient[] = [];

async function client(): Promise<VimClient> {
  const c = await login(vc);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  const spec = smallSpec();
  // More VMs to move, so that each test moves its own.
  for (let i = 1; i <= 9; i++) {
    spec.vms.push({ name: `mv${i}`, host: i % 2 ? 'esx-a1' : 'esx-a2', disks: [{ capacityBytes: 20 * GiB, allocatedBytes: 4 * GiB, thin: true, datastore: 'LEG-01' }] });
  }
  vc = await startVcsim(spec);
});

afterEach(async () => {
  await vc.setRelocate({ fixedMs: 600, progressIntervalMs: 100 });
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await vc?.stop();
});

/** An independent look at the VM: a fresh session, a full inventory read. */
async function independentRead(name: string) {
  const c = await login(vc);
  try {
    const estate = await readInventory(c);
    const vm = estate.vms.find((v) => v.name === name);
    if (!vm) throw new Error(`VM ${name} not found`);
    const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [
      { propSet: [{ type: 'VirtualMachine', pathSet: ['datastore'] }], objectSet: [{ obj: vmRef(vc, name) }] },
    ]);
    const val = r.objects[0]?.propSet.find((p) => p.name === 'datastore')?.val;
    const dsNames = new Map(Object.entries(vc.ids.datastores).map(([n, id]) => [id, n]));
    const datastoreProperty = decodeMorArray(val).map((ref) => dsNames.get(ref.value));
    return { vm, estate, datastoreProperty };
  } finally {
    await c.close();
  }
}

describe('RelocateVM_Task', () => {
  it('moves a VM to another datastore, followed to success through WaitForUpdatesEx without polling', async () => {
    const c = await client();
    const before = await independentRead('web01');
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { onUpdate: (u) => updates.push(u) });
    c.resetCallCounts();

    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'web01'), { datastore: dsRef(vc, 'NEW-01') });
    const info = await watcher.watch(task);
    await watcher.close();

    expect(info.state).toBe('success');
    expect(info.entity).toEqual(vmRef(vc, 'web01'));
    expect(info.entityName).toBe('web01');
    expect(info.startTime).toBeInstanceOf(Date);
    expect((info.completeTime as Date).getTime() - (info.startTime as Date).getTime()).toBeGreaterThanOrEqual(500);
    // Without progress: the state changes only, the final one last and once.
    expect(updates.map((u) => [u.info.state, u.done])).toEqual([
      ['running', false],
      ['success', true],
    ]);
    // Only the collector's and the view's own calls: nothing read the task by polling.
    const calls = Object.keys(c.callCounts()).sort();
    expect(calls).toEqual(['CreateFilter', 'CreateListView', 'CreatePropertyCollector', 'DestroyPropertyCollector', 'DestroyView', 'RelocateVM_Task', 'WaitForUpdatesEx']);
    expect(c.callCounts()['CreateFilter']).toBe(1);

    const after = await independentRead('web01');
    expect(after.vm.homeDatastore).toBe('NEW-01');
    expect(after.vm.disks.map((d) => [d.datastore, d.path])).toEqual([
      ['NEW-01', '[NEW-01] web01/web01.vmdk'],
      ['NEW-01', '[NEW-01] web01/web01_1.vmdk'],
    ]);
    // Sizes travel with the disks; allocated bytes still come from the moved files.
    expect(after.vm.disks.map((d) => d.allocatedBytes)).toEqual(before.vm.disks.map((d) => d.allocatedBytes));
    expect(after.datastoreProperty).toEqual(['NEW-01']);
    const free = (e: typeof before.estate, n: string) => e.datastores.find((d) => d.name === n)?.freeBytes ?? NaN;
    expect(free(after.estate, 'LEG-01') - free(before.estate, 'LEG-01')).toBe(80 * GiB); // 30 GiB thin + 50 GiB thick
    expect(free(before.estate, 'NEW-01') - free(after.estate, 'NEW-01')).toBe(80 * GiB);
    // The datastores' back-references follow the VM.
    const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [
      { propSet: [{ type: 'Datastore', pathSet: ['vm'] }], objectSet: [{ obj: dsRef(vc, 'LEG-01') }, { obj: dsRef(vc, 'NEW-01') }] },
    ]);
    const vmsOn = (ds: string) => decodeMorArray(r.objects.find((o) => o.obj.value === dsRef(vc, ds).value)?.propSet[0]?.val).map((x) => x.value);
    expect(vmsOn('NEW-01')).toContain(vmRef(vc, 'web01').value);
    expect(vmsOn('LEG-01')).not.toContain(vmRef(vc, 'web01').value);
  });

  it('moves one disk with a per-disk locator and leaves the rest', async () => {
    const c = await client();
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'db01'), { disk: [{ diskId: 2001, datastore: dsRef(vc, 'NEW-02') }] });
    const info = await waitForTask(c, task);
    expect(info.state).toBe('success');
    const { vm, datastoreProperty } = await independentRead('db01');
    expect(vm.homeDatastore).toBe('LEG-02');
    expect(vm.disks.map((d) => [d.key, d.datastore])).toEqual([
      [2000, 'LEG-02'],
      [2001, 'NEW-02'],
    ]);
    expect(datastoreProperty).toEqual(['LEG-02', 'NEW-02']);
  });

  it('moves host and datastore together', async () => {
    const c = await client();
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv1'), { datastore: dsRef(vc, 'NEW-02'), host: hostRef(vc, 'esx-a2') });
    expect((await waitForTask(c, task)).state).toBe('success');
    const { vm } = await independentRead('mv1');
    expect([vm.host, vm.cluster, vm.homeDatastore, vm.disks[0]?.datastore]).toEqual(['esx-a2', 'C1', 'NEW-02', 'NEW-02']);
  });

  it('answers a method fault, not a task, for a datastore that does not exist', async () => {
    const c = await client();
    await expect(methods.RelocateVM_Task(c, vmRef(vc, 'mv2'), { datastore: { type: 'Datastore', value: 'datastore-999' } })).rejects.toSatisfy((e) =>
      isVimFault(e, 'ManagedObjectNotFound'),
    );
  });

  it('fails, as vCenter does inside the task, a move to a datastore the host does not mount', async () => {
    const c = await client();
    const info = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'app01'), { datastore: dsRef(vc, 'LEG-02') }));
    expect(info.state).toBe('error');
    expect(info.error?.fault.faultName).toBe('InvalidDatastore');
    expect(info.error?.localizedMessage).toBe("The datastore 'LEG-02' is not accessible from host 'esx-b1'.");
  });

  it('ends an injected failure in error with its fault and message, and moves nothing', async () => {
    const c = await client();
    const message = 'A general system error occurred: Source detected that destination failed to resume.';
    await vc.injectFault({ vm: 'mv3', fault: 'Timedout', message, atPercent: 40, times: 1 });

    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv3'), { datastore: dsRef(vc, 'NEW-01') });
    const info = await waitForTask(c, task);
    expect(info.state).toBe('error');
    expect(info.error?.fault.faultName).toBe('Timedout');
    expect(info.error?.localizedMessage).toBe(message);
    const err = taskError(info);
    expect(err?.faultName).toBe('Timedout');
    expect(err?.message).toContain(message);
    expect((await independentRead('mv3')).vm.disks[0]?.datastore).toBe('LEG-01');

    // times: 1 — the retry succeeds.
    const retry = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'mv3'), { datastore: dsRef(vc, 'NEW-01') }));
    expect(retry.state).toBe('success');
    expect((await independentRead('mv3')).vm.disks[0]?.datastore).toBe('NEW-01');
  });

  it('ends a cancelled task in error with RequestCanceled, and nothing moves even after its planned end', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 1500 });
    const running = signal();
    const watcher = new TaskWatcher(c, { onUpdate: (u) => u.info.state === 'running' && running.resolve() });
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv4'), { datastore: dsRef(vc, 'NEW-01') });
    const final = watcher.watch(task);
    await running.promise; // cancelled while it runs
    await methods.CancelTask(c, task);
    const info = await final;
    await watcher.close();
    expect(info.state).toBe('error');
    expect(info.cancelled).toBe(true);
    expect(info.error?.fault.faultName).toBe('RequestCanceled');
    expect(taskError(info)?.faultName).toBe('RequestCanceled');
    // A relocation as long, started after the cancel, has ended: the cancelled one's planned end is past.
    const later = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'mv9'), { datastore: dsRef(vc, 'NEW-01') }));
    expect(later.state).toBe('success');
    expect((await independentRead('mv4')).vm.disks[0]?.datastore).toBe('LEG-01');
    // Cancelling a finished task is refused.
    await expect(methods.CancelTask(c, task)).rejects.toSatisfy((e) => isVimFault(e, 'InvalidState'));
  });
});

describe('TaskWatcher', () => {
  it('takes tasks added while a wait is in flight and reports a task that had already ended at once', async () => {
    const c = await client();
    // No progress updates: nothing changes on the server while mv5 copies, for longer than any
    // test runs, and a wait lasts as long: only a change of the view can end the wait in flight.
    await vc.setRelocate({ fixedMs: 600_000, progressIntervalMs: -1 });
    const first = signal();
    const watcher = new TaskWatcher(c, { maxWaitSeconds: 600, onUpdate: () => first.resolve() });
    const waitsBefore = (await vc.stats()).calls['WaitForUpdatesEx'] ?? 0;
    const long = await methods.RelocateVM_Task(c, vmRef(vc, 'mv5'), { datastore: dsRef(vc, 'NEW-01') });
    let longDone = false;
    const longFinal = watcher.watch(long).then((i) => ((longDone = true), i));
    // The watcher has had mv5's first state and is inside its next WaitForUpdatesEx, as vcsim counts.
    await first.promise;
    await until(async () => ((await vc.stats()).calls['WaitForUpdatesEx'] ?? 0) >= waitsBefore + 2, 'the watcher waiting again');

    // A second relocation of the same VM fails at once (TaskInProgress): its task has ended
    // before it joins the view. It is reported while mv5 still copies: the view change woke the wait.
    const busy = await methods.RelocateVM_Task(c, vmRef(vc, 'mv5'), { datastore: dsRef(vc, 'NEW-02') });
    const busyInfo = await watcher.watch(busy);
    expect(longDone).toBe(false);
    expect(busyInfo.state).toBe('error');
    expect(busyInfo.error?.fault.faultName).toBe('TaskInProgress');

    await methods.CancelTask(c, long);
    expect((await longFinal).error?.fault.faultName).toBe('RequestCanceled');
    expect(c.callCounts()['CreatePropertyCollector']).toBe(1); // one collector for both
    await watcher.close();
  });

  it('delivers progress only when asked, always in order and ending with the final state', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 1200, progressIntervalMs: 100 });
    const withProgress: TaskUpdate[] = [];
    const without: TaskUpdate[] = [];
    const w1 = new TaskWatcher(c, { progress: true, progressIntervalMs: 100, onUpdate: (u) => withProgress.push(u) });
    const w2 = new TaskWatcher(c, { onUpdate: (u) => without.push(u) });
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv6'), { datastore: dsRef(vc, 'NEW-02') });
    await Promise.all([w1.watch(task), w2.watch(task)]);
    await Promise.all([w1.close(), w2.close()]);

    const progress = withProgress.map((u) => u.info.progress).filter((p): p is number => p !== undefined);
    expect(new Set(progress).size).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(withProgress.at(-1)?.done).toBe(true);
    expect(withProgress.filter((u) => u.done)).toHaveLength(1);
    expect(withProgress.some((u) => u.info.description?.message === 'Migrating Virtual Machine active state')).toBe(true);
    expect(without.map((u) => u.info.state)).toEqual(['running', 'success']);
  });

  it('follows many tasks with one collector and reports each final state once', async () => {
    const c = await client();
    const finals: TaskInfo[] = [];
    const watcher = new TaskWatcher(c, { onUpdate: (u) => u.done && finals.push(u.info) });
    await vc.injectFault({ vm: 'mv8', message: 'Injected failure', fault: 'SystemError' });
    const tasks: ManagedObjectReference[] = [];
    for (const name of ['mv7', 'mv8', 'app01']) tasks.push(await methods.RelocateVM_Task(c, vmRef(vc, name), { datastore: dsRef(vc, 'NEW-02') }));
    const infos = await Promise.all(tasks.map((t) => watcher.watch(t)));
    await watcher.close();
    expect(infos.map((i) => i.state)).toEqual(['success', 'error', 'success']);
    expect(infos[1]?.error?.localizedMessage).toBe('Injected failure');
    expect(finals.map((i) => i.task.value).sort()).toEqual(tasks.map((t) => t.value).sort());
    // One filter on one view for all three, the three tasks added to it in one call.
    expect(c.callCounts()['CreateFilter']).toBe(1);
    expect(c.callCounts()['CreateListView']).toBe(1);
    expect(c.callCounts()['ModifyListView'] ?? 0).toBe(0);
    expect(c.callCounts()['DestroyPropertyFilter'] ?? 0).toBe(0);
    await vc.clearFaults();
  });

  it('rebuilds its collector and view after the session was renewed and still delivers every final state', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 1500, progressIntervalMs: 200 });
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { batchMs: 0, onUpdate: (u) => updates.push(u) });
    const first = await methods.RelocateVM_Task(c, vmRef(vc, 'sa01'), { datastore: dsRef(vc, 'NEW-01') });
    const firstFinal = watcher.watch(first);
    // The collector and view exist once the watcher has reported the task: then the session goes.
    await until(() => updates.some((u) => u.task.value === first.value), 'the first task reported');
    await vc.expireSessions();
    // The next call finds the session gone: the client logs in again, the watcher's collector and
    // view are gone with the old session and are built anew, holding both tasks.
    const second = await methods.RelocateVM_Task(c, vmRef(vc, 'mv1'), { datastore: dsRef(vc, 'NEW-01') });
    const secondFinal = watcher.watch(second);
    const [i1, i2] = await Promise.all([firstFinal, secondFinal]);
    await watcher.close();
    expect([i1.state, i2.state]).toEqual(['success', 'success']);
    expect(c.sessionEpoch).toBe(2);
    expect(c.callCounts()['CreatePropertyCollector']).toBe(2);
    expect(updates.filter((u) => u.done).map((u) => u.task.value).sort()).toEqual([first.value, second.value].sort());
    expect((await independentRead('sa01')).vm.disks[0]?.datastore).toBe('NEW-01');
  });

  it('follows tasks started one after the other from its own updates, as the executor does', async () => {
    const c = await client();
    await vc.setRelocate({ fixedMs: 60, progressIntervalMs: -1 });
    const targets = ['NEW-01', 'NEW-02'];
    const finals: string[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    let n = 0;
    const next = async (): Promise<void> => {
      const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv8'), { datastore: dsRef(vc, targets[n % 2]!) });
      n++;
      void watcher.watch(task);
    };
    // Each final update starts the next relocation, while the watcher's loop may be winding down.
    const watcher: TaskWatcher = new TaskWatcher(c, {
      maxWaitSeconds: 30,
      onUpdate: (u) => {
        if (!u.done) return;
        finals.push(u.info.state);
        if (finals.length === 20) resolveAll();
        else void next();
      },
    });
    await next();
    await all;
    await watcher.close();
    expect(finals).toEqual(Array(20).fill('success'));
  });

  it('rejects a task vCenter does not know, and goes on following the others', async () => {
    const c = await client();
    const watcher = new TaskWatcher(c);
    const real = await methods.RelocateVM_Task(c, vmRef(vc, 'mv7'), { datastore: dsRef(vc, 'NEW-01') });
    const ghost = watcher.watch({ type: 'Task', value: 'task-999999' });
    const info = watcher.watch(real);
    await expect(ghost).rejects.toThrow('task task-999999 does not exist in vCenter (any more)');
    expect((await info).state).toBe('success');
    await watcher.close();
  });

  it('rejects what it still follows when closed', async () => {
    const c = await client();
    // The task and the wait both last far longer than the test may: close must end the wait in
    // flight, not wait it out.
    await vc.setRelocate({ fixedMs: 600_000, progressIntervalMs: -1 });
    const reported = signal();
    const watcher = new TaskWatcher(c, { maxWaitSeconds: 600, onUpdate: () => reported.resolve() });
    const waitsBefore = (await vc.stats()).calls['WaitForUpdatesEx'] ?? 0;
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'mv2'), { datastore: dsRef(vc, 'NEW-01') });
    const final = watcher.watch(task);
    await reported.promise;
    await until(async () => ((await vc.stats()).calls['WaitForUpdatesEx'] ?? 0) >= waitsBefore + 2, 'the watcher waiting again');
    await watcher.close();
    await expect(final).rejects.toThrow(/stopped following task/);
    await methods.CancelTask(c, task);
  });
});
