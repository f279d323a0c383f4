import { describe, expect, it } from 'vitest';
import { chargesOf, type Charge, type ResourceKind } from '../../src/core/operations.js';
import { VSPHERE_5, VSPHERE_6_PLUS, type CostProfile } from '../../src/domain/costs.js';
import { Admission as Queue, Resources } from '../../src/sim/models/admission.js';
import { lcg } from '../helpers/lcg.js';

/** The admission model of one profile, fed the charges the operation registry gives. */
class Admission {
  private readonly resources: Resources;
  private readonly queue: Queue;
  constructor(costs: CostProfile) {
    this.resources = new Resources(costs);
    this.queue = new Queue(this.resources);
  }
  submit(id: number, charges: Charge[]): boolean {
    return this.queue.submit(id, this.resources.debits(charges));
  }
  release(id: number): readonly number[] {
    return this.queue.release(id);
  }
  withdraw(id: number): boolean {
    return this.queue.withdraw(id);
  }
  get waiting(): number {
    return this.queue.waiting;
  }
  usage(kind: ResourceKind, name: string): number {
    return this.queue.usage(this.resources.id(kind, name));
  }
}

function svmotionCharges(costs: CostProfile, host: string, sources: string[], target: string): Charge[] {
  return chargesOf({ kind: 'svmotion', id: 0, vm: 'v', cluster: 'C', host, sourceDatastores: sources, targetDatastore: target, bytes: 1 }, host, [], costs);
}

function vmotionCharges(costs: CostProfile, from: string, to: string, datastores: string[]): Charge[] {
  return chargesOf({ kind: 'vmotion', id: 0, vm: 'v', cluster: 'C', host: from, toHost: to, bytes: 1 }, from, datastores, costs);
}

// Concurrency limits derived by hand from the cost table (host 16 / svMotion 8 / vMotion 2;
// datastore 128 / svMotion 16 on source and destination; network 8 / vMotion 1).
const sv = (host: string, src: string, dst: string) => svmotionCharges(VSPHERE_6_PLUS, host, [src], dst);

describe('vCenter cost admission', () => {
  it('starts 2 svMotions per host and queues the third until one ends', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    expect(a.submit(1, sv('h1', 'A1', 'B1'))).toBe(true);
    expect(a.submit(2, sv('h1', 'A2', 'B2'))).toBe(true);
    expect(a.submit(3, sv('h1', 'A3', 'B3'))).toBe(false);
    expect(a.waiting).toBe(1);
    expect(a.release(1)).toEqual([3]);
    expect(a.waiting).toBe(0);
  });

  it('starts 8 svMotions per datastore, counting copies in and out alike', () => {
    // 4 svMotions out of DS and 4 into it (from other hosts) fill 8 × 16 = 128.
    const a = new Admission(VSPHERE_6_PLUS);
    for (let i = 0; i < 4; i++) expect(a.submit(i, sv(`h${i}`, 'DS', `T${i}`))).toBe(true);
    for (let i = 4; i < 8; i++) expect(a.submit(i, sv(`h${i}`, `S${i}`, 'DS'))).toBe(true);
    expect(a.usage('datastore', 'DS')).toBe(128);
    expect(a.submit(8, sv('h8', 'DS', 'T8'))).toBe(false);
    expect(a.release(5)).toEqual([8]);
  });

  it('fits 1 svMotion and 4 vMotions on a host, or 8 vMotions, and no more', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    expect(a.submit(1, sv('h1', 'A', 'B'))).toBe(true);
    for (let i = 0; i < 4; i++) expect(a.submit(10 + i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `x${i}`, ['A']))).toBe(true);
    expect(a.submit(20, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'x9', ['A']))).toBe(false);

    const b = new Admission(VSPHERE_6_PLUS);
    for (let i = 0; i < 8; i++) expect(b.submit(i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `y${i}`, ['A']))).toBe(true);
    expect(b.submit(9, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'y9', ['A']))).toBe(false);
  });

  it('limits vMotions by the network budget on 1GbE (4 per host)', () => {
    const a = new Admission({ ...VSPHERE_6_PLUS, networkMax: 4 });
    for (let i = 0; i < 4; i++) expect(a.submit(i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `y${i}`, ['A']))).toBe(true);
    expect(a.submit(5, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'y5', ['A']))).toBe(false);
  });

  it('gives the same concurrency under the vSphere 5 scale', () => {
    const a = new Admission(VSPHERE_5);
    expect(a.submit(1, svmotionCharges(VSPHERE_5, 'h', ['A'], 'B'))).toBe(true);
    expect(a.submit(2, svmotionCharges(VSPHERE_5, 'h', ['C'], 'D'))).toBe(true);
    expect(a.submit(3, svmotionCharges(VSPHERE_5, 'h', ['E'], 'F'))).toBe(false);
  });

  it('lets a later operation that fits start past one that does not (first fit, in arrival order)', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    expect(a.submit(3, sv('h1', 'E', 'F'))).toBe(false); // h1 full
    expect(a.submit(4, sv('h2', 'G', 'H'))).toBe(true); // h2 idle: not held up by 3
    expect(a.release(2)).toEqual([3]);
  });

  it('serves waiting operations in arrival order when several fit', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    a.submit(3, sv('h1', 'E', 'F'));
    a.submit(4, sv('h1', 'G', 'H'));
    expect(a.release(1)).toEqual([3]);
    expect(a.release(2)).toEqual([4]);
  });

  it('charges a datastore once for an svMotion whose disks share it', () => {
    const charges = svmotionCharges(VSPHERE_6_PLUS, 'h', ['A', 'A', 'B'], 'T');
    expect(charges.filter((c) => c.kind === 'datastore').map((c) => c.name).sort()).toEqual(['A', 'B', 'T']);
  });

  it('withdraws a waiting operation', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    a.submit(3, sv('h1', 'E', 'F'));
    expect(a.withdraw(3)).toBe(true);
    expect(a.release(1)).toEqual([]);
  });
});

