// Chart configurations from the lab run and the comparison fixture (fixtures.ts): which charts,
// how many series, and where the data sits, against figures worked out by hand.

import { beforeAll, describe, expect, it } from 'vitest';
import { MiB, TiB } from '../../src/domain/units.js';
import { reportCharts } from '../../src/report/charts/index.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { lightness } from '../../src/report/charts/style.js';
import type { CompareResult } from '../../src/core/compare-result.js';
import type { SimulationResult } from '../../src/core/result.js';
import { compareFixture, LAB_BIG_VMS, LAB_BYTES, LAB_MAKESPAN, labResult } from './fixtures.js';

interface Dataset {
  type?: string;
  label: string;
  data: Array<{ x: number | [number, number]; y: number }>;
  borderColor?: unknown;
  backgroundColor?: unknown;
  borderDash?: number[];
  pointStyle?: string;
  showLine?: boolean;
  fill?: unknown;
}

const datasets = (c: ChartSpec) => c.config.data.datasets as unknown as Dataset[];
const byFile = (charts: ChartSpec[], file: string) => {
  const c = charts.find((x) => x.file === file);
  if (!c) throw new Error(`no ${file} among ${charts.map((x) => x.file).join(', ')}`);
  return c;
};
const H = 3600;

let result: SimulationResult;
let compare: CompareResult;
let single: ChartSpec[];
let compared: ChartSpec[];

beforeAll(() => {
  result = labResult();
  compare = compareFixture();
  single = reportCharts({ result, deadlineSeconds: 12_000 });
  compared = reportCharts({ compare });
});

describe('which charts a report has', () => {
  it('draws seven charts of one run, in page order: a Gantt per cluster, the largest first', () => {
    expect(single.map((c) => c.file)).toEqual(['cumulative.png', 'throughput.png', 'in-flight.png', 'links.png', 'datastores.png', 'gantt-BIG.png', 'gantt-SMALL.png']);
  });

  it('draws the makespan distribution, and no per-run chart, for a comparison alone', () => {
    expect(compared.map((c) => c.file)).toEqual(['makespan-histogram.png', 'makespan-cdf.png']);
  });

  it('draws one cumulative curve per policy when given one run of each', () => {
    const other = { ...result, policy: 'other' };
    const charts = reportCharts({ compare, results: [result, other], result });
    expect(charts.map((c) => c.file)).toEqual([
      'cumulative.png',
      'throughput.png',
      'in-flight.png',
      'links.png',
      'datastores.png',
      'gantt-BIG.png',
      'gantt-SMALL.png',
      'makespan-histogram.png',
      'makespan-cdf.png',
    ]);
    // Two policies and the comparison's 12 h deadline.
    expect(datasets(charts[0]!).map((d) => d.label)).toEqual(['policy fixed:2', 'policy other', 'deadline (12h 00m)']);
  });

  it('gives every chart a title, a caption and a time or value axis titled with its unit', () => {
    for (const c of [...single, ...compared]) {
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.caption.length).toBeGreaterThan(20);
      const scales = c.config.options?.scales as Record<string, { title?: { text?: string } }>;
      const titles = Object.values(scales).map((s) => s.title?.text ?? '');
      expect(titles.some((t) => /\((hours|minutes|days|count|% of [a-z]+|TiB|GiB|MiB\/s|GiB\/s)\)/.test(t))).toBe(true);
    }
  });
});

