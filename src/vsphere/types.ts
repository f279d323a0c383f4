// vim25 data types the client uses, named as in the vSphere API reference, with their XML
// decoders and encoders. Decoders know each type's schema (which fields are numbers, booleans,
// dates, references, arrays); values whose type only the caller knows (a property collector
// `val`) stay as XML elements and are decoded by the caller with the decoder that fits.
// Encoders write fields in WSDL order: vCenter's deserializer rejects elements out of order.

import { attr, child, childNames, children, childText, el, elText, elTyped, text, xsiType, type XmlElement } from './xml.js';

export interface ManagedObjectReference {
  type: string;
  value: string;
}

export function moref(type: string, value: string): ManagedObjectReference {
  return { type, value };
}

export function sameRef(a: ManagedObjectReference | undefined, b: ManagedObjectReference | undefined): boolean {
  return a !== undefined && b !== undefined && a.type === b.type && a.value === b.value;
}

/** "VirtualMachine:vm-42", for maps and messages. */
export function refKey(ref: ManagedObjectReference): string {
  return `${ref.type}:${ref.value}`;
}

export interface LocalizableMessage {
  key: string;
  message?: string;
}

/** A fault as data: its type name and its fields, decoded generically. */
export interface MethodFault {
  faultName: string;
  fields: Record<string, unknown>;
}

export interface LocalizedMethodFault {
  fault: MethodFault;
  localizedMessage?: string;
}

export type TaskInfoState = 'queued' | 'running' | 'success' | 'error';

export const TaskInfoStateQueued: TaskInfoState = 'queued';
export const TaskInfoStateRunning: TaskInfoState = 'running';
export const TaskInfoStateSuccess: TaskInfoState = 'success';
export const TaskInfoStateError: TaskInfoState = 'error';

export interface TaskInfo {
  key: string;
  task: ManagedObjectReference;
  description?: LocalizableMessage;
  name?: string;
  descriptionId: string;
  entity?: ManagedObjectReference;
  entityName?: string;
  state: TaskInfoState;
  cancelled: boolean;
  cancelable: boolean;
  error?: LocalizedMethodFault;
  /** The task's result, generically decoded (a reference for most *_Task methods that return one). */
  result?: unknown;
  progress?: number;
  queueTime?: Date;
  startTime?: Date;
  completeTime?: Date;
  eventChainId?: number;
  activationId?: string;
}

export function isTaskDone(info: TaskInfo): boolean {
  return info.state === 'success' || info.state === 'error';
}

export interface AboutInfo {
  name: string;
  fullName: string;
  version: string;
  build: string;
  apiType: string;
  apiVersion: string;
  instanceUuid?: string;
}

export interface ServiceContent {
  rootFolder: ManagedObjectReference;
  propertyCollector: ManagedObjectReference;
  viewManager?: ManagedObjectReference;
  about: AboutInfo;
  sessionManager?: ManagedObjectReference;
  taskManager?: ManagedObjectReference;
  searchIndex?: ManagedObjectReference;
  eventManager?: ManagedObjectReference;
}

export interface UserSession {
  key: string;
  userName: string;
  fullName: string;
  loginTime?: Date;
  lastActiveTime?: Date;
}

export type PropertyChangeOp = 'add' | 'remove' | 'assign' | 'indirectRemove';

/** A change to one property; `val` is the raw element (decode it with the decoder for that property). */
export interface PropertyChange {
  name: string;
  op: PropertyChangeOp;
  val?: XmlElement;
}

export interface MissingProperty {
  path: string;
  fault: LocalizedMethodFault;
}

export type ObjectUpdateKind = 'modify' | 'enter' | 'leave';

export interface ObjectUpdate {
  kind: ObjectUpdateKind;
  obj: ManagedObjectReference;
  changeSet: PropertyChange[];
  missingSet: MissingProperty[];
}

export interface PropertyFilterUpdate {
  filter: ManagedObjectReference;
  objectSet: ObjectUpdate[];
}

