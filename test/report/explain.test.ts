// What bound a run, the long poles and the schedule by window, on runs small enough to work out by
// hand (fixtures.ts for the lab; each case below says how).

import { describe, expect, it } from 'vitest';
import { bottleneck, explainRun, idleWindows, longPoles } from '../../src/report/explain.js';
import { scheduleCsv, scheduleOf, scheduleRows } from '../../src/report/schedule.js';
import { formatBytes } from '../../src/domain/units.js';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { simulate } from '../../src/sim/simulate.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { GB, labResult, labScenario } from './fixtures.js';

const H = 3600;

describe('what bound a run', () => {
  it('the lab: no link full, no long pole; the policy’s two copies per cluster bound it', () => {
    const r = labResult();
    // Copies still running in the last tenth (after 9900 s): big200 9000–11000, big100 9000–10000.
    expect(longPoles(r).map((p) => [p.vm, p.startedAt, p.finishedAt, p.seconds])).toEqual([
      ['big200', 9000, 11_000, 2000],
      ['big100', 9000, 10_000, 1000],
    ]);
    expect(longPoles(r)[0]!.share).toBeCloseTo(2000 / 11_000, 9);
    // Every link carries far less than its 1 TB/s: none was ever full.
    expect(bottleneck(r)!.seconds).toBe(0);
    const [sentence, ...more] = explainRun(r);
    expect(more).toEqual([]);
    // Four copies at once from 0 to 500 s (two per cluster).
    expect(sentence).toMatch(/^The policy's concurrency bound it: at most 4 copies ran at once, and no link was ever full \(the busiest, .+, carried 0 % of its capacity\)\.$/);
  });

  it('claims nothing about links for a result saved before svmig counted their full time', () => {
    const r = labResult();
    const old = { ...r, links: r.links.map(({ saturatedSeconds: _, ...l }) => l) };
    expect(bottleneck(old)).toBeNull();
    expect(explainRun(old)).toEqual(['No copy held the end alone and nothing waited long in vCenter’s queue; this result does not say how long each link ran full (an older svmig saved it).']);
  });

  it('a copy that runs the whole campaign is its long pole; the port two copies shared was full until the shorter ended', () => {
    // The legacy array's one port at 150 MB/s, each copy at most 100 MB/s, fixed:2: both copies
    // share the port at 75 MB/s; the 150 GB one ends at 2000 s, the 300 GB one runs alone at
    // 100 MB/s to 2000 + 150e9 / 100e6 = 3500 s. The port was full 2000 of 3500 s: 57 %.
    const [h1, h2] = hosts('C', 2);
    const e = estate({ hosts: [h1!, h2!], vms: [vm('a300', h1!.name, 'C', 300 * GB), vm('b150', h2!.name, 'C', 150 * GB)] });
    const base = openFabric({ perCopyRate: 100e6 });
    const r = simulate(scenario(e, { ...base, arrays: base.arrays.map((a, i) => (i === 0 ? { ...a, portRate: 150e6 } : a)) }, 'fixed:2'));
    const port = bottleneck(r)!;
    expect(port.seconds).toBeCloseTo(2000, 3);
    expect(explainRun(r)).toEqual([
      `The long pole: a300 (${formatBytes(300 * GB)}) copied for 58m 20s and ended the campaign, running the whole time.`,
      `${port.label} bound it: full 57 % of the campaign (33m 20s).`,
    ]);
    // Days in vCenter's queue in all (fixed:16 on the seed estate waits 28 days) come after what bound
    // the run, never before it, and in the same sentence as the rest.
    const queued = { ...r, summary: { ...r.summary, queuedSeconds: 100 * 3500, queuedOperations: 900 } };
    expect(explainRun(queued)).toEqual([
      `The long pole: a300 (${formatBytes(300 * GB)}) copied for 58m 20s and ended the campaign, running the whole time.`,
      `${port.label} bound it: full 57 % of the campaign (33m 20s); operations waited 4d 01h 13m in all in vCenter's queue (900 of them).`,
    ]);
  });

  it('a copy too long for the first window waits for the second: the window that passed idle is named', () => {
    // One 600 GB VM at 100 MB/s: 6000 s of copy. From Monday 20:00 UTC, windows Monday 20:00–21:00
    // (an hour: too short) and 22:00–Tuesday 02:00; no overrun. It starts at 22:00 (7200 s) and
    // ends at 13 200 s. Open time: the first window (3600 s) and the copy (6000 s): 9600 s, of
    // which the copy is 62.5 %; the first window, 3600 s, passed with nothing copying.
    const [h] = hosts('C', 1);
    const s = scenario(estate({ hosts: [h!], vms: [vm('v600', h!.name, 'C', 600 * GB)] }), openFabric({ perCopyRate: 100e6 }), 'fixed:1');
    const r = simulate({
      ...s,
      campaign: {
        ...DEFAULT_CAMPAIGN,
        calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
        windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 22 * H, end: 26 * H }], startOffset: 20 * H, allowOverrun: false, text: 'test' },
      },
    });
    expect(r.makespanSeconds).toBeCloseTo(13_200, 3);
    expect(r.openSeconds).toBeCloseTo(9600, 3);
    expect(idleWindows(r)).toEqual({ windows: 2, idle: 1, seconds: expect.closeTo(3600, 3) });
    expect(explainRun(r)).toEqual([
      `The long pole: v600 (${formatBytes(600 * GB)}) copied for 1h 40m and ended the campaign, 63 % of the time windows were open.`,
      '1 of 2 change windows passed with nothing copying; 1h 00m of open windows went unused.',
    ]);
    // The schedule: nothing starts in the first window; the copy in the second, ending at 23:40.
    expect(scheduleRows(r)).toEqual([['Mon 7 Dec 2026 22:00 UTC – Tue 8 Dec 2026 02:00 UTC', '1', formatBytes(600 * GB), 'Mon 7 Dec 2026 23:40 UTC', `v600 (${formatBytes(600 * GB)})`]]);
  });
});

