// The report folder: which files, the self-contained page (chart.js and every chart's
// configuration inlined, nothing fetched, the PNGs linked), the inputs it states, the CSV (read back
// with csv-parse) and Markdown; and the same folder without the optional PNG renderer. The PNG
// renderer here is a stand-in that returns bytes named after each chart: what is checked is that
// the folder holds exactly what the renderer made (render.test.ts checks real PNGs).

import { parse } from 'csv-parse/sync';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { reportCharts } from '../../src/report/charts/index.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { OPERATION_COLUMNS, RUN_COLUMNS } from '../../src/report/csv.js';
import { chartJsSource } from '../../src/report/page-charts.js';
import { PNG_MISSING_NOTE, type PngLoader } from '../../src/report/render.js';
import { type WriteReportInput, writeReport } from '../../src/report/write.js';
import type { SimulationResult } from '../../src/core/result.js';
import { compareFixture, labResult } from './fixtures.js';

/** A PNG renderer that stands in for the real one: bytes that say which chart they are. */
const bytesOf = (spec: ChartSpec) => Buffer.from(`PNG of ${spec.file}, ${spec.height} px high`);
const standIn: PngLoader = async () => ({ render: async (spec) => bytesOf(spec) });
/** The loader where the optional packages are not installed. */
const missing: PngLoader = async () => {
  throw new Error("Cannot find package 'chartjs-node-canvas'");
};

/** The inlined chart.js taken out, to look at the rest of the page. */
const withoutChartJs = (html: string) => html.replace(chartJsSource(), '');

/** The chart configurations the page carries, by canvas id. */
function pageCharts(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="svmig-charts">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no chart configurations in the page');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

/** Canvas ids, widths and heights in page order. */
const canvases = (html: string) => [...html.matchAll(/<canvas id="([^"]+)" width="(\d+)" height="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);

