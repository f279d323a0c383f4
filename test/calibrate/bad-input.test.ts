// What calibrate and forecast cannot learn from, through the compiled CLI: a journal of another
// plan, an empty pilot, a pilot whose copies all failed. Each gets one sentence naming the file,
// exit code 2, no stack trace, and no file written.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/app/plan.js';
import { loadScenario } from '../../src/scenario/load.js';

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

const line = (r: object) => JSON.stringify(r);
let dir = '';
let planPath = '';
let planHash = '';

/** A journal of the plan with `records` between its open and close. */
function journal(name: string, records: object[], hash = planHash): string {
  const path = join(dir, name);
  const at = '2026-12-01T08:00:00.000Z';
  writeFileSync(path, [line({ type: 'open', at, plan: hash, pid: 1 }), ...records.map(line), line({ type: 'close', at: '2026-12-01T09:00:00.000Z', reason: 'finished' }), ''].join('\n'));
  return path;
}

/** One sentence on stderr, exit code 2, nothing written. */
function refused(r: { stderr: string; code: number }, ...words: RegExp[]): void {
  expect(r.code).toBe(2);
  const text = r.stderr.trim();
  expect(text.split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
  for (const w of words) expect(text).toMatch(w);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'svmig-calibrate-bad-'));
  const s = loadScenario(LAB);
  planPath = join(dir, 'plan.json');
  writeFileSync(planPath, JSON.stringify(buildPlan(s, 'fixed:4', 1, { p50Seconds: 0, p90Seconds: 0, runs: 1, lowerBoundSeconds: null })));
  planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
});

describe('calibrate and forecast refuse what they cannot learn from', () => {
  const failedCopy = (op: number, vm: string) => [
    { type: 'intent', at: '2026-12-01T08:00:01.000Z', op, vm, kind: 'svmotion', host: 'esx01', bytes: 1e11, target: 'NEW-01', sources: ['OLD-01'] },
    { type: 'submitted', at: '2026-12-01T08:00:01.100Z', op, task: `task-${op}` },
    { type: 'started', at: '2026-12-01T08:00:01.200Z', op },
    { type: 'ended', at: '2026-12-01T08:05:00.000Z', op, outcome: 'failed', reason: 'Insufficient disk space on datastore', transient: false },
  ];

  it('an empty pilot: the journal holds no migration', async () => {
    const empty = journal('empty.jsonl', []);
    const out = join(dir, 'never.yaml');
    refused(await svmig(dir, 'calibrate', LAB, '--from', empty, '--out', out), /empty\.jsonl holds no migration/);
    expect(existsSync(out)).toBe(false);
    refused(await svmig(dir, 'forecast', planPath, '--journal', empty), /empty\.jsonl holds no migration/);
  });

  it('a pilot whose copies all failed: no finished copy to learn a rate from', async () => {
    const failed = journal('failed.jsonl', [...failedCopy(1, 'dc01'), ...failedCopy(2, 'sql03')]);
    const out = join(dir, 'never.yaml');
    refused(await svmig(dir, 'calibrate', LAB, '--from', failed, '--out', out), /every one of the 2 svMotion\(s\) in .*failed\.jsonl failed \(dc01: Insufficient disk space/);
    expect(existsSync(out)).toBe(false);
    refused(await svmig(dir, 'forecast', planPath, '--journal', failed), /every one of the 2 svMotion\(s\) that ended in .*failed\.jsonl failed/);
  });

  it('a journal of another plan: forecast names both plans, calibrate the VMs its scenario does not know', async () => {
    const other = journal('other.jsonl', failedCopy(1, 'dc01'), 'f'.repeat(64));
    refused(await svmig(dir, 'forecast', planPath, '--journal', other), /other\.jsonl belongs to another plan than .*plan\.json \(it was written for plan ffffffffffff/);
    const elsewhere = journal('elsewhere.jsonl', failedCopy(1, 'payroll-db-07'));
    refused(await svmig(dir, 'calibrate', LAB, '--from', elsewhere), /none of the 1 migration\(s\) in .*elsewhere\.jsonl is of a VM that .*small-lab\.yaml knows \(payroll-db-07\)/);
  });
});
