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

import type { Estate } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { EPSILON, MaxMinSolver } from './maxmin.js';

export interface LinkInfo {
  /** Stable identifier, e.g. `host:esx01:in`. */
  id: string;
  /** What a person reads, e.g. `esx01 HBAs in (reads)`. */
  label: string;
  capacity: number;
}

interface Flow {
  id: number;
  links: number[];
  cap: number;
  bytes: number;
  remaining: number;
  rate: number;
}

export interface FlowSnapshot {
  id: number;
  rate: number;
  remaining: number;
}

export class FabricModel {
  readonly links: LinkInfo[] = [];
  private readonly linkIds = new Map<string, number>();
  private readonly flows = new Map<number, Flow>();
  private lastUpdate = 0;
  /** The set of copies changed since rates were last solved (solving waits until rates are needed). */
  private dirty = false;
  private readonly solver = new MaxMinSolver();
  /** Off only to check the fast path against the full solve (tests). */
  fastPath = true;
  /** Scratch space of `solve`, grown as needed and kept. */
  private localOf: Int32Array;
  private used: Int32Array;
  private capacities: Float64Array;
  private flowStart = new Int32Array(1);
  private flowLinks = new Int32Array(64);
  private bounds = new Float64Array(0);
  private rates = new Float64Array(0);
  private readonly order: Flow[] = [];
  private readonly paths = new Map<string, number[]>();
  /** Copies crossing each link, and the links with at least one (for the single-bottleneck check). */
  private users: Int32Array;
  private readonly active: number[] = [];
  private activeAt: Int32Array;
  /** Bytes that have crossed each link so far. */
  private readonly carried: number[] = [];
  private aggregate = 0;

  constructor(
    private readonly fabric: Fabric,
    estate: Estate,
  ) {
    const hostPorts = new Map(estate.hosts.map((h) => [h.name, h.hbaPorts ?? fabric.hostPorts]));
    for (const [host, ports] of hostPorts) {
      this.addLink(`host:${host}:in`, `${host} HBAs in (reads)`, ports * fabric.hostPortRate);
      this.addLink(`host:${host}:out`, `${host} HBAs out (writes)`, ports * fabric.hostPortRate);
    }
    const enclosures = new Set(estate.hosts.map((h) => h.enclosure).filter((e): e is string => e !== null));
    for (const e of [...enclosures].sort()) {
      const capacity = fabric.enclosureUplinkPorts * fabric.enclosureUplinkPortRate;
      this.addLink(`enclosure:${e}:down`, `${e} uplinks down (reads)`, capacity);
      this.addLink(`enclosure:${e}:up`, `${e} uplinks up (writes)`, capacity);
    }
    if (fabric.coreRate !== null) {
      this.addLink('core:down', 'fabric core towards hosts', fabric.coreRate);
      this.addLink('core:up', 'fabric core towards arrays', fabric.coreRate);
    }
    for (const a of fabric.arrays) {
      this.addLink(`array:${a.name}:out`, `${a.name} front-end out (reads)`, a.ports * a.portRate);
      this.addLink(`array:${a.name}:in`, `${a.name} front-end in (writes)`, a.ports * a.portRate);
    }
    this.users = new Int32Array(this.links.length);
    this.activeAt = new Int32Array(this.links.length).fill(-1);
    this.localOf = new Int32Array(this.links.length).fill(-1);
    this.used = new Int32Array(this.links.length);
    this.capacities = new Float64Array(this.links.length);
  }

  linkIndex(id: string): number {
    const index = this.linkIds.get(id);
    if (index === undefined) throw new Error(`unknown fabric link ${id}`);
    return index;
  }

  /** Directed links an svMotion on `host` from `sourceArrays` to `targetArray` crosses. */
  copyPath(host: string, enclosure: string | null, sourceArrays: readonly string[], targetArray: string): number[] {
    // Thousands of copies share a few dozen distinct paths: build each once.
    const key = `${host}\u0000${enclosure ?? ''}\u0000${targetArray}\u0000${sourceArrays.join('\u0000')}`;
    const cached = this.paths.get(key);
    if (cached) return cached;
    const path: number[] = [];
    for (const a of new Set(sourceArrays)) path.push(this.linkIndex(`array:${a}:out`));
    if (this.fabric.coreRate !== null) path.push(this.linkIndex('core:down'), this.linkIndex('core:up'));
    if (enclosure !== null) path.push(this.linkIndex(`enclosure:${enclosure}:down`), this.linkIndex(`enclosure:${enclosure}:up`));
    path.push(this.linkIndex(`host:${host}:in`), this.linkIndex(`host:${host}:out`));
    path.push(this.linkIndex(`array:${targetArray}:in`));
    this.paths.set(key, path);
    return path;
  }

  /** Starts a copy of `bytes` over `links`, capped at `cap` bytes/s. */
  addFlow(now: number, id: number, bytes: number, links: number[], cap: number): void {
    this.advance(now);
    this.flows.set(id, { id, links, cap, bytes, remaining: bytes, rate: 0 });
    this.countUsers(links, 1);
    this.dirty = true;
  }

  /** Stops a copy before its end (abort, host failure); returns the bytes it had copied. */
  removeFlow(now: number, id: number): number {
    this.advance(now);
    const flow = this.flows.get(id);
    if (!flow) return 0;
    this.flows.delete(id);
    this.countUsers(flow.links, -1);
    this.dirty = true;
    return flow.bytes - flow.remaining;
  }

  /** When the next copy ends at the current rates (Infinity when none can). */
  nextCompletion(now: number): number {
    this.solve();
    let best = Infinity;
    for (const f of this.flows.values()) {
      if (f.rate <= 0) continue;
      const t = now + f.remaining / f.rate;
      if (t < best) best = t;
    }
    return best;
  }