const root = mkdtempSync(join(tmpdir(), 'svmig-report-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PNGS = ['cumulative.png', 'throughput.png', 'in-flight.png', 'links.png', 'datastores.png', 'gantt-BIG.png', 'gantt-SMALL.png'];

/** Every src= and href= value, and every url(…) in the page. */
function references(html: string): string[] {
  const attrs = [...html.matchAll(/\s(?:src|href|srcset|poster|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => m[2] ?? m[3] ?? m[4] ?? '');
  const urls = [...html.matchAll(/url\(\s*['"]?([^'")]+)/gi)].map((m) => m[1]!);
  return [...attrs, ...urls];
}

describe('report of one run', () => {
  let result: SimulationResult;
  let input: WriteReportInput;
  let dir: string;
  let written: string[];
  let note: string | null;
  let html: string;

  beforeAll(async () => {
    result = labResult();
    input = { result, deadlineSeconds: 12_000 };
    dir = join(root, 'run', 'nested');
    ({ paths: written, note } = await writeReport(dir, input, { png: standIn }));
    html = readFileSync(join(dir, 'index.html'), 'utf8');
  });

  it('writes the charts, the CSV, the Markdown and the page, the page last, and nothing else', () => {
    expect(written).toEqual([...PNGS, 'operations.csv', 'schedule.csv', 'summary.md', 'index.html'].map((f) => join(dir, f)));
    expect(readdirSync(dir).sort()).toEqual([...PNGS, 'operations.csv', 'schedule.csv', 'summary.md', 'index.html'].sort());
    expect(note).toBeNull();
  });

  it('writes each PNG as the renderer made it', () => {
    const specs = reportCharts(input);
    expect(specs.map((c) => c.file)).toEqual(PNGS);
    for (const spec of specs) expect(readFileSync(join(dir, spec.file))).toEqual(bytesOf(spec));
  });

  it('references nothing but its own files, and loads no script from anywhere', () => {
    // chart.js's own code is not markup: the references are looked for in the rest of the page.
    const refs = references(withoutChartJs(html));
    expect(refs.length).toBeGreaterThanOrEqual(PNGS.length + 3);
    for (const ref of refs) expect(ref, ref.slice(0, 40)).toMatch(/^[a-z0-9.-]+\.(png|csv|md|html)$/i);
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link|@import|@font-face|<iframe|<object|<embed|<img/i);
    // chart.js names its home page in its licence header; nothing else in the page names a site.
    expect(withoutChartJs(html)).not.toMatch(/https?:/i);
  });

  it('carries chart.js itself, once, and every chart’s configuration, drawn into one canvas each in page order', () => {
    const chartJs = chartJsSource();
    expect(chartJs).toMatch(/^\/\*!\s*\* Chart\.js v4\./);
    expect(html.split(chartJs)).toHaveLength(2);
    const specs = reportCharts(input);
    expect(canvases(html)).toEqual(specs.map((c) => [`chart-${c.file.replace(/\.png$/, '')}`, 1200, c.height]));
    expect(pageCharts(html)).toEqual(Object.fromEntries(specs.map((c) => [`chart-${c.file.replace(/\.png$/, '')}`, c.config])));
  });

  it('links each chart’s PNG under it', () => {
    for (const png of PNGS) expect(html).toMatch(new RegExp(`<figure id="${png.replace('.png', '')}">\\n<canvas[^]*?<figcaption>[^<]*<a href="${png}">`));
  });

  it('states the inputs and the verdict', () => {
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Scenario lab');
    expect(text).toContain('Policy fixed:2');
    expect(text).toContain('Seed 1');
    expect(text).toContain('Deadline 3h 20m');
    // 11000 s; 2300 GB = 2.09 TiB; 16m 40s to spare.
    expect(text).toContain('Makespan 3h 03m');
    expect(text).toContain('2.1 TiB moved in 3h 03m');
    expect(text).toContain('That is 16m 40s before the deadline');
  });

  it('writes one CSV row per operation, read back field for field', () => {
    const csv = readFileSync(join(dir, 'operations.csv'), 'utf8');
    expect(csv.split('\r\n').length).toBe(result.operations.length + 2); // header, rows, final CRLF
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual([...OPERATION_COLUMNS]);
    expect(rows).toHaveLength(result.operations.length + 1);
    const row = Object.fromEntries(OPERATION_COLUMNS.map((c, i) => [c, rows.find((r) => r[0] === 'big400')![i]]));
    expect(row).toMatchObject({
      kind: 'svmotion',
      cluster: 'BIG',
      host: 'esx03',
      source_datastores: 'OLD-01',
      target_datastore: 'NEW-01',
      bytes: '400000000000',
      submitted_at_s: '5000',
      started_at_s: '5000',
      finished_at_s: '9000',
      waited_s: '0',
      ran_s: '4000',
      outcome: 'success',
      reason: '',
    });
  });

  it('writes a Markdown summary linking every chart', () => {
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    for (const png of PNGS) expect(md).toMatch(new RegExp(`!\\[[^\\]]+\\]\\(${png.replace('.', '\\.')}\\)`));
    expect(md).toContain('| Makespan | 3h 03m |');
    expect(md).toMatch(/^# Storage vMotion campaign: lab$/m);
  });
});

describe('awkward names', () => {
  it('escapes them in the page and its chart data, quotes them in the CSV, and keeps Markdown tables whole', async () => {
    const base = labResult();
    const odd = 'web, "prod"\nline|2 <b>';
    const breakout = '</script><script>alert(1)</script>';
    const result: SimulationResult = {
      ...base,
      scenario: 'lab <script>alert(1)</script> & co',
      operations: [
        // A VM whose name would close the script that carries the chart data, in the Gantt's bar labels.
        ...base.operations.map((o, i) => (i === 0 ? { ...o, vm: breakout } : o)),
        { ...base.operations[0]!, vm: odd, outcome: 'skipped', startedAt: null, finishedAt: null, reason: 'no room, "really"' },
      ],
    };
    const dir = join(root, 'odd');
    await writeReport(dir, { result }, { png: standIn });
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    // Three scripts of svmig's own (chart data, chart.js, drawing), and no other.
    expect(withoutChartJs(html).match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('lab &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<b>');
    const labels = (pageCharts(html)['chart-gantt-BIG'] as { options: { plugins: { svmigBarLabels: { labels: string[][] } } } }).options.plugins.svmigBarLabels.labels;
    expect(labels.flat()).toContain(breakout);
    const rows = parse(readFileSync(join(dir, 'operations.csv'), 'utf8')) as string[][];
    const last = rows.at(-1)!;
    expect(last[0]).toBe(odd);
    expect(last[OPERATION_COLUMNS.indexOf('reason')]).toBe('no room, "really"');
    expect(last[OPERATION_COLUMNS.indexOf('submitted_at_s')]).toBe('');
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    const row = md.split('\n').find((l) => l.includes('web, "prod"'))!;
    // Four cells: VM, cluster, outcome, reason; the pipe in the name escaped.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    expect(row).not.toContain('<b>');
  });
});

describe('without the PNG renderer', () => {
  let dir: string;
  let written: string[];
  let note: string | null;

  beforeAll(async () => {
    dir = join(root, 'no-png');
    ({ paths: written, note } = await writeReport(dir, { result: labResult(), compare: compareFixture() }, { png: missing }));
  });

  it('writes the page, the Markdown and the CSV, no PNG, and says once how to get them', () => {
    expect(written).toEqual(['operations.csv', 'schedule.csv', 'runs.csv', 'summary.md', 'index.html'].map((f) => join(dir, f)));
    expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toEqual([]);
    expect(note).toBe(PNG_MISSING_NOTE);
    // One sentence: it ends once, with the full stop, and names what to install and run.
    expect(PNG_MISSING_NOTE.match(/\.(\s|$)/g)).toHaveLength(1);
    expect(PNG_MISSING_NOTE).toMatch(/libcairo2-dev.*libpango1\.0-dev.*npm install/);
  });

  it('still draws every chart in the page, and links no PNG', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const specs = reportCharts({ result: labResult(), compare: compareFixture() });
    expect(specs).toHaveLength(9);
    expect(Object.keys(pageCharts(html))).toEqual(specs.map((c) => `chart-${c.file.replace(/\.png$/, '')}`));
    expect(canvases(html)).toHaveLength(9);
    expect(html).not.toMatch(/\.png/);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).not.toMatch(/\.png/);
    expect(md).toContain('Drawn in index.html; no PNG was written.');
  });

  it('does not hide a renderer that loads and then fails: that is thrown, and nothing is written', async () => {
    const broken: PngLoader = async () => ({
      render: async () => {
        throw new Error('cairo went away');
      },
    });
    const at = join(root, 'broken-renderer');
    await expect(writeReport(at, { result: labResult() }, { png: broken })).rejects.toThrow('cairo went away');
    expect(existsSync(at)).toBe(false);
  });
});

describe('report of a comparison', () => {
  let dir: string;
  let written: string[];

  beforeAll(async () => {
    dir = join(root, 'compare');
    ({ paths: written } = await writeReport(dir, { compare: compareFixture() }, { png: standIn }));
  });

  it('writes the makespan charts and a CSV of every run', () => {
    expect(written).toEqual(['makespan-histogram.png', 'makespan-cdf.png', 'runs.csv', 'summary.md', 'index.html'].map((f) => join(dir, f)));
    const rows = parse(readFileSync(join(dir, 'runs.csv'), 'utf8')) as string[][];
    expect(rows[0]).toEqual([...RUN_COLUMNS]);
    expect(rows).toHaveLength(1 + 2 * 10);
    expect(rows.filter((r) => r[0] === 'fast').map((r) => Number(r[2]) / 3600)).toEqual([12, 5, 6, 7, 5, 6, 8, 9, 6, 7]);
  });

  it('states runs, seed, deadline and lower bound, and the table of policies', () => {
    const text = readFileSync(join(dir, 'index.html'), 'utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Runs 10 per policy');
    expect(text).toContain('Deadline 12h 00m');
    expect(text).toContain('Lower bound 1h 40m');
    expect(text).toContain('Policies compared slow, fast');
    // fast: P50 6 h, P90 9 h, all ten runs by 12 h; slow: 3 of 10. Best first; the runs of this
    // fixture do not count VMs moved (–), and nothing failed.
    expect(text).toMatch(/1 fast – 0 0 6h 00m 9h 00m 12h 00m 100\.0 %/);
    expect(text).toMatch(/2 slow – 0 0 14h 00m 18h 00m 19h 00m 30\.0 %/);
  });
});

describe('writing safely', () => {
  it('names the file it could not write, and leaves no temporary file behind', async () => {
    const dir = join(root, 'blocked');
    mkdirSync(join(dir, 'index.html'), { recursive: true }); // a folder where the page should go
    const err = await writeReport(dir, { result: labResult() }, { png: standIn }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(join(dir, 'index.html'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(statSync(join(dir, 'index.html')).isDirectory()).toBe(true);
  });

  it('writes nothing when the folder cannot be made', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'keep me');
    const err = await writeReport(join(file, 'report'), { compare: compareFixture() }, { png: standIn }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(join(file, 'report'));
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(existsSync(join(file, 'report'))).toBe(false);
  });
});
