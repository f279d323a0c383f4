// What a campaign has to do, derived from an estate: the VMs to move with their bytes and where
// they are, the datastores they may go to, and the VMs that cannot be moved as they are (kept,
// with the reason, so that nothing is dropped silently).

import type { CostProfile } from '../domain/costs.js';
import { diskCopyBytes, type DrsVmOverride, type Estate, type Vm, type VmSnapshots } from '../domain/estate.js';
import type { WindowSchedule } from '../domain/windows.js';

export interface MoveItem {
  vm: string;
  /**
   * The VM's place in the list of VMs of the estate the campaign was made from: a world that
   * numbers that estate's VMs finds the VM by it instead of by name (it checks the name).
   */
  estateIndex?: number;
  cluster: string;
  host: string;
  /** Bytes the Storage vMotion copies (disks on legacy datastores; thin disks count allocated bytes). */
  bytes: number;
  /** Legacy datastores holding the VM's disks or home, in first-seen order (a list of one may be shared by several items: never changed). */
  sourceDatastores: string[];
  memoryBytes: number;
  /** The disks the copy moves (those on legacy datastores), in the VM's order. */
  disks: DiskItem[];
  /** The legacy datastore holding the VM's home, or null when its home is elsewhere. */
  home: string | null;
  /** Its snapshots, when known (pre-flight remediation). */
  snapshots?: VmSnapshots;
  /** Its per-VM DRS override before the campaign (null: none; absent: not known). */
  drsOverride?: DrsVmOverride | null;
}

/** A disk of a VM on a legacy datastore. */
export interface DiskItem {
  /** As vSphere labels it ("Hard disk 1"): unique within the VM. */
  label: string;
  datastore: string;
  bytes: number;
}

/** Where disks may go besides a whole-VM move to one datastore. */
export interface DiskPlacementRules {
  /** Legacy datastore → the new datastores its disks may go to (a datastore map); absent: any. */
  map: ReadonlyMap<string, readonly string[]>;
  /** Which VMs have their disks spread over several new datastores; null: none. */
  spread: SpreadRule | null;
}

export interface SpreadRule {
  /** A VM copying more than this is spread (null: no such threshold). */
  vmBytesOver: number | null;
  /** A VM with a disk larger than this is spread (null: no such threshold). */
  diskBytesOver: number | null;
  /** Distinct new datastores one VM's disks go to, at most. */
  maxDatastores: number;
}

/** What is fixed before a VM's svMotion, when the campaign asks for it. */
export interface RemediationRules {
  /** keep: leave snapshots (the copy moves them); remove-all: RemoveAllSnapshots_Task; keep-newest: remove the oldest until N are left. */
  snapshots: { policy: 'keep' } | { policy: 'remove-all' } | { policy: 'keep-newest'; keep: number };
  /** Merge orphaned redo logs (consolidationNeeded) with ConsolidateVMDisks_Task. */
  consolidate: boolean;
}

export interface TargetDatastore {
  name: string;
  capacityBytes: number;
  freeBytes: number;
  /** Hosts that mount it; null means all. */
  hosts: ReadonlySet<string> | null;
}

export interface SkippedVm {
  vm: string;
  cluster: string | null;
  host: string | null;
  bytes: number;
  sourceDatastores: string[];
  reason: string;
}

/**
 * What bounds a copy's rate from below whatever else runs, so that a copy started in a change window
 * can be known to end in it. Rates are shared max-min fairly: a copy gets at least its cap, or its
 * fair share capacity / n of the link that holds it back, n being the copies crossing that link. So
 * with N copies in flight a copy runs at least at
 *   min(cap, shared / N, uplinks / min(N, uplinkCopies), hba / min(N, hostLimit)),
 * hostLimit being the svMotions vCenter lets a host copy at once (CampaignRules.hostSvmotionLimit).
 */
export interface CopyFloor {
  /** Its data mover's cap at the least a run may give it: per-copy rate × streams × (1 − jitter) (bytes/s). */
  cap: number;
  /** The least capacity of the links every copy in flight may share with it: its legacy arrays' ports, the core, the new arrays' ports. */
  shared: number;
  /** Its cluster's enclosure uplinks at their least (Infinity outside enclosures), and the most copies that can cross one enclosure's at once. */
  uplinks: number;
  uplinkCopies: number;
  /** Its cluster's host HBAs at their least. */
  hba: number;
}