  /**
   * Advances to `now` and removes every copy that has finished by then (within the tolerance the
   * floating-point drain allows), returning their ids in increasing order.
   */
  completeDue(now: number): number[] {
    this.advance(now);
    const done: number[] = [];
    for (const f of this.flows.values()) {
      if (f.remaining <= EPSILON * Math.max(1, f.bytes) || (f.rate > 0 && f.remaining / f.rate <= EPSILON * Math.max(1, now))) {
        done.push(f.id);
      }
    }
    if (done.length === 0) return done;
    done.sort((a, b) => a - b);
    for (const id of done) {
      const f = this.flows.get(id)!;
      this.account(f, f.remaining);
      f.remaining = 0;
      this.flows.delete(id);
      this.countUsers(f.links, -1);
    }
    this.dirty = true;
    return done;
  }

  /** Bytes copy `id` has moved so far. */
  copiedBytes(now: number, id: number): number {
    this.advance(now);
    const f = this.flows.get(id);
    return f ? f.bytes - f.remaining : 0;
  }

  rateOf(id: number): number {
    this.solve();
    return this.flows.get(id)?.rate ?? 0;
  }

  /** Sum of the rates of all copies: the campaign's instantaneous throughput. */
  get throughput(): number {
    this.solve();
    return this.aggregate;
  }

  get activeFlows(): number {
    return this.flows.size;
  }

  snapshot(): FlowSnapshot[] {
    this.solve();
    return [...this.flows.values()].map((f) => ({ id: f.id, rate: f.rate, remaining: f.remaining }));
  }

  /** Current load of every link (sum of the rates of the copies crossing it), bytes/s. */
  linkLoads(): Float64Array {
    this.solve();
    const loads = new Float64Array(this.links.length);
    for (const f of this.flows.values()) for (const l of f.links) loads[l]! += f.rate;
    return loads;
  }

  /** Bytes each link has carried so far (after `advance`). */
  carriedBytes(now: number): number[] {
    this.advance(now);
    return [...this.carried];
  }

  private addLink(id: string, label: string, capacity: number): void {
    this.linkIds.set(id, this.links.length);
    this.links.push({ id, label, capacity });
    this.carried.push(0);
  }

  private advance(now: number): void {
    const dt = now - this.lastUpdate;
    // Rates may only be stale within the instant they changed in: time must not pass on them.
    if (dt > 0 && this.dirty) this.solve();
    if (dt > 0) {
      for (const f of this.flows.values()) {
        const moved = Math.min(f.remaining, f.rate * dt);
        f.remaining -= moved;
        this.account(f, moved);
      }
    }
    this.lastUpdate = now;
  }

  private account(flow: Flow, bytes: number): void {
    for (const l of flow.links) this.carried[l]! += bytes;
  }

  private countUsers(links: readonly number[], delta: number): void {
    for (const l of links) {
      const before = this.users[l]!;
      this.users[l] = before + delta;
      if (before === 0 && delta > 0) {
        this.activeAt[l] = this.active.length;
        this.active.push(l);
      } else if (before + delta === 0) {
        const at = this.activeAt[l]!;
        const last = this.active.pop()!;
        if (last !== l) {
          this.active[at] = last;
          this.activeAt[last] = at;
        }
        this.activeAt[l] = -1;
      }
    }
  }

  /**
   * The common case of a saturated campaign, in O(links in use + copies): one link that every copy
   * crosses (the legacy array's ports) gives the smallest fair share C/users of all links, and no
   * copy's cap is below it. Then every copy runs at that share, and that is the max-min solution:
   * each link carries users × share ≤ its capacity, and every copy is held by the one full link on
   * which all rates are equal. Returns false when the case does not apply (the full solve then runs).
   */
  private solveSingleBottleneck(): boolean {
    const n = this.flows.size;
    let share = Infinity;
    let bottleneck = -1;
    for (const l of this.active) {
      const s = this.links[l]!.capacity / this.users[l]!;
      if (s < share) {
        share = s;
        bottleneck = l;
      }
    }
    if (bottleneck < 0 || this.users[bottleneck]! !== n) return false;
    for (const f of this.flows.values()) if (f.cap < share) return false;
    for (const f of this.flows.values()) f.rate = share;
    this.aggregate = share * n;
    return true;
  }

  private solve(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.fastPath && this.solveSingleBottleneck()) return;
    // Only the links some copy crosses take part: on a large estate most links are idle, and the
    // solver's passes are linear in the links it is given. Buffers are kept between solves.
    const n = this.flows.size;
    this.reserve(n);
    const { localOf, flowStart, bounds, rates, capacities } = this;
    let flowLinks = this.flowLinks;
    let m = 0;
    let k = 0;
    let f = 0;
    for (const flow of this.flows.values()) {
      this.order[f] = flow;
      bounds[f] = flow.cap;
      flowStart[f] = k;
      if (flowLinks.length < k + flow.links.length) {
        const grown = new Int32Array(Math.max(2 * flowLinks.length, k + flow.links.length));
        grown.set(flowLinks);
        this.flowLinks = flowLinks = grown;
      }
      for (const l of flow.links) {
        let i = localOf[l]!;
        if (i < 0) {
          i = m++;
          localOf[l] = i;
          this.used[i] = l;
          capacities[i] = this.links[l]!.capacity;
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
      const flow = this.order[i]!;
      flow.rate = rates[i]!;
      total += flow.rate;
    }
    this.aggregate = total;
  }

  private reserve(n: number): void {
    if (this.bounds.length >= n) return;
    const size = Math.max(n, 2 * this.bounds.length, 16);
    this.flowStart = new Int32Array(size + 1);
    this.bounds = new Float64Array(size);
    this.rates = new Float64Array(size);
  }
}
