// Operation kinds as data. Everything svmig must know about a kind of task, whoever asks (the
// planner, the simulated world's models, the live world, the journal, the reports), is one entry
// here: its admission costs, what it moves, who keeps its state (server- or client-side task), how
// it is journaled and how it is named. A new task type is one member of `Operation` in port.ts,
// one entry below, and the models that run it (sim/models/tasks.ts; live/vcenter.ts). Besides the
// moves themselves (svMotion, with per-disk targets or not; vMotion) there are pre-flight
// remediation tasks (snapshot removal, disk consolidation) and DRS overrides of a cluster.

import type { CostProfile } from '../domain/costs.js';
import { drsPinned, type DrsVmOverride, type Vm } from '../domain/estate.js';
import { formatBytes } from '../domain/units.js';
import type { DiskMove, DrsOverrideEntry, DrsOverrideOp, Operation, OperationKind, RemediationKind, RemediationOp, SvmotionOp, VmotionOp } from './port.js';

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
  /** svmotion with per-disk targets. */
  disks?: DiskMove[];
  /** remove-oldest-snapshot. */
  depthAfter?: number;
  /** drs-override (its cluster is the intent's). */
  vms?: DrsOverrideEntry[];
}

/**
 * What a journal intent holds of an operation: all of it, so that a restart takes up an operation
 * still running exactly as the planner counted it (its hosts, datastores and bytes).
 */
export interface Intent extends IntentFields {
  op: number;
  vm: string;
  kind: OperationKind;
  /** The operation's cluster (a DRS override's: the one it changes); absent from older journals. */
  cluster?: string;
  host: string;
  bytes: number;
}

/** The intent of an operation, for the journal: `decode` gives the operation back. */
export function intentOf(op: Operation): Intent {
  return { op: op.id, vm: op.vm, kind: op.kind, cluster: op.cluster, host: op.host, bytes: op.bytes, ...specOf(op).encode(op) };
}

/** What a result record says of an operation besides what every record has. */
export interface RecordFields {
  toHost: string | null;
  sourceDatastores: string[];
  targetDatastore: string | null;
  /** Per-disk targets, when the svMotion has them. */
  disks?: DiskMove[];
  /** A DRS override operation: the VMs whose override it set, and those whose override it put back. */
  overrides?: { set: string[]; restore: string[] };
}

export interface OperationSpec<O extends Operation | RemediationOp> {
  readonly kind: O['kind'];
  /** How people call it. */
  readonly label: string;
  /**
   * Who keeps the task's state. A server-side task (svMotion, snapshot removal, consolidation) is
   * known only by asking vCenter again: polled, its end is seen late. A client-side task (vMotion)
   * reports by itself.
   */
  readonly tracking: 'server' | 'client';
  /**
   * What the task works on. A VM's task holds the VM: vCenter runs one at a time on it, and a
   * restart looks for it on the VM. A cluster's task (a DRS override) holds no VM; `vm` names the
   * cluster.
   */
  readonly subject: 'vm' | 'cluster';
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
   * and `vmDatastores` giving where the VM's files are (asked only by kinds that charge them: a
   * list a simulated run would otherwise make for every VM it moves): each resource once, handed
   * to `charge`.
   */
  charges(op: O, host: string, vmDatastores: () => readonly string[], costs: CostProfile, charge: ChargeSink): void;
  /** Whether `vm`, as vCenter has it now, is where the operation takes it (a restart asks this of an operation it lost). */
  reached(op: O, vm: Vm): boolean;
  /** Whether DRS may move each VM by itself once the operation succeeded (false: pinned), for the VMs it changes. */
  drsFreedom(op: O): ReadonlyArray<readonly [vm: string, pinned: boolean]>;
  /** The result record's kind-specific fields. */
  record(op: O): RecordFields;
  /** Journal codec: the intent's kind-specific fields, and the operation back from an intent. */
  encode(op: O): IntentFields;
  decode(intent: Intent): O;
  /** One line for people: `svmotion app01 (120.0 GiB) → NEW-01`. */
  describe(op: O): string;
}

const NONE: ReadonlyArray<readonly [string, boolean]> = [];

const distinct = (names: readonly string[]): string[] => [...new Set(names)];
/** The distinct datastores an svMotion writes to: its home's target and each moved disk's. */
export function targetsOf(op: SvmotionOp): string[] {
  const disks = op.disks;
  if (disks === undefined) return [op.targetDatastore];
  const out = [op.targetDatastore];
  for (const d of disks) if (!out.includes(d.target)) out.push(d.target);
  return out;
}

/**
 * The copy streams an svMotion runs at once: one per distinct pair of source and target datastore,
 * as vSphere copies disks in parallel only between distinct datastores (the cap is the fabric's).
 */
