// Observed migrations replayed through the simulator: each task handed to the simulated vCenter
// at the moment it was handed to the real one, on the host it ran on, to the datastore it went
// to, with the bytes it moved; the simulated world's models (admission, the fabric shared max-min
// between the copies in flight, setup) with candidate parameters decide when each starts copying
// and ends. Comparing the replayed copy times with the observed ones is what a fit minimises: the
// sharing of links between concurrent copies is the simulator's, not a formula's.
//
// The replay has none of the campaign's chance: no DRS of its own (the moves that happened are in
// the observations), no faults (a failed task copies what it had copied when it failed and stops),
// no rate jitter, no windows, pushed task updates. It decides nothing: the decider below submits
// what was submitted, when it was.

import { drive } from '../../core/loop.js';
import type { Decider, Observation, Operation } from '../../core/port.js';
import type { Estate } from '../../domain/estate.js';
import { DEFAULT_CAMPAIGN, type Scenario } from '../../scenario/scenario.js';
import { SimulatedWorld, WorldLayout } from '../../sim/world.js';
import { copySeconds, epochOf, measuredCopies, type Observations, type ObservedTask } from './observations.js';
import { withParameters, type ModelParameters } from './parameters.js';

/** An operation to hand over at a time, in seconds of the modelled world from the replay's start. */
interface Timed {
  at: number;
  op: Operation;
}

/** Submits the given operations at their times, whatever happens to them. */
export class ReplayDecider implements Decider {
  private next = 0;
  private ended = 0;

  constructor(private readonly timed: readonly Timed[]) {}

  decide(now: number): Operation[] {
    const out: Operation[] = [];
    while (this.next < this.timed.length && this.timed[this.next]!.at <= now) out.push(this.timed[this.next++]!.op);
    return out;
  }

  observe(o: Observation): void {
    if (o.type === 'succeeded' || o.type === 'failed') this.ended++;
  }

  nextWakeUp(): number | null {
    return this.next < this.timed.length ? this.timed[this.next]!.at : null;
  }

  get finished(): boolean {
    return this.next === this.timed.length && this.ended === this.timed.length;
  }

  get inFlight(): number {
    return this.next - this.ended;
  }
}

/** What one replay says of the measured copies, in the order of `Replay.measured`. */
export interface ReplayOutcome {
  /** Simulated copy time of each measured copy (seconds), NaN when it never ended. */
  copySeconds: Float64Array;
  /** Simulated start of copying and end of every replayed task, by its index in the observations. */
  startedAt: Float64Array;
  endedAt: Float64Array;
}

export class Replay {
  /** The successful svMotions with a copy time: what the fit compares. */
  readonly measured: readonly ObservedTask[];
  /** Their observed copy times, seconds of the modelled world. */
  readonly observedSeconds: Float64Array;
  /** Index in the observations' tasks of each measured copy. */
  readonly measuredIndex: Int32Array;
  private readonly timed: Timed[];
  private readonly estate: Estate;
  private readonly base: Scenario;

  /**
   * `scenario` must know every VM, host and datastore of the observations (see match.ts).
   * `failedShare`: for each failed task, the share of its bytes it had copied when it failed.
   */
  constructor(
    scenario: Scenario,
    readonly observations: Observations,
    failedShare: (t: ObservedTask) => number = () => 0.5,
  ) {
    const o = observations;
    const epoch = epochOf(o);
    const seconds = (t: number) => ((t - epoch) / 1000) * o.timeScale;
    // The replay runs the VMs where they ran: each on the host of its first task.
    const hostOf = new Map<string, string>();
    for (const t of o.tasks) if (!hostOf.has(t.vm)) hostOf.set(t.vm, t.host);
    const clusterOf = new Map(scenario.estate.hosts.map((h) => [h.name, h.cluster ?? '']));
    this.estate = { ...scenario.estate, vms: scenario.estate.vms.map((v) => (hostOf.has(v.name) ? { ...v, host: hostOf.get(v.name)! } : v)) };
    this.base = {
      ...scenario,
      estate: this.estate,
      campaign: { ...DEFAULT_CAMPAIGN, calendar: scenario.campaign.calendar, progressIntervalSeconds: scenario.campaign.progressIntervalSeconds },
    };
    this.timed = o.tasks.map((t, i) => {
      const cluster = clusterOf.get(t.host) ?? '';
      const bytes = t.outcome === 'failed' ? t.bytes * Math.min(1, Math.max(0, failedShare(t))) : t.bytes;
      const op: Operation =
        t.kind === 'svmotion'
          ? { kind: 'svmotion', id: i + 1, vm: t.vm, cluster, host: t.host, sourceDatastores: t.sourceDatastores, targetDatastore: t.targetDatastore ?? '', bytes }
          : { kind: 'vmotion', id: i + 1, vm: t.vm, cluster, host: t.host, toHost: t.toHost ?? t.host, bytes };
      return { at: seconds(t.submittedAt), op };
    });
    this.timed.sort((a, b) => a.at - b.at || a.op.id - b.op.id);
    const index = new Map(o.tasks.map((t, i) => [t, i]));
    this.measured = measuredCopies(o);
    this.observedSeconds = Float64Array.from(this.measured, (t) => copySeconds(t, o.timeScale)!);
    this.measuredIndex = Int32Array.from(this.measured, (t) => index.get(t)!);
  }

  /** The arrays the measured copies read from or wrote to, by name. */
  arraysCrossed(): string[] {
    const arrayOf = new Map(this.estate.datastores.map((d) => [d.name, d.array]));
    const out = new Set<string>();
    for (const t of this.measured) {
      for (const ds of [...t.sourceDatastores, t.targetDatastore]) {
        const a = ds === null ? null : arrayOf.get(ds);
        if (a) out.add(a);
      }
    }
    return [...out].sort();
  }

  /** Replays every task under the parameters `p`. */
  run(p: ModelParameters): ReplayOutcome {
    const scenario = withParameters(this.base, p);
    const world = new SimulatedWorld(scenario, this.estate, { seed: 1, recordTimeline: false, reportProgress: false, summaryOnly: true }, new WorldLayout(scenario, this.estate));
    drive(world, new ReplayDecider(this.timed));
    const n = this.observations.tasks.length;
    const startedAt = new Float64Array(n).fill(NaN);
    const endedAt = new Float64Array(n).fill(NaN);
    for (const r of world.runLog) {
      if (r.origin !== 'planner') continue;
      startedAt[r.op.id - 1] = r.startedAt ?? NaN;
      endedAt[r.op.id - 1] = r.finishedAt ?? NaN;
    }
    const copy = Float64Array.from(this.measuredIndex, (i) => endedAt[i]! - startedAt[i]!);
    return { copySeconds: copy, startedAt, endedAt };
  }
}
