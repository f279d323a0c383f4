// The FC fabric as directed links, and the copies flowing over it.
//
// A Storage vMotion between two arrays uses the software data mover: the host reads every block from
// the legacy array and writes it to the new one. Its bytes therefore cross
//   read:  legacy array front-end (out) → [core] → enclosure uplinks (down) → host HBAs (in)
//   write: host HBAs (out) → enclosure uplinks (up) → [core] → new array front-end (in)
// FC is full duplex, so each direction of a port group is its own capacity. Every copy is one flow
// over the links of its path; rates are shared max-min fairly and each flow is capped by what its
// data mover streams can do. Completion times are exact: rates only change when the set of flows
// changes, and in between every flow drains linearly.

import type { Estate } from '../../domain/estate.js';
import type { Fabric } from '../../domain/fabric.js';
import { IndexedHeap } from '../../core/indexed-heap.js';
import { EPSILON, MaxMinSolver } from './maxmin.js';
import { doubled } from '../growing.js';

const byNumber = (a: number, b: number): number => a - b;
const NOTHING_DONE: readonly number[] = Object.freeze([]);

/** How far below its capacity the copies' caps must keep a link for the sorted-caps solve (see solveSorted). */
const CAPPED_MARGIN = 1e-6;

export interface LinkInfo {
  /** Stable identifier, e.g. `host:esx01:in`. */
  id: string;
  /** What a person reads, e.g. `esx01 HBAs in (reads)`. */
  label: string;
  capacity: number;
}

export interface FlowSnapshot {
  id: number;
  rate: number;
  remaining: number;
}

/**
 * The fabric's links, built once for an estate and a fabric and shared by every run's model:
 * their names, capacities, and the path of each kind of copy.
 */
export class FabricLayout {
  readonly links: LinkInfo[] = [];
  private readonly linkIds = new Map<string, number>();
  /** The links of a copy path that depend only on its host (core, enclosure, HBAs), by host and enclosure. */
  private readonly hostParts = new Map<string, Map<string | null, number[]>>();
  /** Each array's two front-end links (out, in). */
  private readonly arrayLinks = new Map<string, number[]>();
  /** Each host's HBAs in (out is the next link), each enclosure's uplinks down (up is the next). */
  private readonly hostLinks = new Map<string, number>();
  private readonly enclosureLinks = new Map<string, number>();
  /**
   * The second link of each pair a copy path always crosses both of, with one capacity: a host's
   * HBAs in and out, an enclosure's uplinks down and up, the core's two directions. A copy's bytes
   * are read in and written out alike, so at every instant the second carries what the first does
   * (see FabricModel). By link number: the pair's first link, or -1.
   */
  readonly mirrorOf: Int32Array;
  private readonly mirrors: number[] = [];

  constructor(
    readonly fabric: Fabric,
    estate: Estate,
  ) {
    const hostPorts = new Map(estate.hosts.map((h) => [h.name, h.hbaPorts ?? fabric.hostPorts]));
    for (const [host, ports] of hostPorts) {
      this.hostLinks.set(host, this.links.length);
      this.addLink(`host:${host}:in`, `${host} HBAs in (reads)`, ports * fabric.hostPortRate);
      this.addLink(`host:${host}:out`, `${host} HBAs out (writes)`, ports * fabric.hostPortRate, true);
    }
    const enclosures = new Set(estate.hosts.map((h) => h.enclosure).filter((e): e is string => e !== null));
    for (const e of [...enclosures].sort()) {
      const capacity = fabric.enclosureUplinkPorts * fabric.enclosureUplinkPortRate;
      this.enclosureLinks.set(e, this.links.length);
      this.addLink(`enclosure:${e}:down`, `${e} uplinks down (reads)`, capacity);
      this.addLink(`enclosure:${e}:up`, `${e} uplinks up (writes)`, capacity, true);
    }
    if (fabric.coreRate !== null) {
      this.addLink('core:down', 'fabric core towards hosts', fabric.coreRate);
      this.addLink('core:up', 'fabric core towards arrays', fabric.coreRate, true);
    }
    for (const a of fabric.arrays) {
      this.arrayLinks.set(a.name, [this.links.length, this.links.length + 1]);
      this.addLink(`array:${a.name}:out`, `${a.name} front-end out (reads)`, a.ports * a.portRate);
      this.addLink(`array:${a.name}:in`, `${a.name} front-end in (writes)`, a.ports * a.portRate);
    }
    this.mirrorOf = Int32Array.from(this.mirrors);
  }

