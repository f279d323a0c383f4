// vCenter's admission of migrations: resource costs and the waiting queue.
//
// Every host, datastore and host vMotion network has a budget (CostProfile). An operation charges
// a cost to each resource it touches; it starts only when every charge fits, otherwise it waits
// ("Resources currently in use by other operations. Waiting."): submitted, not copying. When an
// operation ends, the queue is scanned in arrival order and every waiting operation that now fits
// starts (first fit: a small vMotion behind a blocked svMotion is not held up by it).

import type { CostProfile } from '../domain/costs.js';

export interface Charge {
  resource: string;
  cost: number;
}

export interface ResourceBudget {
  resource: string;
  max: number;
}

/** The charges of a Storage vMotion of a VM on `host` from `sources` to `target`. */
export function svmotionCharges(costs: CostProfile, host: string, sources: readonly string[], target: string): Charge[] {
  const charges: Charge[] = [{ resource: hostResource(host), cost: costs.svmotionHost }];
  // The source and the destination datastores are each charged once, even when disks share them.
  for (const ds of new Set([...sources, target])) charges.push({ resource: datastoreResource(ds), cost: costs.svmotionDatastore });
  return charges;
}

/** The charges of a vMotion (compute only, shared storage) from `from` to `to`. */
export function vmotionCharges(costs: CostProfile, from: string, to: string, datastores: readonly string[]): Charge[] {
  const charges: Charge[] = [];
  for (const h of new Set([from, to])) {
    charges.push({ resource: hostResource(h), cost: costs.vmotionHost });
    charges.push({ resource: networkResource(h), cost: costs.vmotionNetwork });
  }
  for (const ds of new Set(datastores)) charges.push({ resource: datastoreResource(ds), cost: costs.vmotionDatastore });
  return charges;
}

export const hostResource = (host: string): string => `host:${host}`;
export const datastoreResource = (ds: string): string => `datastore:${ds}`;
export const networkResource = (host: string): string => `network:${host}`;

/** The budget of a resource under `costs`, from its kind. */
export function budgetOf(costs: CostProfile, resource: string): number {
  if (resource.startsWith('host:')) return costs.hostMax;
  if (resource.startsWith('datastore:')) return costs.datastoreMax;
  if (resource.startsWith('network:')) return costs.networkMax;
  throw new Error(`unknown resource ${resource}`);
}

interface Pending {
  id: number;
  charges: Charge[];
}

export class Admission {
  private readonly used = new Map<string, number>();
  private readonly holding = new Map<number, Charge[]>();
  private queue: Pending[] = [];

  constructor(private readonly costs: CostProfile) {}

  /**
   * Submits operation `id`. Returns true when it may start now (its charges are taken), false when
   * it waits in the queue. An operation that could never fit, even on idle resources, is refused.
   */
  submit(id: number, charges: Charge[]): boolean {
    for (const c of charges) {
      if (c.cost > budgetOf(this.costs, c.resource)) {
        throw new RangeError(`operation ${id} costs ${c.cost} on ${c.resource}, over its budget`);
      }
    }
    if (this.queue.length === 0 && this.fits(charges)) {
      this.take(id, charges);
      return true;
    }
    // Behind others: vCenter still lets it start if it fits, but only after the queue ahead was served.
    this.queue.push({ id, charges });
    return this.drain().includes(id);
  }

  /** Releases what `id` holds; returns the waiting operations that start as a result, in order. */
  release(id: number): number[] {
    const charges = this.holding.get(id);
    if (!charges) return [];
    this.holding.delete(id);
    for (const c of charges) this.used.set(c.resource, (this.used.get(c.resource) ?? 0) - c.cost);
    return this.drain();
  }

  /** Withdraws a waiting operation (cancelled before it started); true when it was waiting. */
  withdraw(id: number): boolean {
    const before = this.queue.length;
    this.queue = this.queue.filter((p) => p.id !== id);
    return this.queue.length !== before;
  }

  get waiting(): number {
    return this.queue.length;
  }

  usage(resource: string): number {
    return this.used.get(resource) ?? 0;
  }

  private drain(): number[] {
    const started: number[] = [];
    const still: Pending[] = [];
    for (const p of this.queue) {
      if (this.fits(p.charges)) {
        this.take(p.id, p.charges);
        started.push(p.id);
      } else {
        still.push(p);
      }
    }
    this.queue = still;
    return started;
  }

  private fits(charges: Charge[]): boolean {
    for (const c of charges) {
      if ((this.used.get(c.resource) ?? 0) + c.cost > budgetOf(this.costs, c.resource)) return false;
    }
    return true;
  }

  private take(id: number, charges: Charge[]): void {
    for (const c of charges) this.used.set(c.resource, (this.used.get(c.resource) ?? 0) + c.cost);
    this.holding.set(id, charges);
  }
}
