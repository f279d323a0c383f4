// The report folder: which files, the self-contained page (local and data: URIs only, the PNGs
// embedded byte for byte), the inputs it states, the CSV (read back with csv-parse) and Markdown.

import { parse } from 'csv-parse/sync';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { OPERATION_COLUMNS, RUN_COLUMNS } from '../../src/report/csv.js';
import { writeReport } from '../../src/report/write.js';
import type { SimulationResult } from '../../src/sim/result.js';
import { compareFixture, labResult } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'svmig-report-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PNGS = ['cumulative.png', 'throughput.png', 'in-flight.png', 'links.png', 'datastores.png', 'gantt.png'];

/** Every src= and href= value, and every url(…) in the page. */
function references(html: string): string[] {
  const attrs = [...html.matchAll(/\s(?:src|href|srcset|poster|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => m[2] ?? m[3] ?? m[4] ?? '');
  const urls = [...html.matchAll(/url\(\s*['"]?([^'")]+)/gi)].map((m) => m[1]!);
  return [...attrs, ...urls];
}

describe('report of one run', () => {
  let result: SimulationResult;
  let dir: string;
  let written: string[];
  let html: string;

  beforeAll(async () => {
    result = labResult();
    dir = join(root, 'run', 'nested');
    written = await writeReport(dir, { result, deadlineSeconds: 12_000 });
    html = readFileSync(join(dir, 'index.html'), 'utf8');
  });

  it('writes the charts, the CSV, the Markdown and the page, the page last, and nothing else', () => {
    expect(written).toEqual([...PNGS, 'operations.csv', 'summary.md', 'index.html'].map((f) => join(dir, f)));
    expect(readdirSync(dir).sort()).toEqual([...PNGS, 'operations.csv', 'summary.md', 'index.html'].sort());
  });

  it('references nothing but its own files and data: URIs', () => {
    const refs = references(html);
    expect(refs.length).toBeGreaterThanOrEqual(PNGS.length * 2);
    for (const ref of refs) {
      expect(ref, ref.slice(0, 40)).toMatch(/^(data:image\/png;base64,|[a-z0-9.-]+\.(png|csv|md|html)$)/i);
    }
    expect(html).not.toMatch(/<script|<link|@import|@font-face|<iframe|<object|<embed/i);
    expect(html).not.toMatch(/https?:/i);
  });

  it('embeds each PNG exactly as written next to it, in page order', () => {
    const embedded = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(embedded).toHaveLength(PNGS.length);
    embedded.forEach((png, i) => expect(png.equals(readFileSync(join(dir, PNGS[i]!)))).toBe(true));
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
  it('escapes them in the page, quotes them in the CSV, and keeps Markdown tables whole', async () => {
    const base = labResult();
    const odd = 'web, "prod"\nline|2 <b>';
    const result: SimulationResult = {
      ...base,
      scenario: 'lab <script>alert(1)</script> & co',
      operations: [
        ...base.operations,
        { ...base.operations[0]!, vm: odd, outcome: 'skipped', startedAt: null, finishedAt: null, reason: 'no room, "really"' },
      ],
    };
    const dir = join(root, 'odd');
    await writeReport(dir, { result });
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('lab &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<b>');
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

describe('report of a comparison', () => {
  let dir: string;
  let written: string[];

  beforeAll(async () => {
    dir = join(root, 'compare');
    written = await writeReport(dir, { compare: compareFixture() });
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
    // fast: P50 6 h, P90 9 h, all ten runs by 12 h; slow: 3 of 10.
    expect(text).toMatch(/fast 6h 00m 9h 00m 12h 00m 100\.0 %/);
    expect(text).toMatch(/slow 14h 00m 18h 00m 19h 00m 30\.0 %/);
  });
});

describe('writing safely', () => {
  it('names the file it could not write, and leaves no temporary file behind', async () => {
    const dir = join(root, 'blocked');
    mkdirSync(join(dir, 'index.html'), { recursive: true }); // a folder where the page should go
    const err = await writeReport(dir, { result: labResult() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(join(dir, 'index.html'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(statSync(join(dir, 'index.html')).isDirectory()).toBe(true);
  });

  it('writes nothing when the folder cannot be made', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'keep me');
    const err = await writeReport(join(file, 'report'), { compare: compareFixture() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(join(file, 'report'));
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(existsSync(join(file, 'report'))).toBe(false);
  });
});
