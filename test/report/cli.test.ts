// `svmig report <result.json> --report <dir>`: a saved run or comparison in, a report folder out;
// anything else is one sentence naming the file.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../src/cli/report.js';
import { UserError } from '../../src/domain/errors.js';
import { PNG_MISSING_NOTE } from '../../src/report/render.js';
import { compareFixture, labResult } from './fixtures.js';
import { PNG_INSTALLED } from './png.js';

const root = mkdtempSync(join(tmpdir(), 'svmig-report-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function save(name: string, value: unknown): string {
  const file = join(root, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

let errors = '';

async function report(...args: string[]): Promise<string> {
  let out = '';
  errors = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors += String(chunk);
    return true;
  });
  await reportCommand().exitOverride().parseAsync(args, { from: 'user' });
  return out;
}

async function failure(...args: string[]): Promise<UserError> {
  const err = await report(...args).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('svmig report', () => {
  it('reports a saved run (as svmig simulate writes it: no timeline)', async () => {
    // Through JSON and back, as the file would be.
    const { timeline: _, ...saved } = labResult();
    const file = save('lab.fixed-2.seed1.json', JSON.parse(JSON.stringify(saved)));
    const dir = join(root, 'again');
    const out = await report(file, '--report', dir);
    // PNG files where the optional renderer is installed; where it is not, the one sentence instead (png.ts).
    const pngs = PNG_INSTALLED ? ['cumulative.png', 'datastores.png', 'gantt-BIG.png', 'gantt-SMALL.png', 'in-flight.png', 'links.png', 'throughput.png'] : [];
    expect(readdirSync(dir).sort()).toEqual([...pngs, 'index.html', 'operations.csv', 'schedule.csv', 'summary.md'].sort());
    expect(errors).toBe(PNG_INSTALLED ? '' : `svmig: ${PNG_MISSING_NOTE}\n`);
    expect(out).toContain(join(dir, 'index.html'));
    expect(out).toContain('no timeline');
  });

  it('reports a saved comparison, with a deadline given on the command line', async () => {
    const file = save('lab.compare.json', compareFixture());
    const dir = join(root, 'compare');
    await report(file, '--report', dir, '--deadline', '7h');
    expect(existsSync(join(dir, 'makespan-cdf.png'))).toBe(PNG_INSTALLED);
    expect(existsSync(join(dir, 'runs.csv'))).toBe(true);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toMatch(/Deadline<\/th><td>7h 00m/);
    // Judged again against 7 h: fast has 7 of its 10 runs within 7 h (5, 5, 6, 6, 6, 7, 7), slow none.
    expect(html).toContain('<th scope="col" class="num">≤ 7h 00m</th>');
    // After the policy: VMs moved, failed and left, P50, P90 and P99, then the share within the deadline.
    expect(html).toMatch(/<td>fast<\/td>(<td class="num">[^<]*<\/td>){6}<td class="num">70\.0 %<\/td>/);
    expect(html).toMatch(/<td>slow<\/td>(<td class="num">[^<]*<\/td>){6}<td class="num">0\.0 %<\/td>/);
  });

  it('takes a dated deadline for a saved comparison with a start, read in the campaign’s zone', async () => {
    // The comparison started Monday 7 December 2026 20:00 in Paris (19:00 UTC); a deadline of Tuesday
    // 03:00 there is 7 h after it: fast has 7 of its 10 runs within 7 h, as with the duration above.
    const start = Date.UTC(2026, 11, 7, 19, 0);
    const file = save('lab.dated.json', { ...compareFixture(), calendar: { start: '2026-12-07T20:00 Europe/Paris', startMs: start, zone: 'Europe/Paris' } });
    const dir = join(root, 'dated');
    await report(file, '--report', dir, '--deadline', '2026-12-08T03:00');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toMatch(/Deadline<\/th><td>Tue 8 Dec 2026 03:00 CET \(7h 00m\)/);
    // With a start, the table adds when P90 ends (fast: 9 h after the start, Tuesday 05:00) before the share.
    expect(html).toMatch(/<td>fast<\/td>(<td class="num">[^<]*<\/td>){6}<td class="num">Tue 8 Dec 2026 05:00 CET<\/td><td class="num">70\.0 %<\/td>/);
  });

  it('refuses a JSON file that is neither, naming it', async () => {
    const file = save('scenario.json', { name: 'lab', estate: {} });
    const err = await failure(file, '--report', join(root, 'x'));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/neither a simulation result .* nor a comparison/);
    expect(existsSync(join(root, 'x'))).toBe(false);
    expect((await failure(save('list.json', [1, 2]), '--report', join(root, 'x'))).message).toContain('list.json');
  });

  it('names the file and the field of a damaged result', async () => {
    const bad = JSON.parse(JSON.stringify(labResult(0)));
    bad.operations[3].startedAt = 'soon';
    const file = save('damaged.json', bad);
    const err = await failure(file, '--report', join(root, 'y'));
    expect(err.message).toContain(file);
    expect(err.message).toContain('operations[3].startedAt');
    const cmp = JSON.parse(JSON.stringify(compareFixture()));
    delete cmp.policies[1].p90Seconds;
    expect((await failure(save('damaged-compare.json', cmp), '--report', join(root, 'y'))).message).toMatch(/damaged-compare\.json .*policies\[1\]\.p90Seconds/);
  });

  it('says when the file is missing or not JSON', async () => {
    expect((await failure(join(root, 'nope.json'), '--report', join(root, 'z'))).message).toMatch(/nope\.json: cannot read a saved result \(no such file\)\./);
    expect((await failure(save('truncated.json', '{"scenario": "lab", "operations": ['), '--report', join(root, 'z'))).message).toMatch(/truncated\.json is not JSON/);
  });

  it('refuses a deadline that is not a duration', async () => {
    const file = save('ok.json', compareFixture());
    expect((await failure(file, '--report', join(root, 'w'), '--deadline', 'soon')).message).toContain('--deadline');
    expect(existsSync(join(root, 'w'))).toBe(false);
  });
});