/** How the planner predicts that a copy ends before its window closes (see CopyFloor). */
export interface WindowFit {
  /** Each VM's floor, by name. */
  floors: ReadonlyMap<string, CopyFloor>;
  /** The set-up of an svMotion at its longest likely (s). */
  setupSeconds: number;
  /**
   * Time a copy may lose before it copies, beyond what the planner sees: vCenter holding it behind
   * a vMotion DRS started on its host or of its VM (s).
   */
  marginSeconds: number;
}

/** The least rate of a copy with `n` copies in flight (see CopyFloor). */
export function floorRate(f: CopyFloor, n: number, hostLimit: number): number {
  const m = Math.max(1, n);
  return Math.min(f.cap, f.shared / m, f.uplinks / Math.min(m, f.uplinkCopies), f.hba / Math.min(m, hostLimit));
}

/** What the planner is told besides the estate: the rules of the campaign, not its policy. */
export interface CampaignRules {
  /** Fraction of a target's capacity that must stay free after a copy. */
  headroom: number;
  /** svMotions a host runs at once under vCenter's costs (host budget / svMotion cost). */
  hostSvmotionLimit: number;
  /** svMotions touching one datastore (as source or target) at once (datastore budget / svMotion cost). */
  datastoreSvmotionLimit: number;
  /** When new operations may start; null: any time. */
  windows: WindowSchedule | null;
  /** Start copies even when they are predicted to run past the window's end. */
  allowOverrun: boolean;
  /**
   * How a copy's length is predicted against a window (with windows and no overrun); null: from the
   * expected copy rate and set-up alone.
   */
  windowFit: WindowFit | null;
  /** What one copy stream is expected to reach before any has been seen (bytes/s). */
  expectedCopyRate: number;
  /** Fixed time per svMotion besides the copy (s). */
  setupSeconds: number;
  /** VM names (or /regex/) to move first, in this order, for the `priority` ordering. */
  priority: string[];
  /** Targets frozen by a plan: VM → datastore. A VM listed here goes there and nowhere else. */
  fixedTargets: ReadonlyMap<string, string>;
  /** Per-disk targets frozen by a plan: VM → disk label → datastore (the home goes to fixedTargets'). */
  fixedDisks: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Datastore map and spread rule; null: every VM goes whole to one datastore. */
  diskPlacement: DiskPlacementRules | null;
  /** Pre-flight remediation; null: none. */
  remediation: RemediationRules | null;
  /** Keep DRS from moving each VM while it is copied (a per-VM override, put back after). */
  drsGuard: boolean;
}

export interface Campaign extends CampaignRules {
  clusters: Array<{ name: string; hosts: string[] }>;
  /** Blade enclosure of each host (null outside one). */
  enclosureOf: ReadonlyMap<string, string | null>;
  items: MoveItem[];
  targets: TargetDatastore[];
  /** VMs on legacy storage that cannot be moved as they are. */
  blocked: SkippedVm[];
}

export function defaultRules(costs: CostProfile, partial: Partial<CampaignRules> = {}): CampaignRules {
  return {
    headroom: 0.1,
    hostSvmotionLimit: Math.max(1, Math.floor(costs.hostMax / costs.svmotionHost)),
    datastoreSvmotionLimit: Math.max(1, Math.floor(costs.datastoreMax / costs.svmotionDatastore)),
    windows: null,
    allowOverrun: false,
    windowFit: null,
    expectedCopyRate: 250e6,
    setupSeconds: 0,
    priority: [],
    fixedTargets: new Map(),
    fixedDisks: new Map(),
    diskPlacement: null,
    remediation: null,
    drsGuard: false,
    ...partial,
  };
}

