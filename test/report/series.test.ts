// The numbers behind the charts, from inputs small enough to work out by hand.

import { describe, expect, it } from 'vitest';
import type { OperationRecord } from '../../src/core/result.js';
import { cumulativeBytes } from '../../src/report/charts/cumulative.js';
import { emptiedSteps } from '../../src/report/charts/datastores.js';
import { ganttHeight, ganttRows, largestCluster } from '../../src/report/charts/gantt.js';
import { inFlight } from '../../src/report/charts/in-flight.js';
import { ecdf, makespanHistogram } from '../../src/report/charts/makespan.js';
import { lightness, PALETTE, seriesStyle } from '../../src/report/charts/style.js';
import { binSteps } from '../../src/report/charts/throughput.js';

function op(over: Partial<OperationRecord>): OperationRecord {
  return {
    vm: 'vm',
    kind: 'svmotion',
    cluster: 'C',
    host: 'h1',
    toHost: null,
    sourceDatastores: ['OLD'],
    targetDatastore: 'NEW',
    bytes: 1,
    submittedAt: 0,
    startedAt: 0,
    finishedAt: 1,
    outcome: 'success',
    ...over,
  };
}

describe('cumulative bytes: the integral of the throughput steps', () => {
  // 0 B/s until 10 s, 100 B/s until 20 s, 50 B/s until the end at 30 s.
  const series: Array<[number, number]> = [
    [0, 0],
    [10, 100],
    [20, 50],
  ];

  it('is exact at every step and at the end', () => {
    expect(cumulativeBytes(series, 30)).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 20, y: 1000 },
      { x: 30, y: 1500 },
    ]);
  });

  it('stops at the end even when the series runs on', () => {
    expect(cumulativeBytes([...series, [40, 7]], 25).at(-1)).toEqual({ x: 25, y: 1250 });
  });

  it('samples a long series at equal times, still on the exact curve', () => {
    // Three samples over 0..30: 0, 15 (0 + 100 × 5 = 500) and 30.
    expect(cumulativeBytes(series, 30, 3)).toEqual([
      { x: 0, y: 0 },
      { x: 15, y: 500 },
      { x: 30, y: 1500 },
    ]);
  });
});

describe('operations in flight', () => {
  const records = [
    op({ vm: 'a', submittedAt: 0, startedAt: 0, finishedAt: 10 }),
    op({ vm: 'b', submittedAt: 0, startedAt: 5, finishedAt: 20 }), // waited 0–5
    op({ vm: 'c', kind: 'vmotion', submittedAt: 2, startedAt: 2, finishedAt: 4 }),
    op({ vm: 'd', submittedAt: 3, startedAt: null, finishedAt: 8, outcome: 'cancelled' }), // never left the queue
    op({ vm: 'e', submittedAt: 0, startedAt: null, finishedAt: null, outcome: 'skipped' }),
  ];

  it('counts copies, waits and vMotions as exact steps', () => {
    const f = inFlight(records, 20);
    expect(f.copying).toEqual([
      [0, 1],
      [5, 2],
      [10, 1],
      [20, 0],
    ]);
    expect(f.waiting).toEqual([
      [0, 1],
      [3, 2],
      [5, 1],
      [8, 0],
      [20, 0],
    ]);
    expect(f.vmotions).toEqual([
      [0, 0],
      [2, 1],
      [4, 0],
      [20, 0],
    ]);
  });

  it('nets out what ends and starts at the same instant', () => {
    const f = inFlight([op({ startedAt: 0, finishedAt: 5 }), op({ submittedAt: 5, startedAt: 5, finishedAt: 9 })], 9);
    expect(f.copying).toEqual([
      [0, 1],
      [9, 0],
    ]);
  });
});

describe('datastores emptied', () => {
  it('steps up once per datastore, two at once when they empty together, never for one never emptied', () => {
    const steps = emptiedSteps(
      {
        datastoresEmptied: [
          { name: 'a', at: 5 },
          { name: 'b', at: 5 },
          { name: 'c', at: 9 },
          { name: 'd', at: null },
        ],
      },
      12,
    );
    expect(steps).toEqual([
      [0, 0],
      [5, 2],
      [9, 3],
      [12, 3],
    ]);
  });
});

describe('timeline bins as steps', () => {
  it('holds each bin’s mean over the bin and closes the last one at the end', () => {
    expect(binSteps([0, 10, 20], [1, 2, 3], 30)).toEqual([
      [0, 1],
      [10, 2],
      [20, 3],
      [30, 3],
    ]);
  });
});

