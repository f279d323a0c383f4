// Where a campaign stands, for people: a read-model beside the planner, fed by the loop with the
// same decisions and observations the planner gets, and by the planner's verdicts on VMs (moved,
// retrying, given up, skipped), which only it can give. Counts are kept as events arrive, so a
// view costs nothing per VM however often it is drawn. It decides nothing.

import type { Campaign } from './campaign.js';
import type { LoopListener } from './loop.js';
import { OPERATIONS } from './operations.js';
import type { Observation, Operation } from './port.js';

/** The planner's word on what became of a VM. */
export interface Verdict {
  vm: string;
  state: 'moved' | 'retrying' | 'failed' | 'skipped';
}

export interface ClusterProgress {
  name: string;
  done: number;
  /** VMs with an operation in flight that vCenter is running. */
  running: number;
  /** VMs whose operation waits in vCenter's queue. */
  queued: number;
  failed: number;
  /** VMs still to start (a retry waiting out its back-off included). */
  left: number;
  bytesDone: number;
}

export interface ProgressTotals {
  vmsTotal: number;
  vmsDone: number;
  vmsFailed: number;
  vmsSkipped: number;
  vmsInFlight: number;
  vmsLeft: number;
  bytesTotal: number;
  bytesDone: number;
}

type VmState = 'left' | 'inFlight' | 'done' | 'failed' | 'skipped';

interface OpEntry {
  op: Operation;
  vm: number;
  queued: boolean;
  fraction: number;
}

/** What a progress read-model takes up after a restart (see Planner.resume). */
export interface ProgressResume {
  done: readonly string[];
  failed: ReadonlyArray<{ vm: string }>;
  inFlight: readonly Operation[];
}

export class CampaignProgress implements LoopListener {
  private readonly names: string[];
  private readonly bytes: number[];
  private readonly clusterOf: number[];
  private readonly state: VmState[];
  private readonly index = new Map<string, number>();
  private readonly ops = new Map<number, OpEntry>();
  /** The operation each VM has in flight (one at a time: a vMotion, then its svMotion). */
  private readonly opOf: Array<OpEntry | undefined>;
  private readonly perCluster: ClusterProgress[];
  private readonly blocked: number;
  private skippedCount = 0;
  private bytesDone = 0;
  readonly bytesTotal: number;

  constructor(campaign: Pick<Campaign, 'clusters' | 'items' | 'blocked'>) {
    const clusters = [...campaign.clusters].map((c) => c.name).sort();
    const clusterIndex = new Map(clusters.map((c, i) => [c, i]));
    this.perCluster = clusters.map((name) => ({ name, done: 0, running: 0, queued: 0, failed: 0, left: 0, bytesDone: 0 }));
    this.names = campaign.items.map((i) => i.vm);
    this.bytes = campaign.items.map((i) => i.bytes);
    this.clusterOf = campaign.items.map((i) => clusterIndex.get(i.cluster) ?? -1);
    this.state = campaign.items.map(() => 'left');
    this.opOf = campaign.items.map(() => undefined);
    campaign.items.forEach((i, k) => {
      this.index.set(i.vm, k);
      const c = this.perCluster[this.clusterOf[k]!];
      if (c) c.left++;
    });
    this.bytesTotal = this.bytes.reduce((a, b) => a + b, 0);
    this.blocked = campaign.blocked.length;
  }

  /** Takes up a campaign that already ran in part: VMs moved, given up on, operations still running. */
  resume(r: ProgressResume): void {
    for (const vm of r.done) this.set(vm, 'done');
    for (const f of r.failed) this.set(f.vm, 'failed');
    for (const op of r.inFlight) this.decided(op);
  }

  decided(op: Operation): void {
    // A cluster's task (a DRS override) is no VM's.
    if (OPERATIONS[op.kind].subject !== 'vm') return;
    const k = this.index.get(op.vm);
    if (k === undefined) return;
    const e: OpEntry = { op, vm: k, queued: false, fraction: 0 };
    this.ops.set(op.id, e);
    this.opOf[k] = e;
    if (this.state[k] === 'left') this.move(k, 'inFlight');
  }

