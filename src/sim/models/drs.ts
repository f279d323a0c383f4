// A model of DRS during the campaign (fully automated level only: at the other levels DRS moves
// nothing by itself). It does not know CPU demand; it takes the placement it starts from as
// balanced (DRS put the VMs there) and corrects what moves away from it: memory piled onto a host
// by someone else's vMotions is moved back towards where it came from, a few VMs per pass. On top,
// changing demand ("drift") makes it move a random VM now and then; that new placement becomes the
// balance it defends. Its moves are vMotions that take cost slots like any other.
//
// DRS is one Mover: someone other than the campaign who moves VMs while it runs. ScriptedMoves is
// another (moves given in advance: a rehearsal, or the moves a live run saw, replayed).

import type { Estate } from '../../domain/estate.js';
import type { DrsSettings } from '../../scenario/scenario.js';
import { Priority, type Clock } from '../engine.js';
import { pickOne, type Random } from '../random.js';
import type { VmNumbers } from '../vm-numbers.js';

export interface DrsMove {
  vm: string;
  from: string;
  to: string;
}

/**
 * What DRS starts from in an estate, the same for every run of a scenario: hosts by number and by
 * cluster, VMs' memory and power (by VM number), and the memory on each host at the start, which
 * DRS takes as the balance it defends.
 */
export class DrsLayout {
  /** Each VM's memory and whether it is powered on, by VM number. */
  readonly memory: Float64Array;
  readonly poweredOn: Uint8Array;
  /** Hosts by number; each cluster's hosts, by name, as numbers. */
  readonly hostIndex = new Map<string, number>();
  readonly hostNames: string[] = [];
  readonly clusters: Array<{ name: string; hosts: number[] }>;
  /** Each host's cluster by number (-1 outside one). */
  readonly clusterOf: Int32Array;
  readonly load: Float64Array;
  /** The powered-on VMs on each host at the start, by VM number in increasing order (which is name order). */
  readonly on: number[][];

  constructor(
    estate: Estate,
    readonly vms: VmNumbers,
  ) {
    const byCluster = new Map<string, string[]>();
    for (const h of estate.hosts) {
      this.hostIndex.set(h.name, this.hostNames.length);
      this.hostNames.push(h.name);
      if (h.cluster === null) continue;
      const list = byCluster.get(h.cluster) ?? [];
      list.push(h.name);
      byCluster.set(h.cluster, list);
    }
    const n = this.hostNames.length;
    this.load = new Float64Array(n);
    this.on = Array.from({ length: n }, () => []);
    this.clusters = [...byCluster]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, hosts]) => ({ name, hosts: hosts.sort().map((h) => this.hostIndex.get(h)!) }));
    this.clusterOf = new Int32Array(n).fill(-1);
    this.clusters.forEach((c, i) => {
      for (const h of c.hosts) this.clusterOf[h] = i;
    });
    this.memory = new Float64Array(vms.size);
    this.poweredOn = new Uint8Array(vms.size);
    for (const v of estate.vms) {
      const vm = vms.of(v.name);
      this.memory[vm] = v.memoryBytes;
      if (v.powerState !== 'poweredOn' || v.host === null) continue;
      const h = this.hostIndex.get(v.host);
      if (h === undefined) continue;
      this.poweredOn[vm] = 1;
      this.load[h] = this.load[h]! + v.memoryBytes;
      this.on[h]!.push(vm);
    }
    for (const list of this.on) list.sort((a, b) => a - b);
  }
}

