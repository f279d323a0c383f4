// Where a VM's copy goes: the planner's book of new datastores, with the free space it counts on
// each after the copies it sent there, and the choice of target for a VM.
//
// Most VMs go whole to one datastore: the one with the most free space (then the first by name)
// that the VM's host sees and that keeps the headroom after the copy. Targets are kept by free
// space in a heap per group of datastores mounted on the same hosts, so a choice looks at the best
// few, not at every target.
//
// A VM goes disk by disk when the campaign says so: a datastore map sends the disks of a legacy
// datastore to a new datastore or a group of them (as Forklift's storage map does), a spread rule
// puts a large VM's disks on several datastores, or a plan froze per-disk targets. Then each disk,
// largest first, gets a target of its own (see placeDisks), and the free space of each target is
// charged with the disks sent there.

import type { Campaign, DiskItem, MoveItem } from './campaign.js';
import { IndexedHeap } from './indexed-heap.js';

/** svMotions touching a datastore, as source or target. */
export interface DatastoreSlot {
  load: number;
}

/** A new datastore as the planner sees it: free space after the copies it has sent there. */
export interface TargetState {
  spec: Campaign['targets'][number];
  index: number;
  slot: DatastoreSlot;
  /** Its place among the targets by name. */
  nameRank: number;
  free: number;
  /** The free space a copy must leave on it: the campaign's headroom of its capacity. */
  keep: number;
  group: TargetGroup;
  /** The placement of a whole VM on it, made the first time it is chosen (placements are only read). */
  whole: Placement | null;
}

/** New datastores mounted on the same hosts, by free space: most first, then by name. */
interface TargetGroup {
  hosts: ReadonlySet<string> | null;
  byFree: IndexedHeap;
}

/** One disk of a VM and the datastore it goes to. */
export interface PlacedDisk {
  item: DiskItem;
  target: TargetState;
}

/** Where a VM's copy goes. */
export interface Placement {
  /** The home's target (RelocateSpec.datastore); for a whole-VM move, every disk's. */
  home: TargetState;
  /** Each moved disk's target when the VM goes disk by disk; null: every disk goes to `home`. */
  disks: readonly PlacedDisk[] | null;
}

/** The book needs of the planner: datastore slots, and whether vCenter lets one more svMotion touch one. */
export interface TargetBookHooks {
  slotOf(name: string): DatastoreSlot;
  hasRoom(slot: DatastoreSlot): boolean;
}

/**
 * What the book of a campaign starts from, the same for every planner of it (a Monte Carlo worker
 * makes thousands): each target's place by name and its group, and the groups each host sees.
 */
interface BookLayout {
  nameRank: Int32Array;
  groupOf: Int32Array;
  /** Each group's hosts (null: every host). */
  groupHosts: ReadonlyArray<ReadonlySet<string> | null>;
  /** The groups each host sees, by number in increasing order: made when a host is first named. */
  seen: GroupsSeen | null;
}

interface GroupsSeen {
  /** Each host some group lists: the groups it sees. */
  byHost: ReadonlyMap<string, readonly number[]>;
  /** The groups mounted on every host: those of a host no group names. */
  everywhere: readonly number[];
}

/** The groups each host sees, from the groups' lists of hosts (not every group asked about every host). */
function groupsSeen(groupHosts: BookLayout['groupHosts']): GroupsSeen {
  const byHost = new Map<string, number[]>();
  const everywhere: number[] = [];
  groupHosts.forEach((hosts, g) => {
    if (hosts === null) {
      everywhere.push(g);
      for (const list of byHost.values()) list.push(g);
      return;
    }
    for (const h of hosts) {
      let list = byHost.get(h);
      if (list === undefined) byHost.set(h, (list = [...everywhere]));
      list.push(g);
    }
  });
  return { byHost, everywhere };
}

const LAYOUTS = new WeakMap<Campaign, BookLayout>();

function layoutOf(campaign: Campaign): BookLayout {
  let layout = LAYOUTS.get(campaign);
  if (layout !== undefined) return layout;
  const byName = campaign.targets.map((t, i) => ({ name: t.name, i })).sort((a, b) => compare(a.name, b.name));
  const nameRank = new Int32Array(campaign.targets.length);
  byName.forEach((t, rank) => (nameRank[t.i] = rank));
  const groups = new Map<string, number>();
  const groupHosts: Array<ReadonlySet<string> | null> = [];
  const groupOf = new Int32Array(campaign.targets.length);
  campaign.targets.forEach((spec, index) => {
    const key = spec.hosts === null ? '' : `\u0000${[...spec.hosts].sort().join('\u0000')}`;
    let group = groups.get(key);
    if (group === undefined) {
      groups.set(key, (group = groupHosts.length));
      groupHosts.push(spec.hosts);
    }
    groupOf[index] = group;
  });
  LAYOUTS.set(campaign, (layout = { nameRank, groupOf, groupHosts, seen: null }));
  return layout;
}

