import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startLab, type Lab } from './fixture.js';

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
