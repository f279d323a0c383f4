// The harness itself, and what it establishes about vcsim (see README.md): the build cache,
// Estate → spec → simulator → readInventory, spec checking, admission waits, copy time by size,
// restart, and vcsim's own RelocateVM_Task behaviour ("stock" mode) that made the harness serve
// the method itself.

import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Estate } from '../../src/domain/estate.js';
import type { VimClient } from '../../src/vsphere/client.js';
import { readInventory } from '../../src/vsphere/inventory.js';
import * as methods from '../../src/vsphere/methods.js';
import { TaskWatcher, waitForTask, type TaskUpdate } from '../../src/vsphere/tasks.js';
import { decodeMorArray, type ManagedObjectReference } from '../../src/vsphere/types.js';
import { childText, children, text, type XmlElement } from '../../src/vsphere/xml.js';
import { until } from '../helpers/until.js';
import { dsRef, GiB, login, TiB, vmRef } from '../vsphere/fixture.js';
import { buildHarness, estateToHarnessSpec, startVcsim, type HarnessSpec, type Vcsim } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const started: Vcsim[] = [];
const clients: VimClient[] = [];

async function start(spec: HarnessSpec): Promise<Vcsim> {
  const vc = await startVcsim(spec);
  started.push(vc);
  return vc;
}

async function client(vc: Vcsim): Promise<VimClient> {
  const c = await login(vc);
  clients.push(c);
  return c;
}

// The first build can take minutes (downloading and compiling govmomi): a hook has the time.
beforeAll(() => {
  buildHarness();
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  for (const vc of started) await vc.stop();
});

const tiny: HarnessSpec = {
  clusters: [{ name: 'C1' }],
  hosts: [
    { name: 'h1', cluster: 'C1' },
    { name: 'h2', cluster: 'C1' },
  ],
  datastores: [
    { name: 'OLD', capacityBytes: 2 * TiB },
    { name: 'NEW', capacityBytes: 2 * TiB },
  ],
  vms: [
    { name: 'a', host: 'h1', disks: [{ capacityBytes: 8 * GiB, datastore: 'OLD' }] },
    { name: 'b', host: 'h1', disks: [{ capacityBytes: 8 * GiB, datastore: 'OLD' }] },
    { name: 'c', host: 'h2', disks: [{ capacityBytes: 64 * GiB, allocatedBytes: 4 * GiB, thin: true, datastore: 'OLD' }] },
  ],
};

/** The VM's `datastore` property and its disks' backing file names, read directly. */
async function vmStorage(c: VimClient, vm: ManagedObjectReference): Promise<{ datastore: string[]; files: string[] }> {
  const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [
    { propSet: [{ type: 'VirtualMachine', pathSet: ['datastore', 'config.hardware.device'] }], objectSet: [{ obj: vm }] },
  ]);
  const props = new Map((r.objects[0]?.propSet ?? []).map((p) => [p.name, p.val]));
  const devices = props.get('config.hardware.device');
  const files: string[] = [];
  for (const d of children(devices, 'VirtualDevice')) {
    const name = childText(children(d, 'backing')[0] as XmlElement | undefined, 'fileName');
    if (name?.endsWith('.vmdk')) files.push(name);
  }
  return { datastore: decodeMorArray(props.get('datastore')).map((x) => x.value), files };
}

describe('build', () => {
  it('does not rebuild when the sources did not change', () => {
    const bin = buildHarness();
    const before = statSync(bin).mtimeMs;
    const out = execFileSync(join(HERE, 'build.sh'), { encoding: 'utf8' }).trim();
    expect(out).toBe(bin);
    expect(statSync(bin).mtimeMs).toBe(before);
  });
});

