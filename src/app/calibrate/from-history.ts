// Observations from vCenter's own history, for migrations that svmig did not run (PowerCLI, the
// vSphere Client, another tool) or whose journal is lost: the RelocateVM_Task tasks of a time
// window from the TaskHistoryCollector (submitted, ended, outcome), joined with the migration
// events of the same window from the EventHistoryCollector by the task's event chain:
// VmBeingHotMigratedEvent / VmBeingRelocatedEvent say when copying began (vCenter keeps a task
// that waits for resources `running`, so its startTime does not), VmMigratedEvent /
// VmRelocatedEvent where from and where to (host and datastore). Both are read in pages, filtered
// by time on the server. The inventory gives what the history does not: each VM's name for its
// reference, and its disks, so the bytes a move copied (allocated bytes of thin disks).
//
// Where the scenario to be calibrated knows a VM as it was before it moved (its legacy disks),
// their datastores and bytes are taken from there: the events name only the datastore of the VM's
// home, and the inventory shows the VM after the move.

import type { Estate, Vm } from '../../domain/estate.js';
import { diskCopyBytes } from '../../domain/estate.js';
import type { VimClient } from '../../vsphere/client.js';
import { readEventHistory, readTaskHistory, RELOCATE_DESCRIPTION_ID } from '../../vsphere/history.js';
import { readInventory } from '../../vsphere/inventory.js';
import type { TaskInfo, VimEvent } from '../../vsphere/types.js';
import type { ObservedTask, Observations } from './observations.js';

export interface HistoryWindow {
  since: Date;
  until: Date;
}

export interface HistoryOptions {
  /** The scenario's estate, for VMs as they were before they moved (see the file's comment). */
  before?: Estate;
  /** Seconds of the modelled world per second of vCenter's clock (1 unless rehearsing). */
  timeScale?: number;
  /** Items per history read (default 500). */
  pageSize?: number;
}

const START_EVENTS = new Set(['VmBeingHotMigratedEvent', 'VmBeingRelocatedEvent', 'VmBeingMigratedEvent']);
const END_EVENTS = new Set(['VmMigratedEvent', 'VmRelocatedEvent']);
const FAIL_EVENTS = new Set(['VmFailedMigrateEvent', 'VmRelocateFailedEvent']);
const READ_EVENTS = [...START_EVENTS, ...END_EVENTS, ...FAIL_EVENTS];

/** The migrations vCenter ran in the window, as observations. */
export async function observationsFromHistory(client: VimClient, window: HistoryWindow, options: HistoryOptions = {}): Promise<Observations> {
  const pageSize = options.pageSize ?? 500;
  const tasks = (await readTaskHistory(client, { time: { timeType: 'queuedTime', beginTime: window.since, endTime: window.until } }, { pageSize })).filter(
    (t) => t.descriptionId === RELOCATE_DESCRIPTION_ID || t.name === 'RelocateVM_Task',
  );
  // Events of a task that began in the window may come after it: read them up to now.
  const events = await readEventHistory(client, { time: { beginTime: window.since }, eventTypeId: READ_EVENTS }, { pageSize });
  const inventory = tasks.length > 0 ? await readInventory(client) : null;
  return joinHistory(tasks, events, inventory, { name: new URL(client.url).host, window, ...options });
}