describe('the schedule by window', () => {
  it('groups copies by the window they start in, with their bytes and when the last ends', () => {
    // The lab from Monday 20:00 UTC, windows 20:00–21:00 and 22:00–Tuesday 08:00, overrun allowed
    // (calendar-charts.test.ts works the run out): big600, big500, small150 and small50 start at
    // 0, in the first window, big600 ending last at 6000 s (21:40); big400 and big300 at 7200 s,
    // big200 at 10 200 s and big100 at 11 200 s, in the second, the last ending at 12 200 s (23:23).
    const s = labScenario();
    const r = simulate({
      ...s,
      campaign: {
        ...DEFAULT_CAMPAIGN,
        calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
        windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 22 * H, end: 32 * H }], startOffset: 20 * H, allowOverrun: true, text: 'test' },
      },
    });
    const windows = scheduleOf(r);
    expect(windows.map((w) => [w.start, w.end, w.copies.map((c) => c.vm).sort(), w.bytes / GB])).toEqual([
      [0, 3600, ['big500', 'big600', 'small150', 'small50'], 1300],
      [7200, 32 * H - 20 * H, ['big100', 'big200', 'big300', 'big400'], 1000],
    ]);
    expect(windows.map((w) => w.expectedEnd)).toEqual([6000, expect.closeTo(12_200, 3)]);
    const rows = scheduleRows(r);
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual([
      ['Mon 7 Dec 2026 20:00 UTC – Mon 7 Dec 2026 21:00 UTC', '4', 'Mon 7 Dec 2026 21:40 UTC'],
      ['Mon 7 Dec 2026 22:00 UTC – Tue 8 Dec 2026 08:00 UTC', '4', 'Mon 7 Dec 2026 23:23 UTC'],
    ]);
    expect(rows[0]![4]).toBe(`big600 (${formatBytes(600 * GB)}), big500 (${formatBytes(500 * GB)}), small150 (${formatBytes(150 * GB)})`);
    // The CSV: one row per copy in the order they start, with ISO instants in UTC.
    const csv = scheduleCsv(r).trim().split('\n');
    expect(csv).toHaveLength(1 + 8);
    const header = csv[0]!.split(',');
    const big400 = csv.find((l) => l.includes(',big400,'))!.split(',');
    expect(big400[header.indexOf('window_start')]).toBe('2026-12-07T22:00:00.000Z');
    expect(big400[header.indexOf('start')]).toBe('2026-12-07T22:00:00.000Z');
    expect(big400[header.indexOf('end')]).toBe('2026-12-07T23:06:40.000Z'); // 7200 + 4000 s
    expect(big400[header.indexOf('bytes')]).toBe(String(400 * GB));
  });

  it('without windows, by day of the campaign', () => {
    const r = labResult();
    expect(scheduleOf(r).map((w) => [w.start, w.end, w.copies.length, w.expectedEnd])).toEqual([[0, 86_400, 8, 11_000]]);
  });
});
