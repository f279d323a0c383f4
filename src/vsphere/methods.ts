// One function per vim25 method the tool uses, named exactly as in the API reference (govmomi's
// `methods` package in miniature). Each builds the request body in WSDL order, sends it through
// the client (which counts it and renews a lost session) and decodes the response.

import type { VimClient, InvokeOptions } from './client.js';
import {
  decodeDate,
  decodeMor,
  decodeMorArray,
  decodeBool,
  decodeRetrieveResult,
  decodeServiceContent,
  decodeUpdateSet,
  decodeUserSession,
  encodeMor,
  encodePropertyFilterSpec,
  encodeRelocateSpec,
  encodeClusterConfigSpecEx,
  encodeEventFilterSpec,
  encodeTaskFilterSpec,
  decodeEvent,
  decodeTaskInfo,
  type ClusterConfigSpecEx,
  type EventFilterSpec,
  type TaskFilterSpec,
  type TaskInfo,
  type VimEvent,
  type ManagedObjectReference,
  type PropertyFilterSpec,
  type RetrieveOptions,
  type RetrieveResult,
  type ServiceContent,
  type UpdateSet,
  type UserSession,
  type VirtualMachineMovePriority,
  type VirtualMachineRelocateSpec,
  type WaitOptions,
} from './types.js';
import { child, children, childText, el, elText, type XmlElement } from './xml.js';

export const SERVICE_INSTANCE: ManagedObjectReference = { type: 'ServiceInstance', value: 'ServiceInstance' };

function returnval(res: XmlElement): XmlElement | undefined {
  return child(res, 'returnval');
}

function requireRef(res: XmlElement, method: string): ManagedObjectReference {
  const ref = decodeMor(returnval(res));
  if (!ref) throw new Error(`vim25: ${method} returned no managed object reference`);
  return ref;
}

// ---- ServiceInstance / SessionManager ----

export async function RetrieveServiceContent(c: VimClient): Promise<ServiceContent> {
  const res = await c.invoke('RetrieveServiceContent', SERVICE_INSTANCE, '');
  const rv = returnval(res);
  if (!rv) throw new Error('vim25: RetrieveServiceContent returned nothing');
  return decodeServiceContent(rv);
}

export async function CurrentTime(c: VimClient): Promise<Date | undefined> {
  const res = await c.invoke('CurrentTime', SERVICE_INSTANCE, '');
  return decodeDate(childText(res, 'returnval'));
}

export async function Login(c: VimClient, sessionManager: ManagedObjectReference, userName: string, password: string, locale?: string): Promise<UserSession> {
  const res = await c.invoke('Login', sessionManager, elText('userName', userName) + elText('password', password) + elText('locale', locale), { noRelogin: true });
  const rv = returnval(res);
  if (!rv) throw new Error('vim25: Login returned no session');
  return decodeUserSession(rv);
}

export async function Logout(c: VimClient, sessionManager: ManagedObjectReference, call: InvokeOptions = {}): Promise<void> {
  await c.invoke('Logout', sessionManager, '', { ...call, noRelogin: true });
}

export async function SessionIsActive(c: VimClient, sessionManager: ManagedObjectReference, sessionID: string, userName: string): Promise<boolean> {
  const res = await c.invoke('SessionIsActive', sessionManager, elText('sessionID', sessionID) + elText('userName', userName));
  return decodeBool(childText(res, 'returnval')) ?? false;
}

// ---- PropertyCollector ----

export async function RetrievePropertiesEx(c: VimClient, collector: ManagedObjectReference, specSet: PropertyFilterSpec[], options: RetrieveOptions = {}): Promise<RetrieveResult> {
  const body = specSet.map((s) => encodePropertyFilterSpec('specSet', s)).join('') + el('options', el('maxObjects', options.maxObjects));
  const res = await c.invoke('RetrievePropertiesEx', collector, body);
  return decodeRetrieveResult(returnval(res));
}

export async function ContinueRetrievePropertiesEx(c: VimClient, collector: ManagedObjectReference, token: string): Promise<RetrieveResult> {
  const res = await c.invoke('ContinueRetrievePropertiesEx', collector, elText('token', token));
  return decodeRetrieveResult(returnval(res));
}

export async function CancelRetrievePropertiesEx(c: VimClient, collector: ManagedObjectReference, token: string): Promise<void> {
  await c.invoke('CancelRetrievePropertiesEx', collector, elText('token', token));
}

