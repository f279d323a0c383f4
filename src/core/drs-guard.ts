// DRS guard rails: while a VM is copied, a per-VM DRS override (partially automated: DRS only
// recommends) keeps DRS from moving it, and once the copy ended, succeeded or not, the VM's
// override is put back as it was (removed, when it had none). A stage around the planner (a
// Decider wrapping a Decider): the planner decides the svMotion as always; this stage holds it
// back, sets the override of every VM decided at once in a cluster with one operation (one
// ReconfigureComputeResource_Task), hands the svMotions over once it succeeded, and puts the
// overrides of the copies that ended back in one operation per cluster.
//
// An override that cannot be set lets the copies go unguarded (the failure is reported like any
// other); one that cannot be put back is tried again, and a restart finds what is left by reading
// the cluster (app/drs-guards.ts). VMs whose own override already keeps DRS off them are left alone.

import type { MoveItem } from './campaign.js';
import { drsPinned, type DrsVmOverride } from '../domain/estate.js';
import { VM_MOVE } from './operations.js';
import type { Decider, DrsOverrideEntry, DrsOverrideOp, Observation, Operation, SvmotionOp } from './port.js';

/** Attempts at putting a VM's override back before the run leaves it to a restart. */
const RESTORE_ATTEMPTS = 3;

/** A VM under the guard: its cluster, and its override from before the campaign. */
export interface Guarded {
  cluster: string;
  previous: DrsVmOverride | null;
}

export class DrsGuard implements Decider {
  /** Each VM's override before the campaign touched it (null: none). */
  private readonly before = new Map<string, DrsVmOverride | null>();
  /** VMs the guard holds an override on now. */
  private readonly guarded = new Map<string, Guarded>();
  /** Overrides being set, and the svMotions waiting for them. */
  private readonly setting = new Map<number, { op: DrsOverrideOp; held: SvmotionOp[] }>();
  private readonly restoring = new Map<number, DrsOverrideOp>();
  /** svMotions of guarded VMs in vCenter, by operation id. */
  private readonly moving = new Map<number, string>();
  /** Overrides to put back, by cluster. */
  private readonly owed = new Map<string, DrsOverrideEntry[]>();
  private readonly attempts = new Map<string, number>();
  /** svMotions whose override is set, to hand over at the next decision. */
  private readonly due: SvmotionOp[] = [];
  private stopping = false;

  constructor(
    private readonly inner: Decider,
    items: readonly MoveItem[],
    private readonly newId: () => number,
  ) {
    for (const i of items) this.before.set(i.vm, i.drsOverride ?? null);
  }

  /**
   * Takes up a restart: VMs whose override a run before this one set and whose copy still runs
   * (to put back once it ends), with the operations in flight.
   */
  resume(guarded: ReadonlyMap<string, Guarded>, inFlight: readonly Operation[]): void {
    for (const [vm, g] of guarded) {
      this.guarded.set(vm, g);
      this.before.set(vm, g.previous);
    }
    for (const op of inFlight) if (op.kind === VM_MOVE && this.guarded.has(op.vm)) this.moving.set(op.id, op.vm);
  }

