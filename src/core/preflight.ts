// Pre-flight remediation: a VM with snapshots or orphaned redo logs is fixed before its svMotion,
// when the campaign asks for it. A stage around the planner (a Decider wrapping a Decider): the
// planner decides the svMotion as always; this stage holds it back, has the VM's remediation tasks
// run one after the other (each an operation of its own, followed, journaled and simulated like
// any other), and hands the svMotion over once the last one succeeded. The svMotion keeps the slot
// the planner gave it meanwhile, as if it waited in vCenter's queue.
//
// A remediation task that fails ends the held svMotion with the same failure, as the planner sees
// it: retried or given up by the policy's rules, like a failed copy. The steps that succeeded stay
// done; a retry starts with the one that failed.

import type { MoveItem, RemediationRules } from './campaign.js';
import { VM_MOVE } from './operations.js';
import type { Decider, Observation, Operation, RemediationKind, RemediationOp, SvmotionOp } from './port.js';

/** One remediation task a VM needs before its copy. */
export interface RemediationStep {
  kind: RemediationKind;
  /** What it merges. */
  bytes: number;
  /** remove-oldest-snapshot: the chain's length once done. */
  depthAfter?: number;
}

/**
 * The remediation tasks `item` needs under `rules`, in the order they run: snapshots first (all at
 * once, or the oldest one at a time down to the snapshots kept, each merging an equal share of the
 * deltas, as their sizes one by one are not known), then the orphaned redo logs.
 */
export function remediationSteps(item: MoveItem, rules: RemediationRules): RemediationStep[] {
  const s = item.snapshots;
  if (s === undefined) return [];
  const steps: RemediationStep[] = [];
  const policy = rules.snapshots;
  if (s.count > 0 && policy.policy === 'remove-all') steps.push({ kind: 'remove-all-snapshots', bytes: s.deltaBytes });
  if (s.depth > 0 && policy.policy === 'keep-newest') {
    for (let left = s.depth - 1; left >= policy.keep; left--) steps.push({ kind: 'remove-oldest-snapshot', bytes: s.deltaBytes / s.depth, depthAfter: left });
  }
  if (rules.consolidate && s.consolidationNeeded) steps.push({ kind: 'consolidate-disks', bytes: s.orphanBytes ?? 0 });
  return steps;
}

/** The remediation of every VM of a campaign that needs some, by VM. */
export function remediationPlan(items: readonly MoveItem[], rules: RemediationRules): Map<string, RemediationStep[]> {
  const out = new Map<string, RemediationStep[]>();
  for (const item of items) {
    const steps = remediationSteps(item, rules);
    if (steps.length > 0) out.set(item.vm, steps);
  }
  return out;
}

/** Whether `op` is a remediation task (on a VM, before its copy). */
export const isRemediation = (op: { kind: Operation['kind'] }): op is RemediationOp => op.kind === 'remove-all-snapshots' || op.kind === 'remove-oldest-snapshot' || op.kind === 'consolidate-disks';

export class Preflight implements Decider {
  /** Steps each VM still needs, first one first. */
  private readonly steps: Map<string, RemediationStep[]>;
  /** svMotions waiting for their VM's remediation, by VM. */
  private readonly held = new Map<string, SvmotionOp>();
  /** Remediation tasks in flight, by operation id. */
  private readonly running = new Map<number, RemediationOp>();
  /** VMs with a remediation task in flight. */
  private readonly busy = new Set<string>();
  /** Decided here, to hand over at the next decision: the next step, or the svMotion. */
  private readonly due: Operation[] = [];
  private stopping = false;

  constructor(
    private readonly inner: Decider,
    steps: ReadonlyMap<string, readonly RemediationStep[]>,
    private readonly newId: () => number,
  ) {
    this.steps = new Map([...steps].map(([vm, list]) => [vm, [...list]]));
  }