/** Builds the campaign: every VM with a disk or its home on a legacy datastore is in scope. */
export function campaignFromEstate(estate: Estate, rules: CampaignRules): Campaign {
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const hostsByCluster = new Map<string, string[]>();
  for (const c of estate.clusters) hostsByCluster.set(c.name, []);
  for (const h of estate.hosts) if (h.cluster !== null) hostsByCluster.get(h.cluster)?.push(h.name);

  const items: MoveItem[] = [];
  const blocked: SkippedVm[] = [];
  const vms = estate.vms;
  // One VM's legacy datastores and disks are gathered here, then copied out at their size: a list
  // grown by push keeps room for 16 more, and the campaign keeps two lists per VM to its end.
  const sources: string[] = [];
  const disks: DiskItem[] = [];
  // A VM that reads from one datastore alone (most do) shares its list with the others that do:
  // nothing changes a campaign's lists once made.
  const alone = new Map<string, string[]>();
  for (let estateIndex = 0; estateIndex < vms.length; estateIndex++) {
    const vm = vms[estateIndex]!;
    // One walk over the disks for what a move reads: its legacy datastores (home first), bytes and disks.
    const home = vm.homeDatastore != null && legacy.has(vm.homeDatastore) ? vm.homeDatastore : null;
    let sourceCount = 0;
    let diskCount = 0;
    if (home !== null) sources[sourceCount++] = home;
    let bytes = 0;
    let unknown: string | null = null;
    const vmDisks = vm.disks;
    for (let k = 0; k < vmDisks.length; k++) {
      const d = vmDisks[k]!;
      const ds = d.datastore;
      if (ds === null) unknown ??= d.label;
      if (ds === null || !legacy.has(ds)) continue;
      const copied = diskCopyBytes(d);
      bytes += copied;
      disks[diskCount++] = { label: d.label, datastore: ds, bytes: copied };
      if (!among(sources, sourceCount, ds)) sources[sourceCount++] = ds;
    }
    if (sourceCount === 0) continue;
    const sourceDatastores = sourceCount === 1 ? aloneOn(alone, sources[0]!) : sources.slice(0, sourceCount);
    const reason = blockReason(vm, hostsByCluster, unknown);
    if (reason !== null) {
      blocked.push({ vm: vm.name, cluster: vm.cluster, host: vm.host, bytes, sourceDatastores, reason });
      continue;
    }
    const item: MoveItem = { vm: vm.name, estateIndex, cluster: vm.cluster!, host: vm.host!, bytes, sourceDatastores, memoryBytes: vm.memoryBytes, disks: disks.slice(0, diskCount), home };
    if (vm.snapshots !== undefined) item.snapshots = vm.snapshots;
    if (vm.drsOverride !== undefined) item.drsOverride = vm.drsOverride;
    items.push(item);
  }

  const targets = estate.datastores
    .filter((d) => d.role === 'new')
    .map((d) => ({ name: d.name, capacityBytes: d.capacityBytes, freeBytes: d.freeBytes, hosts: d.hosts === null ? null : new Set(d.hosts) }));

  return {
    ...rules,
    clusters: [...hostsByCluster].map(([name, hosts]) => ({ name, hosts })),
    enclosureOf: new Map(estate.hosts.map((h) => [h.name, h.enclosure])),
    items,
    targets,
    blocked,
  };
}

/** Whether `name` is one of the first `count` names of `list`. */
function among(list: readonly string[], count: number, name: string): boolean {
  for (let i = 0; i < count; i++) if (list[i] === name) return true;
  return false;
}

/** The list of datastore `name` alone, made once. */
function aloneOn(lists: Map<string, string[]>, name: string): string[] {
  let list = lists.get(name);
  if (list === undefined) lists.set(name, (list = [name]));
  return list;
}

/** Why the VM cannot be moved as it is (null: it can); `unknown`: the label of its first disk with no known datastore. */
function blockReason(vm: Vm, hostsByCluster: ReadonlyMap<string, string[]>, unknown: string | null): string | null {
  if (vm.blockers && vm.blockers.length > 0) return vm.blockers.join('; ');
  if (vm.cluster === null || !hostsByCluster.has(vm.cluster)) return 'the VM is not in a cluster';
  if (vm.host === null) return 'the VM has no host';
  if (unknown !== null) return `${unknown} has no known datastore`;
  return null;
}
