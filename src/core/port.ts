// The port between the planner and a world (the simulator or a live vCenter).
// The planner emits Operations and learns what happened only through Observations; it never reads
// a clock (time comes in with each call) and never touches the world itself.

/** Move the VM's disks (and home) to `targetDatastore`, staying on `host`: a server-side task. */
export interface SvmotionOp {
  kind: 'svmotion';
  id: number;
  vm: string;
  cluster: string;
  host: string;
  sourceDatastores: string[];
  targetDatastore: string;
  /** Bytes the copy moves (thin disks: allocated bytes). */
  bytes: number;
}

/** Move the running VM to another host, storage unchanged: a client-side task. */
export interface VmotionOp {
  kind: 'vmotion';
  id: number;
  vm: string;
  cluster: string;
  host: string;
  toHost: string;
  /** The VM's memory: what the vMotion copies. */
  bytes: number;
}

export type Operation = SvmotionOp | VmotionOp;

export type Observation =
  /** vCenter accepted the operation but it waits for resources (cost admission). */
  | { type: 'queued'; op: number; at: number }
  /** The operation passed admission and is running. */
  | { type: 'started'; op: number; at: number }
  | { type: 'progress'; op: number; at: number; fraction: number }
  | { type: 'succeeded'; op: number; at: number }
  /** `transient`: worth retrying (host busy, timeout); otherwise the VM cannot be moved this way. */
  | { type: 'failed'; op: number; at: number; reason: string; transient: boolean }
  /** Someone else (DRS, an administrator) moved the VM to another host. */
  | { type: 'vmMoved'; vm: string; toHost: string; at: number };