  /**
   * Takes up remediation tasks still running in vCenter after a restart: each VM's remaining steps
   * are those after it.
   */
  resume(inFlight: readonly Operation[]): void {
    for (const op of inFlight) {
      if (!isRemediation(op)) continue;
      this.running.set(op.id, op);
      this.busy.add(op.vm);
      const steps = this.steps.get(op.vm);
      if (steps === undefined) continue;
      // What the running task does is done once it succeeds: drop it and whatever it covers.
      const at = steps.findIndex((s) => s.kind === op.kind && (op.depthAfter === undefined || s.depthAfter === op.depthAfter));
      if (at >= 0) steps.splice(0, at);
    }
  }

  decide(now: number): Operation[] {
    const out = this.due.length > 0 ? this.due.splice(0) : [];
    for (const op of this.inner.decide(now)) {
      if (op.kind !== VM_MOVE || (!this.busy.has(op.vm) && (this.steps.get(op.vm)?.length ?? 0) === 0)) {
        out.push(op);
        continue;
      }
      this.held.set(op.vm, op);
      // A task of an earlier run may still be going: the next step waits for it.
      if (!this.busy.has(op.vm)) out.push(this.step(op));
    }
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'vmMoved') {
      this.inner.observe(o);
      return;
    }
    const op = this.running.get(o.op);
    if (op === undefined) {
      this.inner.observe(o);
      return;
    }
    if (o.type !== 'succeeded' && o.type !== 'failed') return;
    this.running.delete(o.op);
    this.busy.delete(op.vm);
    const held = this.held.get(op.vm);
    if (o.type === 'succeeded') {
      const steps = this.steps.get(op.vm);
      if (steps !== undefined && steps[0]?.kind === op.kind && steps[0].depthAfter === op.depthAfter) steps.shift();
      if (steps !== undefined && steps.length === 0) this.steps.delete(op.vm);
      if (held === undefined) return;
      if (this.stopping) this.giveUp(held);
      else this.due.push(this.steps.has(op.vm) ? this.step(held) : this.release(held));
      return;
    }
    if (held === undefined) return;
    this.held.delete(op.vm);
    if (this.stopping) this.inner.withdraw?.(held.id);
    else this.inner.observe({ type: 'failed', op: held.id, at: o.at, reason: `${op.kind} failed: ${o.reason}`, transient: o.transient });
  }

  nextWakeUp(now: number): number | null {
    return this.inner.nextWakeUp(now);
  }

  get finished(): boolean {
    return this.inner.finished && this.running.size === 0;
  }

  get inFlight(): number {
    return this.inner.inFlight + this.running.size;
  }

  wrapUp(now: number): Operation[] {
    this.stopping = true;
    // What waits for nothing in flight is given up now; the rest when its task ends.
    for (const op of this.due.splice(0)) {
      if (isRemediation(op)) {
        this.running.delete(op.id);
        this.busy.delete(op.vm);
        const held = this.held.get(op.vm);
        if (held !== undefined) this.giveUp(held);
      } else this.inner.withdraw?.(op.id);
    }
    for (const [vm, held] of this.held) if (!this.busy.has(vm)) this.giveUp(held);
    return this.inner.wrapUp?.(now) ?? [];
  }

  withdraw(id: number): void {
    this.inner.withdraw?.(id);
  }

  /** The VM's next remediation task, for its held svMotion. */
  private step(held: SvmotionOp): RemediationOp {
    const step = this.steps.get(held.vm)![0]!;
    const op: RemediationOp = { kind: step.kind, id: this.newId(), vm: held.vm, cluster: held.cluster, host: held.host, bytes: step.bytes };
    if (step.depthAfter !== undefined) op.depthAfter = step.depthAfter;
    this.running.set(op.id, op);
    this.busy.add(held.vm);
    return op;
  }

  private release(held: SvmotionOp): SvmotionOp {
    this.held.delete(held.vm);
    return held;
  }

  private giveUp(held: SvmotionOp): void {
    this.held.delete(held.vm);
    this.inner.withdraw?.(held.id);
  }
}