describe('spec', () => {
  it('round-trips an Estate: what readInventory sees is the estate the spec came from', async () => {
    const estate: Estate = {
      vcenter: 'vc.example.com',
      clusters: [{ name: 'Prod', datacenter: 'DC0' }],
      hosts: [
        { name: 'esx01', cluster: 'Prod', enclosure: 'enc1', hbaPorts: 2, model: 'Synergy 480 Gen10' },
        { name: 'esx02', cluster: 'Prod', enclosure: 'enc1', hbaPorts: 2 },
        { name: 'esx99', cluster: null, enclosure: null },
      ],
      datastores: [
        { name: 'VMAX_01', capacityBytes: 16 * TiB, freeBytes: 3 * TiB, array: 'vmax', role: 'legacy', hosts: null, type: 'VMFS' },
        { name: 'VMAX_02', capacityBytes: 8 * TiB, freeBytes: 1 * TiB, array: 'vmax', role: 'legacy', hosts: ['esx01', 'esx02'], type: 'VMFS' },
        { name: 'PURE_01', capacityBytes: 32 * TiB, freeBytes: 32 * TiB, array: 'pure', role: 'new', hosts: null, type: 'VMFS' },
      ],
      vms: [
        {
          name: 'erp-db',
          cluster: 'Prod',
          host: 'esx02',
          powerState: 'poweredOn',
          memoryBytes: 64 * GiB,
          homeDatastore: 'VMAX_02',
          disks: [
            { label: 'Hard disk 1', capacityBytes: 100 * GiB, allocatedBytes: 100 * GiB, thin: false, datastore: 'VMAX_02' },
            { label: 'Hard disk 2', capacityBytes: 2 * TiB, allocatedBytes: 700 * GiB, thin: true, datastore: 'VMAX_01' },
          ],
        },
        // No host: the helper places it on a host of its cluster that mounts its datastores.
        { name: 'web', cluster: 'Prod', host: null, powerState: 'suspended', memoryBytes: 4 * GiB, disks: [{ label: 'Hard disk 1', capacityBytes: 40 * GiB, allocatedBytes: 40 * GiB, thin: false, datastore: 'VMAX_02' }] },
        { name: 'gold', cluster: null, host: 'esx99', powerState: 'poweredOff', memoryBytes: 2 * GiB, template: true, disks: [{ label: 'Hard disk 1', capacityBytes: 16 * GiB, allocatedBytes: 2 * GiB, thin: true, datastore: null }], homeDatastore: 'VMAX_01' },
      ],
    };
    const vc = await start(estateToHarnessSpec(estate));
    const c = await client(vc);
    const read = await readInventory(c, { classify: ({ name }) => (name.startsWith('VMAX') ? 'legacy' : 'new') });

    expect(read.clusters).toEqual(estate.clusters);
    const sortByName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(sortByName(read.hosts).map((h) => [h.name, h.cluster])).toEqual(sortByName(estate.hosts).map((h) => [h.name, h.cluster]));
    expect(read.hosts.find((h) => h.name === 'esx01')?.model).toBe('Synergy 480 Gen10');
    expect(sortByName(read.datastores)).toEqual(sortByName(estate.datastores).map((d) => ({ ...d, array: null })));
    const vms = sortByName(read.vms);
    expect(vms.map((v) => [v.name, v.cluster, v.host, v.powerState, v.memoryBytes, v.homeDatastore, v.template ?? false])).toEqual([
      ['erp-db', 'Prod', 'esx02', 'poweredOn', 64 * GiB, 'VMAX_02', false],
      ['gold', null, 'esx99', 'poweredOff', 2 * GiB, 'VMAX_01', true],
      ['web', 'Prod', 'esx01', 'suspended', 4 * GiB, 'VMAX_02', false],
    ]);
    const disks = (name: string) => vms.find((v) => v.name === name)?.disks.map((d) => [d.label, d.capacityBytes, d.allocatedBytes, d.thin, d.datastore]);
    expect(disks('erp-db')).toEqual([
      ['Hard disk 1', 100 * GiB, 100 * GiB, false, 'VMAX_02'],
      ['Hard disk 2', 2 * TiB, 700 * GiB, true, 'VMAX_01'],
    ]);
    expect(disks('gold')).toEqual([['Hard disk 1', 16 * GiB, 2 * GiB, true, 'VMAX_01']]);
  });

  it('refuses a spec it cannot build, with a message naming the object', async () => {
    const bad: HarnessSpec = { ...tiny, datastores: [{ name: 'OLD', capacityBytes: TiB, hosts: ['h1'] }, tiny.datastores[1]!] };
    await expect(startVcsim(bad)).rejects.toThrow(/VM "c": datastore "OLD" is not mounted on host "h2"/);
  });
});

