// The compiled CLI with what-ifs: --set on simulate, compare and plan; --deadline as a date; and
// default result files that never replace the result of other inputs.

import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/svmig.js');
const LAB = join(ROOT, 'scenarios/small-lab.yaml');

async function svmig(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const results = (dir: string) => readdirSync(join(dir, 'reports')).sort();
const written = (stdout: string) => /Result written to (\S+)/.exec(stdout)![1]!;

describe('default result files', () => {
  it('keeps the result of a copied scenario (same name:, other content) apart from the original', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-out-'));
    copyFileSync(LAB, join(dir, 'lab.yaml'));
    // The copy keeps `name: small-lab` and changes one figure.
    const copy = readFileSync(LAB, 'utf8').replace(/perCopyRate: 250MB\/s/, 'perCopyRate: 120MB/s');
    expect(copy).not.toBe(readFileSync(LAB, 'utf8'));
    writeFileSync(join(dir, 'lab-slow.yaml'), copy);

    const original = written((await svmig(dir, 'simulate', 'lab.yaml')).stdout);
    const slow = written((await svmig(dir, 'simulate', 'lab-slow.yaml')).stdout);
    expect(slow).not.toBe(original);
    expect(results(dir)).toHaveLength(2);
    const first = readFileSync(join(dir, original), 'utf8');
    expect(readFileSync(join(dir, slow), 'utf8')).not.toBe(first);

    // One file, edited between two runs: two results, the first one intact.
    writeFileSync(join(dir, 'site.yaml'), copy);
    const before = written((await svmig(dir, 'simulate', 'site.yaml')).stdout);
    const beforeText = readFileSync(join(dir, before), 'utf8');
    writeFileSync(join(dir, 'site.yaml'), readFileSync(LAB, 'utf8'));
    const after = written((await svmig(dir, 'simulate', 'site.yaml')).stdout);
    expect(after).not.toBe(before);
    expect(after.startsWith(join('reports', 'site.field.seed1.'))).toBe(true);
    expect(readFileSync(join(dir, before), 'utf8')).toBe(beforeText);
    expect(readFileSync(join(dir, after), 'utf8')).toBe(first);
    expect(readFileSync(join(dir, original), 'utf8')).toBe(first);
  });

  it('gives each --set, policy and seed its own file, and the same inputs the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-out-'));
    const plain = written((await svmig(dir, 'simulate', LAB)).stdout);
    expect(plain).toMatch(/^reports[/\\]small-lab\.field\.seed1\.[0-9a-f]{8}\.json$/);
    const again = written((await svmig(dir, 'simulate', LAB)).stdout);
    expect(again).toBe(plain);
    const set = written((await svmig(dir, 'simulate', LAB, '--set', 'fabric.perCopyRate=120MB/s')).stdout);
    const other = written((await svmig(dir, 'simulate', LAB, '--set', 'fabric.perCopyRate=100MB/s')).stdout);
    const seed = written((await svmig(dir, 'simulate', LAB, '--seed', '2')).stdout);
    const policy = written((await svmig(dir, 'simulate', LAB, '--policy', 'fixed:4')).stdout);
    expect(new Set([plain, set, other, seed, policy]).size).toBe(5);
    expect(results(dir)).toHaveLength(5);
    // The --set took effect: 50 VMs, one copy at a time per cluster of 4 hosts under field, each
    // copy capped by the per-copy rate, so a slower rate gives a longer campaign.
    const makespan = (f: string) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { makespanSeconds: number }).makespanSeconds;
    expect(makespan(other)).toBeGreaterThan(makespan(set));
    expect(makespan(set)).toBeGreaterThan(makespan(plain));
  });

  it('names compare results by their inputs too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-out-'));
    const a = written((await svmig(dir, 'compare', LAB, '--runs', '2', '--policies', 'field,fixed:4')).stdout);
    const b = written((await svmig(dir, 'compare', LAB, '--runs', '2', '--policies', 'field,fixed:4', '--set', 'campaign.jitter=10%')).stdout);
    const c = written((await svmig(dir, 'compare', LAB, '--runs', '3', '--policies', 'field,fixed:4')).stdout);
    expect(a).toMatch(/^reports[/\\]small-lab\.compare\.[0-9a-f]{8}\.json$/);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('--set on the command line', () => {
  it('reaches simulate, compare and plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-set-'));
    const r = await svmig(dir, 'simulate', LAB, '--set', 'fabric.perCopyRate=100MB/s', '--set', 'seed=4', '-o', 'sim.json');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8'))).toMatchObject({ seed: 4 });
    const p = await svmig(dir, 'plan', LAB, '--runs', '1', '--set', 'fabric.perCopyRate=100MB/s', '-o', 'plan.json');
    expect(p.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).scenario.fabric.perCopyRate).toBe(100e6);
    const c = await svmig(dir, 'compare', LAB, '--runs', '1', '--policies', 'fixed:2', '--set', 'fabric.perCopyRate=100MB/s', '-o', 'cmp.json');
    expect(c.code).toBe(0);
  });

  it('refuses a bad one in one sentence naming it, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-set-'));
    const bad = await svmig(dir, 'simulate', LAB, '--set', 'fabric.perCopyRate=fast');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('svmig: --set fabric.perCopyRate: "fast" is not a rate (write it like 800MB/s or 1.5GiB/s)\n');
    const missing = await svmig(dir, 'compare', LAB, '--set', 'fabric.arrays[5].frontEndPorts=16');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^svmig: --set fabric\.arrays\[5\]\.frontEndPorts: fabric\.arrays has 2 entries/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--deadline as a date', () => {
  it('reads it in the campaign zone and gives start, end and deadline as dates and durations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-date-'));
    // Saturday 5 Dec 2026 20:00 CET; the deadline Sunday 6 Dec 02:00 CET is 6 hours later.
    const r = await svmig(dir, 'simulate', LAB, '--set', 'campaign.start=2026-12-05T20:00 Europe/Paris', '--deadline', '2026-12-06T02:00', '-o', 'r.json');
    const makespan = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { makespanSeconds: number }).makespanSeconds;
    expect(r.stdout).toMatch(/\n {2}Start {14}Sat 5 Dec 2026 20:00 CET\n/);
    // The end, worked out apart from svmig's own formatting: 19:00 UTC plus the makespan, in Paris.
    const end = new Date(Date.UTC(2026, 11, 5, 19) + Math.round(makespan) * 1000);
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const parts = Object.fromEntries(paris.formatToParts(end).map((p) => [p.type, p.value]));
    expect(r.stdout).toContain(`Makespan           ends ${parts['weekday']} ${parts['day']} ${parts['month']} ${parts['year']} ${parts['hour']}:${parts['minute']} CET (`);
    expect(r.stdout).toMatch(/\n {2}Deadline Sun 6 Dec 2026 02:00 CET \(6h 00m\): (met|MISSED)/);
    expect(r.stdout.includes('MISSED')).toBe(makespan > 6 * 3600);
  });

  it('needs campaign.start, and says so in one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmig-date-'));
    const r = await svmig(dir, 'compare', LAB, '--deadline', '2026-12-17T06:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'svmig: --deadline "2026-12-17T06:00" is a date, but the scenario has no campaign.start to count from: give a duration such as 14d, or set campaign.start.\n',
    );
  });
});
