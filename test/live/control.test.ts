import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startLab, vmsAllOn, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('svmig run: limits, Ctrl-C, a vCenter that restarts', () => {
  it('never has more relocations in flight than the policy allows, as vcsim counts them', async () => {
    // The first copies are long, so that the three the policy allows surely overlap however slowly
    // they are submitted; once three are in, the rest are quick.
    lab = await startLab({ fixedMs: 5000 });
    const journal = join(lab.dir, 'limits.jsonl');
    // fixed:3 → at most 3 in the (single) cluster.
    const run = lab.svmig(['run', lab.plan('fixed:3'), '--journal', journal, '--quiet']);
    await lab.until(journal, 'submitted', 3);
    await lab.sim.setRelocate({ fixedMs: 100 });
    const r = await run;
    expect(r.code).toBe(0);
    const seen = await lab.sim.relocations();
    expect(seen.peakTotal).toBe(3);
    expect(Object.values(seen.perVm).every((n) => n === 1)).toBe(true);
    expect(Object.keys(seen.perVm)).toHaveLength(lab.scenario.estate.vms.length);
  }, 120_000);

  it('Ctrl-C once: starts nothing new, lets the running migrations end, and a second run finishes', async () => {
    // Copies long enough that none ends before the Ctrl-C lands, however slow the machine: what
    // runs then is exactly what the first submissions started.
    lab = await startLab({ fixedMs: 8000 });
    const plan = lab.plan('fixed:3');
    const journal = join(lab.dir, 'ctrl-c.jsonl');
    const first = await lab.svmig(['run', plan, '--journal', journal, '--quiet'], { signals: [{ when: { journal, type: 'submitted', count: 1 }, send: 'SIGINT' }] });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/stopping: no new migrations/);
    expect(first.stdout).toMatch(/campaign stopped: nothing running/);
    const submitted = lab.journal(journal, 'submitted');
    const ended = lab.journal(journal, 'ended');
    expect(submitted.length).toBeGreaterThan(0);
    // fixed:3: at most the three the planner started at once.
    expect(submitted.length).toBeLessThanOrEqual(3);
    expect(ended).toHaveLength(submitted.length);
    expect(ended.every((e) => e['outcome'] === 'success')).toBe(true);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'stopped' });
    const moved = vmsAllOn(await lab.estate(), 'new');
    expect(moved).toHaveLength(submitted.length);

    await lab.sim.setRelocate({ fixedMs: 200 });
    const second = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(second.code).toBe(0);
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(lab.scenario.estate.vms.length);
    expect(Object.values((await lab.sim.relocations()).perVm).every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('Ctrl-C twice: leaves the running migrations to vCenter, exits 130, and the resume re-attaches to them', async () => {
    // The second Ctrl-C comes once the run has said it is stopping; the copies (10 s) are still
    // running then on any machine.
    lab = await startLab({ fixedMs: 10_000 });
    const plan = lab.plan('fixed:8');
    const journal = join(lab.dir, 'ctrl-c-twice.jsonl');
    const first = await lab.svmig(['run', plan, '--journal', journal, '--quiet'], {
      signals: [
        { when: { journal, type: 'submitted', count: 1 }, send: 'SIGINT' },
        { when: { stdout: /stopping: no new migrations/ }, send: 'SIGINT' },
      ],
    });
    expect(first.code).toBe(130);
    expect(first.stdout).toMatch(/leaving the running migrations to vCenter/);
    const open = lab.journal(journal, 'submitted').filter((s) => !lab!.journal(journal, 'ended').some((e) => e['op'] === s['op']));
    expect(open.length).toBeGreaterThan(0);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'interrupted' });

    // New copies are quick; the ones left running end when their 10 s are up (those that
    // waited for a host's slot, 10 s after that).
    await lab.sim.setRelocate({ fixedMs: 200 });
    const second = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/resume: (re-attached to|svmotion .* succeeded while svmig was away)/);
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(lab.scenario.estate.vms.length);
    expect(Object.values((await lab.sim.relocations()).perVm).every((n) => n === 1)).toBe(true);
  }, 180_000);

  it('vCenter restarted mid-run: stops cleanly, and the journal resumes against the new instance', async () => {
    // Copies long enough that the run is surely in the middle when vCenter goes: it has submitted
    // its first and is waiting for them.
    lab = await startLab({ fixedMs: 10_000 });
    const plan = lab.plan('fixed:3');
    const journal = join(lab.dir, 'restart.jsonl');
    const run = lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    await lab.until(journal, 'submitted', 1);
    await lab.sim.restart(); // all state is new: every VM is back on legacy storage
    const first = await run;
    expect(first.code).toBe(3);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    expect(first.stderr).toMatch(/the journal .* knows every migration in flight, run the same command again to resume\./);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'error' });

    await lab.sim.setRelocate({ fixedMs: 200 });
    const second = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(lab.scenario.estate.vms.length);
    // The new instance was asked once per VM.
    expect(Object.values((await lab.sim.relocations()).perVm).every((n) => n === 1)).toBe(true);
  }, 180_000);
});