  /**
   * The links as one run has them when production I/O takes a share of some arrays' front-end ports
   * (array name → share, both directions): those arrays' links carry the rest for the copies.
   */
  linksUnder(productionLoad: Readonly<Record<string, number>>): LinkInfo[] {
    const links = this.links.map((l) => ({ ...l }));
    for (const [array, load] of Object.entries(productionLoad)) {
      for (const l of this.arrayLinks.get(array) ?? []) links[l]!.capacity *= 1 - load;
    }
    return links;
  }

  linkIndex(id: string): number {
    const index = this.linkIds.get(id);
    if (index === undefined) throw new Error(`unknown fabric link ${id}`);
    return index;
  }

  /**
   * Directed links an svMotion on `host` from `sourceArrays` to `targetArray` crosses: the source
   * arrays' front-end out, the core, the host's enclosure uplinks and its HBAs, the target array's
   * front-end in. What a host's copies share (core to HBAs) is put together once per host.
   */
  copyPath(host: string, enclosure: string | null, sourceArrays: readonly string[], targetArray: string): number[] {
    const path: number[] = [];
    if (sourceArrays.length === 1) path.push(this.arrayLink(sourceArrays[0]!, 0));
    else for (const a of new Set(sourceArrays)) path.push(this.arrayLink(a, 0));
    let byEnclosure = this.hostParts.get(host);
    if (!byEnclosure) this.hostParts.set(host, (byEnclosure = new Map()));
    let middle = byEnclosure.get(enclosure);
    if (!middle) {
      middle = [];
      if (this.fabric.coreRate !== null) middle.push(this.linkIndex('core:down'), this.linkIndex('core:up'));
      if (enclosure !== null) {
        const down = this.enclosureLinks.get(enclosure) ?? this.linkIndex(`enclosure:${enclosure}:down`);
        middle.push(down, down + 1);
      }
      const hbaIn = this.hostLinks.get(host) ?? this.linkIndex(`host:${host}:in`);
      middle.push(hbaIn, hbaIn + 1);
      byEnclosure.set(enclosure, middle);
    }
    for (const l of middle) path.push(l);
    path.push(this.arrayLink(targetArray, 1));
    return path;
  }

  /** Array `name`'s front-end out (0) or in (1). */
  arrayLink(name: string, direction: 0 | 1): number {
    const links = this.arrayLinks.get(name);
    return links === undefined ? this.linkIndex(`array:${name}:${direction === 0 ? 'out' : 'in'}`) : links[direction]!;
  }

  /** `second`: the link is the second of a pair, the link added just before it the first. */
  private addLink(id: string, label: string, capacity: number, second = false): void {
    this.mirrors.push(second ? this.links.length - 1 : -1);
    this.linkIds.set(id, this.links.length);
    this.links.push({ id, label, capacity });
  }
}

