// Charts on the campaign's calendar, with its change windows shaded; a Gantt per cluster; where the
// adaptive policy settled, cluster by cluster. On the lab (fixtures.ts: every copy at 100 MB/s,
// fixed:2, no set-up), worked out by hand below.

import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/core/result.js';
import { reportCharts } from '../../src/report/charts/index.js';
import { adaptiveChart, settledPerCluster } from '../../src/report/charts/adaptive.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { simulate } from '../../src/sim/simulate.js';
import { labResult, labScenario } from './fixtures.js';

const H = 3600;

/**
 * The lab from Monday 7 December 2026 20:00 UTC, windows open Monday 20:00–21:00 and 22:00–Tuesday
 * 08:00 (from Monday 00:00: 20 h–21 h and 22 h–32 h), copies allowed to overrun. By hand, in seconds:
 * BIG starts big600 and big500 at 0; big500 ends at 5000, in the gap (3600–7200): nothing starts
 * until 7200, when big400 (7200–11200) and big300 (7200–10200) start; big200 then runs 10200–12200,
 * big100 11200–12200. SMALL: 150 GB 0–1500, 50 GB 0–500. Makespan 12200 s (3h 23m 20s).
 */
function windowedLab(): SimulationResult {
  const s = labScenario();
  return simulate(
    {
      ...s,
      campaign: {
        ...DEFAULT_CAMPAIGN,
        calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
        windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 22 * H, end: 32 * H }], startOffset: 20 * H, allowOverrun: true, text: 'test' },
      },
    },
    { timelineBins: 20 },
  );
}

const byFile = (charts: ChartSpec[], file: string) => {
  const c = charts.find((x) => x.file === file);
  if (!c) throw new Error(`no ${file} among ${charts.map((x) => x.file).join(', ')}`);
  return c;
};
type Axis = { title?: { text?: string }; min?: number; max?: number; svmigTicks?: { at?: Array<{ value: number; label: string }> } };
const axis = (c: ChartSpec, id = 'x') => (c.config.options?.scales as Record<string, Axis>)[id]!;

let r: SimulationResult;
let charts: ChartSpec[];
beforeAll(() => {
  r = windowedLab();
  charts = reportCharts({ result: r });
});

describe('charts on the calendar', () => {
  it('the run: copies wait out the gap between windows, and the result keeps the windows it ran in', () => {
    expect(r.makespanSeconds).toBeCloseTo(12_200, 3);
    const big400 = r.operations.find((o) => o.vm === 'big400')!;
    expect(big400.startedAt).toBeCloseTo(7200, 3);
    // The second window whole, to Tuesday 08:00 (12 h after the start), though the campaign ended at 23:23.
    expect(r.windows).toEqual([
      { start: 0, end: 3600 },
      { start: 7200, end: 12 * H },
    ]);
    // Open time: the windows up to the end, and the gap while big600 copied on (3600–6000): 6000 + 5000 s.
    expect(r.openSeconds).toBeCloseTo(11_000, 3);
  });

  it('puts every time axis on dates in the campaign’s zone: hourly ticks from Mon 7 Dec 20:00', () => {
    for (const file of ['cumulative.png', 'throughput.png', 'in-flight.png', 'links.png', 'datastores.png']) {
      const x = axis(byFile(charts, file));
      expect(x.title?.text, file).toBe('Date and time (UTC)');
      // 12200 s is under 72 h: hours; 3.4 h of campaign: a tick every hour, 20:00 … 23:00 (00:00 is past the end).
      expect(x.svmigTicks?.at, file).toEqual([
        { value: 0, label: 'Mon 7 Dec 20:00' },
        { value: 1, label: '21:00' },
        { value: 2, label: '22:00' },
        { value: 3, label: '23:00' },
      ]);
    }
  });

  it('shades the open windows behind the series, in the axis’ unit, and says so', () => {
    for (const c of charts.filter((x) => x.file !== 'makespan-histogram.png')) {
      const bands = c.config.options?.plugins?.svmigBands?.bands;
      expect(bands, c.file).toHaveLength(2);
      expect(bands![0]).toEqual([0, 1]);
      expect(bands![1]).toEqual([2, 12]);
      expect(String(c.config.options?.plugins?.subtitle?.text)).toContain('shaded: change windows open');
    }
  });

  it('without a calendar or windows: hours since the start, nothing shaded', () => {
    const plain = reportCharts({ result: labResult() });
    const c = byFile(plain, 'cumulative.png');
    expect(axis(c).title?.text).toBe('Time since start (hours)');
    expect(axis(c).svmigTicks).toBeUndefined();
    expect(c.config.options?.plugins?.svmigBands).toBeUndefined();
  });
});