export async function CreatePropertyCollector(c: VimClient, collector: ManagedObjectReference, call: InvokeOptions = {}): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('CreatePropertyCollector', collector, '', call), 'CreatePropertyCollector');
}

export async function DestroyPropertyCollector(c: VimClient, collector: ManagedObjectReference, call: InvokeOptions = {}): Promise<void> {
  await c.invoke('DestroyPropertyCollector', collector, '', call);
}

export async function CreateFilter(c: VimClient, collector: ManagedObjectReference, spec: PropertyFilterSpec, partialUpdates: boolean, call: InvokeOptions = {}): Promise<ManagedObjectReference> {
  const res = await c.invoke('CreateFilter', collector, encodePropertyFilterSpec('spec', spec) + el('partialUpdates', partialUpdates), call);
  return requireRef(res, 'CreateFilter');
}

export async function DestroyPropertyFilter(c: VimClient, filter: ManagedObjectReference): Promise<void> {
  await c.invoke('DestroyPropertyFilter', filter, '');
}

/** Null when maxWaitSeconds passed without a change. */
export async function WaitForUpdatesEx(
  c: VimClient,
  collector: ManagedObjectReference,
  version: string,
  options: WaitOptions = {},
  call: InvokeOptions = {},
): Promise<UpdateSet | null> {
  const opts = el('maxWaitSeconds', options.maxWaitSeconds) + el('maxObjectUpdates', options.maxObjectUpdates);
  const timeoutMs = options.maxWaitSeconds !== undefined ? (options.maxWaitSeconds + 60) * 1000 : 24 * 3600 * 1000;
  const res = await c.invoke('WaitForUpdatesEx', collector, elText('version', version) + el('options', opts || undefined), { timeoutMs, ...call });
  const rv = returnval(res);
  return rv ? decodeUpdateSet(rv) : null;
}

export async function CancelWaitForUpdates(c: VimClient, collector: ManagedObjectReference): Promise<void> {
  await c.invoke('CancelWaitForUpdates', collector, '');
}

// ---- ViewManager ----

export async function CreateContainerView(
  c: VimClient,
  viewManager: ManagedObjectReference,
  container: ManagedObjectReference,
  type: string[],
  recursive: boolean,
): Promise<ManagedObjectReference> {
  const body = encodeMor('container', container) + type.map((t) => elText('type', t)).join('') + el('recursive', recursive);
  return requireRef(await c.invoke('CreateContainerView', viewManager, body), 'CreateContainerView');
}

export async function CreateListView(c: VimClient, viewManager: ManagedObjectReference, obj: ManagedObjectReference[], call: InvokeOptions = {}): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('CreateListView', viewManager, obj.map((o) => encodeMor('obj', o)).join(''), call), 'CreateListView');
}

/** Returns the references that could not be added. */
export async function ModifyListView(
  c: VimClient,
  view: ManagedObjectReference,
  add: ManagedObjectReference[],
  remove: ManagedObjectReference[],
  call: InvokeOptions = {},
): Promise<ManagedObjectReference[]> {
  const body = add.map((o) => encodeMor('add', o)).join('') + remove.map((o) => encodeMor('remove', o)).join('');
  return decodeMorArray(await c.invoke('ModifyListView', view, body, call), 'returnval');
}

export async function DestroyView(c: VimClient, view: ManagedObjectReference, call: InvokeOptions = {}): Promise<void> {
  await c.invoke('DestroyView', view, '', call);
}

// ---- VirtualMachine / Task ----

export async function RelocateVM_Task(
  c: VimClient,
  vm: ManagedObjectReference,
  spec: VirtualMachineRelocateSpec,
  priority?: VirtualMachineMovePriority,
): Promise<ManagedObjectReference> {
  const res = await c.invoke('RelocateVM_Task', vm, encodeRelocateSpec('spec', spec) + elText('priority', priority));
  return requireRef(res, 'RelocateVM_Task');
}

export async function CancelTask(c: VimClient, task: ManagedObjectReference): Promise<void> {
  await c.invoke('CancelTask', task, '');
}

// ---- snapshots and consolidation ----

/** Removes every snapshot of the VM; consolidate (default true on the server) merges their deltas. */
export async function RemoveAllSnapshots_Task(c: VimClient, vm: ManagedObjectReference, consolidate?: boolean): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('RemoveAllSnapshots_Task', vm, el('consolidate', consolidate)), 'RemoveAllSnapshots_Task');
}