export class FabricModel {
  readonly links: readonly LinkInfo[];
  private readonly layout: FabricLayout;
  /**
   * The copies, each in a slot of the per-copy arrays below (slots are reused as copies end), by
   * id; and the slots in the order the copies started, a list linked through `next` (from `first`,
   * -1 at the end) and `previous`: sums over the copies run in that order.
   */
  private readonly slots = new Map<number, number>();
  private next: Int32Array = new Int32Array(64);
  private previous: Int32Array = new Int32Array(64);
  private first = -1;
  private last = -1;
  private flowId: Float64Array = new Float64Array(64);
  private flowCap: Float64Array = new Float64Array(64);
  private flowBytes: Float64Array = new Float64Array(64);
  /** Bytes left, kept up to date outside the shared-bottleneck mode (see `uniform`). */
  private flowRemaining: Float64Array = new Float64Array(64);
  private flowRate: Float64Array = new Float64Array(64);
  /** In the shared-bottleneck mode: the point on the shared axis (`virtual`) where the copy ends. */
  private flowFinish: Float64Array = new Float64Array(64);
  private readonly flowPath: Array<readonly number[]> = [];
  /** Slots free for the next copies. */
  private freeSlots = new Int32Array(64);
  private freeCount = 0;
  private lastUpdate = 0;
  /** The set of copies changed since rates were last solved (solving waits until rates are needed). */
  private dirty = false;
  private readonly solver = new MaxMinSolver();
  /** Off only to check the fast paths against the full solve (tests). */
  fastPath = true;
  /**
   * Off only to check the other fast paths (sorted caps) against the full solve bit for bit: the
   * shared-bottleneck mode moves bytes along its own axis, exact to 1e-9, not to the bit (tests).
   */
  singleBottleneckPath = true;
  /**
   * The shared-bottleneck mode: every copy runs at `share` (see singleBottleneckShare). Then no
   * event needs to touch every copy: all copies advance together along one axis, `virtual` (the
   * bytes any copy has moved since the mode began), a copy ends where the axis reaches its
   * finish, and the ends sit in a heap. Links settle what they carried lazily, by their number
   * of copies times the distance the axis moved. Leaving the mode writes every copy's bytes back.
   */
  private uniform = false;
  private share = 0;
  private virtual = 0;
  /**
   * Copies (slots) by their end on the shared axis (in that mode only) and by their cap, ties to
   * the lowest id; links by their fair share (capacity / copies), ties to the lowest number. Each
   * holds an entry at most once, moved or taken out in place as copies come and go. The shares'
   * top is the smallest share, and the links near it (the only ones that can be full when every
   * copy runs at that share) are found without looking at the rest.
   */
  private readonly ends = new IndexedHeap(64);
  private readonly caps = new IndexedHeap(64);
  private readonly shares: IndexedHeap;
  /**
   * Links whose copies changed since their shares, tightness and place among the active links
   * were last brought up to date (when rates are solved, once an instant): a copy ending and the
   * next starting on its host in one instant leave its links as they were, and the array links
   * every copy crosses move once, not twice.
   */
  private readonly stale: Int32Array;
  private readonly isStale: Uint8Array;
  private staleCount = 0;
  private linkMark: Float64Array;
  /** Scratch space of `solve`, grown as needed and kept. */
  private localOf: Int32Array;
  private used: Int32Array;
  private capacities: Float64Array;
  /** Each link's capacity, by number (read at every change of its copies). */
  private readonly capacity: Float64Array;
  private flowStart = new Int32Array(1);
  private flowLinks = new Int32Array(64);
  private bounds = new Float64Array(0);
  private rates = new Float64Array(0);
  private order = new Int32Array(0);
  /**
   * What completeDue returns, reused from call to call: filled by index and cut to length, never
   * emptied with `length = 0`, which would drop their storage and make the next call allocate anew.
   * The length is set only when it changes (nearly always one copy ends): setting it is a call
   * into the runtime.
   */
  private readonly doneIds: number[] = [];
  private readonly doneSlots: number[] = [];
  private readonly bySlotId = (a: number, b: number): number => this.flowId[a]! - this.flowId[b]!;
  /** Copies crossing each link, and (as of the last `refresh`) the links with at least one. */
  private users: Int32Array;
  private readonly active: number[] = [];
  private activeAt: Int32Array;
  /**
   * Per link: the caps of the copies crossing it, summed, and (as of the last `refresh`) whether
   * they could come near its capacity.
   */
  private capSum: Float64Array;
  private uncapped: Int32Array;
  private tight: Uint8Array;
  private tightCount = 0;
  /** Bytes that have crossed each link so far (when `carries`). */
  private readonly carried: Float64Array;
  /**
   * The pairs of links every path crosses together (FabricLayout.mirrorOf) that have one capacity
   * in this run: copies are counted, rates solved and bytes carried on the first link only, and
   * the second is reported as the first. With the same copies and capacity it would have had the
   * same counts, loads and bytes, sum for sum, and in the solve it could never be tighter than the
   * first (a tie goes to the lower number): the rates are the same. A copy then crosses five
   * links instead of eight on a host in an enclosure behind a core.
   * By link number: a second's first (`firstOf`), a first's second (`secondOf`), else -1.
   */
  private readonly firstOf: Int32Array;
  private readonly secondOf: Int32Array;
  /** Each path given to addFlow without its pairs' second links (the same array when it has none). */
  private readonly ownPaths = new WeakMap<readonly number[], readonly number[]>();
  /** Scratch of fullLinks outside the shared-bottleneck mode: loads of the links with copies. */
  private readonly loads: Float64Array;
  private aggregate = 0;

  /**
   * A model of copies over `fabric` as built for `estate`, or over a layout shared with other runs,
   * optionally with capacities of this run's own (`links`: the layout's links, in its order).
   * `carries`: keep the bytes each link carried (carriedBytes); a run that reports no links (a
   * Monte Carlo's summary) spares that bookkeeping at every copy's start, end and rate change.
   */
  constructor(
    fabric: Fabric | FabricLayout,
    estate?: Estate,
    links?: readonly LinkInfo[],
    private readonly carries = true,
  ) {
    this.layout = fabric instanceof FabricLayout ? fabric : new FabricLayout(fabric, estate!);
    this.links = links ?? this.layout.links;
    const n = this.links.length;
    this.carried = new Float64Array(n);
    this.loads = new Float64Array(n);
    this.capacity = Float64Array.from(this.links, (l) => l.capacity);
    this.users = new Int32Array(n);
    this.capSum = new Float64Array(n);
    this.uncapped = new Int32Array(n);
    this.tight = new Uint8Array(n);
    this.linkMark = new Float64Array(n);
    this.activeAt = new Int32Array(n).fill(-1);
    this.localOf = new Int32Array(n).fill(-1);
    this.used = new Int32Array(n);
    this.capacities = new Float64Array(n);
    this.shares = new IndexedHeap(n);
    this.stale = new Int32Array(n);
    this.isStale = new Uint8Array(n);
    this.firstOf = new Int32Array(n).fill(-1);
    this.secondOf = new Int32Array(n).fill(-1);
    this.layout.mirrorOf.forEach((first, second) => {
      if (first >= 0 && this.capacity[first] === this.capacity[second]) {
        this.firstOf[second] = first;
        this.secondOf[first] = second;
      }
    });
    for (let s = 63; s >= 0; s--) this.freeSlots[this.freeCount++] = s;
  }

