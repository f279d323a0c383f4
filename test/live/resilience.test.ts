import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { type JournalType, startLab, vmsAllOn, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('svmig run: failures, sessions, kills', () => {
  it('notices a failed task, retries it as the policy says, and ends', async () => {
    lab = await startLab({ fixedMs: 100 });
    // file02 fails once (at 50 %), then moves; sql03 fails every time.
    await lab.sim.injectFault({ vm: 'file02', message: 'simulated storage error', times: 1 });
    await lab.sim.injectFault({ vm: 'sql03', message: 'simulated permanent trouble', fault: 'SystemError' });
    const journal = join(lab.dir, 'faults.jsonl');
    const r = await lab.svmig(['run', lab.plan('fixed:4+retries:2:1s'), '--journal', journal, '--quiet']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^svmig: 1 VM\(s\) could not be moved: sql03 \(simulated permanent trouble\)\.\n$/);
    const ended = lab.journal(journal, 'ended');
    const intents = new Map(lab.journal(journal, 'intent').map((i) => [i['op'], i['vm']]));
    const outcomes = (vm: string) => ended.filter((e) => intents.get(e['op']) === vm).map((e) => e['outcome']);
    expect(outcomes('file02')).toEqual(['failed', 'success']);
    expect(outcomes('sql03')).toEqual(['failed', 'failed', 'failed']);
    const after = await lab.estate();
    expect(vmsAllOn(after, 'new')).toHaveLength(lab.scenario.estate.vms.length - 1);
    expect(vmsAllOn(after, 'legacy')).toEqual(['sql03']);
  }, 120_000);

  it('renews an expired session without losing a task', async () => {
    lab = await startLab({ fixedMs: 150 });
    const journal = join(lab.dir, 'session.jsonl');
    const run = lab.svmig(['run', lab.plan('fixed:2'), '--journal', journal, '--quiet']);
    // In the middle of the run: two copies done, 48 VMs to go.
    await lab.until(journal, 'ended', 2);
    await lab.sim.expireSessions();
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(lab.scenario.estate.vms.length);
    const logins = (await lab.sim.stats()).calls['Login'] ?? 0;
    // The run's login, its renewal, and the test's own reads: more than one login by the run.
    expect(logins).toBeGreaterThanOrEqual(3);
    expect(lab.journal(journal, 'ended').every((e) => e['outcome'] === 'success')).toBe(true);
  }, 120_000);

  it('killed (SIGKILL) at points all over a run and resumed, moves every VM exactly once', async () => {
    lab = await startLab({ fixedMs: 400 });
    const plan = lab.plan('fixed:3');
    const journal = join(lab.dir, 'killed.jsonl');
    // Each run is killed once it has written so many records of a kind: after submissions, between
    // an intent and its submission (the answer may be lost), after a task's end, deeper in.
    const kills: Array<[JournalType, number]> = [
      ['submitted', 2],
      ['intent', 4],
      ['ended', 1],
      ['submitted', 5],
    ];
    for (const [type, count] of kills) {
      const r = await lab.svmig(['run', plan, '--journal', journal, '--quiet'], { signals: [{ when: { journal, type, count }, send: 'SIGKILL' }] });
      expect(r.signal, `${type} ${count}`).toBe('SIGKILL');
    }
    const final = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    const n = lab.scenario.estate.vms.length;
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(n);
    // vcsim counted the relocations it was asked for: one per VM, however often svmig died.
    expect((await lab.sim.stats()).calls['RelocateVM_Task']).toBe(n);
    // The journal accounts for every task: each submitted one ended, none left open.
    const submitted = lab.journal(journal, 'submitted');
    const ended = new Set(lab.journal(journal, 'ended').map((e) => e['op']));
    expect(new Set(submitted.map((x) => x['task'])).size).toBe(n);
    for (const x of submitted) expect(ended.has(x['op'])).toBe(true);
    // The kills fell while tasks were running: several runs submitted some of the tasks.
    let run = 0;
    const runsThatSubmitted = new Set<number>();
    for (const x of lab.journal(journal)) {
      if (x['type'] === 'open') run++;
      if (x['type'] === 'submitted') runsThatSubmitted.add(run);
    }
    expect(runsThatSubmitted.size).toBeGreaterThanOrEqual(3);
  }, 180_000);
});

describe('svmig run: refusing bad input, submitting nothing', () => {
  it('says so in one sentence for a wrong password, an unreachable vCenter, a mismatched thumbprint', async () => {
    lab = await startLab();
    const plan = lab.plan('fixed:2');
    const wrong = await lab.svmig(['run', plan], { env: { SVMIG_PASSWORD: 'not-the-password' } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/login as .* failed/i);
    expect(wrong.stderr).not.toContain('not-the-password');

    const closed = await lab.svmig(['run', plan, '--vcenter', 'https://127.0.0.1:9', '--user', 'u', '--insecure'], { withConnection: false });
    expect(closed.code).toBe(3);
    expect(closed.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(closed.stderr.trim().split('\n').filter((l) => l.startsWith('svmig: ') && !l.includes('warning'))).toHaveLength(1);

    const pin = 'AA:'.repeat(31) + 'AA';
    const mismatch = await lab.svmig(['run', plan, '--vcenter', lab.sim.url, '--user', lab.sim.username, '--thumbprint', pin], { withConnection: false });
    expect(mismatch.code).toBe(3);
    expect(mismatch.stderr).toMatch(/thumbprint/i);
    expect(mismatch.stderr.trim().split('\n')).toHaveLength(1);

    const noPassword = await lab.svmig(['run', plan], { env: { SVMIG_PASSWORD: '' } });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/SVMIG_PASSWORD/);

    expect((await lab.sim.stats()).calls['RelocateVM_Task'] ?? 0).toBe(0);
  }, 120_000);

  it('refuses a plan whose estate changed, unless told to go on', async () => {
    lab = await startLab();
    const plan = lab.plan('fixed:2', (p) => {
      // The plan knows a VM vcsim does not have, and thinks another one smaller than it is.
      p.vms.push({ vm: 'ghost01', bytes: 1e9, sourceDatastores: ['OLD-01'], target: 'NEW-01' });
      p.vms[0]!.bytes = 1;
    });
    const r = await lab.svmig(['run', plan, '--journal', join(lab.dir, 'changed.jsonl'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the estate changed since the plan was made \(1 planned VM\(s\) gone: ghost01; 1 VM\(s\) grown: /);
    // The dry run says the same, before anyone tries.
    const dry = await lab.svmig(['run', plan, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/changes since the plan: 1 planned VM\(s\) gone: ghost01; 1 VM\(s\) grown: .*run would refuse to start without --accept-changes/);
    expect((await lab.sim.stats()).calls['RelocateVM_Task'] ?? 0).toBe(0);
  }, 120_000);

  it('--dry-run prints the operations in the order the planner starts them, and changes nothing', async () => {
    lab = await startLab();
    const r = await lab.svmig(['run', lab.plan('fixed:2'), '--dry-run']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^\s*\d+\s.*svmotion/.test(l));
    expect(lines).toHaveLength(lab.scenario.estate.vms.length);
    // Largest first: the first line is the largest VM of the lab.
    const largest = [...lab.scenario.estate.vms].sort((a, b) => b.disks.reduce((s, d) => s + (d.thin ? d.allocatedBytes : d.capacityBytes), 0) - a.disks.reduce((s, d) => s + (d.thin ? d.allocatedBytes : d.capacityBytes), 0))[0]!;
    expect(lines[0]).toContain(largest.name);
    expect((await lab.sim.stats()).calls['RelocateVM_Task'] ?? 0).toBe(0);
    expect(vmsAllOn(await lab.estate(), 'legacy')).toHaveLength(lab.scenario.estate.vms.length);
  }, 120_000);
});
