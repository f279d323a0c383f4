// Operation kinds as data. Everything svmig must know about a kind of task, whoever asks (the
// planner, the simulated world's models, the live world, the journal, the reports), is one entry
// here: its admission costs, what it moves, who keeps its state (server- or client-side task), how
// it is journaled and how it is named. A new task type (snapshot removal, disk consolidation, a
// per-disk relocation, a reconfigure that sets a DRS override) is one member of `Operation` in
// port.ts, one entry below, and the models that run it (sim/models/tasks.ts; live/vcenter.ts).

import type { CostProfile } from '../domain/costs.js';
import type { Vm } from '../domain/estate.js';
import { formatBytes } from '../domain/units.js';
import type { Operation, OperationKind, SvmotionOp, VmotionOp } from './port.js';

/** A resource vCenter's admission charges: a host, a datastore, or a host's vMotion network. */
export type ResourceKind = 'host' | 'datastore' | 'network';

export interface Charge {
  kind: ResourceKind;
  name: string;
  cost: number;
}

export type ChargeSink = (kind: ResourceKind, name: string, cost: number) => void;

/** The kind-specific fields of a journal intent (besides op, vm, kind, cluster, host and bytes). */
export interface IntentFields {
  target?: string;
  /** The datastores a storage move reads from: what it charges besides its target. */
  sources?: string[];
  toHost?: string;
}

/**
 * What a journal intent holds of an operation: all of it, so that a restart takes up an operation
 * still running exactly as the planner counted it (its hosts, datastores and bytes).
 */
export interface Intent extends IntentFields {
  op: number;
  vm: string;
  kind: OperationKind;
  /** Absent from journals written before it was recorded. */
  cluster?: string;
  host: string;
  bytes: number;
}

/** The intent of an operation, for the journal: `decode` gives the operation back. */
export function intentOf(op: Operation): Intent {
  return { op: op.id, vm: op.vm, kind: op.kind, cluster: op.cluster, host: op.host, bytes: op.bytes, ...specOf(op).encode(op) };
}

export interface OperationSpec<O extends Operation> {
  readonly kind: O['kind'];
  /** How people call it. */
  readonly label: string;
  /**
   * Who keeps the task's state. A server-side task (svMotion, snapshot removal, consolidation) is
   * known only by asking vCenter again: polled, its end is seen late. A client-side task (vMotion)
   * reports by itself.
   */
  readonly tracking: 'server' | 'client';
  /** A success moves the VM's storage to its target: the VM counts as migrated. */
  readonly movesStorage: boolean;
  /** A success moves the running VM to another host (`hostAfter`). */
  readonly movesHost: boolean;
  /** Where the VM runs once it succeeded, given where it ran. */
  hostAfter(op: O, host: string): string;
  /** Hosts it runs on while it runs (a host failing there aborts it), given where the VM runs. */
  hosts(op: O, host: string): string[];
  /** Datastores it reads from or writes to, each once. */
  datastores(op: O): string[];
  /**
   * What vCenter's admission charges for it, `host` being where the VM runs when it is admitted
   * and `vmDatastores` where the VM's files are: each resource once, handed to `charge`.
   */
  charges(op: O, host: string, vmDatastores: readonly string[], costs: CostProfile, charge: ChargeSink): void;
  /** Whether `vm`, as vCenter has it now, is where the operation takes it (a restart asks this of an operation it lost). */
  reached(op: O, vm: Vm): boolean;
  /** The result record's kind-specific fields. */
  record(op: O): { toHost: string | null; sourceDatastores: string[]; targetDatastore: string | null };
  /** Journal codec: the intent's kind-specific fields, and the operation back from an intent. */
  encode(op: O): IntentFields;
  decode(intent: Intent): O;
  /** One line for people: `svmotion app01 (120.0 GiB) → NEW-01`. */
  describe(op: O): string;
}