describe('relocation model', () => {
  it('takes longer for more bytes when a copy rate is set', async () => {
    const vc = await start({ ...tiny, relocate: { fixedMs: 100, bytesPerSecond: 8 * GiB } });
    const c = await client(vc);
    const t8 = await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') }); // 8 GiB thick: ~1.1 s
    const t4 = await methods.RelocateVM_Task(c, vmRef(vc, 'c'), { datastore: dsRef(vc, 'NEW') }); // 4 GiB allocated: ~0.6 s
    const watcher = new TaskWatcher(c);
    const [i8, i4] = await Promise.all([watcher.watch(t8), watcher.watch(t4)]);
    await watcher.close();
    const took = (i: { startTime?: Date; completeTime?: Date }) => (i.completeTime as Date).getTime() - (i.startTime as Date).getTime();
    expect(took(i8)).toBeGreaterThanOrEqual(1000);
    expect(took(i4)).toBeGreaterThanOrEqual(500);
    expect(took(i8)).toBeGreaterThan(took(i4));
  });

  it('makes a relocation over the per-host limit wait, running, with vCenter\'s "Waiting" description', async () => {
    const vc = await start({ ...tiny, relocate: { fixedMs: 700, progressIntervalMs: 100, maxPerHost: 1 } });
    const c = await client(vc);
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { progress: true, onUpdate: (u) => updates.push(u) });
    const first = await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') });
    const second = await methods.RelocateVM_Task(c, vmRef(vc, 'b'), { datastore: dsRef(vc, 'NEW') }); // same host h1
    const [i1, i2] = await Promise.all([watcher.watch(first), watcher.watch(second)]);
    await watcher.close();
    const secondUpdates = updates.filter((u) => u.task.value === second.value);
    expect(secondUpdates[0]?.info.state).toBe('running');
    expect(secondUpdates.some((u) => u.info.description?.message === 'Resources currently in use by other operations. Waiting.')).toBe(true);
    expect(i2.state).toBe('success');
    // The second copy started when the first ended.
    expect((i2.completeTime as Date).getTime() - (i1.completeTime as Date).getTime()).toBeGreaterThanOrEqual(600);
  });

  it('fails a relocation that does not fit in the target datastore with NoDiskSpace', async () => {
    const vc = await start({ ...tiny, datastores: [tiny.datastores[0]!, { name: 'NEW', capacityBytes: 2 * TiB, freeBytes: 6 * GiB }], relocate: { fixedMs: 100 } });
    const c = await client(vc);
    const big = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') })); // 8 GiB thick
    expect([big.state, big.error?.fault.faultName, big.error?.localizedMessage]).toEqual(['error', 'NoDiskSpace', "Insufficient disk space on datastore 'NEW'."]);
    const thin = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'c'), { datastore: dsRef(vc, 'NEW') })); // 4 GiB allocated
    expect(thin.state).toBe('success');
  });

  it('restarts on the same URL with the same certificate and a fresh inventory; a client logs in again by itself', async () => {
    const vc = await start({ ...tiny, relocate: { fixedMs: 100 } });
    const c = await client(vc);
    expect((await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') }))).state).toBe('success');
    const url = vc.url;
    await vc.restart();
    expect(vc.url).toBe(url);
    const again = await readInventory(c);
    expect(c.sessionEpoch).toBe(2);
    expect(again.vms.find((v) => v.name === 'a')?.disks[0]?.datastore).toBe('OLD');
  });
});

describe('vcsim without the harness relocation (stock mode)', () => {
  it('changes only the VM datastore property: disk backings stay on the source', async () => {
    const vc = await start({ ...tiny, relocate: { mode: 'stock' } });
    const c = await client(vc);
    const info = await waitForTask(c, await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') }));
    expect(info.state).toBe('success');
    expect(info.entityName).toBe(vmRef(vc, 'a').value); // vcsim names the entity by its moid
    const storage = await vmStorage(c, vmRef(vc, 'a'));
    expect(storage.datastore).toEqual([vc.ids.datastores['NEW']]);
    expect(storage.files).toEqual(['[OLD] a/a.vmdk']);
  });

  it('with a task delay and lock hand-off (the default) blocks property reads of the VM until the task ends', async () => {
    const vc = await start({ ...tiny, relocate: { mode: 'stock', fixedMs: 3000 } });
    const c = await client(vc);
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'a'), { datastore: dsRef(vc, 'NEW') });
    // Read at once: the task holds the VM's lock from its submission until it has moved the VM, so
    // the read is answered only then, with the VM already moved.
    expect((await vmStorage(c, vmRef(vc, 'a'))).datastore).toEqual([vc.ids.datastores['NEW']]);
    expect((await waitForTask(c, task)).state).toBe('success');
  });

  it('with LockHandoff:0 keeps the task running through the delay while reads go on; a cancel is later overwritten by success', async () => {
    const vc = await start({ ...tiny, relocate: { mode: 'stock', fixedMs: 8000, lockHandoff: false } });
    const c = await client(vc);
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { onUpdate: (u) => updates.push(u) });
    const state = async (): Promise<string | undefined> => {
      const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [{ propSet: [{ type: 'Task', pathSet: ['info.state'] }], objectSet: [{ obj: task }] }]);
      return text(r.objects[0]?.propSet[0]?.val);
    };
    const task = await methods.RelocateVM_Task(c, vmRef(vc, 'b'), { datastore: dsRef(vc, 'NEW') });
    // Read at once: answered while the task still runs, the VM not moved yet (no lock is held).
    expect((await vmStorage(c, vmRef(vc, 'b'))).datastore).toEqual([vc.ids.datastores['OLD']]);
    expect(await state()).toBe('running');
    await methods.CancelTask(c, task);
    const cancelled = await watcher.watch(task);
    await watcher.close();
    expect([cancelled.state, cancelled.error?.fault.faultName]).toEqual(['error', 'RequestCanceled']);
    // vcsim's task goroutine still runs after the delay and overwrites the cancelled state.
    await until(async () => (await state()) === 'success', 'the cancelled task overwritten by success');
    expect((await vmStorage(c, vmRef(vc, 'b'))).datastore).toEqual([vc.ids.datastores['NEW']]);
  });
});

