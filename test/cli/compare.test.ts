import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/app/flags.js';
import { compareCommand } from '../../src/cli/compare.js';
import { ProgressBar, renderBar } from '../../src/app/progress-bar.js';
import { UserError } from '../../src/domain/errors.js';
import { formatDuration } from '../../src/domain/units.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { CompareResult } from '../../src/core/compare-result.js';
import { lowerBound } from '../../src/sim/lower-bound.js';
import { runSeeds } from '../../src/sim/run-seeds.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const LAB = join(ROOT, 'scenarios/small-lab.yaml');
const BUILT = join(ROOT, 'dist/src/cli/compare.js');

/** Runs the compiled `compare` command in a child process (real stdout, stderr not a TTY). */
async function compareBuilt(args: string[], cwd: string) {
  const runner = join(cwd, 'run-compare.mjs');
  writeFileSync(runner, `const { compareCommand } = await import(${JSON.stringify(pathToFileURL(BUILT).href)});\nawait compareCommand().parseAsync(process.argv.slice(2), { from: 'user' });\n`);
  return run(process.execPath, [runner, ...args], { cwd });
}

describe('svmig compare (built)', () => {
  it('prints one row per policy, the winner and the bound, and writes the result JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-compare-'));
    const policies = ['field', 'fixed:4', 'fixed:8'];
    const { stdout, stderr } = await compareBuilt([LAB, '--policies', policies.join(','), '--runs', '4', '--seed', '11', '--deadline', '30d', '--workers', '2'], dir);
    expect(stderr).toBe(''); // no progress bar when stderr is not a terminal

    // Default output file: reports/<file>.compare.<fingerprint>.json under the working directory.
    const [name, ...others] = readdirSync(join(dir, 'reports'));
    expect(others).toEqual([]);
    expect(name).toMatch(/^small-lab\.compare\.[0-9a-f]{8}\.json$/);
    const out = join(dir, 'reports', name!);
    const json = JSON.parse(readFileSync(out, 'utf8')) as CompareResult;
    expect(json).toMatchObject({ scenario: 'small-lab', seed: 11, runs: 4, deadlineSeconds: 30 * 86400 });
    // The bound, worked out in this process from the same file, independently of the runner.
    expect(json.lowerBoundSeconds).toBeCloseTo(lowerBound(loadScenario(LAB)).seconds, 6);
    expect(json.policies.map((p) => p.policy)).toEqual(policies);
    for (const p of json.policies) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['policy', 'p50Seconds', 'p90Seconds', 'p99Seconds', 'deadlineProbability', 'vmotions', 'apiCalls', 'runs']));
      expect(p.p50Seconds).toBeLessThanOrEqual(p.p90Seconds);
      expect(p.p90Seconds).toBeLessThanOrEqual(p.p99Seconds);
      expect(p.p50Seconds).toBeGreaterThanOrEqual(json.lowerBoundSeconds);
      // 11 TiB at no less than one 250 MB/s stream at a time ends well within 30 days.
      expect(p.deadlineProbability).toBe(1);
      expect(p.runs.map((r) => r.seed)).toEqual(runSeeds(11, 4));
    }

    const lines = stdout.split('\n');
    expect(lines[0]).toBe('small-lab · 4 runs per policy · seed 11 · deadline 30d 00h 00m');
    // Rows best first, by the ranking the result names.
    expect(json.ranking).toHaveLength(3);
    json.ranking!.forEach((policy, i) => {
      const cells = lines[3 + i]!.trim().split(/ {2,}/);
      const p = json.policies.find((x) => x.policy === policy)!;
      expect(cells.slice(0, 2)).toEqual([String(i + 1), policy]);
      expect(cells.slice(5, 9)).toEqual([formatDuration(p.p50Seconds), formatDuration(p.p90Seconds), formatDuration(p.p99Seconds), '100.0 %']);
    });
    // Nothing fails in the small lab: no VM is left, every run meets the deadline, so P90 decides.
    const best = [...json.policies].sort((a, b) => a.p90Seconds - b.p90Seconds)[0]!;
    expect(json.winner).toBe(best.policy);
    expect(stdout).toMatch(new RegExp(`Winner: ${best.policy}, P90 ${formatDuration(best.p90Seconds)}`));
    expect(stdout).toContain(`Lower bound: ${formatDuration(json.lowerBoundSeconds)}, set by ${json.lowerBound.binding}`);
    expect(stdout).toContain(`Result written to ${join('reports', name!)}`);
    // What bound each policy, from one run of each on the first run's seed, best first.
    const bound = stdout.slice(stdout.indexOf(`What bound each policy (one run of each, seed ${runSeeds(11, 1)[0]}):`));
    expect(bound.length).toBeLessThan(stdout.length);
    const named = json.ranking!.map((policy) => bound.indexOf(`\n    ${policy}: `));
    expect(named.every((at) => at > 0)).toBe(true);
    expect(named).toEqual([...named].sort((a, b) => a - b));
  });

  it('details the winner in its report, not the first policy listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-compare-'));
    // One copy at a time per cluster cannot beat eight: fixed:8 wins on P90 though listed second.
    await compareBuilt([LAB, '--policies', 'fixed:1,fixed:8', '--runs', '2', '--out', join(dir, 'lab.json'), '--report', join(dir, 'report')], dir);
    const json = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as CompareResult;
    expect(json.winner).toBe('fixed:8');
    const page = readFileSync(join(dir, 'report', 'summary.md'), 'utf8');
    expect(page).toContain('One run in detail: policy fixed:8');
    expect(page).not.toContain('One run in detail: policy fixed:1');
  });

  it('no run beats the lower bound: a deadline below it is met by none, and the exit code says it was missed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-compare-'));
    const out = join(dir, 'lab.json');
    const bound = lowerBound(loadScenario(LAB)).seconds;
    const deadline = `${Math.floor(bound * 0.9)}s`;
    const failed = (await compareBuilt([LAB, '--policies', 'fixed:2,fixed:16', '--runs', '3', '--deadline', deadline, '--out', out], dir).catch((e: unknown) => e)) as {
      code: number;
      stdout: string;
    };
    expect(failed.code).toBe(5);
    const stdout = failed.stdout;
    const json = JSON.parse(readFileSync(out, 'utf8')) as CompareResult;
    expect(json.policies.map((p) => p.deadlineProbability)).toEqual([0, 0]);
    expect(stdout.split('\n').slice(3, 5).every((l) => l.includes('  0.0 %'))).toBe(true);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});

