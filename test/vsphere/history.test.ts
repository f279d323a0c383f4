// vCenter's history of migrations, read back from the harness: relocations leave a TaskInfo in the
// task history (queue, start and complete times) and the events vCenter posts for a migration;
// both collectors are read in pages smaller than the count and filtered by a time window.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import { eventHistoryPages, MIGRATION_EVENT_TYPES, readEventHistory, readTaskHistory, RELOCATE_DESCRIPTION_ID, taskHistoryPages } from '../../src/vsphere/history.js';
import * as methods from '../../src/vsphere/methods.js';
import { waitForTask, waitForTasks } from '../../src/vsphere/tasks.js';
import type { ManagedObjectReference, TaskInfo } from '../../src/vsphere/types.js';
import { startVcsim, type HarnessSpec, type Vcsim } from '../vcsim/harness.js';
import { dsRef, GiB, login, TiB, vmRef } from './fixture.js';

let vc: Vcsim;
let c: VimClient;
let windowStart: Date;
let windowEnd: Date;
const inWindow: ManagedObjectReference[] = [];
let failed: ManagedObjectReference;
let later: ManagedObjectReference;

const spec: HarnessSpec = {
  clusters: [{ name: 'C' }],
  hosts: [
    { name: 'h1', cluster: 'C' },
    { name: 'h2', cluster: 'C' },
  ],
  datastores: [
    { name: 'OLD', capacityBytes: 4 * TiB },
    { name: 'NEW', capacityBytes: 4 * TiB },
  ],
  vms: [
    ...['m1', 'm2', 'm3', 'm4', 'm5'].map((name, i) => ({ name, host: i % 2 ? 'h2' : 'h1', disks: [{ capacityBytes: 4 * GiB, datastore: 'OLD' }] })),
    { name: 'cold', host: 'h1', powerState: 'poweredOff' as const, disks: [{ capacityBytes: 4 * GiB, datastore: 'OLD' }] },
    { name: 'bad', host: 'h2', disks: [{ capacityBytes: 4 * GiB, datastore: 'OLD' }] },
    { name: 'after', host: 'h2', disks: [{ capacityBytes: 4 * GiB, datastore: 'OLD' }] },
  ],
  relocate: { fixedMs: 150, progressIntervalMs: -1 },
  faults: [{ vm: 'bad', fault: 'Timedout', message: 'Migration to host timed out.', atPercent: 50 }],
};

beforeAll(async () => {
  vc = await startVcsim(spec);
  c = await login(vc);
  // Inventory building ran vcsim's own tasks; the window starts after them.
  windowStart = new Date();
  for (const vm of ['m1', 'm2', 'm3', 'm4', 'm5', 'cold']) inWindow.push(await methods.RelocateVM_Task(c, vmRef(vc, vm), { datastore: dsRef(vc, 'NEW') }));
  failed = await methods.RelocateVM_Task(c, vmRef(vc, 'bad'), { datastore: dsRef(vc, 'NEW') });
  inWindow.push(failed);
  await waitForTasks(c, inWindow);
  windowEnd = new Date();
  later = await methods.RelocateVM_Task(c, vmRef(vc, 'after'), { datastore: dsRef(vc, 'NEW') });
  await waitForTask(c, later);
});

afterAll(async () => {
  await c?.close();
  await vc?.stop();
});

