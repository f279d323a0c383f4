// The stages around the planner: pre-flight remediation before a VM's copy, and the DRS guard
// around it. Each test drives the stages by hand (decide, then observations), as the loop would,
// and checks what is handed to the world and what the planner is told.

import { describe, expect, it } from 'vitest';
import { campaignFromEstate, defaultRules, type CampaignRules } from '../../src/core/campaign.js';
import { Planner } from '../../src/core/planner.js';
import { parsePolicy } from '../../src/core/policy.js';
import type { DrsOverrideOp, Operation, RemediationOp } from '../../src/core/port.js';
import { remediationSteps } from '../../src/core/preflight.js';
import { withStages } from '../../src/core/stages.js';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import type { DrsVmOverride, Vm, VmSnapshots } from '../../src/domain/estate.js';
import { estate, hosts, vm } from '../helpers/build.js';

const GB = 1e9;

function withSnapshots(v: Vm, s: Partial<VmSnapshots>): Vm {
  return { ...v, snapshots: { count: 0, depth: 0, deltaBytes: 0, consolidationNeeded: false, ...s } };
}

function staged(vms: Vm[], rules: Partial<CampaignRules>, policy = 'fixed:4') {
  const e = estate({ hosts: hosts('C', 4), vms });
  const campaign = campaignFromEstate(e, defaultRules(VSPHERE_6_PLUS, rules));
  const planner = new Planner(campaign, parsePolicy(policy));
  return withStages(planner, campaign);
}

const brief = (ops: Operation[]) => ops.map((o) => `${o.kind} ${o.vm}`);
const ok = (op: Operation, at: number) => ({ type: 'succeeded' as const, op: op.id, at });

