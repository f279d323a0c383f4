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

export interface DrsMove {
  vm: string;
  from: string;
  to: string;
}

export class Drs {
  private readonly memory = new Map<string, number>();
  private readonly poweredOn = new Set<string>();
  private readonly clusters: Array<{ name: string; hosts: string[] }>;
  /** Memory on each host now, and the memory DRS considers balanced for it. */
  private readonly load = new Map<string, number>();
  private readonly baseline = new Map<string, number>();
  /** Moves DRS has started and not seen end, by VM, so that a slow one is not repeated. */
  private readonly pending = new Map<string, DrsMove>();
  /** Powered-on VMs on each host, kept as VMs move: a pass looks at a few hosts, not every VM. */
  private readonly vmsOn = new Map<string, Set<string>>();

  constructor(
    private readonly settings: DrsSettings,
    estate: Estate,
    private readonly random: Random,
  ) {
    const byCluster = new Map<string, string[]>();
    for (const h of estate.hosts) {
      this.load.set(h.name, 0);
      if (h.cluster === null) continue;
      const list = byCluster.get(h.cluster) ?? [];
      list.push(h.name);
      byCluster.set(h.cluster, list);
    }
    this.clusters = [...byCluster].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, hosts]) => ({ name, hosts: hosts.sort() }));
    for (const v of estate.vms) {
      this.memory.set(v.name, v.memoryBytes);
      if (v.powerState !== 'poweredOn' || v.host === null) continue;
      this.poweredOn.add(v.name);
      this.load.set(v.host, (this.load.get(v.host) ?? 0) + v.memoryBytes);
      this.on(v.host).add(v.name);
    }
    for (const [h, l] of this.load) this.baseline.set(h, l);
  }

  /** A VM moved (by anyone); `byDrs` when it was one of DRS's own moves ending. */
  moved(vm: string, from: string, to: string, byDrs: boolean): void {
    if (byDrs) this.pending.delete(vm);
    if (!this.poweredOn.has(vm)) return;
    const mem = this.memory.get(vm) ?? 0;
    this.load.set(from, (this.load.get(from) ?? 0) - mem);
    this.load.set(to, (this.load.get(to) ?? 0) + mem);
    this.on(from).delete(vm);
    this.on(to).add(vm);
  }

  private on(host: string): Set<string> {
    let set = this.vmsOn.get(host);
    if (!set) this.vmsOn.set(host, (set = new Set()));
    return set;
  }

  /** One of DRS's moves failed: it will think again at the next pass. */
  forget(vm: string): void {
    this.pending.delete(vm);
  }

  /** The moves of one DRS invocation, given where VMs are and which are held by other tasks. */
  pass(busy: (vm: string) => boolean, down: ReadonlySet<string>): DrsMove[] {
    const moves: DrsMove[] = [];
    const chosen = new Set<string>();
    // VMs DRS may move off a host now: powered on, held by no task, not already being moved.
    const movable = (host: string) => [...this.on(host)].filter((vm) => !busy(vm) && !this.pending.has(vm) && !chosen.has(vm)).sort();
    for (const cluster of this.clusters) {
      const hosts = cluster.hosts.filter((h) => !down.has(h));
      if (hosts.length < 2) continue;
      // Loads as they will be once the moves already under way end.
      const load = new Map(hosts.map((h) => [h, this.load.get(h) ?? 0]));
      for (const m of this.pending.values()) {
        const mem = this.memory.get(m.vm) ?? 0;
        if (load.has(m.from)) load.set(m.from, load.get(m.from)! - mem);
        if (load.has(m.to)) load.set(m.to, load.get(m.to)! + mem);
      }
      const meanBase = hosts.reduce((s, h) => s + (this.baseline.get(h) ?? 0), 0) / hosts.length || 1;
      const excess = (h: string) => (load.get(h)! - (this.baseline.get(h) ?? 0)) / meanBase;
      for (let k = 0; k < this.settings.maxMovesPerPass; k++) {
        const sorted = [...hosts].sort((a, b) => excess(b) - excess(a) || (a < b ? -1 : 1));
        const from = sorted[0]!;
        const to = sorted[sorted.length - 1]!;
        if (excess(from) - excess(to) <= this.settings.imbalanceThreshold) break;
        const candidates = movable(from);
        if (candidates.length === 0) break;
        const vm = pickOne(this.random, candidates);
        chosen.add(vm);
        const mem = this.memory.get(vm) ?? 0;
        load.set(from, load.get(from)! - mem);
        load.set(to, load.get(to)! + mem);
        moves.push({ vm, from, to });
      }
      // Drawn for every cluster at every pass, so that the stream does not depend on the moves above.
      const drift = this.random() < this.settings.driftProbability;
      const a = pickOne(this.random, hosts);
      const b = pickOne(this.random, hosts);
      const u = this.random();
      if (drift && a !== b) {
        const candidates = movable(a);
        if (candidates.length > 0) {
          const vm = candidates[Math.min(candidates.length - 1, Math.floor(u * candidates.length))]!;
          chosen.add(vm);
          const mem = this.memory.get(vm) ?? 0;
          // Demand moved: DRS now wants this VM on b, and defends that placement.
          this.baseline.set(a, (this.baseline.get(a) ?? 0) - mem);
          this.baseline.set(b, (this.baseline.get(b) ?? 0) + mem);
          moves.push({ vm, from: a, to: b });
        }
      }
    }
    for (const m of moves) this.pending.set(m.vm, m);
    return moves;
  }
}

/** Someone other than the campaign who moves VMs between hosts while it runs. */
export interface Mover {
  /** Arms its timers; called once, before the campaign's first decision. */
  start(): void;
  /** A VM moved (by anyone); `ours` when it was one of this mover's own moves ending. */
  moved(vm: string, from: string, to: string, ours: boolean): void;
  /** One of its own moves failed. */
  forget(vm: string): void;
}

/** What a mover needs of the world: whether a VM is held by a task, hosts down, and a way to move. */
export interface MoverContext {
  readonly clock: Clock;
  /** A task holds the VM: it cannot be moved now. */
  busy(vm: string): boolean;
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
    estate: Estate,
    random: Random,
    private readonly ctx: MoverContext,
  ) {
    this.drs = new Drs(settings, estate, random);
  }

  start(): void {
    this.ctx.clock.at(this.settings.intervalSeconds, Priority.periodic, () => this.pass());
  }

  moved(vm: string, from: string, to: string, ours: boolean): void {
    this.drs.moved(vm, from, to, ours);
  }

  forget(vm: string): void {
    this.drs.forget(vm);
  }

  private pass(): void {
    if (this.ctx.over()) return;
    for (const move of this.drs.pass((vm) => this.ctx.busy(vm), this.ctx.down)) this.ctx.move(move);
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
