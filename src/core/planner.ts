// The planner: every scheduling decision of a campaign, and nothing else.
//
// It is pure in the sense that matters: no clock, no I/O, no randomness. `decide(now)` returns the
// operations to start given everything observed so far; `observe` feeds back what the world did.
// The simulator and the live executor drive the very same object, so a plan simulated is the plan
// run. Per cluster it works like the field campaign's workers: a queue of VMs in policy order and a
// number of svMotions in flight that the policy bounds. In flight means submitted and not ended,
// whether vCenter lets it copy yet or keeps it waiting for resources.

import type { Campaign, MoveItem, SkippedVm, TargetDatastore } from './campaign.js';
import type { Observation, Operation, SvmotionOp, VmotionOp } from './port.js';
import type { Policy } from './policy.js';

type Phase = 'waiting' | 'vmotion' | 'ready' | 'svmotion' | 'done' | 'failed' | 'skipped';

interface VmState {
  item: MoveItem;
  host: string;
  phase: Phase;
  target: TargetDatastore | null;
}

interface ClusterState {
  name: string;
  hosts: string[];
  limit: number;
  queue: VmState[];
  head: number;
  /** VMs whose pro-active vMotion ended: their svMotion goes next, in the slot they already hold. */
  ready: VmState[];
  inFlight: number;
}

export interface PlannerProgress {
  vmsTotal: number;
  vmsDone: number;
  vmsFailed: number;
  vmsSkipped: number;
  vmsInFlight: number;
  bytesTotal: number;
  bytesDone: number;
}

export class Planner {
  private readonly clusters: ClusterState[];
  private readonly vms = new Map<string, VmState>();
  private readonly ops = new Map<number, { op: Operation; vm: VmState }>();
  /** svMotions submitted and not ended per host, plus VMs on their way there to be copied. */
  private readonly hostLoad = new Map<string, number>();
  private readonly skippedVms: SkippedVm[];
  private nextId = 1;
  private bytesDone = 0;

  constructor(
    private readonly campaign: Campaign,
    readonly policy: Policy,
  ) {
    this.skippedVms = [...campaign.blocked];
    const byCluster = new Map<string, VmState[]>();
    for (const item of campaign.items) {
      const state: VmState = { item, host: item.host, phase: 'waiting', target: null };
      this.vms.set(item.vm, state);
      let list = byCluster.get(item.cluster);
      if (!list) byCluster.set(item.cluster, (list = []));
      list.push(state);
    }
    this.clusters = [...campaign.clusters]
      .sort((a, b) => compare(a.name, b.name))
      .map((c) => ({
        name: c.name,
        hosts: [...c.hosts].sort(compare),
        limit: policy.clusterLimit(c.hosts.length),
        queue: (byCluster.get(c.name) ?? []).sort(largestFirst),
        head: 0,
        ready: [],
        inFlight: 0,
      }));
  }