describe('pre-flight remediation', () => {
  it('says which tasks a VM needs under each policy, in order', () => {
    const e = estate({ hosts: hosts('C', 1), vms: [withSnapshots(vm('a', 'C-esx01', 'C', 10 * GB), { count: 3, depth: 3, deltaBytes: 9 * GB, consolidationNeeded: true, orphanBytes: 2 * GB })] });
    const [item] = campaignFromEstate(e, defaultRules(VSPHERE_6_PLUS)).items;
    expect(remediationSteps(item!, { snapshots: { policy: 'remove-all' }, consolidate: true })).toEqual([
      { kind: 'remove-all-snapshots', bytes: 9 * GB },
      { kind: 'consolidate-disks', bytes: 2 * GB },
    ]);
    // Keep the newest one of three: the oldest removed twice, a third of the deltas each.
    expect(remediationSteps(item!, { snapshots: { policy: 'keep-newest', keep: 1 }, consolidate: false })).toEqual([
      { kind: 'remove-oldest-snapshot', bytes: 3 * GB, depthAfter: 2 },
      { kind: 'remove-oldest-snapshot', bytes: 3 * GB, depthAfter: 1 },
    ]);
    expect(remediationSteps(item!, { snapshots: { policy: 'keep' }, consolidate: false })).toEqual([]);
  });

  it('runs a VM\'s tasks one after the other, then hands over its svMotion', () => {
    const a = withSnapshots(vm('a', 'C-esx01', 'C', 100 * GB), { count: 1, depth: 1, deltaBytes: GB, consolidationNeeded: true });
    const b = vm('b', 'C-esx02', 'C', 50 * GB);
    const { decider } = staged([a, b], { remediation: { snapshots: { policy: 'remove-all' }, consolidate: true } });
    const first = decider.decide(0);
    // a's svMotion waits for its snapshot removal; b has nothing to fix and goes at once.
    expect(brief(first)).toEqual(['remove-all-snapshots a', 'svmotion b']);
    expect(decider.decide(1)).toEqual([]);
    decider.observe(ok(first[0]!, 10));
    const second = decider.decide(10);
    expect(brief(second)).toEqual(['consolidate-disks a']);
    decider.observe(ok(second[0]!, 20));
    const third = decider.decide(20);
    expect(brief(third)).toEqual(['svmotion a']);
    decider.observe(ok(third[0]!, 30));
    decider.observe(ok(first[1]!, 30));
    expect(decider.finished).toBe(true);
  });

  it('a failed task fails the copy as the planner sees it: retried by the policy, from the task that failed', () => {
    const a = withSnapshots(vm('a', 'C-esx01', 'C', 100 * GB), { count: 1, depth: 1, deltaBytes: GB, consolidationNeeded: true });
    const { decider, planner } = staged([a], { remediation: { snapshots: { policy: 'remove-all' }, consolidate: true } }, 'fixed:1+retries:1:10s');
    const [removal] = decider.decide(0);
    decider.observe(ok(removal!, 5));
    const [consolidation] = decider.decide(5);
    expect(consolidation!.kind).toBe('consolidate-disks');
    decider.observe({ type: 'failed', op: consolidation!.id, at: 8, reason: 'file locked', transient: true });
    // The planner counts a failed attempt and backs off 10 s; nothing goes meanwhile.
    expect(planner.retries).toBe(0);
    expect(decider.decide(8)).toEqual([]);
    expect(decider.nextWakeUp(8)).toBe(18);
    // The retry starts with the consolidation: the snapshot removal is done.
    expect(brief(decider.decide(18))).toEqual(['consolidate-disks a']);
    expect(planner.retries).toBe(1);
  });

  it('tells the planner why, when the policy gives up', () => {
    const a = withSnapshots(vm('a', 'C-esx01', 'C', 100 * GB), { count: 2, depth: 2, deltaBytes: GB });
    const { decider, planner } = staged([a], { remediation: { snapshots: { policy: 'remove-all' }, consolidate: false } }, 'fixed:1');
    const [removal] = decider.decide(0);
    decider.observe({ type: 'failed', op: removal!.id, at: 3, reason: 'snapshot locked', transient: false });
    expect(decider.finished).toBe(true);
    expect(planner.failed).toEqual([{ vm: 'a', attempts: 1, reason: 'remove-all-snapshots failed: snapshot locked' }]);
  });

  it('when the run stops, gives up the copies still waiting, and the planner takes them back as never picked', () => {
    const a = withSnapshots(vm('a', 'C-esx01', 'C', 100 * GB), { count: 1, depth: 1, deltaBytes: GB });
    const { decider, planner } = staged([a], { remediation: { snapshots: { policy: 'remove-all' }, consolidate: false } }, 'fixed:1');
    const [removal] = decider.decide(0);
    expect(decider.wrapUp!(1)).toEqual([]);
    // The removal still runs: the run waits for it, and hands nothing over after it.
    expect(decider.inFlight).toBe(2);
    decider.observe(ok(removal!, 5));
    expect(decider.inFlight).toBe(0);
    expect(planner.standing()).toMatchObject({ waiting: 1, inFlight: 0 });
    expect(planner.failed).toEqual([]);
  });
});

