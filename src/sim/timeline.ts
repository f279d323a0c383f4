// Time series of a run for charts: throughput per cluster and load of the busiest links, as exact
// averages over equal bins (the integral of a piecewise-constant rate over each bin, divided by
// its width), so that the area under a chart is the bytes really moved.
//
// What is kept as the run goes costs what each instant changed, not the estate: which links are
// the busiest is known only at the end, and a large estate has thousands of links and a hundred
// thousand instants (a load per link per instant would be gigabytes). When every copy runs at one
// share (see fabric.ts), an instant is its time and that share, and the copies that started and
// ended since the last are logged with their cluster and path; the loads of the few links charted
// and the clusters' rates are worked out again at the end by replaying that log. A link with k
// copies at share s was loaded with s added k times, copy by copy, and so is the replay: the
// figures are the very sums the run made. Instants whose copies run at different rates (rare on a
// large estate, where one array's ports hold every copy) keep their clusters' rates and the loads
// of the links that carry something.

import type { Timeline } from '../core/result.js';
import { Floats, Ints } from './growing.js';

/** Counts up to this are summed one addition at a time (see addedUp for more). */
const SMALL = 64;

/**
 * `start` + x + x + … (k additions, each rounded, in turn), as a loop of k additions gives it, in
 * O(log k) steps. Between two powers of two the doubles are evenly spaced (u apart), so adding x
 * to a double t in [2^e, 2^(e+1)) gives t + d with the same d for every such t as long as t + x
 * stays below 2^(e+1): d is x rounded to a multiple of u, unless x lies exactly half-way between
 * two (then the rounding to even alternates, and the additions are made one by one). Such runs
 * of equal steps are jumped over; the rest are added one by one.
 */
export function addedUp(start: number, x: number, k: number): number {
  let s = start;
  let left = k;
  while (left > 0) {
    if (s > 0 && x > 0 && s >= x && Number.isFinite(s) && s >= 2 ** -1000) {
      const top = 2 ** (Math.floor(Math.log2(s)) + 1);
      // log2 may round at a power of two: make sure top is the binade's upper end.
      const upper = s >= top ? 2 * top : s < top / 2 ? top / 2 : top;
      const u = upper * 2 ** -53;
      const r = x % u;
      if (r !== u / 2) {
        const d = x - r + (r > u / 2 ? u : 0);
        // Every t = s + i·d with t + x < upper takes the step d; a margin of two steps for the
        // rounding of this count.
        const m = Math.min(left, Math.floor((upper - s - x) / d) - 2);
        if (m > 0) {
          s += m * d;
          left -= m;
          if (left === 0) break;
        }
      }
    }
    s += x;
    left--;
  }
  return s;
}

/** Collects piecewise-constant rates as the run goes, and bins them at the end. */
export class TimelineRecorder {
  /** Each segment's start, its one share (NaN: rates differ), and where its own figures are kept. */
  private readonly starts = new Floats();
  private readonly shares = new Floats();
  /** Of a segment whose rates differ: its clusters' rates from here, its links' loads from…to. */
  private readonly clusterFrom = new Ints();
  private readonly linksFrom = new Ints();
  private readonly linksTo = new Ints();
  private readonly clusterStore = new Floats();
  private readonly linkStore = new Ints();
  private readonly loadStore = new Floats();
  /**
   * Copies started (+1) and ended (-1): before which segment, their cluster (-1: none) and path.
   * A copy's entry is found again by its id when it ends.
   */
  private readonly changeAt = new Ints();
  private readonly changeDelta = new Ints();
  private readonly changeCluster = new Ints();
  private readonly changePath: Array<readonly number[]> = [];
  private readonly running = new Map<number, number>();

  constructor(
    private readonly clusterNames: string[],
    private readonly links: ReadonlyArray<{ id: string; label: string; capacity: number }>,
  ) {}

  /** Copy `id` of cluster number `cluster` (-1: none) started over `path`. */
  started(id: number, cluster: number, path: readonly number[]): void {
    this.running.set(id, this.changeDelta.length);
    this.log(1, cluster, path);
  }

  /** Copy `id` ended or was stopped. */
  ended(id: number): void {
    const at = this.running.get(id);
    if (at === undefined) return;
    this.running.delete(id);
    this.log(-1, this.changeCluster.data[at]!, this.changePath[at]!);
  }

  /** From `now` until the next record, every copy runs at `share`. */
  recordShared(now: number, share: number): void {
    this.segment(now, share);
  }

  /**
   * From `now` until the next record, the clusters run at `clusterRates` and the links carry
   * `linkLoads` (every link, by number).
   */
  recordRates(now: number, clusterRates: Float64Array, linkLoads: Float64Array): void {
    const k = this.segment(now, NaN);
    this.clusterFrom.data[k] = this.clusterStore.length;
    for (const r of clusterRates) this.clusterStore.push(r);
    this.linksFrom.data[k] = this.linkStore.length;
    for (let l = 0; l < linkLoads.length; l++) {
      if (linkLoads[l] === 0) continue;
      this.linkStore.push(l);
      this.loadStore.push(linkLoads[l]!);
    }
    this.linksTo.data[k] = this.linkStore.length;
  }

