// vCenter's admission of migrations: resource costs and the waiting queue.
//
// Every host, datastore and host vMotion network has a budget (CostProfile). An operation charges a
// cost to each resource it touches (core/operations.ts says what each kind charges); it starts only
// when every charge fits, otherwise it waits ("Resources currently in use by other operations.
// Waiting."): submitted, not copying. When an operation ends, the waiting operations that now fit
// start, first fit in arrival order (a small vMotion behind a blocked svMotion is not held up by it).
//
// Only an operation waiting on a resource that was just freed can start when something ends: so
// each waiting operation is filed under the one resource that stopped it at its last check, and a
// release looks only at what is filed under the resources it frees. Resources are small integers.

import type { CostProfile } from '../../domain/costs.js';
import { budgetOf, type Charge, type ResourceKind } from '../../core/operations.js';
import type { HostNumbers } from '../host-numbers.js';

/** The charges of one operation by resource number, flat: [resource, cost, resource, cost, …]. */
export type Debits = number[];

/**
 * The resources of one estate, with their budgets: the estate's hosts and their vMotion networks
 * numbered first, by host number (host h is resource 2h, its network 2h + 1), so that an operation
 * on a host whose number it knows is charged without a look-up by name; the rest as they are
 * first named.
 */
export class Resources {
  private readonly hosts = new Map<string, number>();
  private readonly datastores = new Map<string, number>();
  private readonly networks = new Map<string, number>();
  private readonly budgets: number[] = [];
  private readonly names: string[] = [];

  constructor(
    private readonly costs: CostProfile,
    estateHosts?: HostNumbers,
  ) {
    for (const name of estateHosts?.names ?? []) {
      this.id('host', name);
      this.id('network', name);
    }
  }

  /** Host `h`'s resource (`h` a number of the hosts given to the constructor). */
  host(h: number): number {
    return 2 * h;
  }

  /** Host `h`'s vMotion network. */
  network(h: number): number {
    return 2 * h + 1;
  }

  id(kind: ResourceKind, name: string): number {
    // A map per kind chosen by a switch, not looked up by the kind: this runs for every charge.
    const ids = kind === 'host' ? this.hosts : kind === 'datastore' ? this.datastores : this.networks;
    let r = ids.get(name);
    if (r === undefined) {
      r = this.budgets.length;
      ids.set(name, r);
      this.budgets.push(budgetOf(this.costs, kind));
      this.names.push(`${kind} ${name}`);
    }
    return r;
  }

  budget(r: number): number {
    return this.budgets[r]!;
  }

  name(r: number): string {
    return this.names[r]!;
  }

  get size(): number {
    return this.budgets.length;
  }

  debits(charges: readonly Charge[]): Debits {
    return charges.flatMap((c) => [this.id(c.kind, c.name), c.cost]);
  }
}

const NONE: readonly number[] = Object.freeze([]);

interface Waiting {
  id: number;
  /** Arrival order. */
  seq: number;
  debits: Debits;
  /** The resource it is filed under: the first that did not have room at its last check. */
  blockedOn: number;
}

export class Admission {
  private used: number[] = [];
  /** What each admitted operation holds, by id: the planner's (from 1) and the movers' (from -1 down). */
  private readonly holding: Array<Debits | undefined> = [];
  private readonly holdingNegative: Array<Debits | undefined> = [];
  private readonly queue = new Map<number, Waiting>();
  /** Waiting operations filed by the resource that stopped them (stale entries are skipped). */
  private filed: Waiting[][] = [];
  private arrivals = 0;

  constructor(private readonly resources: Resources) {}

  /**
   * Submits operation `id`. Returns true when it may start now (its charges are taken), false when
   * it waits. An operation that could never fit, even on idle resources, is the caller's to refuse.
   */
  submit(id: number, debits: Debits): boolean {
    for (let i = 0; i < debits.length; i += 2) {
      const r = debits[i]!;
      const cost = debits[i + 1]!;
      if (cost > this.resources.budget(r)) throw new RangeError(`operation ${id} costs ${cost} on ${this.resources.name(r)}, over its budget`);
    }
    const blocked = this.blocking(debits);
    if (blocked < 0) {
      this.take(id, debits);
      return true;
    }
    // Waiting operations that fitted were started when their resources were freed: only this one is new.
    const w: Waiting = { id, seq: this.arrivals++, debits, blockedOn: blocked };
    this.queue.set(id, w);
    this.file(w);
    return false;
  }

  /** Releases what `id` holds; returns the waiting operations that start as a result, in arrival order. */
  release(id: number): readonly number[] {
    const debits = id >= 0 ? this.holding[id] : this.holdingNegative[-id];
    if (!debits) return NONE;
    if (id >= 0) this.holding[id] = undefined;
    else this.holdingNegative[-id] = undefined;
    const candidates: Waiting[] = [];
    for (let i = 0; i < debits.length; i += 2) {
      const r = debits[i]!;
      this.used[r] = this.used[r]! - debits[i + 1]!;
      const list = this.filed[r];
      if (list === undefined || list.length === 0) continue;
      for (const w of list) if (this.queue.get(w.id) === w && w.blockedOn === r) candidates.push(w);
      this.filed[r] = [];
    }
    if (candidates.length === 0) return NONE;
    candidates.sort((a, b) => a.seq - b.seq);
    const started: number[] = [];
    for (const w of candidates) {
      const blocked = this.blocking(w.debits);
      if (blocked < 0) {
        this.queue.delete(w.id);
        this.take(w.id, w.debits);
        started.push(w.id);
      } else {
        w.blockedOn = blocked;
        this.file(w);
      }
    }
    return started;
  }

  /** Withdraws a waiting operation (ended before it started); true when it was waiting. */
  withdraw(id: number): boolean {
    return this.queue.delete(id);
  }

  get waiting(): number {
    return this.queue.size;
  }

  usage(r: number): number {
    return this.used[r] ?? 0;
  }

  /** The first resource without room for its charge, or -1 when every charge fits. */
  private blocking(debits: Debits): number {
    for (let i = 0; i < debits.length; i += 2) {
      const r = debits[i]!;
      if ((this.used[r] ?? 0) + debits[i + 1]! > this.resources.budget(r)) return r;
    }
    return -1;
  }

  private take(id: number, debits: Debits): void {
    for (let i = 0; i < debits.length; i += 2) this.used[debits[i]!] = (this.used[debits[i]!] ?? 0) + debits[i + 1]!;
    if (id >= 0) this.holding[id] = debits;
    else this.holdingNegative[-id] = debits;
  }

  private file(w: Waiting): void {
    (this.filed[w.blockedOn] ??= []).push(w);
  }
}