describe('DRS guard rails', () => {
  const FULLY: DrsVmOverride = { behavior: 'fullyAutomated', enabled: true };
  const MANUAL: DrsVmOverride = { behavior: 'manual', enabled: true };

  it('sets the override of every VM decided at once in a cluster in one operation, copies after it', () => {
    const a = vm('a', 'C-esx01', 'C', 300 * GB);
    const b = { ...vm('b', 'C-esx02', 'C', 200 * GB), drsOverride: FULLY };
    const c = { ...vm('c', 'C-esx03', 'C', 100 * GB), drsOverride: MANUAL };
    const { decider } = staged([a, b, c], { drsGuard: true });
    const first = decider.decide(0);
    // c's own override keeps DRS off it already: it goes at once, unguarded.
    expect(brief(first)).toEqual(['svmotion c', 'drs-override C']);
    const set = first[1] as DrsOverrideOp;
    expect(set.vms).toEqual([
      { vm: 'a', action: 'set', previous: null },
      { vm: 'b', action: 'set', previous: FULLY },
    ]);
    expect(decider.decide(1)).toEqual([]);
    decider.observe(ok(set, 2));
    const copies = decider.decide(2);
    expect(brief(copies)).toEqual(['svmotion a', 'svmotion b']);
    // a's and b's copies end: their overrides go back as they were, in one operation.
    decider.observe(ok(copies[0]!, 50));
    decider.observe({ type: 'failed', op: copies[1]!.id, at: 50, reason: 'boom', transient: false });
    decider.observe(ok(first[0]!, 50));
    const [restore] = decider.decide(50) as DrsOverrideOp[];
    expect(restore!.vms).toEqual([
      { vm: 'a', action: 'restore', previous: null },
      { vm: 'b', action: 'restore', previous: FULLY },
    ]);
    expect(decider.finished).toBe(false);
    decider.observe(ok(restore!, 52));
    expect(decider.finished).toBe(true);
  });

  it('lets the copies go unguarded when the override cannot be set, and puts nothing back', () => {
    const { decider } = staged([vm('a', 'C-esx01', 'C', 300 * GB)], { drsGuard: true });
    const [set] = decider.decide(0);
    decider.observe({ type: 'failed', op: set!.id, at: 1, reason: 'InvalidArgument', transient: false });
    const [copy] = decider.decide(1);
    expect(copy!.kind).toBe('svmotion');
    decider.observe(ok(copy!, 10));
    expect(decider.decide(10)).toEqual([]);
    expect(decider.finished).toBe(true);
  });

  it('puts an override back with the next one set in the same cluster, in one operation', () => {
    const { decider } = staged([vm('a', 'C-esx01', 'C', 300 * GB), vm('b', 'C-esx02', 'C', 200 * GB)], { drsGuard: true }, 'fixed:1');
    const [setA] = decider.decide(0);
    decider.observe(ok(setA!, 1));
    const [copyA] = decider.decide(1);
    decider.observe(ok(copyA!, 10));
    const [both] = decider.decide(10) as DrsOverrideOp[];
    expect(both!.vms).toEqual([
      { vm: 'a', action: 'restore', previous: null },
      { vm: 'b', action: 'set', previous: null },
    ]);
  });

  it('when the run stops, gives up a copy waiting for its override and puts the override back', () => {
    const { decider, planner } = staged([vm('a', 'C-esx01', 'C', 300 * GB)], { drsGuard: true });
    const [set] = decider.decide(0);
    expect(decider.wrapUp!(1)).toEqual([]);
    decider.observe(ok(set!, 2));
    // The override was set: it goes back, though the copy never went.
    const [restore] = decider.wrapUp!(2) as DrsOverrideOp[];
    expect(restore!.vms).toEqual([{ vm: 'a', action: 'restore', previous: null }]);
    expect(planner.standing()).toMatchObject({ waiting: 1, inFlight: 0 });
    decider.observe(ok(restore!, 4));
    expect(decider.inFlight).toBe(0);
  });

  it('guards the copy after the VM\'s remediation, not the remediation', () => {
    const a = withSnapshots(vm('a', 'C-esx01', 'C', 100 * GB), { count: 1, depth: 1, deltaBytes: GB });
    const { decider } = staged([a], { drsGuard: true, remediation: { snapshots: { policy: 'remove-all' }, consolidate: false } });
    const [removal] = decider.decide(0);
    expect(removal!.kind).toBe('remove-all-snapshots');
    decider.observe(ok(removal!, 5));
    const [set] = decider.decide(5);
    expect(set!.kind).toBe('drs-override');
    decider.observe(ok(set!, 6));
    expect(brief(decider.decide(6))).toEqual(['svmotion a']);
    expect((removal as RemediationOp).bytes).toBe(GB);
  });
});