/** The admission rule stated directly: after every release, scan the whole queue in arrival order. */
class ScanEverything {
  private readonly used = new Map<string, number>();
  private readonly holding = new Map<number, Charge[]>();
  private queue: Array<{ id: number; charges: Charge[] }> = [];
  constructor(private readonly costs: CostProfile) {}
  private key = (c: Charge) => `${c.kind}:${c.name}`;
  private budget = (c: Charge) => (c.kind === 'host' ? this.costs.hostMax : c.kind === 'datastore' ? this.costs.datastoreMax : this.costs.networkMax);
  private fits = (cs: Charge[]) => cs.every((c) => (this.used.get(this.key(c)) ?? 0) + c.cost <= this.budget(c));
  private take(id: number, cs: Charge[]) {
    for (const c of cs) this.used.set(this.key(c), (this.used.get(this.key(c)) ?? 0) + c.cost);
    this.holding.set(id, cs);
  }
  private drain(): number[] {
    const started: number[] = [];
    this.queue = this.queue.filter((p) => {
      if (!this.fits(p.charges)) return true;
      this.take(p.id, p.charges);
      started.push(p.id);
      return false;
    });
    return started;
  }
  submit(id: number, cs: Charge[]): boolean {
    this.queue.push({ id, charges: cs });
    return this.drain().includes(id);
  }
  release(id: number): number[] {
    const cs = this.holding.get(id);
    if (!cs) return [];
    this.holding.delete(id);
    for (const c of cs) this.used.set(this.key(c), this.used.get(this.key(c))! - c.cost);
    return this.drain();
  }
  withdraw(id: number): boolean {
    const n = this.queue.length;
    this.queue = this.queue.filter((p) => p.id !== id);
    return n !== this.queue.length;
  }
}

describe('the admission queue filed by blocking resource', () => {
  it('starts exactly what a scan of the whole queue after every release starts, in the same order', () => {
    // Random streams of svMotions and vMotions over 4 hosts and 6 datastores, with releases and
    // withdrawals, on a profile with a small datastore budget so that every limit binds somewhere.
    const costs: CostProfile = { ...VSPHERE_6_PLUS, datastoreMax: 48 };
    const random = lcg(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const hostNames = ['h1', 'h2', 'h3', 'h4'];
    const dsNames = ['A', 'B', 'C', 'D', 'E', 'F'];
    for (let trial = 0; trial < 20; trial++) {
      const fast = new Admission(costs);
      const slow = new ScanEverything(costs);
      const running: number[] = [];
      const waiting: number[] = [];
      let started = 0;
      for (let id = 1; id <= 400; id++) {
        const charges =
          random() < 0.7
            ? svmotionCharges(costs, pick(hostNames), [pick(dsNames), pick(dsNames)], pick(dsNames))
            : vmotionCharges(costs, pick(hostNames), pick(hostNames), [pick(dsNames)]);
        const a = fast.submit(id, charges);
        expect(slow.submit(id, charges)).toBe(a);
        (a ? running : waiting).push(id);
        const r = random();
        if (r < 0.45 && running.length > 0) {
          const done = running.splice(Math.floor(random() * running.length), 1)[0]!;
          const out = fast.release(done);
          expect(out).toEqual(slow.release(done));
          started += out.length;
          for (const s of out) {
            waiting.splice(waiting.indexOf(s), 1);
            running.push(s);
          }
        } else if (r < 0.5 && waiting.length > 0) {
          const gone = waiting.splice(Math.floor(random() * waiting.length), 1)[0]!;
          expect(fast.withdraw(gone)).toBe(slow.withdraw(gone));
        }
      }
      // The streams did exercise the queue: operations waited, and some were started by releases.
      expect(started).toBeGreaterThan(10);
    }
  });
});