  linkIndex(id: string): number {
    return this.layout.linkIndex(id);
  }

  /** Directed links an svMotion on `host` from `sourceArrays` to `targetArray` crosses. */
  copyPath(host: string, enclosure: string | null, sourceArrays: readonly string[], targetArray: string): number[] {
    return this.layout.copyPath(host, enclosure, sourceArrays, targetArray);
  }

  /** Starts a copy of `bytes` over `links`, capped at `cap` bytes/s. */
  addFlow(now: number, id: number, bytes: number, links: readonly number[], cap: number): void {
    this.advance(now);
    const old = this.slots.get(id);
    if (old !== undefined) this.drop(old);
    if (this.freeCount === 0) this.growSlots();
    const s = this.freeSlots[--this.freeCount]!;
    this.slots.set(id, s);
    this.previous[s] = this.last;
    this.next[s] = -1;
    if (this.last >= 0) this.next[this.last] = s;
    else this.first = s;
    this.last = s;
    this.flowId[s] = id;
    this.flowCap[s] = cap;
    this.flowBytes[s] = bytes;
    this.flowRemaining[s] = bytes;
    this.flowRate[s] = 0;
    this.flowFinish[s] = this.virtual + bytes;
    links = this.ownPath(links);
    this.flowPath[s] = links;
    if (this.uniform) this.ends.set(s, this.flowFinish[s]!, id);
    this.caps.set(s, cap, id);
    this.countUsers(links, 1, cap);
    this.dirty = true;
  }

  /** `links` without the second link of each pair (see firstOf), made once per path. */
  private ownPath(links: readonly number[]): readonly number[] {
    let own = this.ownPaths.get(links);
    if (own === undefined) {
      for (const l of links) {
        const other = this.firstOf[l]! >= 0 ? this.firstOf[l]! : this.secondOf[l]!;
        if (other >= 0 && !links.includes(other)) throw new Error(`a copy crosses fabric link ${this.links[l]!.id} without ${this.links[other]!.id}`);
      }
      own = links.filter((l) => this.firstOf[l]! < 0);
      if (own.length === links.length) own = links;
      this.ownPaths.set(links, own);
    }
    return own;
  }

  /** Stops a copy before its end (abort, host failure); returns the bytes it had copied. */
  removeFlow(now: number, id: number): number {
    this.advance(now);
    const s = this.slots.get(id);
    if (s === undefined) return 0;
    const copied = this.flowBytes[s]! - this.remainingOf(s);
    this.drop(s);
    this.dirty = true;
    return copied;
  }

  /** When the next copy ends at the current rates (Infinity when none can). */
  nextCompletion(now: number): number {
    this.solve();
    if (this.uniform) {
      return this.ends.size === 0 || this.share <= 0 ? Infinity : now + Math.max(0, this.flowFinish[this.ends.top!]! - this.virtual) / this.share;
    }
    let best = Infinity;
    for (let s = this.first; s >= 0; s = this.next[s]!) {
      const rate = this.flowRate[s]!;
      if (rate <= 0) continue;
      const t = now + this.flowRemaining[s]! / rate;
      if (t < best) best = t;
    }
    return best;
  }

  /**
   * Advances to `now` and removes every copy that has finished by then (within the tolerance the
   * floating-point drain allows), returning their ids in increasing order. The array returned is
   * reused by the next call: read it at once.
   */
  completeDue(now: number): readonly number[] {
    this.advance(now);
    if (this.uniform) return this.completeDueShared(now);
    const done = this.doneIds;
    let k = 0;
    for (let s = this.first; s >= 0; s = this.next[s]!) {
      const remaining = this.flowRemaining[s]!;
      const rate = this.flowRate[s]!;
      if (remaining <= EPSILON * Math.max(1, this.flowBytes[s]!) || (rate > 0 && remaining / rate <= EPSILON * Math.max(1, now))) {
        done[k++] = this.flowId[s]!;
      }
    }
    if (k === 0) return NOTHING_DONE;
    if (done.length !== k) done.length = k;
    if (k > 1) done.sort(byNumber);
    for (const id of done) {
      const s = this.slots.get(id)!;
      this.account(s, this.flowRemaining[s]!);
      this.flowRemaining[s] = 0;
      this.drop(s);
    }
    this.dirty = true;
    return done;
  }