  /** The operations to start now. Calling it again without new observations returns nothing new. */
  decide(_now: number): Operation[] {
    const out: Operation[] = [];
    for (const cluster of this.clusters) {
      for (const vm of cluster.ready.splice(0)) out.push(this.svmotion(vm));
      while (cluster.inFlight < cluster.limit && cluster.head < cluster.queue.length) {
        const vm = cluster.queue[cluster.head++]!;
        const target = this.chooseTarget(vm);
        if (target === null) {
          this.skip(vm, this.noTargetReason(vm));
          continue;
        }
        vm.target = target;
        target.freeBytes -= vm.item.bytes;
        cluster.inFlight++;
        const toHost = this.policy.proactiveVmotion ? this.relief(cluster, vm) : null;
        out.push(toHost === null ? this.svmotion(vm) : this.vmotion(vm, toHost));
      }
    }
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'vmMoved') {
      const vm = this.vms.get(o.vm);
      if (vm && (vm.phase === 'waiting' || vm.phase === 'ready')) vm.host = o.toHost;
      return;
    }
    const entry = this.ops.get(o.op);
    if (!entry) return;
    if (o.type !== 'succeeded' && o.type !== 'failed') return;
    this.ops.delete(o.op);
    const { op, vm } = entry;
    const cluster = this.clusterOf(vm);
    if (op.kind === 'vmotion') {
      this.addLoad(op.toHost, -1);
      if (o.type === 'succeeded') vm.host = op.toHost;
      // Failed or not, the copy goes ahead from wherever the VM is: vCenter queues it if need be.
      vm.phase = 'ready';
      cluster.ready.push(vm);
      return;
    }
    this.addLoad(op.host, -1);
    cluster.inFlight--;
    if (o.type === 'succeeded') {
      vm.phase = 'done';
      this.bytesDone += vm.item.bytes;
    } else {
      vm.phase = 'failed';
      if (vm.target) vm.target.freeBytes += vm.item.bytes;
    }
  }

  /** True when every VM has ended (moved, failed or skipped) and nothing is in flight. */
  get finished(): boolean {
    return this.ops.size === 0 && this.clusters.every((c) => c.head >= c.queue.length && c.ready.length === 0);
  }

  /** VMs that were not attempted, with the reason: blocked in the estate, or no target fits. */
  get skipped(): readonly SkippedVm[] {
    return this.skippedVms;
  }

  progress(): PlannerProgress {
    let done = 0;
    let failed = 0;
    let inFlight = 0;
    let bytesTotal = 0;
    for (const vm of this.vms.values()) {
      bytesTotal += vm.item.bytes;
      if (vm.phase === 'done') done++;
      else if (vm.phase === 'failed') failed++;
      else if (vm.phase === 'vmotion' || vm.phase === 'ready' || vm.phase === 'svmotion') inFlight++;
    }
    return {
      vmsTotal: this.vms.size + this.campaign.blocked.length,
      vmsDone: done,
      vmsFailed: failed,
      vmsSkipped: this.skippedVms.length,
      vmsInFlight: inFlight,
      bytesTotal,
      bytesDone: this.bytesDone,
    };
  }

  private svmotion(vm: VmState): SvmotionOp {
    const op: SvmotionOp = {
      kind: 'svmotion',
      id: this.nextId++,
      vm: vm.item.vm,
      cluster: vm.item.cluster,
      host: vm.host,
      sourceDatastores: vm.item.sourceDatastores,
      targetDatastore: vm.target!.name,
      bytes: vm.item.bytes,
    };
    vm.phase = 'svmotion';
    this.addLoad(vm.host, 1);
    this.ops.set(op.id, { op, vm });
    return op;
  }

  private vmotion(vm: VmState, toHost: string): VmotionOp {
    const op: VmotionOp = {
      kind: 'vmotion',
      id: this.nextId++,
      vm: vm.item.vm,
      cluster: vm.item.cluster,
      host: vm.host,
      toHost,
      bytes: vm.item.memoryBytes,
    };
    vm.phase = 'vmotion';
    // Count the VM on its new host already, so that two VMs are not sent to the same free slot.
    this.addLoad(toHost, 1);
    this.ops.set(op.id, { op, vm });
    return op;
  }

  /**
   * The host to vMotion `vm` to before copying it, or null to copy where it is: only when its host
   * is already at the svMotion limit and another host of the cluster, seeing the VM's datastores,
   * has a free slot (the least loaded, then by name).
   */
  private relief(cluster: ClusterState, vm: VmState): string | null {
    const here = this.load(vm.host);
    if (here < this.policy.hostSvmotionLimit) return null;
    let best: string | null = null;
    let bestLoad = Infinity;
    for (const h of cluster.hosts) {
      if (h === vm.host || !this.sees(h, vm)) continue;
      const l = this.load(h);
      if (l < bestLoad) {
        best = h;
        bestLoad = l;
      }
    }
    return best !== null && bestLoad < this.policy.hostSvmotionLimit ? best : null;
  }

  /** The new datastore with the most free space that keeps the headroom after this copy. */
  private chooseTarget(vm: VmState): TargetDatastore | null {
    let best: TargetDatastore | null = null;
    for (const t of this.campaign.targets) {
      if (t.hosts !== null && !t.hosts.has(vm.host)) continue;
      if (t.freeBytes - vm.item.bytes < this.campaign.headroom * t.capacityBytes) continue;
      if (best === null || t.freeBytes > best.freeBytes || (t.freeBytes === best.freeBytes && t.name < best.name)) best = t;
    }
    return best;
  }

  private noTargetReason(vm: VmState): string {
    const visible = this.campaign.targets.filter((t) => t.hosts === null || t.hosts.has(vm.host));
    if (visible.length === 0) return `no new datastore is mounted on host ${vm.host}`;
    const pct = Math.round(this.campaign.headroom * 100);
    return `no new datastore mounted on host ${vm.host} keeps ${pct} % free after this copy`;
  }

  private sees(host: string, vm: VmState): boolean {
    const t = vm.target;
    return t === null || t.hosts === null || t.hosts.has(host);
  }

  private skip(vm: VmState, reason: string): void {
    vm.phase = 'skipped';
    this.skippedVms.push({
      vm: vm.item.vm,
      cluster: vm.item.cluster,
      host: vm.host,
      bytes: vm.item.bytes,
      sourceDatastores: vm.item.sourceDatastores,
      reason,
    });
  }

  private clusterOf(vm: VmState): ClusterState {
    return this.clusters.find((c) => c.name === vm.item.cluster)!;
  }

  private load(host: string): number {
    return this.hostLoad.get(host) ?? 0;
  }

  private addLoad(host: string, delta: number): void {
    this.hostLoad.set(host, this.load(host) + delta);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function largestFirst(a: VmState, b: VmState): number {
  return b.item.bytes - a.item.bytes || compare(a.item.vm, b.item.vm);
}
