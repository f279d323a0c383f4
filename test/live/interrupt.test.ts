import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { startLab, vmsAllOn, type Lab } from './fixture.js';

const GB = 1e9;

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('svmig run: two SIGTERMs end a run whatever vCenter does', () => {
  it('exits 130 with the journal closed as interrupted while copies run, vCenter answering as usual', async () => {
    // Copies of an hour: they are running whenever the signals land.
    lab = await startLab({ fixedMs: 3_600_000 });
    const journal = join(lab.dir, 'term.jsonl');
    const r = await lab.svmig(['run', lab.plan('fixed:2'), '--journal', journal, '--quiet'], {
      signals: [
        { when: { journal, type: 'started', count: 1 }, send: 'SIGTERM' },
        { when: { stdout: /stopping: no new migrations/ }, send: 'SIGTERM' },
      ],
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/leaving the running migrations to vCenter/);
    expect(r.stdout).toMatch(/campaign interrupted/);
    expect(lab.journal(journal, 'ended')).toHaveLength(0);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'interrupted' });
  }, 180_000);

  it('exits 130 with the journal closed as interrupted when vCenter stops answering while copies run', async () => {
    // A vCenter that keeps its connections and answers nothing (frozen), as a deadlocked one does:
    // the run waits for its copies' ends when it freezes, and the two signals come after that.
    lab = await startLab({ fixedMs: 3_600_000 });
    const sim = lab.sim;
    const journal = join(lab.dir, 'frozen.jsonl');
    let frozen = false;
    const run = lab.svmig(['run', lab.plan('fixed:2'), '--journal', journal, '--quiet'], {
      signals: [
        { when: { test: () => frozen }, send: 'SIGTERM' },
        { when: { stdout: /stopping: no new migrations/ }, send: 'SIGTERM' },
      ],
      // The transport gives up on a call after 2 minutes: a run that ends only then did not end on the signals.
      hangMs: 100_000,
    });
    await lab.until(journal, 'started', 1);
    sim.freeze();
    frozen = true;
    const r = await run;
    sim.thaw();
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/leaving the running migrations to vCenter/);
    expect(lab.journal(journal, 'ended')).toHaveLength(0);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'interrupted' });
  }, 180_000);
});

describe('svmig run: the second SIGTERM cuts short a call vCenter does not answer', () => {
  it('exits 130 at once while a submission waits on a silent vCenter, and a restart finds the task that call made', async () => {
    // Four small VMs, two at a time. vCenter takes the first RelocateVM_Task and answers nothing:
    // the harness holds the call, then the whole simulator freezes.
    const vms = ['s01', 's02', 's03', 's04'].map((n, i) => vm(n, `C-esx0${(i % 2) + 1}`, 'C', 10 * GB));
    lab = await startLab({ fixedMs: 200 }, scenario(estate({ hosts: hosts('C', 2), vms }), openFabric({ perCopyRate: 1e9 }), 'fixed:2'));
    const sim = lab.sim;
    const plan = lab.plan('fixed:2');
    const journal = join(lab.dir, 'silent.jsonl');
    await sim.holdRelocations();
    let frozen = false;
    const run = lab.svmig(['run', plan, '--journal', journal, '--quiet'], {
      signals: [
        { when: { test: () => frozen }, send: 'SIGTERM' },
        { when: { stdout: /stopping: no new migrations/ }, send: 'SIGTERM' },
      ],
      // The transport gives up on a call after 2 minutes: a run that ends only then did not end on the signals.
      hangMs: 100_000,
    });
    await lab.until(journal, 'intent', 1);
    // The call has reached vCenter and waits there unanswered: then vCenter goes silent altogether.
    while ((await sim.relocations()).held < 1) await new Promise((r) => setTimeout(r, 20));
    sim.freeze();
    frozen = true;
    const r = await run;
    sim.thaw();
    expect(r.signal, r.stdout + r.stderr).toBeNull();
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(r.stdout).toMatch(/leaving the running migrations to vCenter/);
    expect(r.stdout).toMatch(/campaign interrupted/);
    expect(r.stderr).toBe('');
    // The journal: the one intent, nothing vCenter did not say, closed as interrupted.
    expect(lab.journal(journal).map((x) => x['type'])).toEqual(['open', 'intent', 'close']);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'interrupted' });

    // vCenter comes back and carries out the call it had held; a restart finds its task and moves
    // every VM once.
    await sim.releaseRelocations();
    const intent = lab.journal(journal, 'intent')[0]!;
    const again = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`resume: found svmotion of ${String(intent['vm'])} submitted before the stop`);
    expect((await sim.relocations()).perVm).toEqual({ s01: 1, s02: 1, s03: 1, s04: 1 });
    expect(vmsAllOn(await lab.estate(), 'new')).toEqual(['s01', 's02', 's03', 's04']);
  }, 240_000);
});
