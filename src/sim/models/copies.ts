// The copies on the fabric: each svMotion's bytes as one flow over the links of its path (see
// fabric.ts), the rates solved once per instant for every copy that started or ended in it, the
// next copy's end kept on the clock, and the throughput the campaign reaches over time.

import type { Estate } from '../../domain/estate.js';
import type { Fabric } from '../../domain/fabric.js';
import { Priority, type Clock, type ScheduledEvent } from '../engine.js';
import type { Timeline } from '../../core/result.js';
import { Floats } from '../growing.js';
import { HostNumbers } from '../host-numbers.js';
import { TimelineRecorder } from '../timeline.js';
import { FabricLayout, FabricModel, type LinkInfo } from './fabric.js';

/** What the copies' time series for charts are kept by: clusters, and each copy's cluster. */
export interface CopyTimeline {
  clusters: string[];
  /** The index in `clusters` of copy `id`'s cluster. */
  clusterOf(id: number): number | undefined;
}

/**
 * The fabric's links and the path of every copy, for an estate and a fabric: built once, shared by
 * every run. Paths are kept by host, by the set of arrays a VM's datastores are on, and by the
 * target's array, each numbered once: a copy's path is looked up by number, not built.
 */
export class CopyPaths {
  readonly fabric: FabricLayout;
  /**
   * Paths by host number (the estate's hosts' numbers, then further ones for hosts it lacks), then
   * by source-set number × arrays + target-array number.
   */
  private readonly paths: Array<Array<number[] | undefined>> = [];
  private readonly otherHosts = new Map<string, number>();
  /** The fabric's arrays, numbered, and each datastore's array number (-1: on no known array). */
  private readonly arrayNames: string[];
  private readonly arrayNumberOf = new Map<string, number>();
  /**
   * Sets of source arrays, numbered: by their arrays in the order the VM's datastores give them,
   * written as one number (each array number + 1, in base arrays + 1).
   */
  private readonly sourceSets = new Map<number, { n: number; arrays: string[] }>();
  private readonly longSourceSets = new Map<string, { n: number; arrays: string[] }>();
  private readonly enclosureOf: Map<string, string | null>;
  /** Paths of copies to datastores on several arrays (rare), by host, sources and target arrays. */
  private readonly multiTarget = new Map<string, number[]>();

  constructor(
    fabric: Fabric,
    estate: Estate,
    private readonly hosts: HostNumbers = new HostNumbers(estate.hosts.map((h) => h.name)),
  ) {
    this.fabric = new FabricLayout(fabric, estate);
    for (let h = 0; h < hosts.size; h++) this.paths.push([]);
    this.enclosureOf = new Map(estate.hosts.map((h) => [h.name, h.enclosure]));
    this.arrayNames = fabric.arrays.map((a) => a.name);
    const number = new Map(this.arrayNames.map((a, i) => [a, i]));
    for (const d of estate.datastores) this.arrayNumberOf.set(d.name, d.array === null ? -1 : (number.get(d.array) ?? -1));
  }

  /**
   * The path of a copy to several target datastores: the host's links, each source array's
   * front-end out and each target array's front-end in, the whole copy's rate on each (as a copy
   * from several source arrays crosses each of them): an upper bound on what it puts on each target
   * array. Copies whose targets share one array take that array's path.
   */
  pathOfTargets(host: string, sources: readonly string[], targets: readonly string[], vm: string): number[] {
    const arrays = [...new Set(targets.map((t) => this.arrayNumberOf.get(t) ?? -1))];
    if (arrays.length === 1) return this.pathOf(host, sources, targets[0]!, vm);
    if (arrays.includes(-1)) throw new Error(`datastores of ${vm} (${[...sources, ...targets].join(', ')}) are not on a known array`);
    const key = `${host}\u0000${sources.join('\u0000')}\u0001${arrays.sort((a, b) => a - b).join(',')}`;
    let path = this.multiTarget.get(key);
    if (!path) {
      // The single-array path ends with its target array's front-end in: every target array's instead.
      const base = this.pathOf(host, sources, targets[0]!, vm);
      path = [...base.slice(0, -1), ...arrays.map((a) => this.fabric.arrayLink(this.arrayNames[a]!, 1))];
      this.multiTarget.set(key, path);
    }
    return path;
  }

