// The live world's vCenter, over vim25: the estate with the references the API needs (each VM's
// snapshots and DRS override included), operations submitted as their tasks (RelocateVM_Task, with
// per-disk locators when the svMotion has them; RemoveAllSnapshots_Task, RemoveSnapshot_Task,
// ConsolidateVMDisks_Task; ReconfigureComputeResource_Task for DRS overrides), every task followed
// to its end through one property collector (push, not polling), and where VMs run. Only this file
// of the live world knows vim25; the world and the loop speak the planner's language.

import { GUARD_OVERRIDE } from '../core/drs-guard.js';
import type { DrsOverrideOp, Operation, OperationKind, SvmotionOp } from '../core/port.js';
import type { DatastoreRole, Disk, DrsVmOverride, Estate, VmSnapshots } from '../domain/estate.js';
import type { VimClient } from '../vsphere/client.js';
import { changeDrsVmOverrides, readDrsVmOverrides, type DrsOverrideChanges } from '../vsphere/drs.js';
import { isVimFault } from '../vsphere/faults.js';
import { readTaskHistory } from '../vsphere/history.js';
import { readInventoryWithSnapshots } from '../vsphere/inventory.js';
import * as methods from '../vsphere/methods.js';
import { readVmPlacements } from '../vsphere/placement.js';
import { propertiesOf, retrieveAll, viewSpec, withContainerView } from '../vsphere/property-collector.js';
import { readSnapshotStates } from '../vsphere/snapshots.js';
import { isWaitingForResources, TaskWatcher, waitForTask, type TaskUpdate } from '../vsphere/tasks.js';
import {
  decodeMor,
  decodeMorArray,
  decodeTaskInfo,
  type ClusterDrsVmConfigInfo,
  type ManagedObjectReference,
  type TaskInfo,
  type VirtualMachineRelocateSpec,
  type VirtualMachineSnapshotTree,
} from '../vsphere/types.js';
import { text } from '../vsphere/xml.js';
import type { TaskTimes } from './journal.js';
import type { Submission, TaskEvent, TaskState, VcenterSide } from './world.js';

export interface Refs {
  vms: Map<string, ManagedObjectReference>;
  hosts: Map<string, ManagedObjectReference>;
  datastores: Map<string, ManagedObjectReference>;
  clusters: Map<string, ManagedObjectReference>;
}

/** How vCenter names each kind's task (descriptionId), to find one on its VM after a restart. */
const TASK_NAMES: { readonly [K in OperationKind]: RegExp } = {
  svmotion: /relocate/i,
  vmotion: /relocate/i,
  'remove-all-snapshots': /removeAllSnapshots/i,
  'remove-oldest-snapshot': /snapshot\.remove\b|removeSnapshot/i,
  'consolidate-disks': /consolidate/i,
  'drs-override': /reconfigure/i,
};

/** A name the submission needs that vCenter does not have: vCenter would refuse it, so svmig does. */
class UnknownObject extends Error {}

export class LiveVcenter implements VcenterSide {
  private refs: Refs = { vms: new Map(), hosts: new Map(), datastores: new Map(), clusters: new Map() };
  /** Each VM's disks as last read: what per-disk locators name (device keys, where the others stay). */
  private disks = new Map<string, Disk[]>();
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

  /**
   * Reads the estate (one paged pass, each VM's snapshots included), the references of VMs, hosts,
   * datastores and clusters by name, and each VM's per-VM DRS override (one call per cluster).
   */
  async readEstate(classify: (ds: { name: string; type: string | null }) => DatastoreRole): Promise<Estate> {
    const { estate, snapshots } = await readInventoryWithSnapshots(this.client, { classify });
    this.refs = await this.readRefs();
    this.disks = new Map(estate.vms.map((v) => [v.name, v.disks]));
    const overrides = await this.drsOverrides();
    for (const vm of estate.vms) {
      const s = snapshots.get(vm.name);
      if (s !== undefined && (s.snapshotCount > 0 || s.consolidationNeeded)) {
        vm.snapshots = { count: s.snapshotCount, depth: s.depth, deltaBytes: s.redoBytes ?? 0, consolidationNeeded: s.consolidationNeeded };
      }
      if (vm.cluster !== null) vm.drsOverride = overrides.get(vm.name) ?? null;
    }
    return estate;
  }

  /**
   * The VMs' snapshots and left-over redo logs now, by name (null: none), in one call: what a
   * remediation task changes. The bytes they hold are not read (that takes each VM's file layout).
   */
  async snapshotsOf(vmNames: readonly string[]): Promise<Map<string, Pick<VmSnapshots, 'count' | 'depth' | 'consolidationNeeded'> | null>> {
    const refs = vmNames.flatMap((name) => {
      const ref = this.refs.vms.get(name);
      return ref === undefined ? [] : [ref];
    });
    const out = new Map<string, Pick<VmSnapshots, 'count' | 'depth' | 'consolidationNeeded'> | null>();
    for (const s of await readSnapshotStates(this.client, { vms: refs })) {
      out.set(s.name, s.snapshotCount > 0 || s.consolidationNeeded ? { count: s.snapshotCount, depth: s.depth, consolidationNeeded: s.consolidationNeeded } : null);
    }
    return out;
  }