describe('charts of one run', () => {
  it('cumulative: ends at the bytes moved when the run ends; the deadline is a vertical line', () => {
    const [curve, deadline] = datasets(byFile(single, 'cumulative.png'));
    const last = curve!.data.at(-1)!;
    expect(last.x).toBeCloseTo(LAB_MAKESPAN / H, 9);
    expect(last.y).toBeCloseTo(LAB_BYTES / TiB, 9);
    // 4 copies × 100 MB/s for the first 500 s: 200 GB.
    const at500 = curve!.data.find((p) => Math.abs((p.x as number) - 500 / H) < 1e-9)!;
    expect(at500.y * TiB).toBeCloseTo(200e9, -3);
    expect(deadline!.data.map((p) => p.x)).toEqual([12_000 / H, 12_000 / H]);
  });

  it('throughput: one band per cluster, and the bands’ area is the bytes moved', () => {
    const sets = datasets(byFile(single, 'throughput.png'));
    expect(sets.map((d) => d.label)).toEqual(['BIG', 'SMALL']);
    // Stack peak 400 MB/s → MiB/s; x in hours. Area = Σ rate × width over every band.
    let area = 0;
    for (const d of sets) {
      for (let k = 0; k + 1 < d.data.length; k++) area += d.data[k]!.y * MiB * ((d.data[k + 1]!.x as number) - (d.data[k]!.x as number)) * H;
    }
    expect(area).toBeCloseTo(LAB_BYTES, -6);
    // SMALL copies two VMs in the first 500 s bin: 200 MB/s.
    expect(sets[1]!.data[0]!.y * MiB).toBeCloseTo(200e6, 0);
  });

  it('in flight: four copies at first, none waiting, no vMotion', () => {
    const [copying, waiting, vmotions] = datasets(byFile(single, 'in-flight.png'));
    expect(copying!.data.map((p) => [(p.x as number) * H, p.y])).toEqual([
      [0, 4],
      [500, 3],
      [1500, 2],
      [10_000, 1],
      [11_000, 0],
    ]);
    expect(Math.max(...waiting!.data.map((p) => p.y))).toBe(0);
    expect(Math.max(...vmotions!.data.map((p) => p.y))).toBe(0);
    expect(copying!.label).toContain('peak 4');
  });

  it('links: the five busiest, as a share of capacity between 0 and 100 %', () => {
    const sets = datasets(byFile(single, 'links.png'));
    expect(sets).toHaveLength(5);
    const links = result.timeline!.links;
    sets.forEach((d, i) => expect(d.label.startsWith(`${links[i]!.label} (`)).toBe(true));
    for (const d of sets) for (const p of d.data) expect(p.y).toBeGreaterThanOrEqual(0), expect(p.y).toBeLessThanOrEqual(100 + 1e-9);
  });

  it('links without a timeline: whole-campaign bars of the five busiest', () => {
    const { timeline: _, ...bare } = result;
    const c = byFile(reportCharts({ result: bare }), 'links.png');
    expect(c.config.type).toBe('bar');
    expect(datasets(c)[0]!.data).toEqual(result.links.slice(0, 5).map((l) => l.utilisation * 100));
  });

  it('throughput without a timeline: one band, the exact aggregate steps', () => {
    const { timeline: _, ...bare } = result;
    const [band, ...rest] = datasets(byFile(reportCharts({ result: bare }), 'throughput.png'));
    expect(rest).toHaveLength(0);
    expect(band!.data[0]!.y * MiB).toBeCloseTo(400e6, 0);
  });

  it('datastores: OLD-02 empty at 10000 s, OLD-01 at 11000 s, against a line at the 2 in scope', () => {
    const [emptied, total] = datasets(byFile(single, 'datastores.png'));
    expect(emptied!.data.map((p) => [Math.round((p.x as number) * H), p.y])).toEqual([
      [0, 0],
      [10_000, 1],
      [11_000, 2],
    ]);
    expect(total!.data.map((p) => p.y)).toEqual([2, 2]);
  });

  it('Gantt: the four hosts of BIG, one bar per copy, named after its VM', () => {
    const c = byFile(single, 'gantt-BIG.png');
    const [copying, waiting, vmotions] = datasets(c);
    expect(c.title).toContain('BIG');
    expect(copying!.data).toHaveLength(LAB_BIG_VMS);
    expect(waiting!.data).toHaveLength(0);
    expect(vmotions!.data).toHaveLength(0);
    const labels = c.config.options?.plugins?.svmigBarLabels?.labels?.[0];
    expect(new Set(labels)).toEqual(new Set(['big600', 'big500', 'big400', 'big300', 'big200', 'big100']));
    // big400 on esx03 (the third row, y = 2) copied from 5000 s to 9000 s.
    const i = labels!.indexOf('big400');
    expect(copying!.data[i]).toEqual({ x: [5000 / H, 9000 / H], y: 2 });
    const y = c.config.options?.scales?.y as { min: number; max: number };
    expect([y.min, y.max]).toEqual([-0.5, 3.5]);
  });
});

