// The estate: what lives in one vCenter, as far as a storage migration cares.
// Plain data, serialisable as JSON (this is the shape of `estate.json` written by the importers),
// with names as identities: vSphere inventory names are unique per type inside a datacenter and
// that is what planners and RVTools exports use. Sizes are bytes.

export type PowerState = 'poweredOn' | 'poweredOff' | 'suspended';

/** Which side of the migration a datastore is on. `other` datastores are neither moved from nor to. */
export type DatastoreRole = 'legacy' | 'new' | 'other';

export interface Cluster {
  name: string;
  /** Datacenter the cluster belongs to, when known. */
  datacenter?: string | null;
}

export interface Host {
  name: string;
  /** Cluster name; null for a standalone host (reported by the importers, never planned on). */
  cluster: string | null;
  /** Blade enclosure (chassis) the host sits in; hosts of one enclosure share its FC uplinks. */
  enclosure: string | null;
  /** FC HBA ports, when known (RVTools `# HBAs`). The fabric model supplies a default. */
  hbaPorts?: number | null;
  model?: string | null;
}

export interface Datastore {
  name: string;
  capacityBytes: number;
  freeBytes: number;
  /** Storage array the datastore lives on (a name from the fabric's arrays), null when unknown. */
  array: string | null;
  role: DatastoreRole;
  /** Hosts that mount it; null means every host of the estate. */
  hosts: string[] | null;
  type?: string | null;
}

export interface Disk {
  /** Label as vSphere shows it ("Hard disk 1"). */
  label: string;
  /** Device key when known (2000, 2001 …): what a per-disk relocate locator names. */
  key?: number | null;
  capacityBytes: number;
  /** Bytes actually written; equals capacity for thick disks. */
  allocatedBytes: number;
  thin: boolean;
  /** Datastore name; null when the export did not say. */
  datastore: string | null;
  /** Disk file path (`[ds] vm/vm.vmdk`) when known. */
  path?: string | null;
}

export interface Vm {
  name: string;
  cluster: string | null;
  host: string | null;
  powerState: PowerState;
  memoryBytes: number;
  disks: Disk[];
  /** Datastore holding the VM's home (vmx, logs); null when unknown. */
  homeDatastore?: string | null;
  template?: boolean;
  /**
   * Why the VM cannot be moved by a plain Storage vMotion as it is (template, physical RDM, shared
   * or multi-writer disk, FT, independent disk, unknown datastore…). A VM with blockers is
   * reported by the planner as skipped, never silently dropped.
   */
  blockers?: string[];
  /** Things a planner must know that do not block the move (snapshots to consolidate…). */
  notes?: string[];
  /** Its snapshots and left-over redo logs, when the source says (what pre-flight remediation acts on). */
  snapshots?: VmSnapshots;
  /** Its per-VM DRS override in its cluster, when it has one (null: none; absent: not known). */
  drsOverride?: DrsVmOverride | null;
}

/** A VM's snapshots and left-over redo logs. */
export interface VmSnapshots {
  /** Snapshots in the VM's tree. */
  count: number;
  /** The longest chain of snapshots from a root down (count, for a chain). */
  depth: number;
  /** Bytes the snapshots' delta disks hold, all disks together: what removing them merges. */
  deltaBytes: number;
  /** runtime.consolidationNeeded: redo logs that no snapshot holds any more need merging. */
  consolidationNeeded: boolean;
  /** Bytes of those orphaned redo logs, when known (what a consolidation merges). */
  orphanBytes?: number;
}

/** DRS automation levels, as vSphere names them. */
export type DrsBehavior = 'manual' | 'partiallyAutomated' | 'fullyAutomated';

/** A per-VM DRS override (ClusterDrsVmConfigInfo): unset fields follow the cluster's settings. */
export interface DrsVmOverride {
  behavior: DrsBehavior | null;
  /** false: DRS leaves the VM alone altogether. */
  enabled: boolean | null;
}

/** Whether DRS, under this override, never moves the VM by itself (it only recommends, or nothing). */
export function drsPinned(o: DrsVmOverride | null | undefined): boolean {
  return o != null && (o.enabled === false || o.behavior === 'manual' || o.behavior === 'partiallyAutomated');
}

export interface Estate {
  vcenter: string;
  clusters: Cluster[];
  hosts: Host[];
  datastores: Datastore[];
  vms: Vm[];
}

/** Bytes a Storage vMotion copies for one disk: thin disks copy what is allocated, thick ones all. */
export function diskCopyBytes(disk: Disk): number {
  return disk.thin ? disk.allocatedBytes : disk.capacityBytes;
}

/** Bytes a full move of the VM copies, counting only disks that sit on datastores of `from`. */
export function vmCopyBytes(vm: Vm, isSource: (datastore: string) => boolean): number {
  let total = 0;
  for (const d of vm.disks) if (d.datastore !== null && isSource(d.datastore)) total += diskCopyBytes(d);
  return total;
}

/** Distinct datastores the VM's disks are on, in first-seen order. */
export function vmDatastores(vm: Vm): string[] {
  const seen = new Set<string>();
  if (vm.homeDatastore) seen.add(vm.homeDatastore);
  for (const d of vm.disks) if (d.datastore !== null) seen.add(d.datastore);
  return [...seen];
}