/** Removes one snapshot (and its subtree with removeChildren); consolidate defaults to true on the server. */
export async function RemoveSnapshot_Task(c: VimClient, snapshot: ManagedObjectReference, removeChildren: boolean, consolidate?: boolean): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('RemoveSnapshot_Task', snapshot, el('removeChildren', removeChildren) + el('consolidate', consolidate)), 'RemoveSnapshot_Task');
}

/** Merges the VM's redo logs that no snapshot holds any more (runtime.consolidationNeeded). */
export async function ConsolidateVMDisks_Task(c: VimClient, vm: ManagedObjectReference): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('ConsolidateVMDisks_Task', vm, ''), 'ConsolidateVMDisks_Task');
}

// ---- cluster configuration ----

/** Changes a cluster's configuration; modify true applies the spec as changes (false replaces the configuration). */
export async function ReconfigureComputeResource_Task(
  c: VimClient,
  cluster: ManagedObjectReference,
  spec: ClusterConfigSpecEx,
  modify: boolean,
): Promise<ManagedObjectReference> {
  const res = await c.invoke('ReconfigureComputeResource_Task', cluster, encodeClusterConfigSpecEx('spec', spec) + el('modify', modify));
  return requireRef(res, 'ReconfigureComputeResource_Task');
}

// ---- task and event history ----

export async function CreateCollectorForTasks(c: VimClient, taskManager: ManagedObjectReference, filter: TaskFilterSpec): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('CreateCollectorForTasks', taskManager, encodeTaskFilterSpec('filter', filter)), 'CreateCollectorForTasks');
}

/** The next (newer) page of the collector's tasks, oldest first; empty at the end. */
export async function ReadNextTasks(c: VimClient, collector: ManagedObjectReference, maxCount: number): Promise<TaskInfo[]> {
  const res = await c.invoke('ReadNextTasks', collector, el('maxCount', maxCount));
  return children(res, 'returnval').map(decodeTaskInfo);
}

/** The previous (older) page of the collector's tasks; empty at the start. */
export async function ReadPreviousTasks(c: VimClient, collector: ManagedObjectReference, maxCount: number): Promise<TaskInfo[]> {
  const res = await c.invoke('ReadPreviousTasks', collector, el('maxCount', maxCount));
  return children(res, 'returnval').map(decodeTaskInfo);
}

export async function CreateCollectorForEvents(c: VimClient, eventManager: ManagedObjectReference, filter: EventFilterSpec): Promise<ManagedObjectReference> {
  return requireRef(await c.invoke('CreateCollectorForEvents', eventManager, encodeEventFilterSpec('filter', filter)), 'CreateCollectorForEvents');
}

/** The next (newer) page of the collector's events, oldest first; empty at the end. */
export async function ReadNextEvents(c: VimClient, collector: ManagedObjectReference, maxCount: number): Promise<VimEvent[]> {
  const res = await c.invoke('ReadNextEvents', collector, el('maxCount', maxCount));
  return children(res, 'returnval').map(decodeEvent);
}

/** The previous (older) page of the collector's events; empty at the start. */
export async function ReadPreviousEvents(c: VimClient, collector: ManagedObjectReference, maxCount: number): Promise<VimEvent[]> {
  const res = await c.invoke('ReadPreviousEvents', collector, el('maxCount', maxCount));
  return children(res, 'returnval').map(decodeEvent);
}

/** Moves a history collector's scrollable view to its oldest item (where it starts). */
export async function RewindCollector(c: VimClient, collector: ManagedObjectReference): Promise<void> {
  await c.invoke('RewindCollector', collector, '');
}

/** Moves a history collector's scrollable view to just before its latest page. */
export async function ResetCollector(c: VimClient, collector: ManagedObjectReference): Promise<void> {
  await c.invoke('ResetCollector', collector, '');
}

export async function SetCollectorPageSize(c: VimClient, collector: ManagedObjectReference, maxCount: number): Promise<void> {
  await c.invoke('SetCollectorPageSize', collector, el('maxCount', maxCount));
}

export async function DestroyCollector(c: VimClient, collector: ManagedObjectReference): Promise<void> {
  await c.invoke('DestroyCollector', collector, '');
}