export function streamsOf(op: SvmotionOp): number {
  const disks = op.disks;
  if (disks === undefined) return Math.max(1, op.sourceDatastores.length);
  const pairs = new Set(disks.map((d) => `${d.source}\u0000${d.target}`));
  return Math.max(1, pairs.size);
}

const SVMOTION: OperationSpec<SvmotionOp> = {
  kind: 'svmotion',
  label: 'svMotion',
  tracking: 'server',
  subject: 'vm',
  movesStorage: true,
  movesHost: false,
  hostAfter: (_op, host) => host,
  hosts: (_op, host) => [host],
  datastores: (op) => distinct([...op.sourceDatastores, ...targetsOf(op)]),
  charges(op, host, _vmDatastores, costs, charge) {
    // Every source and every destination datastore is charged once, even when disks share them.
    charge('host', host, costs.svmotionHost);
    const sources = op.sourceDatastores;
    for (let i = 0; i < sources.length; i++) if (sources.indexOf(sources[i]!) === i) charge('datastore', sources[i]!, costs.svmotionDatastore);
    if (op.disks === undefined) {
      if (!sources.includes(op.targetDatastore)) charge('datastore', op.targetDatastore, costs.svmotionDatastore);
      return;
    }
    for (const t of targetsOf(op)) if (!sources.includes(t)) charge('datastore', t, costs.svmotionDatastore);
  },
  reached(op, vm) {
    if (vm.disks.length === 0) return false;
    if (op.disks === undefined) return vm.disks.every((d) => d.datastore === op.targetDatastore);
    // Every disk on its planned datastore: the moved ones on theirs, the others where they were.
    const planned = new Map(op.disks.map((d) => [d.disk, d.target]));
    return vm.disks.every((d) => !planned.has(d.label) || d.datastore === planned.get(d.label)) && vm.disks.some((d) => planned.has(d.label));
  },
  drsFreedom: () => NONE,
  record: (op) => (op.disks === undefined ? { toHost: null, sourceDatastores: op.sourceDatastores, targetDatastore: op.targetDatastore } : { toHost: null, sourceDatastores: op.sourceDatastores, targetDatastore: op.targetDatastore, disks: op.disks }),
  encode: (op) => (op.disks === undefined ? { target: op.targetDatastore, sources: op.sourceDatastores } : { target: op.targetDatastore, sources: op.sourceDatastores, disks: op.disks }),
  decode(i) {
    const op: SvmotionOp = { kind: 'svmotion', id: i.op, vm: i.vm, cluster: i.cluster ?? '', host: i.host, sourceDatastores: i.sources ?? [], targetDatastore: i.target ?? '', bytes: i.bytes };
    if (i.disks !== undefined) {
      op.disks = i.disks;
      // Journals written before sources were recorded: the moved disks' sources at least.
      if (i.sources === undefined) op.sourceDatastores = distinct(i.disks.map((d) => d.source));
    }
    return op;
  },
  describe(op) {
    if (op.disks === undefined) return `svmotion ${op.vm} (${formatBytes(op.bytes)}) → ${op.targetDatastore}`;
    return `svmotion ${op.vm} (${formatBytes(op.bytes)}) → ${op.disks.map((d) => `${d.disk}: ${d.target}`).join(', ')}; home ${op.targetDatastore}`;
  },
};

const VMOTION: OperationSpec<VmotionOp> = {
  kind: 'vmotion',
  label: 'vMotion',
  tracking: 'client',
  subject: 'vm',
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
    const datastores = vmDatastores();
    for (let i = 0; i < datastores.length; i++) if (datastores.indexOf(datastores[i]!) === i) charge('datastore', datastores[i]!, costs.vmotionDatastore);
  },
  reached: (op, vm) => vm.host === op.toHost,
  drsFreedom: () => NONE,
  record: (op) => ({ toHost: op.toHost, sourceDatastores: [], targetDatastore: null }),
  encode: (op) => ({ toHost: op.toHost }),
  decode: (i) => ({ kind: 'vmotion', id: i.op, vm: i.vm, cluster: i.cluster ?? '', host: i.host, toHost: i.toHost ?? '', bytes: i.bytes }),
  describe: (op) => `vmotion ${op.vm} ${op.host} → ${op.toHost}`,
};

/**
 * The remediation tasks. vCenter's table of migration costs does not list snapshot removal or
 * consolidation; svmig charges them as vCenter's "other provisioning operations" are charged on
 * the host (the profile's `remediationHost`), and `remediationDatastore` on each of the VM's
 * datastores, which the merge reads and writes: an assumption, not a published figure.
 */
