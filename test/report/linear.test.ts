// The report's data preparation stays linear (or n log n) and stack-safe on huge saved results; each
// fast path is checked against the plain method it replaced.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ganttRows, limitGantt } from '../../src/report/charts/gantt.js';
import { maxOf, minOf, thinSteps } from '../../src/report/extent.js';
import type { OperationRecord } from '../../src/core/result.js';

/** The lane assignment as it was: the lowest lane whose last span ended by this start, by a scan. */
function naiveLanes(spans: Array<{ start: number; end: number }>): number[] {
  const sorted = spans.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start || a.end - b.end);
  const laneEnds: number[] = [];
  const lanes: number[] = [];
  for (const s of sorted) {
    let lane = laneEnds.findIndex((e) => e <= s.start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = s.end;
    lanes.push(lane);
  }
  return lanes;
}

function op(host: string, start: number, end: number, i: number): OperationRecord {
  return { vm: `vm${i}`, kind: 'svmotion', cluster: 'C', host, toHost: null, sourceDatastores: ['A'], targetDatastore: 'B', bytes: 1, submittedAt: start, startedAt: start, finishedAt: end, outcome: 'success' };
}

describe('Gantt lanes', () => {
  it('puts each operation in the same lane as the scan did', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 })), { maxLength: 60 }), (spans) => {
        const records = spans.map(([start, length], i) => op('esx1', start, start + length, i));
        const [row] = ganttRows(records, 'C', 1000);
        const expected = naiveLanes(spans.map(([start, length]) => ({ start, end: start + length })));
        expect(row?.ops.map((o) => o.lane) ?? []).toEqual(expected);
        expect(row?.lanes ?? 0).toBe(expected.length === 0 ? 0 : Math.max(...expected) + 1);
      }),
    );
  });

  it('lays out 200,000 operations on one host without a quadratic pass, and draws at most 3,000', () => {
    const records = Array.from({ length: 200_000 }, (_, i) => op('esx1', i, i + 5, i));
    const rows = ganttRows(records, 'C', 300_000);
    // Each span lasts 5 and one starts every second: 5 lanes, used in turn.
    expect(rows[0]!.lanes).toBe(5);
    expect(rows[0]!.ops[7]!.lane).toBe(2);
    const limited = limitGantt(rows);
    expect(limited).toMatchObject({ shown: 3000, total: 200_000 });
    expect(limited.rows[0]!.ops.length).toBe(3000);
  });
});

describe('extent and thinning', () => {
  it('finds the extremes of half a million values (Math.min(...all) overflows the stack there)', () => {
    const values = Array.from({ length: 500_000 }, (_, i) => 3600 + ((i * 7919) % 1000));
    expect(minOf(values)).toBe(3600);
    expect(maxOf(values)).toBe(4599);
    expect(minOf([], 0)).toBe(0);
  });

  it('thins a step series to its limit, keeping its ends and its peak', () => {
    const series: Array<[number, number]> = Array.from({ length: 100_000 }, (_, i) => [i, i === 54_321 ? 999 : i % 7]);
    const thin = thinSteps(series, 1000);
    expect(thin.length).toBeLessThanOrEqual(1000);
    expect(thin[0]).toEqual([0, 0]);
    expect(thin[thin.length - 1]).toEqual([99_999, 99_999 % 7]);
    expect(maxOf(thin.map(([, v]) => v))).toBe(999);
    expect(thinSteps(series.slice(0, 10), 1000)).toEqual(series.slice(0, 10));
  });
});