export class TargetBook {
  readonly targets: TargetState[];
  /** The targets by name, made when a name is first looked up (a plan's frozen targets, a restart). */
  private byName: ReadonlyMap<string, TargetState> | null = null;
  private readonly layout: BookLayout;
  /** No target frozen and no disk placed on its own (most campaigns): every VM goes whole where there is room. */
  private readonly wholeAndFree: boolean;
  private readonly groups: TargetGroup[];
  /** Targets each host sees, by name (per-disk choices look at all of them). */
  private readonly visible = new Map<string, TargetState[]>();

  constructor(
    private readonly campaign: Campaign,
    private readonly hooks: TargetBookHooks,
  ) {
    // The campaign's free space is where the planner starts from; what it reserves is its own.
    const layout = (this.layout = layoutOf(campaign));
    this.wholeAndFree = campaign.fixedTargets.size === 0 && campaign.fixedDisks.size === 0 && campaign.diskPlacement === null;
    this.groups = layout.groupHosts.map((hosts) => ({ hosts, byFree: new IndexedHeap() }));
    this.targets = campaign.targets.map((spec, index) => {
      const group = this.groups[layout.groupOf[index]!]!;
      const keep = campaign.headroom * spec.capacityBytes;
      return { spec, index, slot: hooks.slotOf(spec.name), nameRank: layout.nameRank[index]!, free: spec.freeBytes, keep, group, whole: null };
    });
    for (const t of this.targets) t.group.byFree.set(t.index, -t.free, t.nameRank);
  }

  /**
   * Where `item`, on `host`, goes now; null when no target takes it. When `aware`, only targets
   * with a free svMotion slot under vCenter's datastore limit are taken.
   */
  choose(item: MoveItem, host: string, aware: boolean): Placement | null {
    if (!this.wholeAndFree) {
      // Most campaigns freeze no target (a plan's does): then no lookup by the VM's name.
      const { fixedTargets, fixedDisks: allFixedDisks } = this.campaign;
      const fixed = fixedTargets.size === 0 ? undefined : fixedTargets.get(item.vm);
      const fixedDisks = allFixedDisks.size === 0 ? undefined : allFixedDisks.get(item.vm);
      if (fixedDisks !== undefined) return this.fixedPlacement(item, fixed, fixedDisks, aware);
      if (fixed !== undefined) {
        const t = this.named(fixed) ?? null;
        return t === null || (aware && !this.hooks.hasRoom(t.slot)) ? null : { home: t, disks: null };
      }
      if (this.byDisk(item)) return this.placeDisks(item, host, aware);
    }
    let best: TargetState | null = null;
    const seen = this.groupsSeenFrom(host);
    for (let g = 0; g < seen.length; g++) {
      const t = this.firstFit(this.groups[seen[g]!]!, item.bytes, aware);
      if (t !== null && (best === null || t.free > best.free || (t.free === best.free && t.nameRank < best.nameRank))) best = t;
    }
    return best === null ? null : (best.whole ??= { home: best, disks: null });
  }

  private named(name: string): TargetState | undefined {
    return (this.byName ??= new Map(this.targets.map((t) => [t.spec.name, t]))).get(name);
  }

  /** Charges (negative `sign`) or gives back (positive) the placement's bytes on its targets. */
  reserve(placement: Placement, item: MoveItem, sign: 1 | -1): void {
    if (placement.disks === null) {
      this.add(placement.home, sign * item.bytes);
      return;
    }
    for (const d of placement.disks) this.add(d.target, sign * d.item.bytes);
  }

  /** The placement an operation already in vCenter has (a restart takes it up). */
  placementOf(item: MoveItem, home: string, disks: ReadonlyArray<{ disk: string; target: string }> | undefined): Placement | null {
    const t = this.named(home);
    if (t === undefined) return null;
    if (disks === undefined) return { home: t, disks: null };
    const placed: PlacedDisk[] = [];
    for (const d of disks) {
      const item0 = item.disks.find((x) => x.label === d.disk);
      const target = this.named(d.target);
      if (item0 !== undefined && target !== undefined) placed.push({ item: item0, target });
    }
    return { home: t, disks: placed };
  }