  private completeDueShared(now: number): readonly number[] {
    const done = this.doneSlots;
    const ends = this.ends;
    let k = 0;
    while (ends.size > 0) {
      const s = ends.top!;
      const left = this.flowFinish[s]! - this.virtual;
      if (!(left <= EPSILON * Math.max(1, this.flowBytes[s]!) || (this.share > 0 && left / this.share <= EPSILON * Math.max(1, now)))) break;
      ends.remove(s);
      done[k++] = s;
    }
    if (k === 0) return NOTHING_DONE;
    if (done.length !== k) done.length = k;
    if (k > 1) done.sort(this.bySlotId);
    const ids = this.doneIds;
    for (let i = 0; i < k; i++) {
      const s = done[i]!;
      ids[i] = this.flowId[s]!;
      // What the axis has not reached yet (at most the tolerance) is carried now.
      this.account(s, Math.max(0, this.flowFinish[s]! - this.virtual));
      this.drop(s);
    }
    if (ids.length !== k) ids.length = k;
    this.dirty = true;
    return ids;
  }

  /** Takes a copy that ended or was stopped off its links and frees its slot. */
  private drop(s: number): void {
    this.slots.delete(this.flowId[s]!);
    const before = this.previous[s]!;
    const after = this.next[s]!;
    if (before >= 0) this.next[before] = after;
    else this.first = after;
    if (after >= 0) this.previous[after] = before;
    else this.last = before;
    this.ends.remove(s);
    this.caps.remove(s);
    this.countUsers(this.flowPath[s]!, -1, this.flowCap[s]!);
    this.flowPath[s] = NOTHING_DONE;
    this.freeSlots[this.freeCount++] = s;
  }

  /** Twice the slots: the per-copy arrays grow, their first half kept. */
  private growSlots(): void {
    const size = this.flowId.length;
    this.flowId = doubled(this.flowId);
    this.flowCap = doubled(this.flowCap);
    this.flowBytes = doubled(this.flowBytes);
    this.flowRemaining = doubled(this.flowRemaining);
    this.flowRate = doubled(this.flowRate);
    this.flowFinish = doubled(this.flowFinish);
    this.next = doubled(this.next);
    this.previous = doubled(this.previous);
    this.freeSlots = new Int32Array(2 * size);
    for (let s = 2 * size - 1; s >= size; s--) this.freeSlots[this.freeCount++] = s;
    this.ends.reserve(2 * size);
    this.caps.reserve(2 * size);
  }

  private remainingOf(s: number): number {
    return this.uniform ? Math.max(0, this.flowFinish[s]! - this.virtual) : this.flowRemaining[s]!;
  }

  /** Bytes copy `id` has moved so far. */
  copiedBytes(now: number, id: number): number {
    this.advance(now);
    const s = this.slots.get(id);
    return s === undefined ? 0 : this.flowBytes[s]! - this.remainingOf(s);
  }

  rateOf(id: number): number {
    this.solve();
    const s = this.slots.get(id);
    if (s === undefined) return 0;
    return this.uniform ? this.share : this.flowRate[s]!;
  }

  /** The one rate every copy runs at now, when they all do (the shared-bottleneck mode), else null. */
  sharedRate(): number | null {
    this.solve();
    return this.uniform ? this.share : null;
  }

  /** Sum of the rates of all copies: the campaign's instantaneous throughput. */
  get throughput(): number {
    this.solve();
    return this.aggregate;
  }

  get activeFlows(): number {
    return this.slots.size;
  }

  snapshot(): FlowSnapshot[] {
    this.solve();
    const copies: FlowSnapshot[] = [];
    for (let s = this.first; s >= 0; s = this.next[s]!) copies.push({ id: this.flowId[s]!, rate: this.uniform ? this.share : this.flowRate[s]!, remaining: this.remainingOf(s) });
    return copies;
  }

  /** Current load of every link (sum of the rates of the copies crossing it), bytes/s. */
  linkLoads(): Float64Array {
    this.solve();
    const loads = new Float64Array(this.links.length);
    for (let s = this.first; s >= 0; s = this.next[s]!) for (const l of this.flowPath[s]!) loads[l]! += this.uniform ? this.share : this.flowRate[s]!;
    this.mirror(loads);
    return loads;
  }