  /**
   * Where the VMs are now, by name: their host and each disk's datastore by label (one call). A VM
   * vCenter no longer has is left out.
   */
  async placementsOf(vmNames: readonly string[]): Promise<Map<string, { host: string | null; disks: Map<string, string | null> }>> {
    const byId = new Map(vmNames.flatMap((name) => {
      const ref = this.refs.vms.get(name);
      return ref === undefined ? [] : [[ref.value, name] as const];
    }));
    const hostNames = new Map([...this.refs.hosts].map(([name, ref]) => [ref.value, name]));
    const datastoreNames = new Map([...this.refs.datastores].map(([name, ref]) => [ref.value, name]));
    const out = new Map<string, { host: string | null; disks: Map<string, string | null> }>();
    const refs = [...byId.keys()].map((value) => ({ type: 'VirtualMachine', value }));
    for (const [id, p] of await readVmPlacements(this.client, refs)) {
      const host = p.host === null ? null : (hostNames.get(p.host.value) ?? p.host.value);
      const disks = new Map(p.disks.map((d) => [d.label, (d.datastore && datastoreNames.get(d.datastore.value)) || d.datastoreName]));
      out.set(byId.get(id)!, { host, disks });
    }
    return out;
  }

  /** Each VM's per-VM DRS override now, for the VMs that have one, by name (one call per cluster). */
  async drsOverrides(): Promise<Map<string, DrsVmOverride>> {
    const names = new Map([...this.refs.vms].map(([name, ref]) => [ref.value, name]));
    const out = new Map<string, DrsVmOverride>();
    for (const cluster of [...this.refs.clusters.values()]) {
      for (const o of await readDrsVmOverrides(this.client, cluster)) {
        const name = names.get(o.key.value);
        if (name !== undefined) out.set(name, { behavior: o.behavior ?? null, enabled: o.enabled ?? null });
      }
    }
    return out;
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
      const task = await this.start(op);
      return { task: task.value };
    } catch (e) {
      // vCenter answered, and the answer is no; anything else (no answer) is the caller's to handle.
      if (isVimFault(e) || e instanceof UnknownObject) return { refused: e.message };
      throw e;
    }
  }

  follow(task: string, firstStateWithinSeconds?: number): void {
    const options = firstStateWithinSeconds === undefined ? {} : { joinWithinMs: firstStateWithinSeconds * 1000 };
    this.watcher.watch({ type: 'Task', value: task }, options).catch((e: unknown) => this.errorHandler(e));
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
  relocationsOf(vmName: string): Promise<TaskInfo[]> {
    return this.tasksOf(vmName, 'svmotion');
  }

  /** Tasks of an operation kind vCenter still lists for a VM, or a cluster for a cluster's kind (recentTask), newest last. */
  async tasksOf(name: string, kind: OperationKind): Promise<TaskInfo[]> {
    const obj = kind === 'drs-override' ? this.refs.clusters.get(name) : this.refs.vms.get(name);
    if (!obj) return [];
    const contents = await retrieveAll(this.client, [{ propSet: [{ type: obj.type, pathSet: ['recentTask'] }], objectSet: [{ obj }] }]);
    const val = contents[0] ? propertiesOf(contents[0]).get('recentTask') : undefined;
    const tasks = decodeMorArray(val);
    if (tasks.length === 0) return [];
    const infos = await this.readTaskInfos(tasks);
    const named = TASK_NAMES[kind];
    return infos.filter((i) => named.test(i.descriptionId ?? '') || named.test(i.name ?? ''));
  }

  /**
   * Ended tasks of an operation kind on a VM (or a cluster, for a cluster's kind) that vCenter's
   * task history holds from `since` on, newest last. vCenter lists an ended task on its object
   * (recentTask) for 10 minutes only, and its reference stops resolving then; the history keeps it.
   */
  async pastTasksOf(name: string, kind: OperationKind, since: Date): Promise<TaskInfo[]> {
    const entity = kind === 'drs-override' ? this.refs.clusters.get(name) : this.refs.vms.get(name);
    if (!entity) return [];
    const named = TASK_NAMES[kind];
    const found = await readTaskHistory(this.client, { entity: { entity, recursion: 'self' }, time: { timeType: 'queuedTime', beginTime: since }, state: ['success', 'error'] });
    return found.filter((i) => named.test(i.descriptionId ?? '') || named.test(i.name ?? ''));
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

  /** The vim25 call of each operation kind. */
  private async start(op: Operation): Promise<ManagedObjectReference> {
    switch (op.kind) {
      case 'svmotion':
        return methods.RelocateVM_Task(this.client, this.ref('vms', op.vm), this.relocateSpec(op));
      case 'vmotion':
        return methods.RelocateVM_Task(this.client, this.ref('vms', op.vm), { host: this.ref('hosts', op.toHost) });
      case 'remove-all-snapshots':
        return methods.RemoveAllSnapshots_Task(this.client, this.ref('vms', op.vm), true);
      case 'remove-oldest-snapshot':
        return methods.RemoveSnapshot_Task(this.client, await this.oldestSnapshot(op.vm), false, true);
      case 'consolidate-disks':
        return methods.ConsolidateVMDisks_Task(this.client, this.ref('vms', op.vm));
      case 'drs-override': {
        const cluster = this.ref('clusters', op.cluster);
        const current = new Map((await readDrsVmOverrides(this.client, cluster)).map((o) => [o.key.value, o]));
        return changeDrsVmOverrides(this.client, cluster, this.overrideChanges(op, current));
      }
    }
  }

  /**
   * An svMotion's RelocateSpec: the home to `targetDatastore`; with per-disk targets, a locator for
   * every disk of the VM (the moved ones to their target, the others where they are, since a disk
   * without a locator would follow the home).
   */
  private relocateSpec(op: SvmotionOp): VirtualMachineRelocateSpec {
    const spec: VirtualMachineRelocateSpec = { datastore: this.ref('datastores', op.targetDatastore) };
    if (op.disks === undefined) return spec;
    const target = new Map(op.disks.map((d) => [d.disk, d.target]));
    const disks = this.disks.get(op.vm) ?? [];
    for (const d of op.disks) {
      if (!disks.some((x) => x.label === d.disk)) throw new UnknownObject(`VM ${op.vm} has no disk labelled ${d.disk}`);
    }
    spec.disk = disks.map((d) => {
      const where = target.get(d.label) ?? d.datastore;
      if (d.key == null || where === null) throw new UnknownObject(`the ${d.label} of VM ${op.vm} has no device key or datastore vCenter gave`);
      return { diskId: d.key, datastore: this.ref('datastores', where) };
    });
    return spec;
  }

  /** The oldest snapshot of the VM's chain (the first root, the lowest id among several), read now. */
  private async oldestSnapshot(vmName: string): Promise<ManagedObjectReference> {
    const [state] = await readSnapshotStates(this.client, { vms: [this.ref('vms', vmName)] });
    const roots: VirtualMachineSnapshotTree[] = state?.tree ?? [];
    if (roots.length === 0) throw new UnknownObject(`VM ${vmName} has no snapshot left to remove`);
    return [...roots].sort((a, b) => a.id - b.id)[0]!.snapshot;
  }

  /**
   * The cluster reconfiguration that takes each VM of a DRS override operation from its override
   * now (`current`, read just before) to the one wanted: partially automated when setting, the
   * VM's previous one (or none) when putting back. vCenter refuses adding an override that exists
   * and editing or removing one that does not, so the change depends on what is there. An override
   * with a field unset (the cluster's setting) cannot be edited back to unset: it is removed and
   * added again as it was.
   */
  private overrideChanges(op: DrsOverrideOp, current: ReadonlyMap<string, ClusterDrsVmConfigInfo>): DrsOverrideChanges {
    const changes: Required<DrsOverrideChanges> = { add: [], edit: [], remove: [] };
    for (const { vm, action, previous } of op.vms) {
      const key = this.ref('vms', vm);
      const now = current.get(key.value);
      const wanted: DrsVmOverride | null = action === 'set' ? GUARD_OVERRIDE : previous;
      if (wanted === null) {
        if (now !== undefined) changes.remove.push(key);
        continue;
      }
      const info: ClusterDrsVmConfigInfo = { key };
      if (wanted.enabled !== null) info.enabled = wanted.enabled;
      if (wanted.behavior !== null) info.behavior = wanted.behavior;
      if (now === undefined) changes.add.push(info);
      else if ((now.behavior ?? null) === wanted.behavior && (now.enabled ?? null) === wanted.enabled) continue;
      else if (wanted.behavior !== null && wanted.enabled !== null) changes.edit.push(info);
      else {
        changes.remove.push(key);
        changes.add.push(info);
      }
    }
    return changes;
  }

  /** Waits for a task to end and says how it ended. */
  waitFor(task: string): Promise<TaskInfo> {
    return waitForTask(this.client, { type: 'Task', value: task });
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
    const types = ['VirtualMachine', 'HostSystem', 'Datastore', 'ClusterComputeResource'];
    const contents = await withContainerView(this.client, { type: types }, (view) =>
      retrieveAll(this.client, [viewSpec(view, types.map((type) => ({ type, pathSet: ['name'] })))], { maxObjects: 1000 }),
    );
    const refs: Refs = { vms: new Map(), hosts: new Map(), datastores: new Map(), clusters: new Map() };
    const byType: Record<string, Map<string, ManagedObjectReference>> = { VirtualMachine: refs.vms, HostSystem: refs.hosts, Datastore: refs.datastores, ClusterComputeResource: refs.clusters };
    for (const oc of contents) {
      const name = propertiesOf(oc).get('name');
      if (!name) continue;
      byType[oc.obj.type]?.set(text(name), oc.obj);
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