  /** The number paths are kept by for `host`: its estate number, or one given it here. */
  hostNumber(host: string): number {
    const h = this.hosts.of(host);
    if (h >= 0) return h;
    let other = this.otherHosts.get(host);
    if (other === undefined) {
      this.otherHosts.set(host, (other = this.paths.length));
      this.paths.push([]);
    }
    return other;
  }

  /** `h`: the host's number (hostNumber), or -1 to have it looked up. */
  pathOf(host: string, sources: readonly string[], target: string, vm: string, h = -1): number[] {
    if (h < 0) h = this.hostNumber(host);
    const base = this.arrayNames.length + 1;
    let key = 0;
    let seen = 0;
    for (const ds of sources) {
      const a = this.arrayNumberOf.get(ds) ?? -1;
      if (a < 0 || (a < 30 && seen & (1 << a))) continue;
      if (a < 30) seen |= 1 << a;
      key = key * base + a + 1;
    }
    // A VM on more arrays than one number can spell out exactly (dozens) is looked up by name.
    const spelt = key <= Number.MAX_SAFE_INTEGER;
    let from = spelt ? this.sourceSets.get(key) : this.longSourceSets.get(sources.join('\u0000'));
    if (!from) {
      const arrays = [...new Set(sources.map((ds) => this.arrayNumberOf.get(ds) ?? -1).filter((a) => a >= 0))].map((a) => this.arrayNames[a]!);
      from = { n: this.sourceSets.size + this.longSourceSets.size, arrays };
      if (spelt) this.sourceSets.set(key, from);
      else this.longSourceSets.set(sources.join('\u0000'), from);
    }
    const to = this.arrayNumberOf.get(target) ?? -1;
    if (from.arrays.length === 0 || to < 0) {
      throw new Error(`datastores of ${vm} (${[...sources, target].join(', ')}) are not on a known array`);
    }
    const byHost = this.paths[h]!;
    const pathKey = from.n * this.arrayNames.length + to;
    let path = byHost[pathKey];
    if (!path) byHost[pathKey] = path = this.fabric.copyPath(host, this.enclosureOf.get(host) ?? null, from.arrays, this.arrayNames[to]!);
    return path;
  }
}

/** A link carrying this share of its capacity or more is full (max-min sharing fills a bottleneck to within rounding). */
const SATURATED = 0.999;

export class CopyModel {
  readonly fabric: FabricModel;
  /**
   * Aggregate copy throughput as a step function, its times and rates at every change (from [0, 0]),
   * kept in typed arrays that grow: a full run of a large estate has a hundred thousand steps, and
   * a pair of numbers each, made as the run goes, would be garbage collected over and over.
   */
  private readonly seriesTimes = new Floats();
  private readonly seriesRates = new Floats();
  /** The series as pairs, made when read, and again only if steps were added since. */
  private seriesPairs: Array<[number, number]> | null = null;
  private seriesChanged = true;
  peakThroughput = 0;
  peakCopies = 0;
  private dirty = false;
  private event: ScheduledEvent | null = null;
  private readonly recorder: TimelineRecorder | null;
  /** Seconds each link ran at its capacity (full runs only). */
  readonly saturatedSeconds: Float64Array | null;
  /** The links full at the last instant that changed rates (full runs): the first `fullCount`. */
  private readonly fullLinks: Int32Array;
  private fullCount = 0;
  private lastSettle = 0;

  constructor(
    private readonly paths: CopyPaths,
    private readonly clock: Clock,
    /** A copy moved its last byte. */
    private readonly ended: (id: number) => void,
    private readonly timeline: CopyTimeline | null = null,
    /** Keep the throughput's step function and the bytes each link carried (a summary-only run needs neither). */
    private readonly series = true,
    /** The links with this run's capacities, when they differ from the layout's (production load). */
    links?: readonly LinkInfo[],
  ) {
    this.fabric = new FabricModel(paths.fabric, undefined, links, series);
    this.recorder = timeline ? new TimelineRecorder(timeline.clusters, this.fabric.links) : null;
    this.saturatedSeconds = series ? new Float64Array(this.fabric.links.length) : null;
    this.fullLinks = new Int32Array(series ? this.fabric.links.length : 0);
    // The step function starts at [0, 0].
    this.seriesTimes.push(0);
    this.seriesRates.push(0);
  }