  /**
   * The links some copy crosses now whose load, as linkLoads() sums it, is at least `fraction` of
   * their capacity: written into `out` (room for every link), in no particular order; returns how
   * many.
   *
   * When every copy runs at one share, a link with k copies carries that share added k times, and
   * the share is the smallest capacity / k of any link: only links whose own capacity / k is within
   * a hair of share / fraction can be full, and the share heap hands those over without a look at
   * the others (thousands of host links on a large estate, none of them near full). For each, k ×
   * share is within k ulps of the sum, so the sum is made only for a link that close to the line:
   * the answer is linkLoads()'s, bit for bit.
   */
  fullLinks(fraction: number, out: Int32Array): number {
    this.solve();
    const capacities = this.capacity;
    let count = 0;
    if (!this.uniform) {
      // The sums linkLoads() makes, in its order, for the links with copies only.
      const loads = this.loads;
      for (const l of this.active) loads[l] = 0;
      for (let s = this.first; s >= 0; s = this.next[s]!) for (const l of this.flowPath[s]!) loads[l]! += this.flowRate[s]!;
      for (const l of this.active) if (loads[l]! >= fraction * capacities[l]! && capacities[l]! > 0) out[count++] = l;
      return this.withSeconds(out, count);
    }
    const share = this.share;
    if (!(fraction > 0)) {
      for (const l of this.active) if (capacities[l]! > 0) out[count++] = l;
      return this.withSeconds(out, count);
    }
    // A link with k copies whose sum reaches the line has capacity / k ≤ share / fraction × (1 +
    // k ulps); a margin of 1e-6 covers that and the rounding of this bound for any k below 1e9.
    const found = this.shares.within((share / fraction) * (1 + 1e-6), out);
    for (let i = 0; i < found; i++) {
      const l = out[i]!;
      const capacity = capacities[l]!;
      if (!(capacity > 0)) continue;
      const line = fraction * capacity;
      const k = this.users[l]!;
      const approx = k * share;
      let full = approx >= line;
      if (Math.abs(approx - line) <= 4e-16 * k * Math.max(approx, line)) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += share;
        full = sum >= line;
      }
      if (full) out[count++] = l;
    }
    return this.withSeconds(out, count);
  }

  /** The `count` links in `out` and after them the second link of each that is a pair's first; how many in all. */
  private withSeconds(out: Int32Array, count: number): number {
    let all = count;
    for (let i = 0; i < count; i++) {
      const second = this.secondOf[out[i]!]!;
      if (second >= 0) out[all++] = second;
    }
    return all;
  }

  /** Each pair's second link given its first's figure. */
  private mirror(perLink: Float64Array | number[]): void {
    for (let l = 0; l < perLink.length; l++) if (this.firstOf[l]! >= 0) perLink[l] = perLink[this.firstOf[l]!]!;
  }

  /** Bytes each link has carried so far (after `advance`). */
  carriedBytes(now: number): number[] {
    if (!this.carries) throw new Error('this fabric model does not keep the bytes its links carried');
    this.advance(now);
    if (this.staleCount > 0) this.refresh();
    if (this.uniform) for (const l of this.active) this.settle(l);
    const carried = Array.from(this.carried);
    this.mirror(carried);
    return carried;
  }

  private advance(now: number): void {
    const dt = now - this.lastUpdate;
    // Rates may only be stale within the instant they changed in: time must not pass on them.
    if (dt > 0 && this.dirty) this.solve();
    if (dt > 0 && this.uniform) {
      this.virtual += this.share * dt;
    } else if (dt > 0) {
      for (let s = this.first; s >= 0; s = this.next[s]!) {
        const moved = Math.min(this.flowRemaining[s]!, this.flowRate[s]! * dt);
        this.flowRemaining[s]! -= moved;
        this.account(s, moved);
      }
    }
    this.lastUpdate = now;
  }

  private account(s: number, bytes: number): void {
    if (!this.carries) return;
    const links = this.flowPath[s]!;
    for (let i = 0; i < links.length; i++) this.carried[links[i]!]! += bytes;
  }

  private countUsers(links: readonly number[], delta: number, cap: number): void {
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      if (this.uniform && this.carries) this.settle(l);
      const before = this.users[l]!;
      this.users[l] = before + delta;
      // The caps of the copies on the link, summed (back to exactly 0 when the last one leaves);
      // uncapped copies counted apart.
      if (cap === Infinity) this.uncapped[l] = this.uncapped[l]! + delta;
      else this.capSum[l] = before + delta === 0 ? 0 : this.capSum[l]! + delta * cap;
      if (this.isStale[l] === 0) {
        this.isStale[l] = 1;
        this.stale[this.staleCount++] = l;
      }
    }
  }

  /** Brings what is kept of the stale links (their share, tightness, place among the active) up to date. */
  private refresh(): void {
    const capacities = this.capacity;
    for (let i = 0; i < this.staleCount; i++) {
      const l = this.stale[i]!;
      this.isStale[l] = 0;
      const k = this.users[l]!;
      const tight = k > 0 && (this.uncapped[l]! > 0 || (1 + CAPPED_MARGIN) * this.capSum[l]! > capacities[l]!) ? 1 : 0;
      this.tightCount += tight - this.tight[l]!;
      this.tight[l] = tight;
      if (k > 0) {
        this.shares.set(l, capacities[l]! / k, l);
        if (this.activeAt[l]! < 0) {
          this.activeAt[l] = this.active.length;
          this.active.push(l);
        }
      } else {
        this.shares.remove(l);
        const at = this.activeAt[l]!;
        if (at >= 0) {
          const last = this.active.pop()!;
          if (last !== l) {
            this.active[at] = last;
            this.activeAt[last] = at;
          }
          this.activeAt[l] = -1;
        }
      }
    }
    this.staleCount = 0;
  }

  /** Adds what link `l` carried since it was last settled (shared-bottleneck mode). */
  private settle(l: number): void {
    this.carried[l]! += this.users[l]! * (this.virtual - this.linkMark[l]!);
    this.linkMark[l] = this.virtual;
  }

  /**
   * The common case of a saturated campaign: one link that every copy crosses (the legacy array's
   * ports) gives the smallest fair share C/users of all links, and no copy's cap is below it. Then
   * every copy runs at that share, and that is the max-min solution: each link carries users ×
   * share ≤ its capacity, and every copy is held by the one full link on which all rates are
   * equal. Both minima come from heaps kept as copies come and go: O(log n) per change.
   * Returns the share, or null when the case does not apply (the full solve then runs).
   */
  private singleBottleneckShare(): number | null {
    const n = this.slots.size;
    if (this.shares.size === 0 || this.users[this.shares.top!]! !== n) return null;
    const share = this.shares.topKey;
    if (this.caps.size > 0 && this.caps.topKey < share) return null;
    return share;
  }

  private enterShared(share: number): void {
    this.ends.clear();
    for (let s = this.first; s >= 0; s = this.next[s]!) {
      this.flowFinish[s] = this.virtual + this.flowRemaining[s]!;
      this.ends.set(s, this.flowFinish[s]!, this.flowId[s]!);
    }
    for (const l of this.active) this.linkMark[l] = this.virtual;
    this.uniform = true;
    this.share = share;
  }

  private leaveShared(): void {
    if (this.carries) for (const l of this.active) this.settle(l);
    for (let s = this.first; s >= 0; s = this.next[s]!) {
      this.flowRemaining[s] = Math.max(0, this.flowFinish[s]! - this.virtual);
      this.flowRate[s] = this.share;
    }
    this.uniform = false;
  }

  private solve(): void {
    if (this.staleCount > 0) this.refresh();
    if (!this.dirty) return;
    this.dirty = false;
    const n = this.slots.size;
    const share = this.fastPath && this.singleBottleneckPath && n > 0 ? this.singleBottleneckShare() : null;
    if (share !== null) {
      if (!this.uniform) this.enterShared(share);
      this.share = share;
      this.aggregate = share * n;
      return;
    }
    if (this.uniform) this.leaveShared();
    if (this.fastPath && this.tightCount === 0) {
      this.solveSorted(n, -1);
      return;
    }
    const top = this.shares.top;
    if (this.fastPath && this.tightCount === 1 && top !== undefined && this.tight[top] === 1 && this.users[top] === n) {
      this.solveSorted(n, top);
      return;
    }
    // Only the links some copy crosses take part: on a large estate most links are idle, and the
    // solver's passes are linear in the links it is given. Buffers are kept between solves.
    this.reserve(n);
    const { localOf, flowStart, bounds, rates, capacities, order } = this;
    let flowLinks = this.flowLinks;
    let m = 0;
    let k = 0;
    let f = 0;
    for (let s = this.first; s >= 0; s = this.next[s]!) {
      const path = this.flowPath[s]!;
      order[f] = s;
      bounds[f] = this.flowCap[s]!;
      flowStart[f] = k;
      if (flowLinks.length < k + path.length) {
        const grown = new Int32Array(Math.max(2 * flowLinks.length, k + path.length));
        grown.set(flowLinks);
        this.flowLinks = flowLinks = grown;
      }
      for (const l of path) {
        let i = localOf[l]!;
        if (i < 0) {
          i = m++;
          localOf[l] = i;
          this.used[i] = l;
          capacities[i] = this.capacity[l]!;
        }
        flowLinks[k++] = i;
      }
      f++;
    }
    flowStart[n] = k;
    this.solver.solve(capacities, m, flowStart, flowLinks, bounds, n, rates);
    for (let i = 0; i < m; i++) localOf[this.used[i]!] = -1;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const rate = rates[i]!;
      this.flowRate[order[i]!] = rate;
      total += rate;
    }
    this.aggregate = total;
  }

  /**
   * The other common cases. Few copies: no link comes near its capacity even if every copy
   * crossing it ran at its cap (Σ caps ≤ C / (1 + 1e-6) on every link, kept as copies come and go).
   * Or a busy campaign whose copies' caps straddle the fair share of the one link every copy
   * crosses (the legacy array's ports): that link is the only one that could come near its
   * capacity. Then in progressive filling no other link ever binds, and the full solve does
   * nothing but raise the level from one cap to the next, freezing the copies it reaches, until
   * the one link (`link`, -1 for none) fills and freezes every copy left. This does the same, in
   * the same floating-point operations, over the caps in order: O(n log n) instead of
   * O(n (n + m)) (the link's remaining capacity is one number: every copy left crosses it).
   *
   * Why it is exact. On any other link, the copies' rates at any level the solve reaches sum to at
   * most their caps, so the link keeps more than 1e-6 of its capacity free even after the next
   * step (the unfrozen copies rise at most to the next cap). The full solve's rounding is ~1e-15
   * relative, so its tests cannot come out otherwise: no such link is tighter than the next step,
   * none fills. So each of its passes steps to the smallest cap left or to where `link` fills
   * (step = cap - level, or remaining / copies left when smaller; level += step; remaining -=
   * step × copies left, or 0 when `link` set the step) and freezes every copy with cap - level ≤
   * ε·max(1, cap) at that level, then every copy left if `link` is within ε of full. The copies
   * frozen at their cap are among the smallest caps: any copy that passes the test has every copy
   * of smaller cap within 2ε·max(1, cap) of the level (a copy further away would need a cap below
   * level/2 while passing it, and the level never exceeds the smallest cap left), so scanning the
   * caps in order while within 2ε, and applying the exact test to each, freezes exactly the
   * copies the full solve freezes. Uncapped copies (only when `link` is set: they make a link
   * tight) never pass the test, as in the full solve.
   */
  private solveSorted(n: number, link: number): void {
    this.reserve(n);
    const sorted = this.order;
    const caps = this.flowCap;
    const rates = this.flowRate;
    let i = 0;
    for (let s = this.first; s >= 0; s = this.next[s]!) sorted[i++] = s;
    // Ties in any order: equal caps freeze together. An insertion sort, in place, for a few dozen.
    if (n > 64) sorted.subarray(0, n).sort((a, b) => caps[a]! - caps[b]!);
    else {
      for (let a = 1; a < n; a++) {
        const f = sorted[a]!;
        let b = a - 1;
        while (b >= 0 && caps[sorted[b]!]! > caps[f]!) {
          sorted[b + 1] = sorted[b]!;
          b--;
        }
        sorted[b + 1] = f;
      }
    }
    const capacity = link >= 0 ? this.capacity[link]! : 0;
    let remaining = capacity;
    let level = 0;
    let k = 0;
    let left = n;
    while (k < left) {
      let step = caps[sorted[k]!]! - level;
      let fills = false;
      if (link >= 0) {
        const share = remaining / (left - k);
        if (share < step) {
          step = share;
          fills = true;
        }
        if (!Number.isFinite(step)) {
          // Uncapped copies on a link of no limit: nothing holds them.
          for (let x = k; x < left; x++) rates[sorted[x]!] = Infinity;
          break;
        }
      }
      if (step < 0) step = 0;
      level += step;
      if (link >= 0) remaining = fills ? 0 : remaining - step * (left - k);
      let j = k;
      while (j < left && caps[sorted[j]!]! !== Infinity && caps[sorted[j]!]! - level <= 2 * EPSILON * Math.max(1, caps[sorted[j]!]!)) j++;
      let kept = k;
      for (let x = k; x < j; x++) {
        const f = sorted[x]!;
        if (caps[f]! - level <= EPSILON * Math.max(1, caps[f]!)) rates[f] = level;
        else sorted[kept++] = f;
      }
      if (kept === k) {
        k = j;
      } else {
        sorted.copyWithin(kept, j, left);
        left -= j - kept;
      }
      if (link >= 0 && k < left && remaining <= EPSILON * Math.max(1, capacity)) {
        for (let x = k; x < left; x++) rates[sorted[x]!] = level;
        break;
      }
    }
    let total = 0;
    for (let s = this.first; s >= 0; s = this.next[s]!) total += rates[s]!;
    this.aggregate = total;
  }

  private reserve(n: number): void {
    if (this.bounds.length >= n) return;
    const size = Math.max(n, 2 * this.bounds.length, 16);
    this.flowStart = new Int32Array(size + 1);
    this.bounds = new Float64Array(size);
    this.rates = new Float64Array(size);
    this.order = new Int32Array(size);
  }
}