describe('makespan histogram and CDF', () => {
  const h = 3600;

  it('bins every policy alike, in round widths', () => {
    // 5..19 h over ⌈√10⌉ → 5 bins: 2.8 h, rounded up to 3 h; aligned on multiples of 3 h from 3 h.
    const slow = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((x) => x * h);
    const fast = [12, 5, 6, 7, 5, 6, 8, 9, 6, 7].map((x) => x * h);
    const hist = makespanHistogram([slow, fast]);
    expect(hist.edges.map((e) => e / h)).toEqual([3, 6, 9, 12, 15, 18, 21]);
    expect(hist.counts).toEqual([
      [0, 0, 2, 3, 3, 2],
      [2, 6, 1, 1, 0, 0],
    ]);
  });

  it('puts identical makespans in one narrow bin', () => {
    // 2 % of 50 h is 1 h.
    const hist = makespanHistogram([[50 * h, 50 * h, 50 * h]]);
    expect(hist).toEqual({ edges: [50 * h, 51 * h], counts: [[3]] });
  });

  it('bins a narrow spread in round seconds, not in fractions of an hour', () => {
    // 67 500 .. 67 530 s over 5 bins: 6 s, rounded up to 10 s; from 67 500. A value on an edge
    // opens the next bin: 67 530 is in [67 530, 67 540).
    const hist = makespanHistogram([[67_500, 67_512, 67_530, 67_529, 67_509]]);
    expect(hist.edges).toEqual([67_500, 67_510, 67_520, 67_530, 67_540]);
    expect(hist.counts).toEqual([[2, 1, 1, 1]]);
  });

  it('steps the CDF up by 1/n per run, by 2/n for a tie', () => {
    expect(ecdf([3, 1, 2, 2], 0, 5)).toEqual([
      [0, 0],
      [1, 0.25],
      [2, 0.75],
      [3, 1],
      [5, 1],
    ]);
  });
});

describe('Gantt rows', () => {
  it('picks the cluster with most hosts, not most bytes', () => {
    const records = [
      op({ cluster: 'X', host: 'x1', bytes: 1 }),
      op({ cluster: 'X', host: 'x2', bytes: 1 }),
      op({ cluster: 'X', host: 'x3', bytes: 1 }),
      op({ cluster: 'Y', host: 'y1', bytes: 1e12 }),
      op({ cluster: 'Y', host: 'y2', bytes: 1e12 }),
    ];
    expect(largestCluster(records)).toBe('X');
    expect(largestCluster([])).toBeNull();
  });

  it('gives an operation the lowest lane free over its whole span, and orders hosts naturally', () => {
    const rows = ganttRows(
      [
        op({ vm: 'long', host: 'esx10', submittedAt: 0, startedAt: 0, finishedAt: 10 }),
        op({ vm: 'short', host: 'esx10', submittedAt: 0, startedAt: 0, finishedAt: 5 }),
        op({ vm: 'next', host: 'esx10', submittedAt: 5, startedAt: 5, finishedAt: 8 }),
        op({ vm: 'other', host: 'esx9', submittedAt: 0, startedAt: 1, finishedAt: 2 }),
        op({ vm: 'moved', kind: 'vmotion', host: 'esx9', toHost: 'esx11', submittedAt: 0, startedAt: 0, finishedAt: 1 }),
      ],
      'C',
      10,
    );
    expect(rows.map((r) => r.host)).toEqual(['esx9', 'esx10', 'esx11']);
    const esx10 = rows[1]!;
    expect(Object.fromEntries(esx10.ops.map((o) => [o.record.vm, o.lane]))).toEqual({ short: 0, long: 1, next: 0 });
    expect(esx10.lanes).toBe(2);
    expect(rows[2]!.ops).toEqual([]);
  });

  it('grows tall enough for its lanes, in steps of 200 px, never under the standard height', () => {
    expect(ganttHeight(2, 1)).toBe(600);
    // 32 hosts × 2 lanes × 15 px / 0.8 + 170 = 1370 → 1400.
    expect(ganttHeight(32, 2)).toBe(1400);
  });
});

describe('grey-scale palette', () => {
  it('keeps any two colours at least 15 L* apart, neighbours at least 30', () => {
    const l = PALETTE.map(lightness);
    for (let i = 0; i < l.length; i++) {
      for (let j = i + 1; j < l.length; j++) expect(Math.abs(l[i]! - l[j]!)).toBeGreaterThanOrEqual(15);
      expect(Math.abs(l[i]! - l[(i + 1) % l.length]!)).toBeGreaterThanOrEqual(30);
    }
  });

  it('never gives two of the first 25 series the same colour and dash', () => {
    const seen = new Set(Array.from({ length: 25 }, (_, i) => JSON.stringify([seriesStyle(i).colour, seriesStyle(i).dash])));
    expect(seen.size).toBe(25);
  });

  it('measures lightness on the CIE scale', () => {
    expect(lightness('#000000')).toBeCloseTo(0, 5);
    expect(lightness('#ffffff')).toBeCloseTo(100, 5);
    // Mid grey (sRGB 119) is L* ≈ 50.
    expect(lightness('#777777')).toBeCloseTo(50, 0);
  });
});
