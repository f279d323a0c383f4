import { describe, expect, it } from 'vitest';
import { campaignFromEstate, defaultRules } from '../../src/core/campaign.js';
import { Planner } from '../../src/core/planner.js';
import { parsePolicy } from '../../src/core/policy.js';
import { CampaignProgress } from '../../src/core/progress.js';
import type { Observation, Operation } from '../../src/core/port.js';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { datastore, estate, hosts, vm } from '../helpers/build.js';

const GB = 1e9;

/** A planner and a progress read-model fed as the loop feeds them. */
function watched(policy: string) {
  const e = estate({
    hosts: [...hosts('A', 4), ...hosts('B', 2)],
    vms: [vm('a1', 'A-esx01', 'A', 300 * GB), vm('a2', 'A-esx01', 'A', 200 * GB), vm('a3', 'A-esx01', 'A', 100 * GB), vm('b1', 'B-esx01', 'B', 50 * GB)],
    datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new', 1000 * GB, 1000 * GB)],
  });
  const campaign = campaignFromEstate(e, defaultRules(VSPHERE_6_PLUS));
  const progress = new CampaignProgress(campaign);
  const planner = new Planner(campaign, parsePolicy(policy), { onVerdict: (v) => progress.verdict(v) });
  const decide = (now: number) => {
    const ops = planner.decide(now);
    for (const op of ops) progress.decided(op);
    return ops;
  };
  const observe = (o: Observation) => {
    planner.observe(o);
    progress.observed(o);
  };
  return { planner, progress, decide, observe };
}

const row = (p: CampaignProgress, name: string) => p.clusters().find((c) => c.name === name);

describe('progress read-model', () => {
  it('counts VMs per cluster as decisions, observations and verdicts arrive', () => {
    // field+retries:1 on A (4 hosts → 2 in flight) and B (2 hosts → 1): a1, b1 and a2 go at once
    // (the cluster with the fewest copies per host goes next: A, then B, then A).
    const { progress, decide, observe } = watched('field+retries:1');
    const ops = decide(0);
    expect(ops.map((o) => o.vm)).toEqual(['a1', 'b1', 'a2']);
    const [a1, b1, a2] = ops as [Operation, Operation, Operation];
    expect(row(progress, 'A')).toEqual({ name: 'A', done: 0, running: 2, queued: 0, failed: 0, left: 1, bytesDone: 0 });
    observe({ type: 'queued', op: a2.id, at: 1 });
    expect(row(progress, 'A')).toMatchObject({ running: 1, queued: 1 });
    observe({ type: 'started', op: a2.id, at: 2 });
    observe({ type: 'succeeded', op: a1.id, at: 10 });
    expect(row(progress, 'A')).toEqual({ name: 'A', done: 1, running: 1, queued: 0, failed: 0, left: 1, bytesDone: 300 * GB });
    // A transient failure with a retry left: the VM is back among those left.
    observe({ type: 'failed', op: b1.id, at: 11, reason: 'busy', transient: true });
    expect(row(progress, 'B')).toMatchObject({ running: 0, left: 1, failed: 0 });
    // a2 queued then fails for good (not transient): given up.
    observe({ type: 'queued', op: a2.id, at: 12 });
    observe({ type: 'failed', op: a2.id, at: 13, reason: 'no', transient: false });
    expect(row(progress, 'A')).toEqual({ name: 'A', done: 1, running: 0, queued: 0, failed: 1, left: 1, bytesDone: 300 * GB });
    expect(progress.totals()).toMatchObject({ vmsTotal: 4, vmsDone: 1, vmsFailed: 1, vmsInFlight: 0, vmsLeft: 2, bytesTotal: 650 * GB, bytesDone: 300 * GB });
  });

  it('gives what is left to move, an svMotion in flight counted by what it has left to copy', () => {
    const { progress, decide, observe } = watched('fixed:1');
    const [a1] = decide(0) as [Operation];
    observe({ type: 'started', op: a1.id, at: 0 });
    observe({ type: 'progress', op: a1.id, at: 5, fraction: 0.25 });
    expect([...progress.remainingWork()].sort()).toEqual([
      ['a1', 0.75],
      ['a2', 1],
      ['a3', 1],
      ['b1', 1],
    ]);
  });
});
