// Time series of a run for charts: throughput per cluster and load of the busiest links, as exact
// averages over equal bins (the integral of a piecewise-constant rate over each bin, divided by
// its width), so that the area under a chart is the bytes really moved.

import type { Timeline } from '../core/result.js';

interface Segment {
  start: number;
  clusterRates: Float64Array;
  linkLoads: Float64Array;
}

/** Collects piecewise-constant rates as the run goes, and bins them at the end. */
export class TimelineRecorder {
  private readonly segments: Segment[] = [];

  constructor(
    private readonly clusterNames: string[],
    private readonly links: ReadonlyArray<{ id: string; label: string; capacity: number }>,
  ) {}

  /** Rates hold from `now` until the next record. */
  record(now: number, clusterRates: Float64Array, linkLoads: Float64Array): void {
    const last = this.segments[this.segments.length - 1];
    if (last && last.start === now) {
      last.clusterRates = clusterRates;
      last.linkLoads = linkLoads;
    } else {
      this.segments.push({ start: now, clusterRates, linkLoads });
    }
  }

  build(end: number, bins: number, busiestLinks: string[]): Timeline {
    const binSeconds = end > 0 ? end / bins : 1;
    const times = Array.from({ length: bins }, (_, i) => i * binSeconds);
    const linkIndex = busiestLinks.map((id) => this.links.findIndex((l) => l.id === id)).filter((i) => i >= 0);
    const clusterBytes = this.clusterNames.map(() => new Float64Array(bins));
    const linkBytes = linkIndex.map(() => new Float64Array(bins));
    this.segments.forEach((seg, k) => {
      const segEnd = Math.min(end, this.segments[k + 1]?.start ?? end);
      // Spread the segment over the bins it covers, in proportion to the overlap.
      let t = seg.start;
      let bin = Math.min(bins - 1, Math.floor(t / binSeconds));
      while (t < segEnd) {
        const upTo = bin >= bins - 1 ? segEnd : Math.min(segEnd, (bin + 1) * binSeconds);
        if (upTo > t) {
          const dt = upTo - t;
          seg.clusterRates.forEach((r, c) => (clusterBytes[c]![bin]! += r * dt));
          linkIndex.forEach((l, j) => (linkBytes[j]![bin]! += seg.linkLoads[l]! * dt));
          t = upTo;
        }
        bin = Math.min(bins - 1, bin + 1);
      }
    });
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
}
