// DRS guard rails: while a VM is copied, a per-VM DRS override (partially automated: DRS only
// recommends) keeps DRS from moving it, and once the copy ended, succeeded or not, the VM's
// override is put back as it was (removed, when it had none). A stage around the planner (a
// Decider wrapping a Decider): the planner decides the svMotion as always; this stage holds it
// back, changes the overrides of a cluster's VMs in one operation per decision (one
// ReconfigureComputeResource_Task: the VMs about to be copied set, those whose copy ended put
// back), and hands the svMotions over once it succeeded.
//
// An override that cannot be set lets the copies go unguarded (the failure is reported like any
// other); one that cannot be put back is tried again, and a restart finds what is left by reading
// the cluster (app/drs-guards.ts). VMs whose own override already keeps DRS off them are left
// alone. A VM whose copy is tried again before its override was put back keeps it.

import type { MoveItem } from './campaign.js';
import { drsPinned, type DrsVmOverride } from '../domain/estate.js';
import { VM_MOVE } from './operations.js';
import type { Decider, DrsOverrideEntry, DrsOverrideOp, Observation, Operation, SvmotionOp } from './port.js';

/** The override the guard sets on a VM while it is copied: DRS recommends moves, nobody applies them. */
export const GUARD_OVERRIDE: Readonly<DrsVmOverride> = { behavior: 'partiallyAutomated', enabled: true };

/** Attempts at putting a VM's override back before the run leaves it to a restart. */
const RESTORE_ATTEMPTS = 3;

/** A VM under the guard: its cluster, and its override from before the campaign. */
export interface Guarded {
  cluster: string;
  previous: DrsVmOverride | null;
}

const byName = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export class DrsGuard implements Decider {
  /** Each VM's override before the campaign touched it (null: none). */
  private readonly before = new Map<string, DrsVmOverride | null>();
  /** VMs the guard holds an override on now. */
  private readonly guarded = new Map<string, Guarded>();
  /** Override changes in vCenter, with the svMotions waiting for the ones they set. */
  private readonly changing = new Map<number, { op: DrsOverrideOp; held: SvmotionOp[] }>();
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
    let sets: Map<string, { entries: DrsOverrideEntry[]; held: SvmotionOp[] }> | null = null;
    for (const op of this.inner.decide(now)) {
      if (op.kind !== VM_MOVE || drsPinned(this.before.get(op.vm))) {
        out.push(op);
        continue;
      }
      if (this.guarded.has(op.vm) || this.keep(op)) {
        this.moving.set(op.id, op.vm);
        out.push(op);
        continue;
      }
      sets ??= new Map();
      let batch = sets.get(op.cluster);
      if (!batch) sets.set(op.cluster, (batch = { entries: [], held: [] }));
      batch.entries.push({ vm: op.vm, action: 'set', previous: this.before.get(op.vm) ?? null });
      batch.held.push(op);
    }
    const clusters = new Set([...this.owed.keys(), ...(sets?.keys() ?? [])]);
    for (const cluster of [...clusters].sort()) {
      const batch = sets?.get(cluster);
      const entries = [...(this.owed.get(cluster) ?? []), ...(batch?.entries ?? [])];
      this.owed.delete(cluster);
      out.push(this.change(cluster, entries, batch?.held ?? []));
    }
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'vmMoved') {
      this.inner.observe(o);
      return;
    }
    const change = this.changing.get(o.op);
    if (change !== undefined) {
      if (o.type === 'succeeded' || o.type === 'failed') this.changed(change, o.type === 'succeeded');
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
    return this.inner.finished && this.changing.size === 0 && this.owed.size === 0 && this.due.length === 0;
  }

  /** The inner decider's, the override changes in vCenter, and one per cluster owed a change. */
  get inFlight(): number {
    return this.inner.inFlight + this.changing.size + this.owed.size;
  }

  wrapUp(now: number): Operation[] {
    this.stopping = true;
    for (const held of this.due.splice(0)) this.giveUp(held);
    const out = this.inner.wrapUp?.(now) ?? [];
    for (const [cluster, entries] of [...this.owed].sort(byName)) out.push(this.change(cluster, entries, []));
    this.owed.clear();
    return out;
  }

  withdraw(id: number): void {
    this.inner.withdraw?.(id);
  }

  /** VMs whose override the guard holds now. */
  get holding(): ReadonlyMap<string, Guarded> {
    return this.guarded;
  }

  /** A VM copied again before its override was put back keeps it: the restore owed is dropped. */
  private keep(op: SvmotionOp): boolean {
    const owed = this.owed.get(op.cluster);
    const at = owed?.findIndex((e) => e.vm === op.vm) ?? -1;
    if (at < 0) return false;
    const [entry] = owed!.splice(at, 1);
    if (owed!.length === 0) this.owed.delete(op.cluster);
    this.guarded.set(op.vm, { cluster: op.cluster, previous: entry!.previous });
    return true;
  }

  private changed(change: { op: DrsOverrideOp; held: SvmotionOp[] }, ok: boolean): void {
    const { op, held } = change;
    this.changing.delete(op.id);
    for (const e of op.vms) {
      if (e.action === 'set') {
        if (ok) this.guarded.set(e.vm, { cluster: op.cluster, previous: e.previous });
        continue;
      }
      if (ok) {
        this.attempts.delete(e.vm);
        continue;
      }
      const n = (this.attempts.get(e.vm) ?? 0) + 1;
      this.attempts.set(e.vm, n);
      if (n < RESTORE_ATTEMPTS) this.owedIn(op.cluster).push(e);
    }
    for (const h of held) {
      if (this.stopping) this.giveUp(h);
      else {
        if (this.guarded.has(h.vm)) this.moving.set(h.id, h.vm);
        this.due.push(h);
      }
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
    this.owedIn(g.cluster).push({ vm, action: 'restore', previous: g.previous });
  }

  private owedIn(cluster: string): DrsOverrideEntry[] {
    let list = this.owed.get(cluster);
    if (!list) this.owed.set(cluster, (list = []));
    return list;
  }

  private change(cluster: string, vms: DrsOverrideEntry[], held: SvmotionOp[]): DrsOverrideOp {
    const op: DrsOverrideOp = { kind: 'drs-override', id: this.newId(), vm: cluster, cluster, host: '', bytes: 0, vms };
    this.changing.set(op.id, { op, held });
    return op;
  }
}