  /** Aggregate copy throughput as a step function: [seconds, bytes per second] at every change. */
  get throughputSeries(): Array<[number, number]> {
    if (this.seriesPairs === null || this.seriesChanged) {
      const { seriesTimes: times, seriesRates: rates } = this;
      const pairs = new Array<[number, number]>(times.length);
      for (let i = 0; i < times.length; i++) pairs[i] = [times.data[i]!, rates.data[i]!];
      this.seriesPairs = pairs;
      this.seriesChanged = false;
    }
    return this.seriesPairs;
  }

  /** The time series for charts, binned (when the copies were asked to keep them). */
  timelineOf(end: number, bins: number, busiest: string[]): Timeline | null {
    return this.recorder?.build(end, bins, busiest) ?? null;
  }

  get active(): number {
    return this.fabric.activeFlows;
  }

  /**
   * Starts copy `id` of `bytes` from a VM's legacy datastores to `target` (or each of several),
   * through `host` (number `hostNumber` when the caller knows it), capped at `cap`.
   */
  start(id: number, bytes: number, host: string, sources: readonly string[], target: string | readonly string[], vm: string, cap: number, hostNumber = this.paths.hostNumber(host)): void {
    const path = typeof target === 'string' ? this.paths.pathOf(host, sources, target, vm, hostNumber) : this.paths.pathOfTargets(host, sources, target, vm);
    this.fabric.addFlow(this.clock.now, id, bytes, path, cap);
    this.recorder?.started(id, this.timeline!.clusterOf(id) ?? -1, path);
    this.dirty = true;
  }

  private readonly complete = (): void => {
    this.event = null;
    for (const id of this.fabric.completeDue(this.clock.now)) {
      this.recorder?.ended(id);
      this.ended(id);
    }
    this.dirty = true;
  };

  /** Stops copy `id` before its end (a failure, a host going away). */
  abort(id: number): void {
    this.fabric.removeFlow(this.clock.now, id);
    this.recorder?.ended(id);
    this.dirty = true;
  }

  /**
   * At the end of an instant in which copies started or ended: solves the rates once for all of
   * them, keeps the next end on the clock, and records the throughput.
   */
  settle(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const now = this.clock.now;
    this.clock.cancel(this.event);
    this.event = null;
    const next = this.fabric.nextCompletion(now);
    if (Number.isFinite(next)) this.event = this.clock.at(next, Priority.completion, this.complete);
    if (this.saturatedSeconds) {
      // Rates held since the last instant that changed them: links full then were full until now.
      // A large estate has thousands of links and this runs at every instant: only the links full
      // then are looked at, and the fabric finds those full now without a pass over the others.
      const since = now - this.lastSettle;
      const full = this.fullLinks;
      for (let i = 0; i < this.fullCount; i++) this.saturatedSeconds[full[i]!]! += since;
      this.fullCount = this.fabric.fullLinks(SATURATED, full);
      this.lastSettle = now;
    }
    if (this.timeline && this.recorder) {
      const share = this.fabric.sharedRate();
      if (share !== null) {
        this.recorder.recordShared(now, share);
      } else {
        const perCluster = new Float64Array(this.timeline.clusters.length);
        for (const f of this.fabric.snapshot()) {
          const c = this.timeline.clusterOf(f.id);
          if (c !== undefined) perCluster[c]! += f.rate;
        }
        this.recorder.recordRates(now, perCluster, this.fabric.linkLoads());
      }
    }
    const rate = this.fabric.throughput;
    this.peakThroughput = Math.max(this.peakThroughput, rate);
    this.peakCopies = Math.max(this.peakCopies, this.fabric.activeFlows);
    if (!this.series) return;
    const last = this.seriesTimes.length - 1;
    if (this.seriesTimes.data[last] === now) {
      this.seriesRates.data[last] = rate;
      this.seriesChanged = true;
    } else if (this.seriesRates.data[last] !== rate) {
      this.seriesChanged = true;
      this.seriesTimes.push(now);
      this.seriesRates.push(rate);
    }
  }
}
