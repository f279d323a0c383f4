// The live world's vCenter, over vim25: the estate with the references the API needs, operations
// submitted as RelocateVM_Task, every task followed to its end through one property collector (push,
// not polling), and where VMs run. Only this file of the live world knows vim25; the world and the
// loop speak the planner's language.

import type { Operation } from '../core/port.js';
import type { DatastoreRole, Estate } from '../domain/estate.js';
import type { VimClient } from '../vsphere/client.js';
import { isVimFault } from '../vsphere/faults.js';
import { readInventory } from '../vsphere/inventory.js';
import * as methods from '../vsphere/methods.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from '../vsphere/property-collector.js';
import { isWaitingForResources, TaskWatcher, type TaskUpdate } from '../vsphere/tasks.js';
import { decodeMor, decodeMorArray, decodeTaskInfo, type ManagedObjectReference, type TaskInfo, type VirtualMachineRelocateSpec } from '../vsphere/types.js';
import { text } from '../vsphere/xml.js';
import type { TaskTimes } from './journal.js';
import type { Submission, TaskEvent, TaskState, VcenterSide } from './world.js';

export interface Refs {
  vms: Map<string, ManagedObjectReference>;
  hosts: Map<string, ManagedObjectReference>;
  datastores: Map<string, ManagedObjectReference>;
}

/** A name the submission needs that vCenter does not have: vCenter would refuse it, so svmig does. */
class UnknownObject extends Error {}

export class LiveVcenter implements VcenterSide {
  private refs: Refs = { vms: new Map(), hosts: new Map(), datastores: new Map() };
  private readonly watcher: TaskWatcher;
  private taskHandler: (event: TaskEvent) => void = () => undefined;
  private errorHandler: (error: unknown) => void = () => undefined;

  /** `progress`: also deliver progress changes of running tasks (they cost calls). */
  constructor(
    readonly client: VimClient,
    options: { progress?: boolean } = {},
  ) {
    this.watcher = new TaskWatcher(client, { progress: options.progress ?? false, onUpdate: (u) => this.taskHandler(taskEvent(u)) });
  }

  onTask(handler: (event: TaskEvent) => void): void {
    this.taskHandler = handler;
  }

  onError(handler: (error: unknown) => void): void {
    this.errorHandler = handler;
  }

  /** Reads the estate (one paged pass) and the references of VMs, hosts and datastores by name. */
  async readEstate(classify: (ds: { name: string; type: string | null }) => DatastoreRole): Promise<Estate> {
    const estate = await readInventory(this.client, { classify });
    this.refs = await this.readRefs();
    return estate;
  }

  async vmHosts(): Promise<Map<string, string>> {
    const hostNames = new Map([...this.refs.hosts].map(([name, ref]) => [ref.value, name]));
    const contents = await withContainerView(this.client, { type: ['VirtualMachine'] }, (view) =>
      retrieveAll(this.client, [viewSpec(view, [{ type: 'VirtualMachine', pathSet: ['name', 'runtime.host'] }])], { maxObjects: 1000 }),
    );
    const out = new Map<string, string>();
    for (const oc of contents) {
      const p = propertiesOf(oc);
      const name = p.get('name');
      const host = decodeMor(p.get('runtime.host'));
      if (name && host) out.set(text(name), hostNames.get(host.value) ?? host.value);
    }
    return out;
  }

  async submit(op: Operation): Promise<Submission> {
    try {
      const task = await methods.RelocateVM_Task(this.client, this.ref('vms', op.vm), this.relocateSpec(op));
      return { task: task.value };
    } catch (e) {
      // vCenter answered, and the answer is no; anything else (no answer) is the caller's to handle.
      if (isVimFault(e) || e instanceof UnknownObject) return { refused: e.message };
      throw e;
    }
  }

  follow(task: string): void {
    this.watcher.watch({ type: 'Task', value: task }).catch((e: unknown) => this.errorHandler(e));
  }

  /** What vCenter says of a task now, or null when it no longer knows it. */
  async taskInfo(task: string): Promise<TaskInfo | null> {
    try {
      const infos = await this.readTaskInfos([{ type: 'Task', value: task }]);
      return infos[0] ?? null;
    } catch (e) {
      if (isVimFault(e, 'ManagedObjectNotFound')) return null;
      throw e;
    }
  }