export interface UpdateSet {
  version: string;
  filterSet: PropertyFilterUpdate[];
  truncated: boolean;
}

export interface DynamicProperty {
  name: string;
  val: XmlElement;
}

export interface ObjectContent {
  obj: ManagedObjectReference;
  propSet: DynamicProperty[];
  missingSet: MissingProperty[];
}

export interface RetrieveResult {
  token?: string;
  objects: ObjectContent[];
}

// ---- property collector specs ----

export interface PropertySpec {
  type: string;
  all?: boolean;
  pathSet?: string[];
}

export interface SelectionSpec {
  name?: string;
}

export interface TraversalSpec extends SelectionSpec {
  type: string;
  path: string;
  skip?: boolean;
  selectSet?: (SelectionSpec | TraversalSpec)[];
}

export interface ObjectSpec {
  obj: ManagedObjectReference;
  skip?: boolean;
  selectSet?: (SelectionSpec | TraversalSpec)[];
}

export interface PropertyFilterSpec {
  propSet: PropertySpec[];
  objectSet: ObjectSpec[];
  reportMissingObjectsInResults?: boolean;
}

export interface RetrieveOptions {
  maxObjects?: number;
}

export interface WaitOptions {
  maxWaitSeconds?: number;
  maxObjectUpdates?: number;
}

// ---- relocation ----

export type VirtualMachineMovePriority = 'lowPriority' | 'highPriority' | 'defaultPriority';

export interface VirtualMachineRelocateSpecDiskLocator {
  diskId: number;
  datastore: ManagedObjectReference;
  diskMoveType?: string;
}

export interface VirtualMachineRelocateSpec {
  folder?: ManagedObjectReference;
  datastore?: ManagedObjectReference;
  diskMoveType?: string;
  pool?: ManagedObjectReference;
  host?: ManagedObjectReference;
  disk?: VirtualMachineRelocateSpecDiskLocator[];
}

// ---- decoding ----

export function decodeMor(e: XmlElement | undefined): ManagedObjectReference | undefined {
  if (!e) return undefined;
  const type = attr(e, 'type');
  return type === undefined ? undefined : { type, value: text(e) };
}

function requireMor(e: XmlElement | undefined, what: string): ManagedObjectReference {
  const ref = decodeMor(e);
  if (!ref) throw new Error(`vim25: ${what} is not a managed object reference`);
  return ref;
}

/** References held directly (children of `e` named `name`) or as an ArrayOfManagedObjectReference value. */
export function decodeMorArray(e: XmlElement | undefined, name = 'ManagedObjectReference'): ManagedObjectReference[] {
  return children(e, name)
    .map((c) => decodeMor(c))
    .filter((r): r is ManagedObjectReference => r !== undefined);
}

export function decodeBool(s: string | undefined): boolean | undefined {
  return s === undefined ? undefined : s === 'true' || s === '1';
}

