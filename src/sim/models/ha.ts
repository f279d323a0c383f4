// Hosts that fail during the campaign, and vSphere HA: at a host's failure every operation running
// there (or moving a VM to it) fails, transiently; HA restarts the host's VMs on the other hosts of
// its cluster that are up, each on one drawn from the run's `ha` stream; the host comes back after
// `downSeconds`. A host that fails while already down stays down as it was.

import type { Observation } from '../../core/port.js';
import type { Host } from '../../domain/estate.js';
import type { HostFailure } from '../../scenario/scenario.js';
import { Priority, type Clock } from '../engine.js';
import type { Random } from '../random.js';

export interface HaContext {
  readonly clock: Clock;
  /** Fails every operation running on `host`, or moving a VM to it. */
  abortOn(host: string, reason: string): void;
  /** The VMs on `host`, by name, and moving one elsewhere. */
  vmsOn(host: string): string[];
  restart(vm: string, from: string, to: string): void;
  /** Tells the planner (an update vCenter pushes). */
  push(o: Observation): void;
}

export class HostFailures {
  /** Hosts down now. */
  readonly down = new Set<string>();
  /** Failures so far (a host failing while down does not count). */
  count = 0;
  private readonly clusterOf: Map<string, string | null>;

  constructor(
    private readonly failures: readonly HostFailure[],
    private readonly hosts: readonly Host[],
    private readonly random: Random,
    private readonly ctx: HaContext,
  ) {
    this.clusterOf = new Map(hosts.map((h) => [h.name, h.cluster]));
  }

  start(): void {
    for (const f of this.failures) this.ctx.clock.at(f.atSeconds, Priority.periodic, () => this.fail(f.host, f.downSeconds));
  }

  private fail(host: string, downSeconds: number): void {
    if (this.down.has(host)) return;
    this.count++;
    this.down.add(host);
    this.ctx.abortOn(host, `host ${host} stopped responding`);
    // vSphere HA restarts the host's VMs on the other hosts of its cluster.
    const cluster = this.clusterOf.get(host) ?? null;
    const others = this.hosts.filter((h) => h.cluster === cluster && h.name !== host && !this.down.has(h.name)).map((h) => h.name);
    if (others.length > 0) {
      for (const vm of this.ctx.vmsOn(host)) {
        const to = others[Math.floor(this.random() * others.length)]!;
        this.ctx.restart(vm, host, to);
        this.ctx.push({ type: 'vmMoved', vm, toHost: to, at: this.ctx.clock.now });
      }
    }
    this.ctx.clock.after(downSeconds, Priority.periodic, () => this.down.delete(host));
  }
}
