// svmig as a Unix command, run as a user runs it (the built CLI in a child process): --version,
// --help with examples for every command, exit codes, --json summaries on stdout and nothing else
// there, `-o -` for the result itself, a closed pipe that ends quietly, and the report without the
// optional PNG renderer.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PNG_MISSING_NOTE } from '../../src/report/render.js';
import { csvFolder, csvText } from '../inventory/helpers.js';
import { PNG_INSTALLED, WITHOUT_PNG } from '../report/png.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/svmig.js');
const LAB = join(ROOT, 'scenarios/small-lab.yaml');
const SEED = join(ROOT, 'scenarios/seed-estate.yaml');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const dir = mkdtempSync(join(tmpdir(), 'svmig-unix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `svmig <args>` in a child process (stdout and stderr pipes, not terminals); `nodeArgs` go before the script. */
function svmig(args: string[], nodeArgs: string[] = []): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, BIN, ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : err ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const keys = (o: object) => Object.keys(o);

describe('--version and --help', () => {
  it('prints the version of package.json alone, however it is asked', async () => {
    for (const args of [['--version'], ['-V'], ['--debug', '--version']]) {
      const r = await svmig(args);
      expect(r, args.join(' ')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('gives every command worked examples of itself', async () => {
    const commands = [['simulate'], ['compare'], ['sweep'], ['policies'], ['report'], ['inventory'], ['inventory', 'import'], ['inventory', 'show'], ['inventory', 'pull'], ['plan'], ['run']];
    for (const command of commands) {
      const r = await svmig([...command, '--help']);
      expect(r.code, command.join(' ')).toBe(0);
      const examples = r.stdout.slice(r.stdout.indexOf('\nExamples:\n'));
      expect(examples, command.join(' ')).not.toBe(r.stdout);
      // Each example is a command line of this very command (a password variable may come first).
      const lines = examples.split('\n').filter((l) => l.startsWith('  $ '));
      expect(lines.length, command.join(' ')).toBeGreaterThanOrEqual(2);
      // (The policies help shows a policy in use, with simulate.)
      const own = new RegExp(`^svmig ${command.join(' ')}( |$)|^svmig simulate `);
      for (const l of lines) expect(l.replace(/^ {2}\$ (SVMIG_PASSWORD=… )?/, ''), command.join(' ')).toMatch(own);
    }
  });

  it('lists the exit codes in the main help', async () => {
    const r = await svmig(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/Exit codes: 0 done, 1 a fault in svmig itself, 2 bad input, 3 vCenter unreachable .*, 4 some VMs could not be moved, 5 --deadline missed, 130 interrupted/);
  });
});

describe('exit codes', () => {
  it.each([
    [['simulat', LAB], /unknown command 'simulat'/],
    [['simulate', LAB, '--polcy', 'field'], /unknown option '--polcy'/],
    [['simulate'], /missing required argument 'scenario'/],
    [['inventory', 'show'], /missing required argument 'estate'/],
    [['plan', LAB, '--out'], /option '-o, --out <file>' argument missing/],
    [[], /Usage: svmig/],
  ])('%j is a usage error: 2, and a word on stderr only', async (args, message) => {
    const r = await svmig(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('2 for a file that is not there, in one sentence', async () => {
    const r = await svmig(['simulate', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.yaml');
  });

  it('5 when the simulated campaign misses --deadline, with the result written all the same; 0 when it meets it', async () => {
    const out = join(dir, 'deadline.json');
    const missed = await svmig(['simulate', LAB, '--deadline', '1h', '-o', out]);
    expect(missed.code).toBe(5);
    expect(missed.stdout).toMatch(/Deadline 1h 00m: MISSED by /);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { makespanSeconds: number };
    expect(result.makespanSeconds).toBeGreaterThan(3600);
    const met = await svmig(['simulate', LAB, '--deadline', '30d', '-o', out]);
    expect(met.code).toBe(0);
    expect(met.stdout).toMatch(/Deadline 30d 00h 00m: met, with /);
  });

  it('5 when even the best policy misses the deadline in more than one run in ten', async () => {
    const r = await svmig(['simulate', LAB, '--runs', '3', '--workers', '1', '--deadline', '1h', '-o', join(dir, 'runs.json')]);
    expect(r.code).toBe(5);
  });
});

describe('--json', () => {
  it('simulate: the summary as one JSON document on stdout, keys as documented, figures as in the result file', async () => {
    const out = join(dir, 'json-run.json');
    const r = await svmig(['simulate', LAB, '--json', '--deadline', '30d', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(keys(summary)).toEqual(['kind', 'scenario', 'policy', 'seed', 'makespanSeconds', 'bytesMoved', 'vms', 'throughput', 'operations', 'apiCalls', 'busiestLinks', 'deadline', 'files', 'calendar', 'end', 'openSeconds', 'windowMisfits', 'explanation', 'longPoles']);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { makespanSeconds: number; bytesMoved: number; vmCount: number; summary: { apiCalls: number } };
    expect(summary).toMatchObject({
      kind: 'run',
      scenario: 'small-lab',
      makespanSeconds: result.makespanSeconds,
      bytesMoved: result.bytesMoved,
      apiCalls: result.summary.apiCalls,
      deadline: { seconds: 30 * 86400, met: true, marginSeconds: 30 * 86400 - result.makespanSeconds },
      files: { result: out, report: null },
    });
    expect(keys(summary.vms as object)).toEqual(['inScope', 'moved', 'failed', 'skipped']);
    expect((summary.vms as { inScope: number }).inScope).toBe(result.vmCount);
    // What bound the run, in a sentence or two; the long poles: copies ending in its last tenth, longest first.
    expect((summary.explanation as string[]).length).toBeGreaterThanOrEqual(1);
    const poles = summary.longPoles as Array<{ finishedAt: number; seconds: number }>;
    expect(poles.length).toBeGreaterThan(0);
    for (const p of poles) expect(p.finishedAt).toBeGreaterThanOrEqual(0.9 * result.makespanSeconds);
    expect(poles.map((p) => p.seconds)).toEqual([...poles.map((p) => p.seconds)].sort((a, b) => b - a));
  });

  it('compare: one entry per policy, the winner, and the deadline verdict', async () => {
    const r = await svmig(['compare', LAB, '--policies', 'fixed:2,fixed:8', '--runs', '3', '--workers', '1', '--deadline', '30d', '--json', '-o', join(dir, 'json-compare.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as { kind: string; policies: Array<Record<string, unknown>>; winner: string; deadline: { met: boolean } };
    expect(keys(summary)).toEqual(['kind', 'scenario', 'seed', 'runs', 'lowerBound', 'policies', 'winner', 'ranking', 'verdict', 'calendar', 'deadline', 'files']);
    expect(summary.kind).toBe('comparison');
    expect(summary.policies.map((p) => p['policy'])).toEqual(['fixed:2', 'fixed:8']);
    expect(keys(summary.policies[0]!)).toEqual([
      'policy',
      'p50Seconds',
      'p90Seconds',
      'p99Seconds',
      'meanSeconds',
      'deadlineShare',
      'bytesPerHour',
      'vmotions',
      'apiCalls',
      'firstLegacyEmptyP50Seconds',
      'lastLegacyEmptyP50Seconds',
      'ratioToLowerBound',
      'rank',
      'vmsMoved',
      'vmsFailed',
      'vmsSkipped',
      'vmsLeft',
      'queuedSeconds',
      'legacyDatastores',
      'legacyDatastoresEmptiedP50',
      'allLegacyEmptyP50Seconds',
      'explanation',
    ]);
    // What bound each policy: a sentence or two from one run of it.
    for (const p of summary.policies) expect((p['explanation'] as string[]).length).toBeGreaterThanOrEqual(1);
    // The winner has the smaller P90 of the two.
    const [a, b] = summary.policies as Array<{ policy: string; p90Seconds: number }>;
    expect(summary.winner).toBe(a!.p90Seconds <= b!.p90Seconds ? a!.policy : b!.policy);
    expect(summary.deadline.met).toBe(true);
  });

  it('plan: what the plan moves and its prediction', async () => {
    const out = join(dir, 'json-plan.json');
    const r = await svmig(['plan', LAB, '--policy', 'fixed:4', '--runs', '2', '--json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    const plan = JSON.parse(readFileSync(out, 'utf8')) as { vms: Array<{ bytes: number }>; prediction: { p50Seconds: number }; schedule: unknown[] };
    expect(keys(summary)).toEqual(['kind', 'scenario', 'policy', 'seed', 'vms', 'bytes', 'skipped', 'prediction', 'files', 'scheduledWindows', 'vmsPerDisk', 'remediationTasks', 'vmsGuarded']);
    expect(summary.scheduledWindows).toBe(plan.schedule.length);
    // The small lab has no datastore map, spread rule, remediation or DRS guard.
    expect(summary).toMatchObject({ kind: 'plan', policy: 'fixed:4', vms: plan.vms.length, bytes: plan.vms.reduce((s, v) => s + v.bytes, 0), files: { plan: out }, vmsPerDisk: 0, remediationTasks: 0, vmsGuarded: 0 });
    expect((summary.prediction as { p50Seconds: number }).p50Seconds).toBe(plan.prediction.p50Seconds);
  });

  it('plan: per-disk targets, remediation tasks and guarded VMs, counted in the summary and said in words', async () => {
    const out = join(dir, 'json-plan-guarded.json');
    const r = await svmig(['plan', join(ROOT, 'scenarios/lab-guarded.yaml'), '--runs', '2', '--json', '-o', out]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    const plan = JSON.parse(readFileSync(out, 'utf8')) as { vms: Array<{ vm: string; disks?: unknown[]; remediation?: string[]; drsOverride?: boolean }> };
    // Every VM of the lab-guarded estate sits on a mapped datastore, so all 12 go disk by disk; 3
    // snapshot removals and 1 consolidation; every VM guarded but app02, whose own override is manual.
    expect(summary).toMatchObject({ vms: 12, vmsPerDisk: 12, remediationTasks: 4, vmsGuarded: 11 });
    expect(plan.vms.filter((v) => v.drsOverride !== true).map((v) => v.vm)).toEqual(['app02']);
    const words = await svmig(['plan', join(ROOT, 'scenarios/lab-guarded.yaml'), '--runs', '2', '-o', join(dir, 'words.json')]);
    expect(words.stdout).toMatch(/per-disk targets: 12 VMs \(\d+ over several datastores\)/);
    expect(words.stdout).toMatch(/remediation first: 4 tasks on 4 VMs \(consolidate-disks 1, remove-all-snapshots 3\)/);
    expect(words.stdout).toMatch(/DRS overrides: 11 VMs kept partially automated while copied, then put back/);
  });

  it('inventory show: the estate summary', async () => {
    const csv = await csvFolder({
      'RVTools_tabvInfo.csv': csvText([
        ['VM', 'Powerstate', 'Template', 'Memory', 'Path', 'Cluster', 'Host', 'VM ID'],
        ['web01', 'poweredOn', 'False', '4096', '[OLD_01] web01/web01.vmx', 'Prod', 'esx1', 'vm-1'],
      ]),
      'RVTools_tabvDisk.csv': csvText([
        ['VM', 'Disk', 'Capacity MiB', 'Thin', 'Path', 'VM ID'],
        ['web01', 'Hard disk 1', '102400', 'False', '[OLD_01] web01/web01.vmdk', 'vm-1'],
      ]),
    });
    const estate = join(dir, 'estate.json');
    expect((await svmig(['inventory', 'import', csv, '--legacy', '^OLD_', '-o', estate])).code).toBe(0);
    const r = await svmig(['inventory', 'show', estate, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { kind: string; file: string; totals: { vms: number; toMoveBytes: number } };
    expect(keys(summary)).toEqual(['kind', 'file', 'vcenter', 'clusters', 'datastores', 'arrays', 'standaloneHosts', 'totals', 'blockerKinds', 'blockedVms', 'warningKinds']);
    // One VM with one thick 100 GiB disk on a legacy datastore.
    expect(summary).toMatchObject({ kind: 'estate', file: estate, totals: { vms: 1, toMoveBytes: 102400 * 2 ** 20 } });
  });

  it('is refused together with -o -, both being stdout, in one sentence', async () => {
    const r = await svmig(['simulate', LAB, '--json', '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('svmig: give --json or -o -, not both: each writes to standard output.\n');
  });
});

describe('-o -', () => {
  it('simulate: the result JSON on stdout, byte for byte what -o <file> writes; the summary on stderr', async () => {
    const file = join(dir, 'to-file.json');
    expect((await svmig(['simulate', LAB, '-o', file])).code).toBe(0);
    const r = await svmig(['simulate', LAB, '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    expect(r.stderr).toMatch(/^small-lab · policy .* · seed 1\n/);
    expect(r.stderr).not.toMatch(/written to/);
  });

  it('compare and plan: the result on stdout, nothing written under reports/', async () => {
    const compare = await svmig(['compare', LAB, '--policies', 'fixed:2', '--runs', '2', '--workers', '1', '-o', '-']);
    expect(compare.code).toBe(0);
    expect((JSON.parse(compare.stdout) as { runs: number }).runs).toBe(2);
    const plan = await svmig(['plan', LAB, '--runs', '1', '-o', '-']);
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as { format: string }).format).toBe('svmig-plan');
    expect(plan.stderr).toMatch(/VMs to move/);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });
});

describe('a closed pipe', () => {
  it('ends quietly: `svmig simulate … -o - | head -c 100` prints no EPIPE error and keeps its exit code', () => {
    // The seed estate's result is about 1.4 MB: far more than a pipe holds, so svmig is still
    // writing when head has its 100 bytes and closes the pipe.
    const script = `"${process.execPath}" "${BIN}" simulate "${SEED}" -o - 2>"${join(dir, 'pipe-err.txt')}" | head -c 100 >/dev/null; echo "svmig exit \${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('svmig exit 0\n');
    const stderr = readFileSync(join(dir, 'pipe-err.txt'), 'utf8');
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    // The summary (on stderr with -o -) still came out whole: svmig finished its work.
    expect(stderr).toMatch(/Busiest links/);
  });
});

describe('the report without the PNG renderer', () => {
  it('writes the page, the Markdown and the CSV, and says once, in one sentence, how to get the PNGs', async () => {
    const report = join(dir, 'no-png');
    const r = await svmig(['simulate', LAB, '-o', join(dir, 'no-png.json'), '--report', report], ['--import', WITHOUT_PNG]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`svmig: ${PNG_MISSING_NOTE}\n`);
    expect(r.stdout).toContain(`Report written to ${join(report, 'index.html')}`);
    expect(readdirSync(report).sort()).toEqual(['index.html', 'operations.csv', 'schedule.csv', 'summary.md']);
    expect(readFileSync(join(report, 'index.html'), 'utf8')).toContain('<canvas id="chart-cumulative"');
  });

  it('says it once for a comparison too, however many charts and policies', async () => {
    const report = join(dir, 'no-png-compare');
    const r = await svmig(['compare', LAB, '--policies', 'fixed:2,fixed:8', '--runs', '2', '--workers', '1', '-o', join(dir, 'c.json'), '--report', report], ['--import', WITHOUT_PNG]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`svmig: ${PNG_MISSING_NOTE}\n`);
    expect(readdirSync(report).filter((f) => f.endsWith('.png'))).toEqual([]);
  });

  it('and as this machine has it: PNGs where the renderer is installed, the sentence where it is not', async () => {
    const report = join(dir, 'as-installed');
    const r = await svmig(['simulate', LAB, '-o', join(dir, 'as-installed.json'), '--report', report]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(PNG_INSTALLED ? '' : `svmig: ${PNG_MISSING_NOTE}\n`);
    expect(readdirSync(report).filter((f) => f.endsWith('.png'))).toHaveLength(PNG_INSTALLED ? 6 : 0);
  });
});
