// What a restart must remember: the attempts and failures of every VM, and everything the planner
// counts for an operation still running (its source datastores among them).

import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/app/plan.js';
import type { Operation } from '../../src/core/port.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { runInProcess, startLab, vmsAllOn, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const GB = 1e9;

/** The VM of every intent of the journal, in order (all runs). */
function attempts(l: Lab, journal: string): string[] {
  return l.journal(journal, 'intent').map((i) => String(i['vm']));
}

describe('svmig run, restarted: failures and attempts are remembered', () => {
  it('does not try again a VM that used up its retries or failed for good; --retry-failed gives each one more round', async () => {
    // Four small VMs; flaky01 fails every attempt with a transient fault, broken01 with a permanent
    // one (InvalidState). retries:1 → a round is 2 attempts for flaky01 and 1 for broken01.
    const vms = ['flaky01', 'broken01', 'fine01', 'fine02'].map((n, i) => vm(n, `C-esx0${(i % 2) + 1}`, 'C', 10 * GB));
    lab = await startLab({ fixedMs: 100 }, scenario(estate({ hosts: hosts('C', 2), vms }), openFabric({ perCopyRate: 1e9 }), 'fixed:2'));
    await lab.sim.injectFault({ vm: 'flaky01', message: 'simulated storage timeout', fault: 'SystemError' });
    await lab.sim.injectFault({ vm: 'broken01', message: 'simulated wrong state', fault: 'InvalidState' });
    const plan = lab.plan('fixed:2+retries:1:1s');
    const journal = join(lab.dir, 'failures.jsonl');
    const relocations = async () => (await lab!.sim.stats()).calls['RelocateVM_Task'] ?? 0;

    const first = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(first.code).toBe(4);
    expect(attempts(lab, journal).sort()).toEqual(['broken01', 'fine01', 'fine02', 'flaky01', 'flaky01']);
    expect(await relocations()).toBe(5);

    // Three restarts with the same journal: nothing new is tried, the same two VMs are reported.
    for (let restart = 1; restart <= 3; restart++) {
      const again = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
      expect(again.code, `restart ${restart}: ${again.stdout}`).toBe(4);
      expect(again.stderr).toMatch(/^svmig: 2 VM\(s\) could not be moved: /);
      expect(again.stderr).toContain('flaky01 (simulated storage timeout)');
      expect(again.stderr).toContain('broken01 (simulated wrong state)');
      expect(again.stdout).toMatch(/0 task\(s\) submitted by this run/);
      expect(await relocations(), `restart ${restart}`).toBe(5);
    }

    // Asked for: one more round each (2 attempts for flaky01, 1 for broken01), then given up again.
    const retried = await lab.svmig(['run', plan, '--journal', journal, '--quiet', '--retry-failed']);
    expect(retried.code).toBe(4);
    expect(attempts(lab, journal).sort()).toEqual(['broken01', 'broken01', 'fine01', 'fine02', 'flaky01', 'flaky01', 'flaky01', 'flaky01']);
    expect(await relocations()).toBe(8);
    // And the round is remembered too: a plain restart after it tries nothing.
    const after = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(after.code).toBe(4);
    expect(await relocations()).toBe(8);
    expect(vmsAllOn(await lab.estate(), 'new')).toEqual(['fine01', 'fine02']);

    const help = await lab.svmig(['run', '--help'], { withConnection: false });
    expect(help.stdout).toMatch(/--retry-failed +give the VMs this journal gave up on/);
    expect(help.stdout).toMatch(/svmig run plan\.json .*--journal campaign\.jsonl --retry-failed\n/);
  }, 180_000);
});

describe('svmig run, restarted: an operation still running counts as it did', () => {
  it('keeps its source datastores: the limit of 8 svMotions per datastore holds across a kill', async () => {
    // 16 VMs on one legacy datastore, 6 hosts (12 host slots), two new datastores, host-aware with
    // room for 12 per cluster: vCenter's datastore budget (128 / 16 = 8 svMotions) on OLD-01 is
    // what binds, so the planner keeps exactly 8 in flight. The copies crawl (a link of 1 byte/s)
    // until the resumed run has made its first decisions.
    const vms = Array.from({ length: 16 }, (_, i) => vm(`v${String(i + 1).padStart(2, '0')}`, `C-esx0${(i % 6) + 1}`, 'C', (20 + i) * GB));
    const datastores = [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new'), datastore('NEW-02', 'new')];
    lab = await startLab({ fixedMs: 100, bytesPerSecond: 100 * GB, link: { bytesPerSecond: 1 }, maxPerDatastore: 0 }, scenario(estate({ hosts: hosts('C', 6), vms, datastores }), openFabric({ perCopyRate: 1e9 }), 'host-aware'));
    const planPath = lab.plan('host-aware+cluster:12');
    const journal = join(lab.dir, 'resumed.jsonl');

    const killed = await lab.svmig(['run', planPath, '--journal', journal, '--quiet'], { signals: [{ when: { journal, type: 'submitted', count: 8 }, send: 'SIGKILL' }] });
    expect(killed.signal).toBe('SIGKILL');
    expect(lab.journal(journal, 'submitted')).toHaveLength(8);

    // The resumed run, in this process: its first turn decides with the 8 copies re-attached.
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as Plan;
    const client = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    const firstTurn: Operation[] = [];
    let turns = 0;
    let released: Promise<void> = Promise.resolve();
    try {
      const summary = await runInProcess({
        plan,
        planHash: (await import('node:crypto')).createHash('sha256').update(readFileSync(planPath)).digest('hex'),
        journalPath: journal,
        vcenter,
        listeners: [
          {
            decided: (op) => void (turns === 0 && firstTurn.push(op)),
            turned: () => {
              if (turns++ === 0) released = lab!.sim.setRelocate({ clearLink: true });
            },
          },
        ],
      });
      await released;
      expect(summary.outcome).toBe('finished');
    } finally {
      await vcenter.close();
      await client.close();
    }
    // OLD-01 was full: nothing could start before a copy ended.
    expect(firstTurn).toEqual([]);
    const seen = await lab.sim.relocations();
    expect(seen.peakTotal).toBe(8);
    expect(Object.values(seen.perVm).every((n) => n === 1)).toBe(true);
    expect(Object.keys(seen.perVm)).toHaveLength(16);
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(16);
  }, 180_000);
});
