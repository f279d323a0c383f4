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
import { EPSILON, solveMaxMin } from './maxmin.js';

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
  }

  linkIndex(id: string): number {
    const index = this.linkIds.get(id);
    if (index === undefined) throw new Error(`unknown fabric link ${id}`);
    return index;
  }

  /** Directed links an svMotion on `host` from `sourceArrays` to `targetArray` crosses. */
  copyPath(host: string, enclosure: string | null, sourceArrays: readonly string[], targetArray: string): number[] {
    const path: number[] = [];
    for (const a of new Set(sourceArrays)) path.push(this.linkIndex(`array:${a}:out`));
    if (this.fabric.coreRate !== null) path.push(this.linkIndex('core:down'), this.linkIndex('core:up'));
    if (enclosure !== null) path.push(this.linkIndex(`enclosure:${enclosure}:down`), this.linkIndex(`enclosure:${enclosure}:up`));
    path.push(this.linkIndex(`host:${host}:in`), this.linkIndex(`host:${host}:out`));
    path.push(this.linkIndex(`array:${targetArray}:in`));
    return path;
  }

  /** Starts a copy of `bytes` over `links`, capped at `cap` bytes/s. */
  addFlow(now: number, id: number, bytes: number, links: number[], cap: number): void {
    this.advance(now);
    this.flows.set(id, { id, links, cap, bytes, remaining: bytes, rate: 0 });
    this.resolve();
  }

  /** Stops a copy before its end (abort, host failure); returns the bytes it had copied. */
  removeFlow(now: number, id: number): number {
    this.advance(now);
    const flow = this.flows.get(id);
    if (!flow) return 0;
    this.flows.delete(id);
    this.resolve();
    return flow.bytes - flow.remaining;
  }

  /** When the next copy ends at the current rates (Infinity when none can). */
  nextCompletion(now: number): number {
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
    }
    this.resolve();
    return done;
  }

  /** Bytes copy `id` has moved so far. */
  copiedBytes(now: number, id: number): number {
    this.advance(now);
    const f = this.flows.get(id);
    return f ? f.bytes - f.remaining : 0;
  }

  rateOf(id: number): number {
    return this.flows.get(id)?.rate ?? 0;
  }

  /** Sum of the rates of all copies: the campaign's instantaneous throughput. */
  get throughput(): number {
    return this.aggregate;
  }

  get activeFlows(): number {
    return this.flows.size;
  }

  snapshot(): FlowSnapshot[] {
    return [...this.flows.values()].map((f) => ({ id: f.id, rate: f.rate, remaining: f.remaining }));
  }

  /** Current load of every link (sum of the rates of the copies crossing it), bytes/s. */
  linkLoads(): Float64Array {
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

  private resolve(): void {
    // Only the links some copy crosses take part: on a large estate most links are idle, and the
    // solver's passes are linear in the links it is given.
    const flows = [...this.flows.values()];
    const local = new Map<number, number>();
    const capacities: number[] = [];
    const flowLinks = flows.map((f) =>
      f.links.map((l) => {
        let i = local.get(l);
        if (i === undefined) {
          i = capacities.length;
          local.set(l, i);
          capacities.push(this.links[l]!.capacity);
        }
        return i;
      }),
    );
    const rates = solveMaxMin({ capacities, flowLinks, bounds: flows.map((f) => f.cap) });
    let total = 0;
    flows.forEach((f, i) => {
      f.rate = rates[i]!;
      total += f.rate;
    });
    this.aggregate = total;
  }
}