const distinct = (names: readonly string[]): string[] => [...new Set(names)];
const SVMOTION: OperationSpec<SvmotionOp> = {
  kind: 'svmotion',
  label: 'svMotion',
  tracking: 'server',
  movesStorage: true,
  movesHost: false,
  hostAfter: (_op, host) => host,
  hosts: (_op, host) => [host],
  datastores: (op) => distinct([...op.sourceDatastores, op.targetDatastore]),
  charges(op, host, _vmDatastores, costs, charge) {
    // The source and the destination datastores are each charged once, even when disks share them.
    charge('host', host, costs.svmotionHost);
    const sources = op.sourceDatastores;
    for (let i = 0; i < sources.length; i++) if (sources.indexOf(sources[i]!) === i) charge('datastore', sources[i]!, costs.svmotionDatastore);
    if (!sources.includes(op.targetDatastore)) charge('datastore', op.targetDatastore, costs.svmotionDatastore);
  },
  reached: (op, vm) => vm.disks.length > 0 && vm.disks.every((d) => d.datastore === op.targetDatastore),
  record: (op) => ({ toHost: null, sourceDatastores: op.sourceDatastores, targetDatastore: op.targetDatastore }),
  encode: (op) => ({ target: op.targetDatastore, sources: op.sourceDatastores }),
  decode: (i) => ({ kind: 'svmotion', id: i.op, vm: i.vm, cluster: i.cluster ?? '', host: i.host, sourceDatastores: i.sources ?? [], targetDatastore: i.target ?? '', bytes: i.bytes }),
  describe: (op) => `svmotion ${op.vm} (${formatBytes(op.bytes)}) → ${op.targetDatastore}`,
};

const VMOTION: OperationSpec<VmotionOp> = {
  kind: 'vmotion',
  label: 'vMotion',
  tracking: 'client',
  movesStorage: false,
  movesHost: true,
  hostAfter: (op) => op.toHost,
  hosts: (op, host) => [host, op.toHost],
  datastores: () => [],
  charges(op, host, vmDatastores, costs, charge) {
    // Compute only, on shared storage: both hosts and their vMotion networks, and the VM's datastores.
    charge('host', host, costs.vmotionHost);
    charge('network', host, costs.vmotionNetwork);
    if (op.toHost !== host) {
      charge('host', op.toHost, costs.vmotionHost);
      charge('network', op.toHost, costs.vmotionNetwork);
    }
    for (let i = 0; i < vmDatastores.length; i++) if (vmDatastores.indexOf(vmDatastores[i]!) === i) charge('datastore', vmDatastores[i]!, costs.vmotionDatastore);
  },
  reached: (op, vm) => vm.host === op.toHost,
  record: (op) => ({ toHost: op.toHost, sourceDatastores: [], targetDatastore: null }),
  encode: (op) => ({ toHost: op.toHost }),
  decode: (i) => ({ kind: 'vmotion', id: i.op, vm: i.vm, cluster: i.cluster ?? '', host: i.host, toHost: i.toHost ?? '', bytes: i.bytes }),
  describe: (op) => `vmotion ${op.vm} ${op.host} → ${op.toHost}`,
};

export const OPERATIONS: { readonly [K in OperationKind]: OperationSpec<Extract<Operation, { kind: K }>> } = {
  svmotion: SVMOTION,
  vmotion: VMOTION,
};

/** The operation that moves a whole VM's storage: what a VM the campaign skipped was not given. */
export const VM_MOVE = 'svmotion' satisfies OperationKind;

/** The registry entry of `op`'s kind, typed for it. */
export function specOf<O extends Operation>(op: O): OperationSpec<O> {
  return OPERATIONS[op.kind as OperationKind] as unknown as OperationSpec<O>;
}

/** Whether `kind` names an operation kind svmig knows (reading a journal or a saved result). */
export function isOperationKind(kind: unknown): kind is OperationKind {
  return typeof kind === 'string' && Object.hasOwn(OPERATIONS, kind);
}

/** The budget of one resource of `kind` under `costs`. */
export function budgetOf(costs: CostProfile, kind: ResourceKind): number {
  return kind === 'host' ? costs.hostMax : kind === 'datastore' ? costs.datastoreMax : costs.networkMax;
}

/** The charges of `op` as a list. */
export function chargesOf(op: Operation, host: string, vmDatastores: readonly string[], costs: CostProfile): Charge[] {
  const out: Charge[] = [];
  specOf(op).charges(op, host, vmDatastores, costs, (kind, name, cost) => out.push({ kind, name, cost }));
  return out;
}

/** Why vCenter would never run `op` (a charge over a resource's whole budget), or null. */
export function refusalOf(op: Operation, vmDatastores: readonly string[], costs: CostProfile): string | null {
  for (const c of chargesOf(op, op.host, vmDatastores, costs)) {
    const budget = budgetOf(costs, c.kind);
    if (c.cost > budget) return `vCenter cannot run the ${op.kind} of ${op.vm}: it costs ${c.cost} on ${c.kind} ${c.name}, whose whole budget is ${budget}`;
  }
  return null;
}
