// The vim25 client's public face: connect and log in, call methods, follow tasks, read the
// inventory, snapshots, DRS overrides, disk placement and vCenter's task and event history.
// Modules: transport (HTTPS, TLS pinning), client (session, counts), methods (one function per
// vim25 method), property-collector, tasks, inventory, snapshots, drs, placement, history, types,
// faults, xml.

export { connectAndLogin, VimClient, type ConnectOptions, type InvokeOptions, type LoginOptions } from './client.js';
export { changeDrsVmOverrides, drsOverrideSpec, readClusterDrs, readDrsVmOverrides, type ClusterDrsState, type DrsOverrideChanges } from './drs.js';
export { isVimFault, taskError, VimFault, VsphereConfigError, VsphereConnectionError, VsphereLoginError } from './faults.js';
export {
  eventHistoryPages,
  MIGRATION_EVENT_TYPES,
  readEventHistory,
  readTaskHistory,
  RELOCATE_DESCRIPTION_ID,
  taskHistoryPages,
  type HistoryReadOptions,
} from './history.js';
export { readInventory, readInventoryWithSnapshots, type ReadInventoryOptions } from './inventory.js';
export * as methods from './methods.js';
export { readDiskPlacement, readVmPlacements, type DiskPlacement, type VmPlacement } from './placement.js';
export { PropertyCollector, propertiesOf, retrieveAll, viewSpec, withContainerView, type ContainerViewOptions } from './property-collector.js';
export { flattenSnapshots, readSnapshotStates, SNAPSHOT_PATHS, snapshotCount, snapshotDepth, snapshotStateOf, type VmSnapshotState } from './snapshots.js';
export {
  isWaitingForResources,
  TaskWatcher,
  TaskWatchError,
  WATCHED_TASK_PATHS,
  waitForTask,
  waitForTasks,
  type TaskChange,
  type TaskUpdate,
  type TaskWatcherOptions,
  type TaskWatcherStats,
} from './tasks.js';
export { formatThumbprint, parseThumbprint, type TransportOptions } from './transport.js';
export * from './types.js';