export class Drs {
  private readonly memory: Float64Array;
  private readonly poweredOn: Uint8Array;
  private readonly names: readonly string[];
  private readonly hostIndex: ReadonlyMap<string, number>;
  private readonly hostNames: readonly string[];
  private readonly clusters: ReadonlyArray<{ name: string; hosts: number[] }>;
  private readonly clusterOf: Int32Array;
  /**
   * What a pass reads of each cluster (its hosts' loads and balance, the moves under way there)
   * changes: counted per cluster, so that a cluster a pass found balanced, and where nothing
   * changed since, is known balanced without looking at its hosts again.
   */
  private readonly changes: Int32Array;
  /** The count of changes at which each cluster was last found balanced (-1: not since it changed). */
  private readonly balancedAt: Int32Array;
  /** Memory on each host now, and the memory DRS considers balanced for it. */
  private readonly load: Float64Array;
  private readonly baseline: Float64Array;
  /** Moves DRS has started and not seen end, by VM, so that a slow one is not repeated. */
  private readonly pending = new Map<number, { from: number; to: number; mem: number }>();
  /**
   * Powered-on VMs on each host by number (name order), kept as VMs move: a pass looks at a few
   * hosts, not every VM, and finds them in order. A host's list is copied from the layout the first
   * time a VM comes or goes there.
   */
  private readonly vmsOn: Array<number[] | undefined>;
  private readonly initialOn: readonly number[][];
  /** VMs chosen in the pass under way: marked with the pass's number. */
  private readonly chosenIn: Int32Array;
  private pass_ = 0;
  /** A pass's scratch: loads as they will be once the moves under way end, for the hosts it looks at. */
  private readonly passLoad: Float64Array;
  private readonly inPass: Int32Array;
  private passes = 0;

  constructor(
    private readonly settings: DrsSettings,
    layout: DrsLayout,
    private readonly random: Random,
  ) {
    this.memory = layout.memory;
    this.poweredOn = layout.poweredOn;
    this.names = layout.vms.names;
    this.chosenIn = new Int32Array(layout.vms.size).fill(-1);
    this.hostIndex = layout.hostIndex;
    this.hostNames = layout.hostNames;
    this.clusters = layout.clusters;
    this.clusterOf = layout.clusterOf;
    this.changes = new Int32Array(layout.clusters.length);
    this.balancedAt = new Int32Array(layout.clusters.length).fill(-1);
    this.initialOn = layout.on;
    const n = this.hostNames.length;
    this.load = Float64Array.from(layout.load);
    this.baseline = Float64Array.from(layout.load);
    this.passLoad = new Float64Array(n);
    this.inPass = new Int32Array(n).fill(-1);
    this.vmsOn = new Array<number[] | undefined>(n);
  }

  private on(host: number): number[] {
    return (this.vmsOn[host] ??= this.initialOn[host]!.slice());
  }

  /** A VM moved (by anyone); `byDrs` when it was one of DRS's own moves ending. */
  moved(vm: number, from: string, to: string, byDrs: boolean): void {
    if (byDrs) this.settle(vm);
    // A VM the estate does not number is not one DRS balances.
    if (vm >= this.poweredOn.length || this.poweredOn[vm] === 0) return;
    const mem = this.memory[vm]!;
    const f = this.hostIndex.get(from);
    const t = this.hostIndex.get(to);
    if (f !== undefined) {
      this.changed(f);
      this.load[f] = this.load[f]! - mem;
      const list = this.on(f);
      const i = sortedIndex(list, vm);
      if (list[i] === vm) list.splice(i, 1);
    }
    if (t !== undefined) {
      this.changed(t);
      this.load[t] = this.load[t]! + mem;
      const list = this.on(t);
      const i = sortedIndex(list, vm);
      if (list[i] !== vm) list.splice(i, 0, vm);
    }
  }

  /** One of DRS's moves failed: it will think again at the next pass. */
  forget(vm: number): void {
    this.settle(vm);
  }

  /** A move of DRS's own ended, or failed: it no longer counts as under way. */
  private settle(vm: number): void {
    const m = this.pending.get(vm);
    if (m === undefined) return;
    this.pending.delete(vm);
    this.changed(m.from);
    this.changed(m.to);
  }

  private changed(host: number): void {
    const c = this.clusterOf[host]!;
    if (c >= 0) this.changes[c] = this.changes[c]! + 1;
  }