  decide(now: number): Operation[] {
    const out: Operation[] = this.due.length > 0 ? this.due.splice(0) : [];
    let batches: Map<string, SvmotionOp[]> | null = null;
    for (const op of this.inner.decide(now)) {
      if (op.kind !== VM_MOVE || drsPinned(this.before.get(op.vm))) {
        out.push(op);
        continue;
      }
      if (this.guarded.has(op.vm)) {
        this.moving.set(op.id, op.vm);
        out.push(op);
        continue;
      }
      batches ??= new Map();
      const list = batches.get(op.cluster);
      if (list) list.push(op);
      else batches.set(op.cluster, [op]);
    }
    for (const [cluster, held] of [...(batches ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const op = this.override(cluster, 'set', held.map((h) => ({ vm: h.vm, previous: this.before.get(h.vm) ?? null })));
      this.setting.set(op.id, { op, held });
      out.push(op);
    }
    for (const op of this.restores()) out.push(op);
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'vmMoved') {
      this.inner.observe(o);
      return;
    }
    const set = this.setting.get(o.op);
    if (set !== undefined) {
      if (o.type === 'succeeded' || o.type === 'failed') this.setEnded(set, o.type === 'succeeded');
      return;
    }
    const restore = this.restoring.get(o.op);
    if (restore !== undefined) {
      if (o.type === 'succeeded' || o.type === 'failed') this.restoreEnded(restore, o.type === 'succeeded');
      return;
    }
    this.inner.observe(o);
    if (o.type !== 'succeeded' && o.type !== 'failed') return;
    const vm = this.moving.get(o.op);
    if (vm === undefined) return;
    this.moving.delete(o.op);
    this.owe(vm);
  }

  nextWakeUp(now: number): number | null {
    return this.inner.nextWakeUp(now);
  }

  get finished(): boolean {
    return this.inner.finished && this.setting.size === 0 && this.restoring.size === 0 && this.owed.size === 0 && this.due.length === 0;
  }

  /** The inner decider's, the overrides being set or put back, and one per cluster owed a restore. */
  get inFlight(): number {
    return this.inner.inFlight + this.setting.size + this.restoring.size + this.owed.size;
  }

  wrapUp(now: number): Operation[] {
    this.stopping = true;
    for (const held of this.due.splice(0)) this.giveUp(held);
    const inner = this.inner.wrapUp?.(now) ?? [];
    return [...inner, ...this.restores()];
  }

  withdraw(id: number): void {
    this.inner.withdraw?.(id);
  }

  /** VMs whose override the guard holds now (what a stopped run leaves for its restart). */
  get holding(): ReadonlyMap<string, Guarded> {
    return this.guarded;
  }

  private setEnded(set: { op: DrsOverrideOp; held: SvmotionOp[] }, ok: boolean): void {
    this.setting.delete(set.op.id);
    if (ok) for (const e of set.op.vms) this.guarded.set(e.vm, { cluster: set.op.cluster, previous: e.previous });
    for (const held of set.held) {
      if (this.stopping) this.giveUp(held);
      else {
        if (this.guarded.has(held.vm)) this.moving.set(held.id, held.vm);
        this.due.push(held);
      }
    }
  }

  private restoreEnded(op: DrsOverrideOp, ok: boolean): void {
    this.restoring.delete(op.id);
    for (const e of op.vms) {
      if (ok) {
        this.attempts.delete(e.vm);
        continue;
      }
      const n = (this.attempts.get(e.vm) ?? 0) + 1;
      this.attempts.set(e.vm, n);
      if (n < RESTORE_ATTEMPTS) this.owedIn(op.cluster).push(e);
    }
  }

  /** A held svMotion that will not go: forgotten by the planner, and its VM's override put back. */
  private giveUp(held: SvmotionOp): void {
    this.inner.withdraw?.(held.id);
    if (this.guarded.has(held.vm)) this.owe(held.vm);
  }

  private owe(vm: string): void {
    const g = this.guarded.get(vm);
    if (g === undefined) return;
    this.guarded.delete(vm);
    this.owedIn(g.cluster).push({ vm, previous: g.previous });
  }

  private owedIn(cluster: string): DrsOverrideEntry[] {
    let list = this.owed.get(cluster);
    if (!list) this.owed.set(cluster, (list = []));
    return list;
  }

  /** One operation per cluster putting back the overrides owed, clusters by name. */
  private restores(): DrsOverrideOp[] {
    if (this.owed.size === 0) return [];
    const out: DrsOverrideOp[] = [];
    for (const [cluster, vms] of [...this.owed].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const op = this.override(cluster, 'restore', vms);
      this.restoring.set(op.id, op);
      out.push(op);
    }
    this.owed.clear();
    return out;
  }

  private override(cluster: string, action: 'set' | 'restore', vms: DrsOverrideEntry[]): DrsOverrideOp {
    return { kind: 'drs-override', id: this.newId(), vm: cluster, cluster, host: '', bytes: 0, action, vms };
  }
}
