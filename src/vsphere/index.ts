// The vim25 client's public face: connect and log in, call methods, follow tasks, read the
// inventory. Modules: transport (HTTPS, TLS pinning), client (session, counts), methods (one
// function per vim25 method), property-collector, tasks, inventory, types, faults, xml.

export { connectAndLogin, VimClient, type ConnectOptions, type InvokeOptions, type LoginOptions } from './client.js';
export { isVimFault, taskError, VimFault, VsphereConfigError, VsphereConnectionError, VsphereLoginError } from './faults.js';
export { readInventory, type ReadInventoryOptions } from './inventory.js';
export * as methods from './methods.js';
export { PropertyCollector, propertiesOf, retrieveAll, viewSpec, withContainerView, type ContainerViewOptions } from './property-collector.js';
export { TaskWatcher, TaskWatchError, waitForTask, waitForTasks, type TaskUpdate, type TaskWatcherOptions } from './tasks.js';
export { formatThumbprint, parseThumbprint, type TransportOptions } from './transport.js';
export * from './types.js';
