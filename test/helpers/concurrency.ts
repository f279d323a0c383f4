// Independent checks on a result's operation records: how many copies overlapped, per key.

import type { OperationRecord } from '../../src/core/result.js';

/** Greatest number of records whose copying intervals [startedAt, finishedAt) overlap, per key. */
export function peakOverlap(records: OperationRecord[], keys: (r: OperationRecord) => string[]): Map<string, number> {
  const edges = new Map<string, Array<[number, number]>>();
  for (const r of records) {
    if (r.startedAt === null || r.finishedAt === null) continue;
    for (const k of keys(r)) {
      let list = edges.get(k);
      if (!list) edges.set(k, (list = []));
      list.push([r.startedAt, +1], [r.finishedAt, -1]);
    }
  }
  const peaks = new Map<string, number>();
  for (const [k, list] of edges) {
    // Ends before starts at the same instant: a slot freed at t is reusable at t.
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let cur = 0;
    let peak = 0;
    for (const [, d] of list) {
      cur += d;
      peak = Math.max(peak, cur);
    }
    peaks.set(k, peak);
  }
  return peaks;
}

export const maxOf = (m: Map<string, number>) => Math.max(0, ...m.values());