  /** Relocation tasks vCenter still lists for the VM (its recentTask), newest last. */
  async relocationsOf(vmName: string): Promise<TaskInfo[]> {
    const vm = this.refs.vms.get(vmName);
    if (!vm) return [];
    const contents = await retrieveAll(this.client, [{ propSet: [{ type: 'VirtualMachine', pathSet: ['recentTask'] }], objectSet: [{ obj: vm }] }]);
    const val = contents[0] ? propertiesOf(contents[0]).get('recentTask') : undefined;
    const tasks = decodeMorArray(val);
    if (tasks.length === 0) return [];
    const infos = await this.readTaskInfos(tasks);
    return infos.filter((i) => /relocate/i.test(i.descriptionId ?? '') || /relocate/i.test(i.name ?? ''));
  }

  async cancel(task: string): Promise<void> {
    await methods.CancelTask(this.client, { type: 'Task', value: task });
  }

  /** SOAP calls made so far, all methods. */
  get calls(): number {
    return this.client.totalCalls();
  }

  async close(): Promise<void> {
    await this.watcher.close();
  }

  /** The vim25 call of each operation kind: both are RelocateVM_Task, with a datastore or a host. */
  private relocateSpec(op: Operation): VirtualMachineRelocateSpec {
    switch (op.kind) {
      case 'svmotion':
        return { datastore: this.ref('datastores', op.targetDatastore) };
      case 'vmotion':
        return { host: this.ref('hosts', op.toHost) };
    }
  }

  private ref(kind: keyof Refs, name: string): ManagedObjectReference {
    const r = this.refs[kind].get(name);
    if (!r) throw new UnknownObject(`vCenter has no ${kind.slice(0, -1)} named ${name}`);
    return r;
  }

  private async readTaskInfos(tasks: ManagedObjectReference[]): Promise<TaskInfo[]> {
    const contents = await retrieveAll(this.client, [{ propSet: [{ type: 'Task', pathSet: ['info'] }], objectSet: tasks.map((obj) => ({ obj })) }]);
    return contents.map((oc) => decodeTaskInfo(propertiesOf(oc).get('info')!));
  }

  private async readRefs(): Promise<Refs> {
    const types = ['VirtualMachine', 'HostSystem', 'Datastore'];
    const contents = await withContainerView(this.client, { type: types }, (view) =>
      retrieveAll(this.client, [viewSpec(view, types.map((type) => ({ type, pathSet: ['name'] })))], { maxObjects: 1000 }),
    );
    const refs: Refs = { vms: new Map(), hosts: new Map(), datastores: new Map() };
    for (const oc of contents) {
      const name = propertiesOf(oc).get('name');
      if (!name) continue;
      const map = oc.obj.type === 'VirtualMachine' ? refs.vms : oc.obj.type === 'HostSystem' ? refs.hosts : refs.datastores;
      map.set(text(name), oc.obj);
    }
    return refs;
  }
}

/** Faults worth another attempt: the VM or a host was busy or unreachable, not a wrong request. */
const PERMANENT = new Set(['InvalidArgument', 'InvalidState', 'NotSupported', 'InvalidDatastore', 'FileAlreadyExists', 'RequestCanceled', 'InvalidPowerState', 'NoPermission', 'DisallowedMigrationDeviceAttached']);

export function isTransient(info: TaskInfo): boolean {
  const name = info.error?.fault.faultName ?? 'SystemError';
  return !PERMANENT.has(name);
}

/** Why a task failed, in vCenter's words. */
export function failureReason(info: TaskInfo): string {
  return info.error?.localizedMessage || info.error?.fault.faultName || 'failed';
}

/** A task's info as the live world reads it. */
export function taskState(info: TaskInfo): TaskState {
  switch (info.state) {
    case 'queued':
      return { state: 'queued' };
    case 'running': {
      // vCenter keeps a migration over its resource limits "running", with a description saying so, until it may copy.
      const waiting = isWaitingForResources(info);
      return info.progress === undefined ? { state: 'running', waiting } : { state: 'running', waiting, progress: info.progress / 100 };
    }
    case 'success':
      return { state: 'success', times: taskTimes(info) };
    case 'error':
      return { state: 'error', reason: failureReason(info), transient: isTransient(info), times: taskTimes(info) };
  }
}

/** A task's times as vCenter keeps them, for the journal. */
export function taskTimes(info: TaskInfo): TaskTimes {
  const times: TaskTimes = {};
  if (info.queueTime) times.queueTime = info.queueTime.toISOString();
  if (info.startTime) times.startTime = info.startTime.toISOString();
  if (info.completeTime) times.completeTime = info.completeTime.toISOString();
  return times;
}

function taskEvent(u: TaskUpdate): TaskEvent {
  return { task: u.task.value, info: taskState(u.info) };
}