  /** The moves of one DRS invocation, given where VMs are and which are held by other tasks. */
  pass(busy: (vm: number) => boolean, down: ReadonlySet<string>): readonly DrsMove[] {
    let moves: DrsMove[] | null = null;
    /** The moves' VMs and hosts by number: [vm, from, to, …]. */
    let picked: number[] | null = null;
    const pass = this.pass_++;
    const chosenIn = this.chosenIn;
    const names = this.hostNames;
    const pending = this.pending;
    const load = this.passLoad;
    const baseline = this.baseline;
    for (let c = 0; c < this.clusters.length; c++) {
      const cluster = this.clusters[c]!;
      const hosts = down.size === 0 ? cluster.hosts : cluster.hosts.filter((h) => !down.has(names[h]!));
      if (hosts.length < 2) continue;
      // A cluster found balanced, where nothing changed since, is balanced still: no host to look at.
      if (down.size > 0 || this.balancedAt[c] !== this.changes[c]) {
        this.balancedAt[c] = -1;
        // Loads as they will be once the moves already under way end.
        const mark = this.passes++;
        for (const h of hosts) {
          load[h] = this.load[h]!;
          this.inPass[h] = mark;
        }
        if (pending.size > 0) {
          for (const m of pending.values()) {
            if (this.inPass[m.from] === mark) load[m.from] = load[m.from]! - m.mem;
            if (this.inPass[m.to] === mark) load[m.to] = load[m.to]! + m.mem;
          }
        }
        let sum = 0;
        for (const h of hosts) sum += baseline[h]!;
        const meanBase = sum / hosts.length || 1;
        for (let k = 0; k < this.settings.maxMovesPerPass; k++) {
          // The most and the least loaded host against its balance (hosts are in name order: ties
          // go to the first name for the most loaded, the last for the least).
          let from = hosts[0]!;
          let to = from;
          let most = (load[from]! - baseline[from]!) / meanBase;
          let least = most;
          for (let i = 1; i < hosts.length; i++) {
            const h = hosts[i]!;
            // How far the host is above its balance, in shares of the mean.
            const e = (load[h]! - baseline[h]!) / meanBase;
            if (e > most) {
              most = e;
              from = h;
            }
            if (e <= least) {
              least = e;
              to = h;
            }
          }
          if (most - least <= this.settings.imbalanceThreshold) {
            // Balanced with every host up: so it stays until something in the cluster changes.
            if (k === 0 && down.size === 0) this.balancedAt[c] = this.changes[c]!;
            break;
          }
          const candidates = this.movable(from, busy, pass, -1);
          if (candidates === 0) break;
          // As pickOne draws from the list of candidates, without making the list.
          const vm = this.movable(from, busy, pass, Math.min(candidates - 1, Math.floor(this.random() * candidates)));
          chosenIn[vm] = pass;
          (picked ??= []).push(vm, from, to);
          const mem = this.memory[vm]!;
          load[from] = load[from]! - mem;
          load[to] = load[to]! + mem;
          (moves ??= []).push({ vm: this.names[vm]!, from: names[from]!, to: names[to]! });
        }
      }
      // Drawn for every cluster at every pass, so that the stream does not depend on the moves above.
      const drift = this.random() < this.settings.driftProbability;
      const a = pickOne(this.random, hosts);
      const b = pickOne(this.random, hosts);
      const u = this.random();
      if (drift && a !== b) {
        const candidates = this.movable(a, busy, pass, -1);
        if (candidates > 0) {
          const vm = this.movable(a, busy, pass, Math.min(candidates - 1, Math.floor(u * candidates)));
          chosenIn[vm] = pass;
          (picked ??= []).push(vm, a, b);
          const mem = this.memory[vm]!;
          // Demand moved: DRS now wants this VM on b, and defends that placement.
          baseline[a] = baseline[a]! - mem;
          baseline[b] = baseline[b]! + mem;
          this.changes[c] = this.changes[c]! + 1;
          (moves ??= []).push({ vm: this.names[vm]!, from: names[a]!, to: names[b]! });
        }
      }
    }
    if (picked === null) return NO_MOVES;
    for (let i = 0; i < picked.length; i += 3) {
      const from = picked[i + 1]!;
      const to = picked[i + 2]!;
      pending.set(picked[i]!, { from, to, mem: this.memory[picked[i]!]! });
      this.changed(from);
      this.changed(to);
    }
    return moves!;
  }