/** The join itself, apart from the reading, so that it can be checked on its own. */
export function joinHistory(
  tasks: readonly TaskInfo[],
  events: readonly VimEvent[],
  inventory: Estate | null,
  options: HistoryOptions & { name: string; window: HistoryWindow },
): Observations {
  const byChain = new Map<number, VimEvent[]>();
  for (const e of events) {
    const list = byChain.get(e.chainId);
    if (list) list.push(e);
    else byChain.set(e.chainId, [e]);
  }
  const before = new Map((options.before?.vms ?? []).map((v) => [v.name, v]));
  const legacy = new Set((options.before?.datastores ?? []).filter((d) => d.role === 'legacy').map((d) => d.name));
  const now = new Map((inventory?.vms ?? []).map((v) => [v.name, v]));
  const notes: string[] = [`window ${options.window.since.toISOString()} to ${options.window.until.toISOString()}`];
  let unexplained = 0;
  const out: ObservedTask[] = [];
  for (const t of tasks) {
    if (t.state !== 'success' && t.state !== 'error' && t.state !== 'running') continue;
    const chain = t.eventChainId === undefined ? [] : (byChain.get(t.eventChainId) ?? []);
    const start = chain.find((e) => START_EVENTS.has(e.type));
    const end = chain.find((e) => END_EVENTS.has(e.type));
    const failed = chain.find((e) => FAIL_EVENTS.has(e.type));
    const vm = end?.vm?.name ?? start?.vm?.name ?? failed?.vm?.name ?? t.entityName;
    if (vm === undefined) continue;
    const fromHost = end?.sourceHost?.name ?? start?.host?.name ?? failed?.host?.name;
    const toHost = end?.host?.name ?? failed?.destHost?.name ?? fromHost;
    const fromDs = end?.sourceDatastore?.name ?? start?.ds?.name ?? failed?.ds?.name;
    const toDs = end?.ds?.name ?? failed?.destDatastore?.name;
    if (fromHost === undefined || (toDs === undefined && toHost === fromHost)) {
      unexplained++;
      continue;
    }
    const storage = toDs !== undefined && toDs !== fromDs;
    const submitted = (t.queueTime ?? t.startTime)?.getTime();
    if (submitted === undefined) continue;
    const copying = start?.createdTime.getTime() ?? t.startTime?.getTime() ?? null;
    const ended = t.state === 'running' ? null : (t.completeTime?.getTime() ?? end?.createdTime.getTime() ?? null);
    const was = before.get(vm);
    const is = now.get(vm);
    let sources: string[];
    let bytes: number;
    if (storage) {
      const fromBefore = was ? legacySources(was, legacy) : [];
      sources = fromBefore.length > 0 ? fromBefore : fromDs === undefined ? [] : [fromDs];
      bytes = was && fromBefore.length > 0 ? copyBytes(was, (ds) => legacy.has(ds)) : is ? copyBytes(is, (ds) => ds === toDs) : 0;
    } else {
      sources = [];
      bytes = was?.memoryBytes ?? is?.memoryBytes ?? 0;
    }
    const task: ObservedTask = {
      key: t.key || t.task.value,
      kind: storage ? 'svmotion' : 'vmotion',
      vm,
      host: fromHost,
      sourceDatastores: sources,
      targetDatastore: storage ? toDs! : null,
      toHost: storage ? null : (toHost ?? null),
      bytes,
      submittedAt: submitted,
      startedAt: copying === null ? null : Math.max(copying, submitted),
      endedAt: ended,
      outcome: t.state === 'running' ? 'running' : t.state === 'success' ? 'success' : 'failed',
    };
    if (t.state === 'error') task.reason = t.error?.localizedMessage || t.error?.fault.faultName || 'failed';
    out.push(task);
  }
  if (unexplained > 0) notes.push(`left out ${unexplained} relocation task(s) whose events do not say where the VM went (events older than vCenter keeps, or a relocation that moved nothing)`);
  out.sort((a, b) => a.submittedAt - b.submittedAt || (a.key < b.key ? -1 : 1));
  return { source: { kind: 'vcenter', name: options.name }, tasks: out, timeScale: options.timeScale ?? 1, notes };
}

function legacySources(vm: Vm, legacy: ReadonlySet<string>): string[] {
  return [...new Set(vm.disks.map((d) => d.datastore).filter((d): d is string => d !== null && legacy.has(d)))];
}

function copyBytes(vm: Vm, on: (ds: string) => boolean): number {
  let total = 0;
  for (const d of vm.disks) if (d.datastore !== null && on(d.datastore)) total += diskCopyBytes(d);
  return total;
}
