// `svmig sweep` as a user runs it (the built CLI in a child process): the table, the result JSON
// under a name of its inputs and byte for byte the same when run again, --json and `-o -` on stdout,
// exit code 5 for a deadline no point meets, the report with the sweep chart and sweep.csv, `svmig
// report` on the saved sweep, and one sentence with exit code 2 for each bad input, nothing written.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/core/sweep-result.js';
import { SWEEP_COLUMNS } from '../../src/report/sweep-csv.js';
import { runSeeds } from '../../src/sim/run-seeds.js';
import { PNG_INSTALLED } from '../report/png.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/svmig.js');
const LAB = join(ROOT, 'scenarios/small-lab.yaml');

const dir = mkdtempSync(join(tmpdir(), 'svmig-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function svmig(args: string[], cwd = dir): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `svmig <args>` through one entry point's main() (the bundle or the compiled modules), in a child process. */
function through(entry: string, args: string[]): Promise<Ran> {
  const runner = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(runner, `const { main } = await import(${JSON.stringify(`file://${entry}`)});\nprocess.exitCode = await main(process.argv, '0.0.0-test');\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...args], { cwd: dir }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const GRID = ['--vary', 'policy.cluster=1,2,4', '--policies', 'field,fixed:2', '--runs', '3', '--seed', '4'];

describe('svmig sweep (built)', () => {
  it('prints a row per point and policy, writes the result under a name of its inputs, the same bytes when run again', async () => {
    const cwd = mkdtempSync(join(dir, 'run-'));
    const r = await svmig(['sweep', LAB, ...GRID, '--deadline', '30d'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [name, ...others] = readdirSync(join(cwd, 'reports'));
    expect(others).toEqual([]);
    expect(name).toMatch(/^small-lab\.sweep\.[0-9a-f]{8}\.json$/);
    const file = join(cwd, 'reports', name!);
    const bytes = readFileSync(file, 'utf8');
    const result = JSON.parse(bytes) as SweepResult;
    expect(result).toMatchObject({ kind: 'sweep', scenario: 'small-lab', seed: 4, runs: 3, deadlineSeconds: 30 * 86400, policies: ['field', 'fixed:2'] });
    expect(result.axes).toEqual([{ path: 'policy.cluster', kind: 'policy', values: ['1', '2', '4'] }]);
    expect(result.points.map((p) => p.cells.map((c) => c.spec))).toEqual([
      ['field+cluster:1', 'fixed:2+cluster:1'],
      ['field+cluster:2', 'fixed:2+cluster:2'],
      ['field+cluster:4', 'fixed:2+cluster:4'],
    ]);
    for (const p of result.points) for (const c of p.cells) expect(c.runs.map((x) => x.seed)).toEqual(runSeeds(4, 3));

    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('small-lab · sweep of policy.cluster × 3 · 3 runs per point and policy · seed 4 · deadline 30d 00h 00m');
    expect(lines[2]!.trim().split(/ {2,}/)).toEqual(['policy.cluster', 'Policy', 'P50', 'P90', '≤ 30d 00h 00m', 'VMs left', '× bound']);
    const rows = lines.slice(3, 9).map((l) => l.trim().split(/ {2,}/));
    expect(rows.map((c) => [c[0], c[1], c[4], c[5]])).toEqual(
      ['1', '2', '4'].flatMap((v) => [
        [v, 'field', '100.0 %', '0.0'],
        [v, 'fixed:2', '100.0 %', '0.0'],
      ]),
    );
    expect(r.stdout).toMatch(/\n {2}Best: field at policy\.cluster=4: P90 /);
    expect(r.stdout).toContain(`Result written to reports/${name}`);

    const again = await svmig(['sweep', LAB, ...GRID, '--deadline', '30d'], cwd);
    expect(again.code).toBe(0);
    expect(readdirSync(join(cwd, 'reports'))).toEqual([name]);
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    // Another seed is another result, beside it.
    await svmig(['sweep', LAB, ...GRID.slice(0, -1), '5'], cwd);
    expect(readdirSync(join(cwd, 'reports'))).toHaveLength(2);
  });

  it('--json prints the summary alone on stdout; -o - the result itself, the table on stderr; exit 5 when no point meets the deadline', async () => {
    const json = await svmig(['sweep', LAB, ...GRID, '--deadline', '1h', '--json', '-o', join(dir, 'j.json')]);
    expect(json.code).toBe(5);
    const summary = JSON.parse(json.stdout) as { kind: string; points: Array<{ values: Record<string, string>; cells: Array<{ policy: string; deadlineShare: number }> }>; deadline: { met: boolean }; files: { result: string } };
    expect(summary.kind).toBe('sweep');
    expect(summary.points.map((p) => p.values['policy.cluster'])).toEqual(['1', '2', '4']);
    expect(summary.points.flatMap((p) => p.cells.map((c) => c.deadlineShare))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(summary.deadline.met).toBe(false);
    expect(summary.files.result).toBe(join(dir, 'j.json'));
    // The result is written all the same.
    expect((JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8')) as SweepResult).kind).toBe('sweep');

    const piped = await svmig(['sweep', LAB, ...GRID, '-o', '-']);
    expect(piped.code).toBe(0);
    const result = JSON.parse(piped.stdout) as SweepResult;
    const withDeadline = JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8')) as SweepResult;
    expect(result.deadlineSeconds).toBeNull();
    expect(result.points).toEqual(withDeadline.points.map((p) => ({ ...p, cells: p.cells.map((c) => ({ ...c, deadlineProbability: null })) })));
    expect(piped.stderr).toMatch(/^small-lab · sweep of policy\.cluster × 3/);
  });

  it('writes the report with the sweep chart and sweep.csv, and `svmig report` draws a saved sweep again', async () => {
    const out = join(dir, 'rep.json');
    const report = join(dir, 'report');
    const r = await svmig(['sweep', LAB, '--vary', 'policy.cluster=1,2', '--vary', 'description==1+1,plain', '--runs', '2', '-o', out, '--report', report]);
    expect(r.code).toBe(0);
    expect(readdirSync(report).sort()).toEqual(['index.html', 'summary.md', 'sweep.csv', ...(PNG_INSTALLED ? ['sweep.png'] : [])].sort());
    const html = readFileSync(join(report, 'index.html'), 'utf8');
    expect(html).toContain('Makespan against policy.cluster');
    expect(html).toContain('<h2>Sweep</h2>');
    const csv = readFileSync(join(report, 'sweep.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe(['policy.cluster', 'description', ...SWEEP_COLUMNS].join(','));
    // A value a spreadsheet would run as a formula is written as text; numbers as numbers.
    expect(csv[1]).toMatch(/^1,"'=1\+1",field,field\+cluster:1,2,/);
    expect(csv[2]).toMatch(/^1,plain,field,field\+cluster:1,2,/);

    const again = join(dir, 'again');
    const saved = await svmig(['report', out, '--report', again, '--deadline', '20h']);
    expect(saved.code).toBe(0);
    const page = readFileSync(join(again, 'index.html'), 'utf8');
    expect(page).toContain('Makespan against policy.cluster');
    // Judged again against 20 h: the lab takes about 13.6 h at 1 per cluster, under 7 h at 2.
    expect(page).toContain('≤ 20h 00m');
    expect(readFileSync(join(again, 'sweep.csv'), 'utf8').split('\r\n')[1]).toMatch(/,1,0,0,[\d.]+,[\d.]+,[\d.]+,,,,72000$/);
  });

  it('gives each point of a sweep of campaign.start its own dates and its own distance to a deadline date', async () => {
    // Two starts a week apart, Europe/Paris in December (UTC+1), no change windows: the same seeds
    // give the same makespans at both points, so only the dates move. The deadline, Wed 9 Dec 08:00,
    // is 36 h after the first start (129,600 s) and 5 d 12 h before the second (-475,200 s): the
    // first point meets it, the second cannot.
    const starts = ['2026-12-07T20:00 Europe/Paris', '2026-12-14T20:00 Europe/Paris'];
    const startsUtc = [Date.parse('2026-12-07T19:00:00Z'), Date.parse('2026-12-14T19:00:00Z')];
    const out = join(dir, 'starts.json');
    const report = join(dir, 'starts-report');
    const args = ['sweep', LAB, '--set', `campaign.start=${starts[0]}`, '--vary', `campaign.start=${starts.join(',')}`, '--runs', '2', '--deadline', '2026-12-09T08:00'];
    const r = await svmig([...args, '-o', out, '--report', report]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = await svmig([...args, '-o', join(dir, 'starts-2.json'), '--json']);
    const summary = JSON.parse(json.stdout) as { points: Array<{ start: string; deadlineSeconds: number; cells: Array<{ p90Seconds: number; p90End: string; deadlineShare: number }> }>; deadline: { met: boolean } };
    const [a, b] = summary.points;
    expect(a!.cells[0]!.p90Seconds).toBe(b!.cells[0]!.p90Seconds);
    const p90 = Math.round(a!.cells[0]!.p90Seconds);
    expect(p90).toBeLessThan(36 * 3600);
    // Local time in Paris is UTC + 1 h in December.
    const local = (utc: number) => `${new Date(utc + p90 * 1000 + 3600_000).toISOString().slice(0, 19)}+01:00`;
    expect(summary.points.map((p) => [p.start, p.deadlineSeconds, p.cells[0]!.p90End, p.cells[0]!.deadlineShare])).toEqual([
      [starts[0], 129_600, local(startsUtc[0]!), 1],
      [starts[1], -475_200, local(startsUtc[1]!), 0],
    ]);
    expect(summary.deadline.met).toBe(true);

    // The table: each row's P90 end on its own start, a week apart; the best cell on its own calendar.
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('each point from its own start · deadline Wed 9 Dec 2026 08:00 CET');
    const ends = lines.slice(3, 5).map((l) => l.trim().split(/ {2,}/)[4]);
    const day = (utc: number) => new Date(utc + p90 * 1000 + 3600_000).getUTCDate();
    expect(ends[0]).toMatch(new RegExp(`^\\w{3} ${day(startsUtc[0]!)} Dec 2026 \\d{2}:\\d{2} CET$`));
    expect(ends[1]).toMatch(new RegExp(`^\\w{3} ${day(startsUtc[1]!)} Dec 2026 \\d{2}:\\d{2} CET$`));
    expect(ends[0]!.slice(-9)).toBe(ends[1]!.slice(-9));
    expect(lines.slice(3, 5).map((l) => l.trim().split(/ {2,}/)[5])).toEqual(['100.0 %', '0.0 %']);
    expect(r.stdout).toMatch(new RegExp(`Best: field at campaign\\.start=2026-12-07T20:00 Europe/Paris: P90 ends \\w{3} ${day(startsUtc[0]!)} Dec 2026`));

    // sweep.csv: each row's start and ends, and its own deadline in seconds.
    const csv = readFileSync(join(report, 'sweep.csv'), 'utf8').split('\r\n');
    const column = (name: string) => csv[0]!.split(',').indexOf(name);
    const cells = csv.slice(1, 3).map((l) => l.split(','));
    expect(cells.map((c) => [c[column('start')], c[column('p90_end')], Number(c[column('deadline_s')])])).toEqual([
      [starts[0], local(startsUtc[0]!), 129_600],
      [starts[1], local(startsUtc[1]!), -475_200],
    ]);
    // The saved sweep keeps each point's calendar: `svmig report` gives the same dates again.
    const again = join(dir, 'starts-again');
    expect((await svmig(['report', out, '--report', again])).code).toBe(0);
    expect(readFileSync(join(again, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(report, 'sweep.csv'), 'utf8'));
  });

  it('runs its workers from the bundle as from the compiled modules, to the same bytes', async () => {
    expect(existsSync(join(ROOT, 'dist/svmig/sweep-worker.js'))).toBe(true);
    const args = ['sweep', LAB, ...GRID, '--workers', '2'];
    const a = join(dir, 'bundle.json');
    const b = join(dir, 'modules.json');
    expect((await through(join(ROOT, 'dist/svmig/main.js'), [...args, '-o', a])).code).toBe(0);
    expect((await through(join(ROOT, 'dist/src/cli/main.js'), [...args, '-o', b])).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('refuses bad input in one sentence with exit code 2, before anything is written', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--vary', 'policy.cluster=4..1'], /^svmig: --vary policy\.cluster: "4\.\.1" ends below its start: write a range as FROM\.\.TO or FROM\.\.TO:STEP/],
      [['--vary', 'policy.cluster=1..x'], /^svmig: --vary policy\.cluster: "1\.\.x" is not a range/],
      [['--vary', 'fabric.perCopyRate=fast,250MB/s'], /^svmig: --vary fabric\.perCopyRate=fast: "fast" is not a rate/],
      [['--vary', 'fabric.arrays[5].frontEndPorts=4'], /^svmig: --vary fabric\.arrays\[5\]\.frontEndPorts=4: fabric\.arrays has 2 entries/],
      [['--vary', 'fabric.arrays[0].frontEndPorts=4,0'], /^svmig: --vary fabric\.arrays\[0\]\.frontEndPorts=0: must be at least 1, not 0/],
      [['--vary', 'fabric.perCopyRat=1GB/s'], /^svmig: --vary fabric\.perCopyRat=1GB\/s: /],
      [['--vary', 'policy.cluster=0'], /^svmig: --vary policy\.cluster=0: cluster:N needs a whole number of at least 1/],
      [['--vary', 'policy.cluster=2', '--policies', 'bogus'], /^svmig: unknown policy "bogus"/],
      [['--vary', 'policy.cluster=2', '--policies', 'field,field'], /^svmig: policy "field" is listed twice\.\n$/],
      [['--vary', 'policy.cluster=1..32', '--runs', '5000'], /^svmig: --runs 5000 at 32 grid points × 1 policy makes 160,000 runs, more than svmig's limit of 100,000/],
      [['--vary', 'policy.cluster=1', '--runs', '0'], /^svmig: --runs must be a positive whole number, not "0"\.\n$/],
      [['--vary', 'policy.cluster=1', '--deadline', 'soon'], /^svmig: --deadline /],
      [['--vary', 'policy.cluster=1', '--json', '-o', '-'], /^svmig: give --json or -o -, not both/],
      [[], /^svmig: a sweep needs at least one --vary path=values/],
      // The file with its --set changes is checked before any grid point, and its faults are its own.
      [['--set', 'fabric.perCopyRate=fast', '--vary', 'fabric.perCopyRate=1GB/s'], /^svmig: --set fabric\.perCopyRate: "fast" is not a rate/],
    ];
    for (const [args, message] of cases) {
      const cwd = mkdtempSync(join(dir, 'bad-'));
      const r = await svmig(['sweep', LAB, ...args, '--report', 'rep'], cwd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(readdirSync(cwd), args.join(' ')).toEqual([]);
    }
  });
});
