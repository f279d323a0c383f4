// A restart settles each operation the journal left open from what vCenter says after the task's
// state is known, never from the estate read before it: an svMotion that ends while the restart
// reads the estate, and that vCenter has stopped listing by the time the restart looks for it
// (an ended task leaves recentTask after 10 minutes, or sooner behind 200 newer ones), must be
// found moved and never moved again.
//
// The interleaving is forced in this order, whatever the machine's speed: the restart reads the
// estate (the VM still on legacy storage); then the killed run's task runs to its end; then
// vCenter forgets it (the harness's expireTasks); then the restart goes on to the journal.

import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/app/plan.js';
import { intentOf } from '../../src/core/operations.js';
import type { SvmotionOp } from '../../src/core/port.js';
import type { DatastoreRole, Estate } from '../../src/domain/estate.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { runToFinish, startLab, vcenterWithHistory, vmsAllOn, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const GB = 1e9;

/**
 * `journaled`: how far the killed run got with the svMotion of the plan's first VM. 'intent' only
 * (killed before vCenter answered the call), or 'submitted' too (the task's reference journaled).
 */
const cases = [
  { journaled: 'intent', history: true, found: 'found svmotion of (\\S+) submitted before the stop \\(\\S+\\)' },
  { journaled: 'submitted', history: true, found: 'task \\S+ \\(svmotion (\\S+)\\) is gone from vCenter\'s recent tasks; its history says it ended' },
  // A history that lost the task too (vCenter keeps 30 days of it by default, or its database was
  // reset): the VM, read after the look-ups, tells how it went.
  { journaled: 'intent', history: false, found: 'svmotion (\\S+) found where it was to go; vCenter has no record of its task' },
  { journaled: 'submitted', history: false, found: 'task \\S+ \\(svmotion (\\S+)\\) is gone from vCenter; the VM is where it was to go' },
] as const;

describe('svmig run, restarted: an svMotion that ended after the estate read and that vCenter no longer lists', () => {
  it.each(cases)('is settled as moved and never moved again (journal up to $journaled, task in the history: $history)', async ({ journaled, history, found }) => {
    const vms = ['a01', 'a02', 'a03', 'a04'].map((n, i) => vm(n, `C-esx0${(i % 2) + 1}`, 'C', 10 * GB));
    const l = (lab = await startLab({ fixedMs: 100 }, scenario(estate({ hosts: hosts('C', 2), vms }), openFabric({ perCopyRate: 1e9 }), 'fixed:2')));
    const planPath = l.plan('fixed:2');
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as Plan;
    const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
    const journal = join(l.dir, `lost-${journaled}.jsonl`);
    const first = plan.vms[0]!;
    const planned = plan.scenario.estate.vms.find((v) => v.name === first.vm)!;
    const op: SvmotionOp = { kind: 'svmotion', id: 1, vm: first.vm, cluster: planned.cluster!, host: planned.host!, sourceDatastores: first.sourceDatastores, targetDatastore: first.target, bytes: first.bytes };
    const at = new Date().toISOString();
    writeFileSync(journal, `${JSON.stringify({ type: 'open', at, plan: planHash, pid: 1 })}\n${JSON.stringify({ type: 'intent', at, ...intentOf(op) })}\n`, { mode: 0o600 });

    let before: string[] | undefined;
    let afterExpiry: { listed: number; known: boolean } | undefined;
    class EndsDuringRead extends vcenterWithHistory(history) {
      override async readEstate(classify: (ds: { name: string; type: string | null }) => DatastoreRole): Promise<Estate> {
        const read = await super.readEstate(classify);
        if (before !== undefined) return read;
        before = read.vms.find((v) => v.name === op.vm)!.disks.map((d) => d.datastore ?? '');
        // The killed run's call: its task runs to its end after the read, then vCenter forgets it.
        const submission = await this.submit(op);
        if (!('task' in submission)) throw new Error(`vCenter refused the svMotion: ${submission.refused}`);
        if (journaled === 'submitted') appendFileSync(journal, `${JSON.stringify({ type: 'submitted', at: new Date().toISOString(), op: 1, task: submission.task })}\n`);
        expect((await this.waitFor(submission.task)).state).toBe('success');
        await l.sim.expireTasks();
        afterExpiry = { listed: (await this.tasksOf(op.vm, 'svmotion')).length, known: (await this.taskInfo(submission.task)) !== null };
        return read;
      }
    }
    const client = await connectAndLogin({ url: l.sim.url, username: l.sim.username, password: l.sim.password, thumbprint: l.sim.thumbprint });
    const events = await runToFinish({ plan, planHash, journalPath: journal, vcenter: new EndsDuringRead(client), client });
    // The restart read the VM where it was; vCenter listed the task nowhere by the time it looked.
    expect(before).toEqual(first.sourceDatastores);
    expect(afterExpiry).toEqual({ listed: 0, known: false });
    const line = events.find((e) => new RegExp(`^resume: ${found}`).test(e));
    expect(line, events.join('\n')).toBeDefined();
    expect(new RegExp(found).exec(line!)![1]).toBe(op.vm);
    // One relocation per VM: the first VM's was the killed run's, never asked for again.
    const seen = await l.sim.relocations();
    expect(seen.perVm).toEqual({ a01: 1, a02: 1, a03: 1, a04: 1 });
    expect(l.journal(journal, 'intent').filter((i) => i['vm'] === op.vm)).toHaveLength(1);
    const submittedBefore = journaled === 'submitted' || history;
    expect(l.journal(journal).filter((r) => r['op'] === 1).map((r) => [r['type'], r['outcome'] ?? null])).toEqual([
      ['intent', null],
      ...(submittedBefore ? [['submitted', null]] : []),
      ['ended', 'success'],
    ]);
    expect(vmsAllOn(await l.estate(), 'new')).toEqual(['a01', 'a02', 'a03', 'a04']);
  }, 180_000);
});