describe('task history', () => {
  it('reads the relocations of a time window in pages, oldest first, with their times, state and error', async () => {
    c.resetCallCounts();
    const pages: TaskInfo[][] = [];
    for await (const page of taskHistoryPages(c, { time: { timeType: 'queuedTime', beginTime: windowStart, endTime: windowEnd } }, { pageSize: 3 })) pages.push(page);
    // 7 tasks in pages of 3: 3 + 3 + 1, then an empty read ends it.
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(c.callCounts()).toMatchObject({ CreateCollectorForTasks: 1, ReadNextTasks: 4, DestroyCollector: 1 });
    const tasks = pages.flat();
    expect(tasks.map((t) => t.task.value)).toEqual(inWindow.map((t) => t.value));
    for (const t of tasks) {
      expect(t.descriptionId).toBe(RELOCATE_DESCRIPTION_ID);
      expect(t.name).toBe('RelocateVM_Task');
      expect(t.entity?.type).toBe('VirtualMachine');
      const [q, s, e] = [t.queueTime, t.startTime, t.completeTime].map((d) => d?.getTime() ?? NaN);
      expect(q).toBeLessThanOrEqual(s!);
      expect(s).toBeLessThan(e!);
      expect(q).toBeGreaterThanOrEqual(windowStart.getTime());
      expect(e).toBeLessThanOrEqual(windowEnd.getTime());
    }
    expect(tasks.map((t) => t.entityName)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'cold', 'bad']);
    expect(tasks.map((t) => t.state)).toEqual([...Array(6).fill('success'), 'error']);
    expect([tasks[6]?.error?.fault.faultName, tasks[6]?.error?.localizedMessage]).toEqual(['Timedout', 'Migration to host timed out.']);
  });

  it('filters by state and entity, and leaves out what is outside the window', async () => {
    const errors = await readTaskHistory(c, { time: { timeType: 'queuedTime', beginTime: windowStart }, state: ['error'] }, { pageSize: 2 });
    expect(errors.map((t) => t.task.value)).toEqual([failed.value]);
    // The VM's whole history holds its power-on too (a task of the inventory build); since the window: the relocation.
    const ofAfter = await readTaskHistory(c, { entity: { entity: vmRef(vc, 'after'), recursion: 'self' } });
    expect(ofAfter.map((t) => t.descriptionId)).toEqual(['VirtualMachine.powerOn', RELOCATE_DESCRIPTION_ID]);
    const ofAfterSince = await readTaskHistory(c, { entity: { entity: vmRef(vc, 'after'), recursion: 'self' }, time: { timeType: 'queuedTime', beginTime: windowStart } });
    expect(ofAfterSince.map((t) => t.task.value)).toEqual([later.value]);
    const window = await readTaskHistory(c, { time: { timeType: 'queuedTime', beginTime: windowStart, endTime: windowEnd } });
    expect(window.map((t) => t.task.value)).not.toContain(later.value);
  });

  it('pages backwards from the newest once read to the end', async () => {
    const collector = await methods.CreateCollectorForTasks(c, c.serviceContent.taskManager!, { time: { timeType: 'queuedTime', beginTime: windowStart, endTime: windowEnd } });
    try {
      while ((await methods.ReadNextTasks(c, collector, 5)).length > 0);
      const back = await methods.ReadPreviousTasks(c, collector, 3);
      // From the newest (bad), the three before it, newest first.
      expect(back.map((t) => t.entityName)).toEqual(['cold', 'm5', 'm4']);
    } finally {
      await methods.DestroyCollector(c, collector);
    }
  });
});

describe('event history', () => {
  it('reads the migration events of a time window in pages: each relocation as vCenter records it', async () => {
    const pages = [];
    for await (const page of eventHistoryPages(c, { time: { beginTime: windowStart, endTime: windowEnd }, eventTypeId: [...MIGRATION_EVENT_TYPES] }, { pageSize: 4 })) pages.push(page);
    expect(pages.every((p) => p.length <= 4)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    const events = pages.flat();
    const infos = await waitForTasks(c, inWindow);
    const byChain = (task: ManagedObjectReference) => events.filter((e) => e.chainId === infos.get(task.value)?.eventChainId).map((e) => e.type);

    // Powered on (vMotion or Storage vMotion): hot migration; powered off: relocation; a failure
    // its own event. Each operation's events share its task's chain.
    for (const t of inWindow.slice(0, 5)) expect(byChain(t)).toEqual(['VmBeingHotMigratedEvent', 'VmMigratedEvent']);
    expect(byChain(inWindow[5]!)).toEqual(['VmBeingRelocatedEvent', 'VmRelocatedEvent']);
    expect(byChain(failed)).toEqual(['VmBeingHotMigratedEvent', 'VmFailedMigrateEvent']);
    expect(events).toHaveLength(14);

    const m1 = events.find((e) => e.type === 'VmMigratedEvent' && e.vm?.name === 'm1');
    expect([m1?.vm?.ref?.value, m1?.sourceDatastore?.name, m1?.ds?.name, m1?.sourceHost?.name, m1?.host?.name, m1?.userName]).toEqual([
      vmRef(vc, 'm1').value,
      'OLD',
      'NEW',
      'h1',
      'h1',
      vc.username,
    ]);
    const fail = events.find((e) => e.type === 'VmFailedMigrateEvent');
    expect([fail?.vm?.name, fail?.reason?.fault.faultName, fail?.destDatastore?.name]).toEqual(['bad', 'Timedout', 'NEW']);
    // Times: the start event before the end event of the same operation.
    const start = events.find((e) => e.type === 'VmBeingHotMigratedEvent' && e.vm?.name === 'm1');
    expect(start!.createdTime.getTime()).toBeLessThanOrEqual(m1!.createdTime.getTime());
  });

  it("reads the task events, each carrying its task's info and chain", async () => {
    const taskEvents = await readEventHistory(c, { time: { beginTime: windowStart, endTime: windowEnd }, eventTypeId: ['TaskEvent'] }, { pageSize: 2 });
    expect(taskEvents.map((e) => e.info?.task.value)).toEqual(inWindow.map((t) => t.value));
    expect(taskEvents.every((e) => e.info?.descriptionId === RELOCATE_DESCRIPTION_ID && e.chainId === e.info?.eventChainId && e.key === e.chainId)).toBe(true);
    const outside = await readEventHistory(c, { time: { beginTime: windowEnd }, eventTypeId: ['TaskEvent'] });
    expect(outside.map((e) => e.info?.task.value)).toEqual([later.value]);
  });
});