  observed(o: Observation): void {
    if (o.type === 'vmMoved') return;
    const e = this.ops.get(o.op);
    if (!e) return;
    const c = this.perCluster[this.clusterOf[e.vm]!];
    switch (o.type) {
      case 'queued':
      case 'started': {
        const queued = o.type === 'queued';
        if (e.queued !== queued && c && this.state[e.vm] === 'inFlight') {
          c.queued += queued ? 1 : -1;
          c.running += queued ? -1 : 1;
        }
        e.queued = queued;
        return;
      }
      case 'progress':
        e.fraction = Math.max(e.fraction, Math.min(1, o.fraction));
        return;
      case 'succeeded':
      case 'failed':
        this.unqueue(e);
        this.ops.delete(o.op);
        if (this.opOf[e.vm] === e) this.opOf[e.vm] = undefined;
    }
  }

  verdict(v: Verdict): void {
    const k = this.index.get(v.vm);
    if (k === undefined) return;
    if (v.state === 'moved') this.move(k, 'done');
    else if (v.state === 'failed') this.move(k, 'failed');
    else if (v.state === 'retrying') this.move(k, 'left');
    else this.move(k, 'skipped');
  }

  clusters(): ClusterProgress[] {
    return this.perCluster.map((c) => ({ ...c }));
  }

  totals(): ProgressTotals {
    let done = 0;
    let failed = 0;
    let inFlight = 0;
    let left = 0;
    for (const c of this.perCluster) {
      done += c.done;
      failed += c.failed;
      inFlight += c.running + c.queued;
      left += c.left;
    }
    return {
      vmsTotal: this.names.length + this.blocked,
      vmsDone: done,
      vmsFailed: failed,
      vmsSkipped: this.skippedCount + this.blocked,
      vmsInFlight: inFlight,
      vmsLeft: left,
      bytesTotal: this.bytesTotal,
      bytesDone: this.bytesDone,
    };
  }

  /** Every VM not ended, with the share of its bytes still to copy (what an ETA simulates). */
  remainingWork(): Map<string, number> {
    const out = new Map<string, number>();
    this.state.forEach((s, k) => {
      if (s === 'left' || s === 'inFlight') out.set(this.names[k]!, 1);
    });
    for (const e of this.ops.values()) if (OPERATIONS[e.op.kind].movesStorage && this.state[e.vm] === 'inFlight') out.set(this.names[e.vm]!, 1 - e.fraction);
    return out;
  }

  private set(vm: string, state: VmState): void {
    const k = this.index.get(vm);
    if (k !== undefined) this.move(k, state);
  }

  private unqueue(e: OpEntry): void {
    if (!e.queued) return;
    e.queued = false;
    const c = this.perCluster[this.clusterOf[e.vm]!];
    if (c && this.state[e.vm] === 'inFlight') {
      c.queued--;
      c.running++;
    }
  }

  private move(k: number, to: VmState): void {
    const from = this.state[k]!;
    if (from === to) return;
    const c = this.perCluster[this.clusterOf[k]!];
    const e = this.opOf[k];
    if (from === 'inFlight' && e) this.unqueue(e);
    if (c) {
      if (from === 'left') c.left--;
      else if (from === 'inFlight') c.running--;
      else if (from === 'done') {
        c.done--;
        c.bytesDone -= this.bytes[k]!;
      } else if (from === 'failed') c.failed--;
      if (to === 'left') c.left++;
      else if (to === 'inFlight') c.running++;
      else if (to === 'done') {
        c.done++;
        c.bytesDone += this.bytes[k]!;
      } else if (to === 'failed') c.failed++;
    }
    if (from === 'done') this.bytesDone -= this.bytes[k]!;
    if (to === 'done') this.bytesDone += this.bytes[k]!;
    if (from === 'skipped') this.skippedCount--;
    if (to === 'skipped') this.skippedCount++;
    this.state[k] = to;
  }
}