describe('charts of a comparison', () => {
  it('histogram: one outline per policy, P50 and P90 lines of each, the deadline and the lower bound', () => {
    const sets = datasets(byFile(compared, 'makespan-histogram.png'));
    expect(sets.map((d) => d.label)).toEqual([
      'slow: runs per bin',
      'fast: runs per bin',
      'slow: P50 14h 00m',
      'slow: P90 18h 00m',
      'fast: P50 6h 00m',
      'fast: P90 9h 00m',
      'deadline (12h 00m)',
      `lower bound (1h 40m)`,
    ]);
    expect(sets[2]!.data.map((p) => p.x)).toEqual([14, 14]);
    // The outline's heights are the runs per 3 h bin (series.test.ts works them out).
    expect(sets[0]!.data.map((p) => p.y)).toEqual([0, 0, 0, 2, 3, 3, 2, 0]);
    expect(sets[1]!.data.map((p) => p.y)).toEqual([0, 2, 6, 1, 1, 0, 0, 0]);
  });

  it('CDF: reaches 100 % at each policy’s slowest run, markers at P50 (50 %) and P90 (90 %)', () => {
    const sets = datasets(byFile(compared, 'makespan-cdf.png'));
    expect(sets).toHaveLength(6);
    const slow = sets[0]!;
    const first100 = slow.data.find((p) => p.y === 100)!;
    expect(first100.x).toBe(19);
    expect(sets[2]!.data).toEqual([
      { x: 14, y: 50 },
      { x: 18, y: 90 },
    ]);
    expect(sets[3]!.data).toEqual([
      { x: 6, y: 50 },
      { x: 9, y: 90 },
    ]);
    expect(sets[2]!.showLine).toBe(false);
  });
});

describe('grey-scale printing', () => {
  // Two series read apart in grey when their dash, texture or marker differs, or their lightness
  // differs by 15 L* or more.
  const signature = (c: ChartSpec, i: number) => {
    const d = datasets(c)[i]!;
    // An area (or a bar) shows its fill; a line its stroke.
    const filled = (d.fill !== undefined && d.fill !== false) || c.config.type === 'bar';
    const colour = (filled ? d.backgroundColor : d.borderColor) as string;
    const hex = /^#/.test(colour) ? colour : rgbToHex(colour);
    const hatch = c.config.options?.plugins?.svmigHatch?.hatches?.[i] ?? 'none';
    return { l: lightness(hex), key: JSON.stringify([d.borderDash ?? [], hatch, d.pointStyle ?? '']) };
  };

  it('keeps every pair of series in every chart apart', () => {
    const many = reportCharts({ result, compare, results: [result, { ...result, policy: 'b' }, { ...result, policy: 'c' }], deadlineSeconds: 12_000 });
    // Ten clusters, as in the seed estate: the stack needs more than the five colours.
    const tl = result.timeline!;
    const ten = { ...tl, clusters: Array.from({ length: 10 }, (_, i) => ({ name: `CL${i}`, bytesPerSecond: tl.clusters[0]!.bytesPerSecond })) };
    many.push(...reportCharts({ result: { ...result, timeline: ten } }).filter((c) => c.file === 'throughput.png'));
    expect(datasets(many.at(-1)!)).toHaveLength(10);
    for (const c of many) {
      const n = datasets(c).length;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = signature(c, i);
          const b = signature(c, j);
          const apart = a.key !== b.key || Math.abs(a.l - b.l) >= 15;
          expect(apart, `${c.file}: series ${i} and ${j}`).toBe(true);
        }
      }
    }
  });
});

function rgbToHex(rgba: string): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgba);
  if (!m) throw new Error(`not a colour: ${rgba}`);
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
}