  /** Whether every target of the placement is mounted on `host`. */
  seenFrom(placement: Placement, host: string): boolean {
    // Asked for every host a VM could be moved to: loops, not closures made at each call.
    if (!mountedOn(placement.home, host)) return false;
    const disks = placement.disks;
    if (disks === null) return true;
    for (let i = 0; i < disks.length; i++) if (!mountedOn(disks[i]!.target, host)) return false;
    return true;
  }

  /** Why no target takes `item` on `host`, in words. */
  noTargetReason(item: MoveItem, host: string): string {
    const pct = Math.round(this.campaign.headroom * 100);
    const fixed = this.campaign.fixedTargets.get(item.vm);
    const fixedDisks = this.campaign.fixedDisks.get(item.vm);
    if (fixed !== undefined && this.named(fixed) === undefined) return `its planned target datastore ${fixed} is not among the new datastores`;
    for (const [disk, target] of fixedDisks ?? []) {
      if (this.named(target) === undefined) return `the planned target datastore ${target} of its ${disk} is not among the new datastores`;
    }
    const visible = this.visibleFrom(host);
    if (visible.length === 0) return `no new datastore is mounted on host ${host}`;
    if (this.byDisk(item)) {
      const disk = this.unplaceable(item, host);
      if (disk !== null) {
        const mapped = this.campaign.diskPlacement?.map.get(disk.datastore);
        const where = mapped === undefined ? `no new datastore mounted on host ${host}` : `none of ${mapped.join(', ')} (the map of ${disk.datastore}) mounted on host ${host}`;
        return `${where} keeps ${pct} % free after its ${disk.label}`;
      }
    }
    return `no new datastore mounted on host ${host} keeps ${pct} % free after this copy`;
  }

  // ——— whole VMs ———

  /** The group's target with the most free space that takes `bytes`; the ones passed over stay. */
  private firstFit(group: TargetGroup, bytes: number, aware: boolean): TargetState | null {
    const heap = group.byFree;
    let passed: TargetState[] | null = null;
    let fit: TargetState | null = null;
    for (;;) {
      const top = heap.top;
      if (top === undefined) break;
      const t = this.targets[top]!;
      if ((!aware || this.hooks.hasRoom(t.slot)) && !(t.free - bytes < t.keep)) {
        fit = t;
        break;
      }
      heap.remove(top);
      (passed ??= []).push(t);
    }
    if (passed !== null) for (const t of passed) heap.set(t.index, -t.free, t.nameRank);
    return fit;
  }

  /** The target groups a host sees, by number. */
  private groupsSeenFrom(host: string): readonly number[] {
    const seen = (this.layout.seen ??= groupsSeen(this.layout.groupHosts));
    return seen.byHost.get(host) ?? seen.everywhere;
  }

  /** Adds `bytes` to a target's free space: a negative amount reserves it for a copy, a positive one gives it back. */
  private add(t: TargetState, bytes: number): void {
    t.free += bytes;
    t.group.byFree.set(t.index, -t.free, t.nameRank);
  }

  // ——— disk by disk ———

  /** Whether `item` goes disk by disk: a map covers one of its datastores, or the spread rule takes it. */
  private byDisk(item: MoveItem): boolean {
    const rules = this.campaign.diskPlacement;
    if (rules === null || item.disks.length === 0) return false;
    return spreads(rules.spread, item) || item.disks.some((d) => rules.map.has(d.datastore)) || (item.home !== null && rules.map.has(item.home));
  }

  /**
   * Each disk, largest first (then in the VM's order), goes to the candidate with the most room
   * left after what this VM already put there (then the first by name) that keeps the headroom
   * after it. Candidates are the new datastores the host sees, narrowed to the disk's map when its
   * datastore has one. A spread VM takes a datastore it does not use yet while it has fewer than
   * `maxDatastores`, and reuses one after; any other VM keeps its disks together where they fit.
   * A disk none of whose candidates the VM uses yet (a map sends it elsewhere) takes a new one,
   * whatever the limit. The home goes with the largest disk when its own map allows, else where
   * the map says.
   */
  private placeDisks(item: MoveItem, host: string, aware: boolean): Placement | null {
    const rules = this.campaign.diskPlacement!;
    const spread = spreads(rules.spread, item);
    const limit = spread ? rules.spread!.maxDatastores : 0;
    const taken = new Map<TargetState, number>();
    const placed = new Array<PlacedDisk>(item.disks.length);
    for (const k of largestFirst(item.disks)) {
      const disk = item.disks[k]!;
      const candidates = this.candidates(disk.datastore, host);
      const fits = (t: TargetState) => this.fits(t, taken, disk.bytes, aware);
      const fresh = (t: TargetState) => !taken.has(t) && fits(t);
      const reused = (t: TargetState) => taken.has(t) && fits(t);
      // A spread VM takes a new datastore while under its limit; any VM reuses one of its own
      // first, and takes a new one when none of its own is a candidate for this disk (its map).
      const t = (spread && taken.size < limit ? this.roomiest(candidates, taken, fresh) : null) ?? this.roomiest(candidates, taken, reused) ?? this.roomiest(candidates, taken, fresh);
      if (t === null) return null;
      taken.set(t, (taken.get(t) ?? 0) + disk.bytes);
      placed[k] = { item: disk, target: t };
    }
    const largest = placed[largestFirst(item.disks)[0]!]!.target;
    let home: TargetState | null = largest;
    if (item.home !== null && rules.map.has(item.home)) {
      const allowed = this.candidates(item.home, host);
      if (!allowed.includes(largest)) home = this.roomiest(allowed, taken, (t) => taken.has(t) && this.fits(t, taken, 0, aware)) ?? this.roomiest(allowed, taken, (t) => this.fits(t, taken, 0, aware));
    }
    return home === null ? null : { home, disks: placed };
  }