  /**
   * The VMs DRS may move off `host` now (powered on, held by no task, not already being moved, not
   * chosen in this pass), in name order: with `k` < 0 how many there are, else the `k`-th of them.
   * Counted, then walked again, so that a pass makes no list of them.
   */
  private movable(host: number, busy: (vm: number) => boolean, pass: number, k: number): number {
    const list = this.vmsOn[host] ?? this.initialOn[host]!;
    const pending = this.pending;
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const vm = list[i]!;
      if (busy(vm) || this.chosenIn[vm] === pass || (pending.size > 0 && pending.has(vm))) continue;
      if (n === k) return vm;
      n++;
    }
    return n;
  }
}

const NO_MOVES: readonly DrsMove[] = [];

/** Where `vm` is or would go in the increasing `list`. */
function sortedIndex(list: readonly number[], vm: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < vm) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Someone other than the campaign who moves VMs between hosts while it runs. */
export interface Mover {
  /** Arms its timers; called once, before the campaign's first decision. */
  start(): void;
  /** A VM (by number, vm-numbers.ts) moved (by anyone); `ours` when it was one of this mover's own moves ending. */
  moved(vm: number, from: string, to: string, ours: boolean): void;
  /** One of its own moves of VM `vm` (by number) failed. */
  forget(vm: number): void;
}

/** What a mover needs of the world: whether a VM is held by a task, hosts down, and a way to move. */
export interface MoverContext {
  readonly clock: Clock;
  /** A task holds the VM (by number): it cannot be moved now. */
  busy(vm: number): boolean;
  readonly down: ReadonlySet<string>;
  /** The campaign is over: nothing more to do for it. */
  over(): boolean;
  /** Submits a vMotion of `move.vm` from `move.from` to `move.to`. */
  move(move: DrsMove): void;
}

/** DRS at full automation: a pass every `intervalSeconds` while the campaign runs. */
export class DrsModel implements Mover {
  private readonly drs: Drs;

  constructor(
    private readonly settings: DrsSettings,
    layout: DrsLayout,
    random: Random,
    private readonly ctx: MoverContext,
  ) {
    this.drs = new Drs(settings, layout, random);
  }

  start(): void {
    this.ctx.clock.at(this.settings.intervalSeconds, Priority.periodic, () => this.pass());
  }

  moved(vm: number, from: string, to: string, ours: boolean): void {
    this.drs.moved(vm, from, to, ours);
  }

  forget(vm: number): void {
    this.drs.forget(vm);
  }

  private readonly busy = (vm: number): boolean => this.ctx.busy(vm);

  private pass(): void {
    if (this.ctx.over()) return;
    for (const move of this.drs.pass(this.busy, this.ctx.down)) this.ctx.move(move);
    this.ctx.clock.after(this.settings.intervalSeconds, Priority.periodic, () => this.pass());
  }
}

/** Moves given in advance, each at its time (a rehearsal, or moves read back from a live run). */
export class ScriptedMoves implements Mover {
  constructor(
    private readonly moves: ReadonlyArray<{ at: number; vm: string; to: string }>,
    private readonly ctx: MoverContext,
    private readonly hostOf: (vm: string) => string | undefined,
  ) {}

  start(): void {
    for (const m of this.moves) {
      this.ctx.clock.at(m.at, Priority.periodic, () => {
        const from = this.hostOf(m.vm);
        if (from !== undefined && from !== m.to && !this.ctx.down.has(m.to)) this.ctx.move({ vm: m.vm, from, to: m.to });
      });
    }
  }

  moved(): void {}

  forget(): void {}
}