describe('svmig compare: bad input', () => {
  const parse = (args: string[]) => compareCommand().exitOverride().parseAsync(args, { from: 'user' });
  const dir = mkdtempSync(join(tmpdir(), 'svmig-compare-bad-'));
  const out = join(dir, 'never.json');

  it.each([
    [['--policies', 'field,warp-speed'], /unknown policy "warp-speed"/],
    [['--policies', 'field,,fixed:4'], /--policies "field,,fixed:4" has an empty entry/],
    [['--policies', 'fixed:4,fixed:4'], /policy "fixed:4" is listed twice/],
    [['--runs', '0'], /--runs must be a positive whole number, not "0"/],
    [['--runs', '2.5'], /--runs must be a positive whole number, not "2.5"/],
    [['--runs', 'many'], /--runs must be a positive whole number/],
    [['--workers', '0'], /--workers must be a positive whole number/],
    [['--deadline', 'soon'], /--deadline "soon" is not a duration/],
    [['--deadline', '0d'], /--deadline "0d" is not a duration longer than zero/],
    [['--seed', 'x'], /--seed must be a whole number/],
  ])('%j is refused in one sentence, writing nothing', async (args, message) => {
    const err = await parse([LAB, '--runs', '2', '--workers', '1', '--out', out, ...args]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.trim().split(/(?<=\.)\s/)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('names a scenario file that does not exist', async () => {
    const err = await parse([join(dir, 'missing.yaml'), '--out', out]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('missing.yaml');
  });

  it('splits --policies on commas, trimming blanks', () => {
    expect(parsePolicies('field, fixed:4 ,adaptive+retries:3')).toEqual(['field', 'fixed:4', 'adaptive+retries:3']);
  });
});

describe('progress bar', () => {
  it('draws the share done', () => {
    expect(renderBar('Simulating', 15, 60)).toBe(`Simulating [${'█'.repeat(8)}${'░'.repeat(22)}]  25 %  15/60`);
    expect(renderBar('Simulating', 60, 60)).toBe(`Simulating [${'█'.repeat(30)}] 100 %  60/60`);
  });

  it('redraws at most every 100 ms, always at the end, and erases itself', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ write: (t: string) => written.push(t) }, 'Run', () => now);
    bar.update(1, 4); // drawn
    now = 50;
    bar.update(2, 4); // too soon
    now = 150;
    bar.update(3, 4); // drawn
    now = 160;
    bar.update(4, 4); // the end: drawn
    bar.clear();
    expect(written).toEqual([`\r${renderBar('Run', 1, 4)}`, `\r${renderBar('Run', 3, 4)}`, `\r${renderBar('Run', 4, 4)}`, '\r\x1b[2K']);
  });
});