  /** A plan's per-disk targets, as they are (a restart or a run of the plan). */
  private fixedPlacement(item: MoveItem, home: string | undefined, disks: ReadonlyMap<string, string>, aware: boolean): Placement | null {
    const placed: PlacedDisk[] = [];
    for (const d of item.disks) {
      const name = disks.get(d.label) ?? home;
      const t = name === undefined ? undefined : this.named(name);
      if (t === undefined || (aware && !this.hooks.hasRoom(t.slot))) return null;
      placed.push({ item: d, target: t });
    }
    const h = home === undefined ? placed[0]?.target : this.named(home);
    return h === undefined || (aware && !this.hooks.hasRoom(h.slot)) ? null : { home: h, disks: placed };
  }

  private fits(t: TargetState, taken: ReadonlyMap<TargetState, number>, bytes: number, aware: boolean): boolean {
    const left = t.free - (taken.get(t) ?? 0) - bytes;
    return left >= t.keep && (!aware || taken.has(t) || this.hooks.hasRoom(t.slot));
  }

  /** Among `candidates` passing `ok`, the one with the most room after `taken`, then the first by name. */
  private roomiest(candidates: readonly TargetState[], taken: ReadonlyMap<TargetState, number>, ok: (t: TargetState) => boolean): TargetState | null {
    let best: TargetState | null = null;
    let bestRoom = -Infinity;
    for (const t of candidates) {
      if (!ok(t)) continue;
      const room = t.free - (taken.get(t) ?? 0);
      if (room > bestRoom || (room === bestRoom && best !== null && t.nameRank < best.nameRank)) {
        best = t;
        bestRoom = room;
      }
    }
    return best;
  }

  /** The new datastores a disk on `source` may go to from `host`: its map's, or every one the host sees. */
  private candidates(source: string, host: string): readonly TargetState[] {
    const visible = this.visibleFrom(host);
    const mapped = this.campaign.diskPlacement?.map.get(source);
    if (mapped === undefined) return visible;
    return visible.filter((t) => mapped.includes(t.spec.name));
  }

  private visibleFrom(host: string): TargetState[] {
    let list = this.visible.get(host);
    if (!list) {
      list = this.targets.filter((t) => t.spec.hosts === null || t.spec.hosts.has(host)).sort((a, b) => a.nameRank - b.nameRank);
      this.visible.set(host, list);
    }
    return list;
  }

  /** The first disk (largest first) that no candidate takes even when the VM's disks share targets freely. */
  private unplaceable(item: MoveItem, host: string): DiskItem | null {
    for (const k of largestFirst(item.disks)) {
      const d = item.disks[k]!;
      if (!this.candidates(d.datastore, host).some((t) => this.fits(t, new Map(), d.bytes, false))) return d;
    }
    return null;
  }
}

/** Whether the spread rule takes the VM: more to copy than its threshold, or a disk larger than its own. */
export function spreads(rule: NonNullable<Campaign['diskPlacement']>['spread'], item: MoveItem): boolean {
  if (rule === null) return false;
  if (rule.vmBytesOver !== null && item.bytes > rule.vmBytesOver) return true;
  return rule.diskBytesOver !== null && item.disks.some((d) => d.bytes > rule.diskBytesOver!);
}

/** Indexes of the disks, largest first, then in the VM's order. */
function largestFirst(disks: readonly DiskItem[]): number[] {
  return disks.map((_, i) => i).sort((a, b) => disks[b]!.bytes - disks[a]!.bytes || a - b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `host` mounts the target (a target with no host list is mounted everywhere). */
function mountedOn(t: TargetState, host: string): boolean {
  return t.spec.hosts === null || t.spec.hosts.has(host);
}