describe('a Gantt per cluster', () => {
  it('draws every cluster that copied, the largest first, each with its own hosts and its end date', () => {
    expect(charts.filter((c) => c.file.startsWith('gantt')).map((c) => c.file)).toEqual(['gantt-BIG.png', 'gantt-SMALL.png']);
    const small = byFile(charts, 'gantt-SMALL.png');
    expect(small.title).toContain('SMALL');
    expect(small.config.options?.plugins?.svmigBarLabels?.labels?.[0]).toEqual(expect.arrayContaining(['small150', 'small50']));
    // SMALL's last copy (150 GB at 100 MB/s) ends 1500 s after Monday 20:00: 20:25.
    expect(String(small.config.options?.plugins?.subtitle?.text)).toContain('cluster done Mon 7 Dec 2026 20:25 UTC (25m');
    // BIG's ends at 12200 s: 23:23.
    expect(String(byFile(charts, 'gantt-BIG.png').config.options?.plugins?.subtitle?.text)).toContain('cluster done Mon 7 Dec 2026 23:23 UTC (3h 23m');
  });
});

describe('where the adaptive policy settled', () => {
  it('per cluster, the median of its copies over the middle of its own copying', () => {
    // The lab under fixed:2. BIG copies from 0 to 11000 with two at once until 10000 (big200 and
    // big100 from 9000), one after: over 1100–9900, two throughout. SMALL copies from 0 to 1500,
    // two until 500, one after: over 150–1350, two for 350 s and one for 850 s: the median is one.
    const lab = labResult();
    expect(settledPerCluster(lab).map((c) => [c.cluster, c.settled, c.peak])).toEqual([
      ['BIG', 2, 2],
      ['SMALL', 1, 2],
    ]);
  });

  it('leaves out the hours windows were closed, when nothing copied anywhere', () => {
    // The lab from Monday 20:00, windows Monday 20:00–21:00 and Tuesday 20:00–Wednesday 06:00,
    // overrun allowed. BIG: big600 0–6000 and big500 0–5000, then nothing until Tuesday 20:00
    // (86 400 s): big400 86 400–90 400, big300 86 400–89 400, big200 89 400–91 400, big100
    // 90 400–91 400. BIG copied while the campaign did for 6000 + 5000 s = 11 000 s, two at once
    // but 5000–6000 and after 90 400 (one each: 1000 + 1000 s): two most of the time. The middle
    // tenths of BIG's wall-clock span (9140–82 260 s) fall wholly in the closed hours: it once
    // said "settled at 0".
    const s = labScenario();
    const r = simulate({
      ...s,
      campaign: {
        ...DEFAULT_CAMPAIGN,
        calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
        windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 44 * H, end: 54 * H }], startOffset: 20 * H, allowOverrun: true, text: 'test' },
      },
    });
    expect(r.operations.find((o) => o.vm === 'big400')!.startedAt).toBeCloseTo(86_400, 3);
    expect(settledPerCluster(r).find((c) => c.cluster === 'BIG')!.settled).toBe(2);
  });

  it('is charted only for a run of the adaptive policy, with its limit on the right axis', () => {
    const lab = labResult();
    expect(adaptiveChart(lab)).toBeNull();
    const c = adaptiveChart({ ...lab, adaptive: [{ at: 0, limit: 4, rate: 0 }, { at: 3000, limit: 6, rate: 4e8 }] })!;
    const sets = c.config.data.datasets as Array<{ label: string; data: Array<{ x: number; y: number }> }>;
    expect(sets.map((d) => d.label)).toEqual(['BIG (settled at 2)', 'SMALL (settled at 1)', 'campaign-wide limit (right axis)']);
    // The limit held from its last change to the end (11000 s).
    expect(sets[2]!.data.at(-1)!.x * H).toBeCloseTo(11_000, 6);
    expect(sets[2]!.data.at(-1)!.y).toBe(6);
  });
});