  build(end: number, bins: number, busiestLinks: string[]): Timeline {
    const binSeconds = end > 0 ? end / bins : 1;
    const times = Array.from({ length: bins }, (_, i) => i * binSeconds);
    const linkIndex = busiestLinks.map((id) => this.links.findIndex((l) => l.id === id)).filter((i) => i >= 0);
    const clusters = this.clusterNames.length;
    const clusterBytes = this.clusterNames.map(() => new Float64Array(bins));
    const linkBytes = linkIndex.map(() => new Float64Array(bins));
    // The replay: copies running in each cluster and on each charted link, the segment's figures.
    const charted = new Map(linkIndex.map((l, j) => [l, j]));
    const inCluster = new Int32Array(clusters);
    const onLink = new Int32Array(linkIndex.length);
    const clusterRates = new Float64Array(clusters);
    const linkLoads = new Float64Array(linkIndex.length);
    /** sums[k]: the segment's share added k times, in turn, for the small counts (clusters, hosts). */
    const sums = new Float64Array(SMALL + 1);
    const sumOf = (count: number, share: number): number => (count <= SMALL ? sums[count]! : addedUp(sums[SMALL]!, share, count - SMALL));
    let change = 0;
    const segments = this.starts.length;
    for (let k = 0; k < segments; k++) {
      for (; change < this.changeAt.length && this.changeAt.data[change]! <= k; change++) {
        const delta = this.changeDelta.data[change]!;
        const c = this.changeCluster.data[change]!;
        if (c >= 0) inCluster[c]! += delta;
        for (const l of this.changePath[change]!) {
          const j = charted.get(l);
          if (j !== undefined) onLink[j]! += delta;
        }
      }
      const share = this.shares.data[k]!;
      if (Number.isNaN(share)) {
        clusterRates.set(this.clusterStore.data.subarray(this.clusterFrom.data[k]!, this.clusterFrom.data[k]! + clusters));
        linkLoads.fill(0);
        for (let i = this.linksFrom.data[k]!; i < this.linksTo.data[k]!; i++) {
          const j = charted.get(this.linkStore.data[i]!);
          if (j !== undefined) linkLoads[j] = this.loadStore.data[i]!;
        }
      } else {
        let most = 0;
        for (let c = 0; c < clusters; c++) most = Math.max(most, inCluster[c]!);
        for (let j = 0; j < onLink.length; j++) most = Math.max(most, onLink[j]!);
        most = Math.min(most, SMALL);
        for (let i = 1; i <= most; i++) sums[i] = sums[i - 1]! + share;
        for (let c = 0; c < clusters; c++) clusterRates[c] = sumOf(inCluster[c]!, share);
        for (let j = 0; j < onLink.length; j++) linkLoads[j] = sumOf(onLink[j]!, share);
      }
      const segEnd = Math.min(end, k + 1 < segments ? this.starts.data[k + 1]! : end);
      // Spread the segment over the bins it covers, in proportion to the overlap.
      let t = this.starts.data[k]!;
      let bin = Math.min(bins - 1, Math.floor(t / binSeconds));
      while (t < segEnd) {
        const upTo = bin >= bins - 1 ? segEnd : Math.min(segEnd, (bin + 1) * binSeconds);
        if (upTo > t) {
          const dt = upTo - t;
          for (let c = 0; c < clusters; c++) clusterBytes[c]![bin]! += clusterRates[c]! * dt;
          for (let j = 0; j < linkLoads.length; j++) linkBytes[j]![bin]! += linkLoads[j]! * dt;
          t = upTo;
        }
        bin = Math.min(bins - 1, bin + 1);
      }
    }
    return {
      binSeconds,
      times,
      clusters: this.clusterNames.map((name, c) => ({ name, bytesPerSecond: [...clusterBytes[c]!].map((b) => b / binSeconds) })),
      links: linkIndex.map((l, j) => {
        const link = this.links[l]!;
        return { ...link, utilisation: [...linkBytes[j]!].map((b) => (link.capacity > 0 ? b / binSeconds / link.capacity : 0)) };
      }),
    };
  }

  /** A new segment at `now`, or the last one again when it starts at `now` too; its number. */
  private segment(now: number, share: number): number {
    let k = this.starts.length - 1;
    if (k >= 0 && this.starts.data[k] === now) {
      // The instant's figures replace those recorded earlier in it, and the copies that started
      // or ended in between come before it.
      if (Number.isNaN(this.shares.data[k]!)) {
        this.clusterStore.length = this.clusterFrom.data[k]!;
        this.linkStore.length = this.linksFrom.data[k]!;
        this.loadStore.length = this.linksFrom.data[k]!;
      }
      for (let i = this.changeAt.length - 1; i >= 0 && this.changeAt.data[i] === k + 1; i--) this.changeAt.data[i] = k;
      this.shares.data[k] = share;
      return k;
    }
    k = this.starts.length;
    this.starts.push(now);
    this.shares.push(share);
    this.clusterFrom.push(-1);
    this.linksFrom.push(0);
    this.linksTo.push(0);
    return k;
  }

  private log(delta: number, cluster: number, path: readonly number[]): void {
    this.changeAt.push(this.starts.length);
    this.changeDelta.push(delta);
    this.changeCluster.push(cluster);
    this.changePath.push(path);
  }
}
