// vCenter's own history, for calibrating from migrations run by other tools (PowerCLI, the vSphere
// Client) or by an earlier run: tasks through a TaskHistoryCollector, events through an
// EventHistoryCollector, read oldest first in pages (ReadNextTasks / ReadNextEvents from the
// collector's start, where vCenter puts a new collector), filtered on the server by time, entity,
// state or event type. The collector is destroyed however the reading ends: vCenter allows few per
// session (32 by default).

import type { VimClient } from './client.js';
import * as methods from './methods.js';
import type { EventFilterSpec, ManagedObjectReference, TaskFilterSpec, TaskInfo, VimEvent } from './types.js';

/** The descriptionId of RelocateVM_Task tasks in vCenter's task history. */
export const RELOCATE_DESCRIPTION_ID = 'VirtualMachine.relocate';

/**
 * The events a migration leaves: a powered-on VM (vMotion and Storage vMotion alike) posts
 * VmBeingHotMigratedEvent then VmMigratedEvent (or VmFailedMigrateEvent); a powered-off one
 * VmBeingRelocatedEvent then VmRelocatedEvent (or VmRelocateFailedEvent); DRS its own. All events
 * of one operation share the chainId of its task (TaskInfo.eventChainId).
 */
export const MIGRATION_EVENT_TYPES = [
  'VmBeingHotMigratedEvent',
  'VmMigratedEvent',
  'VmFailedMigrateEvent',
  'VmBeingRelocatedEvent',
  'VmRelocatedEvent',
  'VmRelocateFailedEvent',
  'DrsVmMigratedEvent',
] as const;

export interface HistoryReadOptions {
  /** Items per read (default 100; vCenter allows up to 1000). */
  pageSize?: number;
}

function pageSizeOf(options: HistoryReadOptions): number {
  const n = options.pageSize ?? 100;
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RangeError(`history page size ${n} is not between 1 and 1000`);
  return n;
}

function manager(ref: ManagedObjectReference | undefined, what: string): ManagedObjectReference {
  if (!ref) throw new Error(`vim25: this server has no ${what}`);
  return ref;
}

/** The tasks the filter selects, page by page, oldest first. */
export async function* taskHistoryPages(client: VimClient, filter: TaskFilterSpec, options: HistoryReadOptions = {}): AsyncGenerator<TaskInfo[]> {
  const size = pageSizeOf(options);
  const collector = await methods.CreateCollectorForTasks(client, manager(client.serviceContent.taskManager, 'TaskManager'), filter);
  try {
    for (;;) {
      const page = await methods.ReadNextTasks(client, collector, size);
      if (page.length === 0) return;
      yield page;
    }
  } finally {
    await methods.DestroyCollector(client, collector).catch(() => undefined);
  }
}

/** Every task the filter selects, oldest first. */
export async function readTaskHistory(client: VimClient, filter: TaskFilterSpec, options: HistoryReadOptions = {}): Promise<TaskInfo[]> {
  const out: TaskInfo[] = [];
  for await (const page of taskHistoryPages(client, filter, options)) out.push(...page);
  return out;
}

/** The events the filter selects, page by page, oldest first. */
export async function* eventHistoryPages(client: VimClient, filter: EventFilterSpec, options: HistoryReadOptions = {}): AsyncGenerator<VimEvent[]> {
  const size = pageSizeOf(options);
  const collector = await methods.CreateCollectorForEvents(client, manager(client.serviceContent.eventManager, 'EventManager'), filter);
  try {
    for (;;) {
      const page = await methods.ReadNextEvents(client, collector, size);
      if (page.length === 0) return;
      yield page;
    }
  } finally {
    await methods.DestroyCollector(client, collector).catch(() => undefined);
  }
}

/** Every event the filter selects, oldest first. */
export async function readEventHistory(client: VimClient, filter: EventFilterSpec, options: HistoryReadOptions = {}): Promise<VimEvent[]> {
  const out: VimEvent[] = [];
  for await (const page of eventHistoryPages(client, filter, options)) out.push(...page);
  return out;
}