describe('copy engine: time scale, a shared link, production-load noise', () => {
  const MiB = 1024 ** 2;
  const five: HarnessSpec = {
    ...tiny,
    datastores: [
      { name: 'OLD', capacityBytes: 100 * TiB },
      { name: 'NEW', capacityBytes: 100 * TiB },
    ],
    // Big enough that every copy is still running when the rates are read.
    vms: ['p', 'q', 'r', 's', 't'].map((name) => ({ name, host: 'h1', disks: [{ capacityBytes: 8 * TiB, datastore: 'OLD' }] })),
  };

  /** Starts relocations of the VMs and waits (reading the engine) until all copy. */
  async function copying(vc: Vcsim, c: VimClient, vms: string[]): Promise<ManagedObjectReference[]> {
    const tasks: ManagedObjectReference[] = [];
    for (const vm of vms) tasks.push(await methods.RelocateVM_Task(c, vmRef(vc, vm), { datastore: dsRef(vc, 'NEW') }));
    await until(async () => (await vc.copies()).copies.length >= vms.length, `${vms.length} copies in the engine`);
    return tasks;
  }

  /** Max-min fair shares of capacity among copies capped at caps, by progressive filling (a second method). */
  function progressiveFilling(caps: number[], capacity: number): number[] {
    const rates = caps.map(() => 0);
    const open = new Set(caps.map((_, i) => i));
    let left = capacity;
    while (open.size > 0) {
      const step = Math.min(left / open.size, ...[...open].map((i) => caps[i]! - rates[i]!));
      for (const i of open) rates[i]! += step;
      left -= step * open.size;
      for (const i of [...open]) if (caps[i]! - rates[i]! <= 1e-6) open.delete(i);
      if (left <= 1e-6) break;
    }
    return rates;
  }

  it('shares one link max-min fairly among copies with different rates, after production load', async () => {
    // Link 1000 MiB/s, a quarter taken by production: 750 MiB/s for copies capped at 300 MiB/s × their factor.
    const vc = await start({
      ...five,
      relocate: { bytesPerSecond: 300 * MiB, link: { bytesPerSecond: 1000 * MiB }, noise: { seed: 7, perCopySpread: 0.6, load: { mean: 0.25, periodSeconds: 60 } } },
    });
    const c = await client(vc);
    const tasks = await copying(vc, c, ['p', 'q', 'r', 's']);
    const { copies, load } = await vc.copies();
    expect(load).toBeCloseTo(0.25, 12);
    const caps = copies.map((x) => 300 * MiB * x.factor);
    expect(new Set(copies.map((x) => x.factor.toFixed(6))).size).toBe(4); // four different copy rates
    const expected = progressiveFilling(caps, 750 * MiB);
    copies.forEach((x, i) => expect(x.rate).toBeCloseTo(expected[i]!, 0));
    expect(copies.reduce((s, x) => s + x.rate, 0)).toBeLessThanOrEqual(750 * MiB + 1);
    for (const t of tasks) await methods.CancelTask(c, t);
  });

  it('gives equal shares when asked, a copy keeping no more than its own rate', async () => {
    // 600 MiB/s for 4 copies: 150 each, unless a copy's own rate is lower.
    const vc = await start({ ...five, relocate: { bytesPerSecond: 200 * MiB, link: { bytesPerSecond: 600 * MiB, share: 'equal' }, noise: { seed: 3, perCopySpread: 0.8 } } });
    const c = await client(vc);
    const tasks = await copying(vc, c, ['p', 'q', 'r', 's']);
    const { copies } = await vc.copies();
    for (const x of copies) expect(x.rate).toBeCloseTo(Math.min(200 * MiB * x.factor, 150 * MiB), 0);
    for (const t of tasks) await methods.CancelTask(c, t);
    // Without a link, each copy runs at its own rate less the production load.
    await vc.setRelocate({ clearLink: true, noise: { seed: 3, perCopySpread: 0.8, load: { mean: 0.5, periodSeconds: 10 } } });
    const more = await copying(vc, c, ['t']);
    const [t] = (await vc.copies()).copies;
    expect(t!.rate).toBeCloseTo(200 * MiB * t!.factor * 0.5, 0);
    await methods.CancelTask(c, more[0]!);
  });

  it('copies a VM with disks on several datastores in one stream per datastore, up to 4', async () => {
    // wide: disks on OLD, OLD2 and OLD3 (and a second on OLD): 3 streams; narrow: one datastore, 1 stream.
    const spec: HarnessSpec = {
      ...five,
      datastores: [...five.datastores, { name: 'OLD2', capacityBytes: 100 * TiB }, { name: 'OLD3', capacityBytes: 100 * TiB }],
      vms: [
        { name: 'wide', host: 'h1', disks: ['OLD', 'OLD', 'OLD2', 'OLD3'].map((datastore) => ({ capacityBytes: 2 * TiB, datastore })) },
        { name: 'narrow', host: 'h2', disks: [{ capacityBytes: 8 * TiB, datastore: 'OLD' }] },
      ],
    };
    const vc = await start({ ...spec, relocate: { bytesPerSecond: 100 * MiB } });
    const c = await client(vc);
    const tasks = await copying(vc, c, ['wide', 'narrow']);
    const byVm = new Map((await vc.copies()).copies.map((x) => [x.vm, x]));
    expect([byVm.get('wide')?.streams, byVm.get('narrow')?.streams]).toEqual([3, 1]);
    expect(byVm.get('wide')!.rate).toBeCloseTo(300 * MiB, 0);
    expect(byVm.get('narrow')!.rate).toBeCloseTo(100 * MiB, 0);
    for (const t of tasks) await methods.CancelTask(c, t);
  });

  it('draws the same noise from the same seed: load curve and copy factors', async () => {
    const noise = { seed: 11, perCopySpread: 0.5, load: { mean: 0.3, amplitude: 0.2, periodSeconds: 600 } };
    const a = await start({ ...five, relocate: { bytesPerSecond: 100 * MiB, noise } });
    const b = await start({ ...five, relocate: { bytesPerSecond: 100 * MiB, noise } });
    const other = await start({ ...five, relocate: { bytesPerSecond: 100 * MiB, noise: { ...noise, seed: 12 } } });
    const at = [0, 100, 600, 900.5, 3600, 86_400];
    const la = await a.loadAt(at);
    expect(await b.loadAt(at)).toEqual(la);
    expect(await other.loadAt(at)).not.toEqual(la);
    for (const l of la) expect(l >= 0.1 - 1e-12 && l <= 0.5 + 1e-12).toBe(true);
    // Between two knots the curve is a straight line: 900.5 s lies between the knots at 600 and 1200.
    const [k600, k900, k1200] = await a.loadAt([600, 900, 1200]);
    expect(k900).toBeCloseTo((k600! + k1200!) / 2, 12);
    // The same VM's first attempt gets the same factor from the same seed.
    const factorOf = async (vc: Vcsim) => {
      const c = await client(vc);
      const [task] = await copying(vc, c, ['q']);
      const f = (await vc.copies()).copies[0]!.factor;
      await methods.CancelTask(c, task!);
      return f;
    };
    const [fa, fb, fo] = [await factorOf(a), await factorOf(b), await factorOf(other)];
    expect(fa).toBe(fb);
    expect(fo).not.toBe(fa);
  });

  it('runs simulated time faster by the time scale: an hour of copying in a few seconds', async () => {
    // 8 TiB at 4 GiB/s is 2048 s, plus a minute of setup: 2108 simulated seconds, 3.5 s at ×600.
    const vc = await start({ ...five, relocate: { fixedMs: 60_000, bytesPerSecond: 4 * GiB, timeScale: 600, progressIntervalMs: 60_000 } });
    const c = await client(vc);
    const updates: TaskUpdate[] = [];
    const watcher = new TaskWatcher(c, { batchMs: 0, progress: true, progressIntervalMs: 200, onUpdate: (u) => updates.push(u) });
    const info = await watcher.watch(await methods.RelocateVM_Task(c, vmRef(vc, 'p'), { datastore: dsRef(vc, 'NEW') }));
    await watcher.close();
    expect(info.state).toBe('success');
    expect((info.completeTime as Date).getTime() - (info.startTime as Date).getTime()).toBeGreaterThanOrEqual((2108 / 600) * 1000 - 50);
    const progress = updates.filter((u) => u.changed.includes('progress')).map((u) => u.info.progress as number);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });
});
