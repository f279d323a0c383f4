// The live run of a campaign that uses per-disk placement (a datastore map and a spread rule),
// pre-flight remediation (snapshots removed, redo logs consolidated) and DRS guard rails, against
// VMware's vcsim through the harness: a whole run, the dry run, and the kill-and-resume proof.
// Every check of the outcome reads vcsim afresh (disks, snapshots, DRS overrides, the harness's own
// count of relocations per VM), never the journal.

import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { Plan } from '../../src/app/plan.js';
import { intentOf } from '../../src/core/operations.js';
import type { DrsOverrideOp } from '../../src/core/port.js';
import type { DatastoreRole, Estate } from '../../src/domain/estate.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { ConsolidateVMDisks_Task, RemoveAllSnapshots_Task } from '../../src/vsphere/methods.js';
import { connectAndLogin, type VimClient } from '../../src/vsphere/client.js';
import { changeDrsVmOverrides, readDrsVmOverrides } from '../../src/vsphere/drs.js';
import { readSnapshotStates } from '../../src/vsphere/snapshots.js';
import { waitForTask } from '../../src/vsphere/tasks.js';
import type { ClusterDrsVmConfigInfo, ManagedObjectReference } from '../../src/vsphere/types.js';
import { runToFinish, startLab, vcenterWithHistory, type JournalType, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

/** The administrator's own overrides before the campaign: web03 fully automated, app02 manual. */
const OWN: Record<string, Omit<ClusterDrsVmConfigInfo, 'key'>> = {
  web03: { enabled: true, behavior: 'fullyAutomated' },
  app02: { enabled: true, behavior: 'manual' },
};

async function session(l: Lab): Promise<VimClient> {
  return connectAndLogin({ url: l.sim.url, username: l.sim.username, password: l.sim.password, thumbprint: l.sim.thumbprint });
}

async function clusterRef(c: VimClient, l: Lab): Promise<ManagedObjectReference> {
  const { retrieveAll, propertiesOf } = await import('../../src/vsphere/property-collector.js');
  const { decodeMor } = await import('../../src/vsphere/types.js');
  const [h] = await retrieveAll(c, [{ propSet: [{ type: 'HostSystem', pathSet: ['parent'] }], objectSet: [{ obj: { type: 'HostSystem', value: l.sim.ids.hosts['esx01']! } }] }]);
  return decodeMor(propertiesOf(h!).get('parent'))!;
}

async function guardedLab(): Promise<Lab> {
  const l = await startLab({ fixedMs: 300 }, 'scenarios/lab-guarded.yaml', { remediation: { fixedMs: 300 } });
  const c = await session(l);
  try {
    const add = Object.entries(OWN).map(([vm, o]) => ({ key: { type: 'VirtualMachine', value: l.sim.ids.vms[vm]! }, ...o }));
    expect((await waitForTask(c, await changeDrsVmOverrides(c, await clusterRef(c, l), { add }))).state).toBe('success');
  } finally {
    await c.close();
  }
  return l;
}

/**
 * What vcsim holds now, read afresh: each VM's disks by label, its snapshot count and whether it
 * needs consolidation, the cluster's DRS overrides by VM name.
 */
async function look(l: Lab) {
  const estate = await l.estate();
  const c = await session(l);
  try {
    const names = new Map(Object.entries(l.sim.ids.vms).map(([n, id]) => [id, n]));
    const snapshots = new Map((await readSnapshotStates(c)).map((s) => [s.name, { count: s.snapshotCount, consolidationNeeded: s.consolidationNeeded }]));
    const overrides = new Map((await readDrsVmOverrides(c, await clusterRef(c, l))).map((o) => [names.get(o.key.value)!, { enabled: o.enabled, behavior: o.behavior }]));
    const disks = new Map(estate.vms.map((v) => [v.name, new Map(v.disks.map((d) => [d.label, d.datastore]))]));
    return { disks, snapshots, overrides };
  } finally {
    await c.close();
  }
}

/** Every VM's disks where the plan sent them: each disk to its own target, or all to the VM's. */
function expectPlaced(plan: Plan, disks: Map<string, Map<string, string | null>>): void {
  for (const v of plan.vms) {
    const actual = disks.get(v.vm)!;
    const wanted = new Map([...actual.keys()].map((label) => [label, v.disks?.find((d) => d.disk === label)?.target ?? v.target]));
    expect(Object.fromEntries(actual), v.vm).toEqual(Object.fromEntries(wanted));
  }
}

/** The VMs whose snapshots or redo logs the plan fixes first. */
const REMEDIATED = ['app01', 'big01', 'sql02', 'web02'];

async function expectCampaignDone(l: Lab, plan: Plan): Promise<void> {
  const after = await look(l);
  expectPlaced(plan, after.disks);
  for (const vm of REMEDIATED) expect(after.snapshots.get(vm), vm).toEqual({ count: 0, consolidationNeeded: false });
  // No override left behind; the administrator's own two exactly as they were.
  expect(Object.fromEntries(after.overrides)).toEqual(OWN);
  // vcsim's own count: one relocation per VM, however the run went.
  const perVm = (await l.sim.relocations()).perVm;
  expect(Object.keys(perVm).sort()).toEqual(plan.vms.map((v) => v.vm).sort());
  expect(Object.values(perVm).every((n) => n === 1)).toBe(true);
}

function readPlan(path: string): Plan {
  return JSON.parse(readFileSync(path, 'utf8')) as Plan;
}

describe('svmig run: per-disk placement, remediation and DRS guard rails', () => {
  it('runs the campaign: every disk where planned, snapshots gone, overrides put back', async () => {
    lab = await guardedLab();
    const planPath = lab.plan('fixed:3');
    const plan = readPlan(planPath);
    // The plan spreads big01 and sql01 and maps the SQL disks; it fixes four VMs first.
    expect(plan.vms.filter((v) => v.disks !== undefined && new Set(v.disks.map((d) => d.target)).size > 1).map((v) => v.vm).sort()).toEqual(['big01', 'sql01', 'sql02', 'sql03']);
    expect(plan.vms.filter((v) => v.remediation !== undefined).map((v) => `${v.vm}:${v.remediation!.join('+')}`).sort()).toEqual([
      'app01:remove-all-snapshots',
      'big01:remove-all-snapshots',
      'sql02:remove-all-snapshots',
      'web02:consolidate-disks',
    ]);
    const before = await look(lab);
    expect(before.snapshots.get('app01')).toEqual({ count: 2, consolidationNeeded: false });
    expect(before.snapshots.get('web02')).toEqual({ count: 0, consolidationNeeded: true });

    const journal = join(lab.dir, 'guarded.jsonl');
    const r = await lab.svmig(['run', planPath, '--journal', journal, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expectCampaignDone(lab, plan);
    const calls = (await lab.sim.stats()).calls;
    expect([calls['RemoveAllSnapshots_Task'], calls['ConsolidateVMDisks_Task']]).toEqual([3, 1]);
    // The journal: each VM's remediation ended before its svMotion was intended, and every override
    // set before a VM's copy was put back after it ended.
    const records = lab.journal(journal);
    const intents = records.filter((x) => x['type'] === 'intent');
    const at = (pred: (x: Record<string, unknown>) => boolean) => records.findIndex(pred);
    for (const vm of REMEDIATED) {
      const fix = intents.find((i) => i['vm'] === vm && i['kind'] !== 'svmotion' && i['kind'] !== 'drs-override')!;
      const fixEnded = at((x) => x['type'] === 'ended' && x['op'] === fix['op']);
      const copy = at((x) => x['type'] === 'intent' && x['vm'] === vm && x['kind'] === 'svmotion');
      expect(fixEnded).toBeGreaterThan(0);
      expect(copy).toBeGreaterThan(fixEnded);
    }
    const guarded = intents.filter((i) => i['kind'] === 'drs-override').flatMap((i) => (i['vms'] as Array<{ vm: string; action: string }>).filter((e) => e.action === 'set').map((e) => e.vm));
    expect(guarded.sort()).toEqual(plan.vms.map((v) => v.vm).filter((v) => v !== 'app02').sort());
  }, 180_000);

  it('retries a snapshot removal that failed as the policy says, and leaves a VM whose removal keeps failing where it is', async () => {
    lab = await guardedLab();
    await lab.sim.injectFault({ vm: 'app01', task: 'removeAllSnapshots', fault: 'FileLocked', message: 'delta disk locked', times: 1 });
    await lab.sim.injectFault({ vm: 'sql02', task: 'removeAllSnapshots', fault: 'FileLocked', message: 'delta disk locked for good' });
    const planPath = lab.plan('fixed:3+retries:1:1s');
    const journal = join(lab.dir, 'faults.jsonl');
    const r = await lab.svmig(['run', planPath, '--journal', journal, '--quiet']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^svmig: 1 VM\(s\) could not be moved: sql02 \(remove-all-snapshots failed: delta disk locked for good\)\.\n$/);
    const after = await look(lab);
    expect(after.snapshots.get('app01')).toEqual({ count: 0, consolidationNeeded: false });
    expect(after.disks.get('app01')!.get('Hard disk 1')).toMatch(/^NEW-0[12]$/);
    // sql02 was never copied: its disks and its snapshot are where they were, and no override was set on it.
    expect(after.snapshots.get('sql02')).toEqual({ count: 1, consolidationNeeded: false });
    expect(Object.fromEntries(after.disks.get('sql02')!)).toEqual({ 'Hard disk 1': 'OLD-02', 'Hard disk 2': 'OLD-SQL' });
    expect(Object.fromEntries(after.overrides)).toEqual(OWN);
    // app01 twice (a failure, then its retry), big01 once, sql02 twice (its attempt and its one retry).
    expect((await lab.sim.stats()).calls['RemoveAllSnapshots_Task']).toBe(5);
    expect((await lab.sim.relocations()).perVm['sql02'] ?? 0).toBe(0);

    // Restarted with the same journal: the failed removal was sql02's attempt and its retry, so the
    // VM stays given up on (nothing submitted), until --retry-failed gives it a new round of two.
    const again = await lab.svmig(['run', planPath, '--journal', journal, '--quiet']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/sql02 \(remove-all-snapshots failed: delta disk locked for good\)/);
    expect((await lab.sim.stats()).calls['RemoveAllSnapshots_Task']).toBe(5);
    const retried = await lab.svmig(['run', planPath, '--journal', journal, '--quiet', '--retry-failed']);
    expect(retried.code).toBe(4);
    expect((await lab.sim.stats()).calls['RemoveAllSnapshots_Task']).toBe(7);
    expect((await lab.sim.relocations()).perVm['sql02'] ?? 0).toBe(0);
    expect(Object.fromEntries((await look(lab)).overrides)).toEqual(OWN);
  }, 240_000);

  it('Ctrl-C once: starts no new copy, yet puts back every override it set, and a second run finishes', async () => {
    lab = await guardedLab();
    // Copies long enough that the first is still running when the Ctrl-C lands.
    await lab.sim.setRelocate({ fixedMs: 4000 });
    const planPath = lab.plan('fixed:3');
    const journal = join(lab.dir, 'ctrl-c.jsonl');
    const first = await lab.svmig(['run', planPath, '--journal', journal, '--quiet'], { signals: [{ when: { journal, type: 'submitted', count: 1, kind: 'svmotion' }, send: 'SIGINT' }] });
    expect(first.code).toBe(0);
    expect(lab.journal(journal).at(-1)).toMatchObject({ type: 'close', reason: 'stopped' });
    const stopped = await look(lab);
    expect(Object.fromEntries(stopped.overrides)).toEqual(OWN);
    // Every override change the run submitted ended before it closed.
    const ended = new Set(lab.journal(journal, 'ended').map((e) => e['op']));
    for (const x of lab.journal(journal, 'submitted')) expect(ended.has(x['op'])).toBe(true);

    await lab.sim.setRelocate({ fixedMs: 300 });
    const second = await lab.svmig(['run', planPath, '--journal', journal, '--quiet']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    await expectCampaignDone(lab, readPlan(planPath));
  }, 180_000);

  it('inventory pull writes each VM\'s snapshots, redo logs and DRS override into the estate', async () => {
    lab = await guardedLab();
    const out = join(lab.dir, 'estate.json');
    const r = await lab.svmig(['inventory', 'pull', '--out', out, '--legacy', '^OLD-', '--new', '^NEW-']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const estate = JSON.parse(readFileSync(out, 'utf8')) as { vms: Array<{ name: string; snapshots?: unknown; drsOverride?: unknown }> };
    const of = (name: string) => estate.vms.find((v) => v.name === name)!;
    // The harness holds app01's 8 GiB of deltas as two layers of 4 GiB on its one disk, and web02's
    // 2 GiB of orphaned redo log as one layer no snapshot holds.
    expect(of('app01').snapshots).toEqual({ count: 2, depth: 2, deltaBytes: 8 * 2 ** 30, consolidationNeeded: false });
    expect(of('web02').snapshots).toEqual({ count: 0, depth: 0, deltaBytes: 2 * 2 ** 30, consolidationNeeded: true });
    expect(of('web01').snapshots).toBeUndefined();
    expect([of('web03').drsOverride, of('app02').drsOverride, of('web01').drsOverride]).toEqual([
      { behavior: 'fullyAutomated', enabled: true },
      { behavior: 'manual', enabled: true },
      null,
    ]);
  }, 120_000);

  it('--dry-run lists the remediation tasks, the per-disk targets and the DRS overrides, and changes nothing', async () => {
    lab = await guardedLab();
    const before = (await lab.sim.stats()).calls;
    const r = await lab.svmig(['run', lab.plan('fixed:3'), '--dry-run']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s*\d+\s/.test(l));
    const kinds = (kind: string) => rows.filter((l) => l.includes(` ${kind} `));
    expect(kinds('svmotion')).toHaveLength(12);
    expect(kinds('remove-all-snapshots').map((l) => /remove-all-snapshots\s+(\S+)/.exec(l)![1]).sort()).toEqual(['app01', 'big01', 'sql02']);
    expect(kinds('consolidate-disks').map((l) => /consolidate-disks\s+(\S+)/.exec(l)![1])).toEqual(['web02']);
    expect(kinds('drs-override').length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/drs-override\s+LAB\s+partially automated while moved: /);
    expect(r.stdout).toMatch(/svmotion\s+big01\s+Hard disk 1 OLD-01 → NEW-0[12]; Hard disk 2 OLD-02 → NEW-0[12]; home → NEW-0[12]/);
    const calls = (await lab.sim.stats()).calls;
    for (const m of ['RelocateVM_Task', 'RemoveAllSnapshots_Task', 'ConsolidateVMDisks_Task', 'ReconfigureComputeResource_Task']) expect(calls[m] ?? 0, m).toBe(before[m] ?? 0);
  }, 120_000);

  it('killed (SIGKILL) again and again at points its journal marks, and resumed each time: the same end, nothing done twice', async () => {
    lab = await guardedLab();
    const planPath = lab.plan('fixed:3');
    const plan = readPlan(planPath);
    const journal = join(lab.dir, 'killed.jsonl');
    // Each run dies once it has written the Nth record of a kind for an operation of a kind: an
    // override submitted (set, not yet copying), a remediation intended (its answer may be lost)
    // or ended, an svMotion intended or submitted, an override change ended, and so on.
    const kills: Array<[JournalType, string, number]> = [
      ['submitted', 'drs-override', 1],
      ['intent', 'remove-all-snapshots', 1],
      ['ended', 'remove-all-snapshots', 1],
      ['intent', 'svmotion', 2],
      ['ended', 'drs-override', 2],
      ['submitted', 'svmotion', 2],
      ['intent', 'drs-override', 2],
      ['ended', 'consolidate-disks', 1],
      ['ended', 'svmotion', 2],
      ['submitted', 'drs-override', 2],
    ];
    let killed = 0;
    const hit: string[] = [];
    const outputs: string[] = [];
    let finished = false;
    for (const [type, kind, count] of kills) {
      const r = await lab.svmig(['run', planPath, '--journal', journal, '--quiet'], { signals: [{ when: { journal, type, count, kind }, send: 'SIGKILL' }] });
      outputs.push(r.stdout);
      if (r.signal === 'SIGKILL') {
        killed++;
        hit.push(`${type} ${kind} ${count}`);
        continue;
      }
      // The campaign ended before this point came: it must have ended well.
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      finished = true;
      break;
    }
    if (!finished) {
      const last = await lab.svmig(['run', planPath, '--journal', journal, '--quiet']);
      outputs.push(last.stdout);
      expect(last.stderr).toBe('');
      expect(last.code).toBe(0);
    }
    expect(killed, hit.join('; ')).toBeGreaterThanOrEqual(6);
    if (process.env['SVMIG_TEST_VERBOSE']) console.log(`killed at: ${hit.join('; ')}`);
    await expectCampaignDone(lab, plan);
    // Some kill left an override set on a VM that was not being copied: a restart put it back.
    expect(outputs.join('\n')).toMatch(/resume: put back the DRS overrides a stopped run left on /);
    // Each snapshot removal and consolidation vCenter was asked for once, whatever the kills.
    const calls = (await lab.sim.stats()).calls;
    expect([calls['RemoveAllSnapshots_Task'], calls['ConsolidateVMDisks_Task']]).toEqual([3, 1]);
    // The journal accounts for every task: each one submitted has ended.
    const ended = new Set(lab.journal(journal, 'ended').map((e) => e['op']));
    for (const x of lab.journal(journal, 'submitted')) expect(ended.has(x['op']), `op ${String(x['op'])}`).toBe(true);
  }, 600_000);

  // Each remediation kind, killed right after its call: app01's snapshot removal, web02's consolidation.
  const lost = [
    { kind: 'remove-all-snapshots', vm: 'app01', start: (c: VimClient, vm: ManagedObjectReference) => RemoveAllSnapshots_Task(c, vm, true), before: { count: 2, consolidationNeeded: false } },
    { kind: 'consolidate-disks', vm: 'web02', start: (c: VimClient, vm: ManagedObjectReference) => ConsolidateVMDisks_Task(c, vm), before: { count: 0, consolidationNeeded: true } },
  ] as const;
  it.each(lost)('a $kind whose submission the journal lost, running while a restart reads the estate and ended when it looks for the task, is not asked for again', async ({ kind, vm, start, before }) => {
    lab = await guardedLab();
    const l = lab;
    const planPath = lab.plan('fixed:3');
    const plan = readPlan(planPath);
    const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
    const journal = join(lab.dir, 'lost-remediation.jsonl');
    // What a run killed right after calling vCenter leaves: the remediation's intent, no submission.
    const planned = plan.scenario.estate.vms.find((v) => v.name === vm)!;
    const op = { kind, id: 1, vm, cluster: planned.cluster!, host: planned.host!, bytes: 0 };
    const at = new Date().toISOString();
    writeFileSync(journal, `${JSON.stringify({ type: 'open', at, plan: planHash, pid: 1 })}\n${JSON.stringify({ type: 'intent', at, ...intentOf(op) })}\n`, { mode: 0o600 });

    // The killed run's call reaches vCenter while the restart reads the estate, and its task ends
    // before the restart looks for it: the estate shows the VM as it was, vCenter as it is now.
    // The interleaving is forced here, in this order, so that nothing depends on speed.
    let seen: { count: number; consolidationNeeded: boolean } | undefined;
    class CallDuringRead extends LiveVcenter {
      override async readEstate(classify: (ds: { name: string; type: string | null }) => DatastoreRole): Promise<Estate> {
        const estate = await super.readEstate(classify);
        if (seen !== undefined) return estate;
        const s = estate.vms.find((v) => v.name === vm)!.snapshots;
        seen = { count: s?.count ?? 0, consolidationNeeded: s?.consolidationNeeded ?? false };
        const task = await start(this.client, { type: 'VirtualMachine', value: l.sim.ids.vms[vm]! });
        expect((await waitForTask(this.client, task)).state).toBe('success');
        return estate;
      }
    }
    const client = await session(lab);
    const events = await runToFinish({ plan, planHash, journalPath: journal, vcenter: new CallDuringRead(client), client });
    expect(seen).toEqual(before);
    // Found on the VM's recent tasks, ended: journaled as submitted and ended, not voided.
    expect(events.join('\n')).toMatch(new RegExp(`resume: found ${kind} of ${vm} submitted before the stop \\(\\S+\\)\\nresume: ${kind} ${vm} succeeded while svmig was away`));
    expect(lab.journal(journal).filter((r) => r['op'] === 1).map((r) => r['type'])).toEqual(['intent', 'submitted', 'ended']);
    await expectCampaignDone(lab, plan);
    // The lost one once, the others once each: snapshots of app01, big01 and sql02, redo logs of web02.
    const calls = (await lab.sim.stats()).calls;
    expect([calls['RemoveAllSnapshots_Task'], calls['ConsolidateVMDisks_Task']]).toEqual([3, 1]);
    expect(lab.journal(journal, 'intent').filter((i) => i['vm'] === vm && i['kind'] === kind)).toHaveLength(1);
  }, 180_000);
});

describe('svmig run, restarted: DRS override changes a stopped run left open', () => {
  // The killed run's override change for web01 (it had no override of its own): journaled up to
  // its intent (killed before vCenter answered) or its submission too. Its task ends while the
  // restart reads the estate, and vCenter forgets it at once (the harness's expireTasks), as it
  // does 10 minutes after a task ended: the restart finds it in the task history, or, where the
  // history lacks it too, reads the cluster. Either way web01 gets its own (no) override back.
  const cases = [
    { journaled: 'intent', history: true, found: /^resume: found drs-override of LAB submitted before the stop \(\S+\)$/, op: ['intent', 'submitted', 'ended:success'] },
    { journaled: 'submitted', history: true, found: /^resume: task \S+ \(drs-override LAB\) is gone from vCenter's recent tasks; its history says it ended$/, op: ['intent', 'submitted', 'ended:success'] },
    { journaled: 'intent', history: false, found: null, op: ['intent', 'void'] },
    { journaled: 'submitted', history: false, found: /^resume: task \S+ \(drs-override LAB\) is gone from vCenter; the cluster's overrides show it took effect$/, op: ['intent', 'submitted', 'ended:success'] },
  ] as const;

  it.each(cases)('one that ended while svmig was away and that vCenter no longer lists is settled from the history or the cluster, and the override is put back (journal up to $journaled, task in the history: $history)', async ({ journaled, history, found, op: records }) => {
    lab = await guardedLab();
    const l = lab;
    const planPath = lab.plan('fixed:3');
    const plan = readPlan(planPath);
    const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
    const journal = join(lab.dir, `lost-override-${journaled}.jsonl`);
    const op: DrsOverrideOp = { kind: 'drs-override', id: 1, vm: 'LAB', cluster: 'LAB', host: '', bytes: 0, vms: [{ vm: 'web01', action: 'set', previous: null }] };
    const at = new Date().toISOString();
    writeFileSync(journal, `${JSON.stringify({ type: 'open', at, plan: planHash, pid: 1 })}\n${JSON.stringify({ type: 'intent', at, ...intentOf(op) })}\n`, { mode: 0o600 });

    let forgotten: { listed: number; known: boolean } | undefined;
    class EndsDuringRead extends vcenterWithHistory(history) {
      override async readEstate(classify: (ds: { name: string; type: string | null }) => DatastoreRole): Promise<Estate> {
        const read = await super.readEstate(classify);
        if (forgotten !== undefined) return read;
        const submission = await this.submit(op);
        if (!('task' in submission)) throw new Error(`vCenter refused the override change: ${submission.refused}`);
        if (journaled === 'submitted') appendFileSync(journal, `${JSON.stringify({ type: 'submitted', at: new Date().toISOString(), op: 1, task: submission.task })}\n`);
        expect((await this.waitFor(submission.task)).state).toBe('success');
        await l.sim.expireTasks();
        forgotten = { listed: (await this.tasksOf('LAB', 'drs-override')).length, known: (await this.taskInfo(submission.task)) !== null };
        return read;
      }
    }
    const client = await session(lab);
    const events = await runToFinish({ plan, planHash, journalPath: journal, vcenter: new EndsDuringRead(client), client });
    expect(forgotten).toEqual({ listed: 0, known: false });
    if (found !== null) expect(events.some((e) => found.test(e)), events.join('\n')).toBe(true);
    expect(lab.journal(journal).filter((r) => r['op'] === 1).map((r) => (r['type'] === 'ended' ? `ended:${String(r['outcome'])}` : r['type']))).toEqual(records);
    // The override the lost change set is put back at once (web01 is not being copied then).
    expect(events.join('\n')).toMatch(/resume: put back the DRS overrides a stopped run left on web01 \(LAB\)/);
    await expectCampaignDone(lab, plan);
  }, 180_000);

  it('a change an earlier restart voided, which had taken effect unseen, is put back by the next one', async () => {
    lab = await guardedLab();
    const planPath = lab.plan('fixed:3');
    const plan = readPlan(planPath);
    const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
    const journal = join(lab.dir, 'voided-override.jsonl');
    const op: DrsOverrideOp = { kind: 'drs-override', id: 1, vm: 'LAB', cluster: 'LAB', host: '', bytes: 0, vms: [{ vm: 'web01', action: 'set', previous: null }] };
    const at = new Date().toISOString();
    const lines = [{ type: 'open', at, plan: planHash, pid: 1 }, { type: 'intent', at, ...intentOf(op) }, { type: 'void', at, op: 1, reason: 'the submission never reached vCenter' }];
    writeFileSync(journal, lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
    // What the change did all the same, unseen by the restart that voided it.
    const c = await session(lab);
    try {
      const add = [{ key: { type: 'VirtualMachine', value: lab.sim.ids.vms['web01']! }, enabled: true, behavior: 'partiallyAutomated' as const }];
      expect((await waitForTask(c, await changeDrsVmOverrides(c, await clusterRef(c, lab), { add }))).state).toBe('success');
    } finally {
      await c.close();
    }
    const client = await session(lab);
    const events = await runToFinish({ plan, planHash, journalPath: journal, vcenter: new LiveVcenter(client), client });
    expect(events.join('\n')).toMatch(/resume: put back the DRS overrides a stopped run left on web01 \(LAB\)/);
    await expectCampaignDone(lab, plan);
  }, 180_000);
});