export function decodeNumber(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function decodeDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const XSD_NUMBERS = new Set(['int', 'long', 'short', 'byte', 'float', 'double']);

/**
 * Generic decoding for values whose schema the client does not model: primitives by xsi:type,
 * references, ArrayOf* as arrays, data objects as plain objects with `_type`. A field that
 * repeats becomes an array; a field that occurs once stays single (use `asArray` to read a field
 * that may repeat).
 */
export function decodeAny(e: XmlElement | undefined): unknown {
  if (!e) return undefined;
  const type = xsiType(e);
  if (type !== undefined) {
    if (type === 'string' || type === 'base64Binary' || type === 'anyURI') return text(e);
    if (XSD_NUMBERS.has(type)) return decodeNumber(text(e));
    if (type === 'boolean') return decodeBool(text(e));
    if (type === 'dateTime') return decodeDate(text(e));
    if (type === 'ManagedObjectReference') return decodeMor(e);
    if (type.startsWith('ArrayOf')) {
      return childNames(e).flatMap((n) => children(e, n).map((c) => decodeAny(c)));
    }
  }
  if (attr(e, 'type') !== undefined && childNames(e).length === 0) return decodeMor(e);
  const names = childNames(e);
  if (names.length === 0) return type === undefined ? text(e) : { _type: type };
  const out: Record<string, unknown> = {};
  if (type !== undefined) out['_type'] = type;
  for (const n of names) {
    const cs = children(e, n).map((c) => decodeAny(c));
    out[n] = cs.length === 1 ? cs[0] : cs;
  }
  return out;
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function decodeMethodFault(e: XmlElement | undefined): MethodFault | undefined {
  if (!e) return undefined;
  const faultName = xsiType(e) ?? 'MethodFault';
  const decoded = decodeAny(e);
  const fields = typeof decoded === 'object' && decoded !== null ? { ...(decoded as Record<string, unknown>) } : {};
  delete fields['_type'];
  return { faultName, fields };
}

export function decodeLocalizedMethodFault(e: XmlElement | undefined): LocalizedMethodFault | undefined {
  if (!e) return undefined;
  const fault = decodeMethodFault(child(e, 'fault')) ?? { faultName: 'MethodFault', fields: {} };
  const localizedMessage = childText(e, 'localizedMessage');
  return localizedMessage === undefined ? { fault } : { fault, localizedMessage };
}

export function decodeLocalizableMessage(e: XmlElement | undefined): LocalizableMessage | undefined {
  if (!e) return undefined;
  const msg: LocalizableMessage = { key: childText(e, 'key') ?? '' };
  const message = childText(e, 'message');
  if (message !== undefined) msg.message = message;
  return msg;
}

const TASK_STATES = new Set<TaskInfoState>(['queued', 'running', 'success', 'error']);

export function decodeTaskInfo(e: XmlElement): TaskInfo {
  const state = childText(e, 'state') as TaskInfoState | undefined;
  if (state === undefined || !TASK_STATES.has(state)) throw new Error(`vim25: TaskInfo with state ${String(state)}`);
  const info: TaskInfo = {
    key: childText(e, 'key') ?? '',
    task: requireMor(child(e, 'task'), 'TaskInfo.task'),
    descriptionId: childText(e, 'descriptionId') ?? '',
    state,
    cancelled: decodeBool(childText(e, 'cancelled')) ?? false,
    cancelable: decodeBool(childText(e, 'cancelable')) ?? false,
  };
  const description = decodeLocalizableMessage(child(e, 'description'));
  if (description) info.description = description;
  const name = childText(e, 'name');
  if (name !== undefined) info.name = name;
  const entity = decodeMor(child(e, 'entity'));
  if (entity) info.entity = entity;
  const entityName = childText(e, 'entityName');
  if (entityName !== undefined) info.entityName = entityName;
  const error = decodeLocalizedMethodFault(child(e, 'error'));
  if (error) info.error = error;
  const result = child(e, 'result');
  if (result) info.result = decodeAny(result);
  const progress = decodeNumber(childText(e, 'progress'));
  if (progress !== undefined) info.progress = progress;
  const queueTime = decodeDate(childText(e, 'queueTime'));
  if (queueTime) info.queueTime = queueTime;
  const startTime = decodeDate(childText(e, 'startTime'));
  if (startTime) info.startTime = startTime;
  const completeTime = decodeDate(childText(e, 'completeTime'));
  if (completeTime) info.completeTime = completeTime;
  const eventChainId = decodeNumber(childText(e, 'eventChainId'));
  if (eventChainId !== undefined) info.eventChainId = eventChainId;
  const activationId = childText(e, 'activationId');
  if (activationId !== undefined) info.activationId = activationId;
  return info;
}

export function decodeServiceContent(e: XmlElement): ServiceContent {
  const about = child(e, 'about');
  const sc: ServiceContent = {
    rootFolder: requireMor(child(e, 'rootFolder'), 'ServiceContent.rootFolder'),
    propertyCollector: requireMor(child(e, 'propertyCollector'), 'ServiceContent.propertyCollector'),
    about: {
      name: childText(about, 'name') ?? '',
      fullName: childText(about, 'fullName') ?? '',
      version: childText(about, 'version') ?? '',
      build: childText(about, 'build') ?? '',
      apiType: childText(about, 'apiType') ?? '',
      apiVersion: childText(about, 'apiVersion') ?? '',
    },
  };
  const uuid = childText(about, 'instanceUuid');
  if (uuid !== undefined) sc.about.instanceUuid = uuid;
  for (const k of ['viewManager', 'sessionManager', 'taskManager', 'searchIndex', 'eventManager'] as const) {
    const ref = decodeMor(child(e, k));
    if (ref) sc[k] = ref;
  }
  return sc;
}

export function decodeUserSession(e: XmlElement): UserSession {
  const s: UserSession = {
    key: childText(e, 'key') ?? '',
    userName: childText(e, 'userName') ?? '',
    fullName: childText(e, 'fullName') ?? '',
  };
  const loginTime = decodeDate(childText(e, 'loginTime'));
  if (loginTime) s.loginTime = loginTime;
  const lastActiveTime = decodeDate(childText(e, 'lastActiveTime'));
  if (lastActiveTime) s.lastActiveTime = lastActiveTime;
  return s;
}

function decodeMissingSet(e: XmlElement): MissingProperty[] {
  return children(e, 'missingSet').map((m) => ({
    path: childText(m, 'path') ?? '',
    fault: decodeLocalizedMethodFault(child(m, 'fault')) ?? { fault: { faultName: 'MethodFault', fields: {} } },
  }));
}

export function decodeObjectContent(e: XmlElement): ObjectContent {
  return {
    obj: requireMor(child(e, 'obj'), 'ObjectContent.obj'),
    propSet: children(e, 'propSet').map((p) => ({ name: childText(p, 'name') ?? '', val: child(p, 'val') ?? {} })),
    missingSet: decodeMissingSet(e),
  };
}

export function decodeRetrieveResult(e: XmlElement | undefined): RetrieveResult {
  const r: RetrieveResult = { objects: children(e, 'objects').map(decodeObjectContent) };
  const token = childText(e, 'token');
  if (token) r.token = token;
  return r;
}

export function decodeUpdateSet(e: XmlElement): UpdateSet {
  return {
    version: childText(e, 'version') ?? '',
    truncated: decodeBool(childText(e, 'truncated')) ?? false,
    filterSet: children(e, 'filterSet').map((f) => ({
      filter: requireMor(child(f, 'filter'), 'PropertyFilterUpdate.filter'),
      objectSet: children(f, 'objectSet').map((o) => ({
        kind: (childText(o, 'kind') ?? 'modify') as ObjectUpdateKind,
        obj: requireMor(child(o, 'obj'), 'ObjectUpdate.obj'),
        changeSet: children(o, 'changeSet').map((c) => {
          const change: PropertyChange = { name: childText(c, 'name') ?? '', op: (childText(c, 'op') ?? 'assign') as PropertyChangeOp };
          const val = child(c, 'val');
          if (val) change.val = val;
          return change;
        }),
        missingSet: decodeMissingSet(o),
      })),
    })),
  };
}

// ---- encoding ----

export function encodeMor(name: string, ref: ManagedObjectReference | undefined): string {
  return ref === undefined ? '' : elText(name, ref.value, { type: ref.type });
}

function encodeSelection(s: SelectionSpec | TraversalSpec): string {
  if ('type' in s && 'path' in s) {
    const t = s;
    return elTyped(
      'selectSet',
      'TraversalSpec',
      elText('name', t.name) +
        elText('type', t.type) +
        elText('path', t.path) +
        el('skip', t.skip ?? false) +
        (t.selectSet ?? []).map(encodeSelection).join(''),
    );
  }
  return elTyped('selectSet', 'SelectionSpec', elText('name', s.name));
}

export function encodePropertyFilterSpec(name: string, spec: PropertyFilterSpec): string {
  const props = spec.propSet
    .map((p) => el('propSet', elText('type', p.type) + el('all', p.all) + (p.pathSet ?? []).map((path) => elText('pathSet', path)).join('')))
    .join('');
  const objects = spec.objectSet
    .map((o) => el('objectSet', encodeMor('obj', o.obj) + el('skip', o.skip) + (o.selectSet ?? []).map(encodeSelection).join('')))
    .join('');
  return el(name, props + objects + el('reportMissingObjectsInResults', spec.reportMissingObjectsInResults));
}

export function encodeRelocateSpec(name: string, spec: VirtualMachineRelocateSpec): string {
  const disks = (spec.disk ?? [])
    .map((d) => el('disk', el('diskId', d.diskId) + encodeMor('datastore', d.datastore) + elText('diskMoveType', d.diskMoveType)))
    .join('');
  return el(
    name,
    encodeMor('folder', spec.folder) +
      encodeMor('datastore', spec.datastore) +
      elText('diskMoveType', spec.diskMoveType) +
      encodeMor('pool', spec.pool) +
      encodeMor('host', spec.host) +
      disks,
  );
}

// ---- snapshots ----

export interface VirtualMachineSnapshotTree {
  snapshot: ManagedObjectReference;
  vm: ManagedObjectReference;
  name: string;
  description: string;
  id: number;
  createTime?: Date;
  /** Power state of the VM when the snapshot was taken. */
  state: string;
  quiesced: boolean;
  childSnapshotList: VirtualMachineSnapshotTree[];
}

export interface VirtualMachineSnapshotInfo {
  currentSnapshot?: ManagedObjectReference;
  rootSnapshotList: VirtualMachineSnapshotTree[];
}

export function decodeSnapshotTree(e: XmlElement): VirtualMachineSnapshotTree {
  const tree: VirtualMachineSnapshotTree = {
    snapshot: requireMor(child(e, 'snapshot'), 'VirtualMachineSnapshotTree.snapshot'),
    vm: requireMor(child(e, 'vm'), 'VirtualMachineSnapshotTree.vm'),
    name: childText(e, 'name') ?? '',
    description: childText(e, 'description') ?? '',
    id: decodeNumber(childText(e, 'id')) ?? 0,
    state: childText(e, 'state') ?? '',
    quiesced: decodeBool(childText(e, 'quiesced')) ?? false,
    childSnapshotList: children(e, 'childSnapshotList').map(decodeSnapshotTree),
  };
  const createTime = decodeDate(childText(e, 'createTime'));
  if (createTime) tree.createTime = createTime;
  return tree;
}

/** VirtualMachine.snapshot; undefined when the VM has none (the property is unset). */
export function decodeSnapshotInfo(e: XmlElement | undefined): VirtualMachineSnapshotInfo | undefined {
  if (!e) return undefined;
  const roots = children(e, 'rootSnapshotList').map(decodeSnapshotTree);
  const current = decodeMor(child(e, 'currentSnapshot'));
  if (roots.length === 0 && !current) return undefined;
  return current ? { currentSnapshot: current, rootSnapshotList: roots } : { rootSnapshotList: roots };
}

// ---- DRS per-VM configuration ----

export type DrsBehavior = 'manual' | 'partiallyAutomated' | 'fullyAutomated';
export type ArrayUpdateOperation = 'add' | 'remove' | 'edit';

/** A per-VM DRS override of a cluster (configurationEx.drsVmConfig). */
export interface ClusterDrsVmConfigInfo {
  key: ManagedObjectReference;
  /** Unset: the cluster's setting applies. */
  enabled?: boolean;
  /** Unset: the cluster's default behavior applies. */
  behavior?: DrsBehavior;
}

export interface ClusterDrsVmConfigSpec {
  operation: ArrayUpdateOperation;
  /** For remove: the VM whose override goes. */
  removeKey?: ManagedObjectReference;
  /** For add and edit. */
  info?: ClusterDrsVmConfigInfo;
}

/** The part of ClusterConfigSpecEx svmig changes: per-VM DRS overrides. */
export interface ClusterConfigSpecEx {
  drsVmConfigSpec?: ClusterDrsVmConfigSpec[];
}

export function decodeDrsVmConfigInfo(e: XmlElement): ClusterDrsVmConfigInfo {
  const info: ClusterDrsVmConfigInfo = { key: requireMor(child(e, 'key'), 'ClusterDrsVmConfigInfo.key') };
  const enabled = decodeBool(childText(e, 'enabled'));
  if (enabled !== undefined) info.enabled = enabled;
  const behavior = childText(e, 'behavior');
  if (behavior) info.behavior = behavior as DrsBehavior;
  return info;
}

function encodeDrsVmConfigInfo(name: string, info: ClusterDrsVmConfigInfo): string {
  return el(name, encodeMor('key', info.key) + el('enabled', info.enabled) + elText('behavior', info.behavior));
}

export function encodeClusterConfigSpecEx(name: string, spec: ClusterConfigSpecEx): string {
  const drs = (spec.drsVmConfigSpec ?? [])
    .map((s) =>
      el(
        'drsVmConfigSpec',
        elText('operation', s.operation) +
          (s.removeKey ? elText('removeKey', s.removeKey.value, { 'xsi:type': 'ManagedObjectReference', type: s.removeKey.type }) : '') +
          (s.info ? encodeDrsVmConfigInfo('info', s.info) : ''),
      ),
    )
    .join('');
  return elTyped(name, 'ClusterConfigSpecEx', drs);
}

// ---- task and event history ----

export type TaskFilterSpecRecursionOption = 'self' | 'children' | 'all';
export type TaskFilterSpecTimeOption = 'queuedTime' | 'startedTime' | 'completedTime';

export interface TaskFilterSpec {
  entity?: { entity: ManagedObjectReference; recursion: TaskFilterSpecRecursionOption };
  time?: { timeType: TaskFilterSpecTimeOption; beginTime?: Date; endTime?: Date };
  userName?: { systemUser: boolean; userList?: string[] };
  state?: TaskInfoState[];
  eventChainId?: number[];
}

export function encodeTaskFilterSpec(name: string, f: TaskFilterSpec): string {
  return el(
    name,
    (f.entity ? el('entity', encodeMor('entity', f.entity.entity) + elText('recursion', f.entity.recursion)) : '') +
      (f.time
        ? el('time', elText('timeType', f.time.timeType) + elText('beginTime', f.time.beginTime?.toISOString()) + elText('endTime', f.time.endTime?.toISOString()))
        : '') +
      (f.userName ? el('userName', el('systemUser', f.userName.systemUser) + (f.userName.userList ?? []).map((u) => elText('userList', u)).join('')) : '') +
      (f.state ?? []).map((s) => elText('state', s)).join('') +
      (f.eventChainId ?? []).map((id) => el('eventChainId', id)).join(''),
  );
}

export type EventFilterSpecRecursionOption = TaskFilterSpecRecursionOption;

export interface EventFilterSpec {
  entity?: { entity: ManagedObjectReference; recursion: EventFilterSpecRecursionOption };
  time?: { beginTime?: Date; endTime?: Date };
  userName?: { systemUser: boolean; userList?: string[] };
  eventChainId?: number;
  disableFullMessage?: boolean;
  category?: string[];
  /** Event type names: 'VmMigratedEvent', 'VmRelocatedEvent', 'TaskEvent' … (a base type selects its subtypes). */
  eventTypeId?: string[];
  /** Page size of the collector's latest page (vCenter: at most 1000). */
  maxCount?: number;
}

export function encodeEventFilterSpec(name: string, f: EventFilterSpec): string {
  return el(
    name,
    (f.entity ? el('entity', encodeMor('entity', f.entity.entity) + elText('recursion', f.entity.recursion)) : '') +
      (f.time ? el('time', elText('beginTime', f.time.beginTime?.toISOString()) + elText('endTime', f.time.endTime?.toISOString())) : '') +
      (f.userName ? el('userName', el('systemUser', f.userName.systemUser) + (f.userName.userList ?? []).map((u) => elText('userList', u)).join('')) : '') +
      el('eventChainId', f.eventChainId) +
      el('disableFullMessage', f.disableFullMessage) +
      (f.category ?? []).map((c) => elText('category', c)).join('') +
      (f.eventTypeId ?? []).map((t) => elText('eventTypeId', t)).join('') +
      el('maxCount', f.maxCount),
  );
}

/** An entity named in an event (EntityEventArgument and its subtypes). */
export interface EventEntity {
  name: string;
  ref?: ManagedObjectReference;
}

/**
 * One event of the history, typed for what svmig reads: its vim25 type, time, chain, user, the
 * entities it names, and for migrations where from and where to. Fields the type has not are
 * absent; `raw` keeps everything else, generically decoded.
 */
export interface VimEvent {
  /** The xsi:type: 'VmMigratedEvent', 'VmRelocatedEvent', 'TaskEvent', 'EventEx' … */
  type: string;
  key: number;
  chainId: number;
  createdTime: Date;
  userName: string;
  fullFormattedMessage?: string;
  datacenter?: EventEntity;
  computeResource?: EventEntity;
  host?: EventEntity;
  vm?: EventEntity;
  ds?: EventEntity;
  sourceHost?: EventEntity;
  sourceDatacenter?: EventEntity;
  sourceDatastore?: EventEntity;
  destHost?: EventEntity;
  destDatacenter?: EventEntity;
  destDatastore?: EventEntity;
  /** Why a migration failed (VmFailedMigrateEvent, VmRelocateFailedEvent). */
  reason?: LocalizedMethodFault;
  /** TaskEvent: the task as it was when the event was posted. */
  info?: TaskInfo;
  /** EventEx / ExtendedEvent: the event type id. */
  eventTypeId?: string;
  raw: Record<string, unknown>;
}

function decodeEventEntity(e: XmlElement | undefined, refName: string): EventEntity | undefined {
  if (!e) return undefined;
  const out: EventEntity = { name: childText(e, 'name') ?? '' };
  const ref = decodeMor(child(e, refName));
  if (ref) out.ref = ref;
  return out;
}

const EVENT_ENTITIES: Array<[keyof VimEvent, string]> = [
  ['datacenter', 'datacenter'],
  ['computeResource', 'computeResource'],
  ['host', 'host'],
  ['vm', 'vm'],
  ['ds', 'datastore'],
  ['sourceHost', 'host'],
  ['sourceDatacenter', 'datacenter'],
  ['sourceDatastore', 'datastore'],
  ['destHost', 'host'],
  ['destDatacenter', 'datacenter'],
  ['destDatastore', 'datastore'],
];

export function decodeEvent(e: XmlElement): VimEvent {
  const raw = decodeAny(e);
  const ev: VimEvent = {
    type: xsiType(e) ?? 'Event',
    key: decodeNumber(childText(e, 'key')) ?? 0,
    chainId: decodeNumber(childText(e, 'chainId')) ?? 0,
    createdTime: decodeDate(childText(e, 'createdTime')) ?? new Date(0),
    userName: childText(e, 'userName') ?? '',
    raw: typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {},
  };
  const message = childText(e, 'fullFormattedMessage');
  if (message !== undefined) ev.fullFormattedMessage = message;
  for (const [field, refName] of EVENT_ENTITIES) {
    const entity = decodeEventEntity(child(e, field), refName);
    if (entity) (ev as unknown as Record<string, unknown>)[field] = entity;
  }
  const reason = decodeLocalizedMethodFault(child(e, 'reason'));
  if (reason) ev.reason = reason;
  const info = child(e, 'info');
  if (info && ev.type === 'TaskEvent') ev.info = decodeTaskInfo(info);
  const typeId = childText(e, 'eventTypeId');
  if (typeId !== undefined) ev.eventTypeId = typeId;
  return ev;
}