function remediation<K extends RemediationKind>(kind: K, label: string, reached: (op: RemediationOp, vm: Vm) => boolean, what: (op: RemediationOp) => string): OperationSpec<RemediationOp<K>> {
  const spec: OperationSpec<RemediationOp> = {
    kind,
    label,
    tracking: 'server',
    subject: 'vm',
    movesStorage: false,
    movesHost: false,
    hostAfter: (_op, host) => host,
    hosts: (_op, host) => [host],
    datastores: () => [],
    charges(_op, host, vmDatastores, costs, charge) {
      charge('host', host, costs.remediationHost);
      const datastores = vmDatastores();
      for (let i = 0; i < datastores.length; i++) if (datastores.indexOf(datastores[i]!) === i) charge('datastore', datastores[i]!, costs.remediationDatastore);
    },
    reached,
    drsFreedom: () => NONE,
    record: () => ({ toHost: null, sourceDatastores: [], targetDatastore: null }),
    encode: (op) => (op.depthAfter === undefined ? {} : { depthAfter: op.depthAfter }),
    decode(i) {
      const op: RemediationOp = { kind, id: i.op, vm: i.vm, cluster: i.cluster ?? '', host: i.host, bytes: i.bytes };
      if (i.depthAfter !== undefined) op.depthAfter = i.depthAfter;
      return op;
    },
    describe: (op) => `${kind} ${op.vm} (${what(op)})`,
  };
  // One entry serves the three kinds: each is typed for its own.
  return spec as unknown as OperationSpec<RemediationOp<K>>;
}

const snapshotsOf = (vm: Vm) => vm.snapshots ?? { count: 0, depth: 0, deltaBytes: 0, consolidationNeeded: false };

const REMOVE_ALL_SNAPSHOTS = remediation('remove-all-snapshots', 'snapshot removal', (_op, vm) => snapshotsOf(vm).count === 0, (op) => `merges ${formatBytes(op.bytes)}`);
const REMOVE_OLDEST_SNAPSHOT = remediation(
  'remove-oldest-snapshot',
  'removal of the oldest snapshot',
  (op, vm) => snapshotsOf(vm).depth <= (op.depthAfter ?? 0),
  (op) => `merges ${formatBytes(op.bytes)}, leaves ${op.depthAfter ?? 0}`,
);
const CONSOLIDATE_DISKS = remediation('consolidate-disks', 'disk consolidation', (_op, vm) => !snapshotsOf(vm).consolidationNeeded, (op) => `merges ${formatBytes(op.bytes)}`);

/** A VM's override as people read it. */
const overrideText = (o: DrsVmOverride | null): string => (o === null ? 'none' : o.enabled === false ? 'disabled' : (o.behavior ?? 'cluster default'));

const DRS_OVERRIDE: OperationSpec<DrsOverrideOp> = {
  kind: 'drs-override',
  label: 'DRS override',
  tracking: 'server',
  subject: 'cluster',
  movesStorage: false,
  movesHost: false,
  hostAfter: (_op, host) => host,
  hosts: () => [],
  datastores: () => [],
  // A cluster reconfiguration is not a migration: vCenter's admission charges nothing for it.
  charges: () => undefined,
  reached: () => false,
  drsFreedom: (op) => op.vms.map((v) => [v.vm, v.action === 'set' || drsPinned(v.previous)] as const),
  record: (op) => ({ toHost: null, sourceDatastores: [], targetDatastore: null, overrides: { set: vmsDoing(op, 'set'), restore: vmsDoing(op, 'restore') } }),
  encode: (op) => ({ cluster: op.cluster, vms: op.vms }),
  decode: (i) => ({ kind: 'drs-override', id: i.op, vm: i.vm, cluster: i.cluster ?? i.vm, host: i.host, bytes: i.bytes, vms: i.vms ?? [] }),
  describe: (op) => `drs-override ${op.cluster}: ${op.vms.map((v) => (v.action === 'set' ? `${v.vm} partially automated while moved` : `${v.vm} back to ${overrideText(v.previous)}`)).join(', ')}`,
};

const vmsDoing = (op: DrsOverrideOp, action: 'set' | 'restore'): string[] => op.vms.filter((v) => v.action === action).map((v) => v.vm);

export const OPERATIONS: { readonly [K in OperationKind]: OperationSpec<Extract<Operation, { kind: K }>> } = {
  svmotion: SVMOTION,
  vmotion: VMOTION,
  'remove-all-snapshots': REMOVE_ALL_SNAPSHOTS,
  'remove-oldest-snapshot': REMOVE_OLDEST_SNAPSHOT,
  'consolidate-disks': CONSOLIDATE_DISKS,
  'drs-override': DRS_OVERRIDE,
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
  specOf(op).charges(op, host, () => vmDatastores, costs, (kind, name, cost) => out.push({ kind, name, cost }));
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
