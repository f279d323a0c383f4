import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Plan } from '../../src/app/plan.js';
import type { LoopListener } from '../../src/core/loop.js';
import type { Observation } from '../../src/core/port.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { runInProcess, startLab, type Lab } from './fixture.js';

// The late join: a copy's task may join the watched view long after it was submitted (here up to
// 5 s, for copies of 300 ms: most end before they join). Whatever vCenter did meanwhile, nothing may
// be lost: every task's end comes to the planner once, the campaign finishes, no VM is moved twice.
describe('svmig run with copies that join the watched view late', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ fixedMs: 300, progressIntervalMs: -1 });
  });
  afterAll(async () => lab?.stop());

  it('every end reaches the planner once, every VM is moved once, the journal closes every task', async () => {
    const plan = JSON.parse(readFileSync(lab.plan('fixed:4'), 'utf8')) as Plan;
    const ends = new Map<number, number>();
    const seen: LoopListener = {
      observed(o: Observation) {
        if (o.type === 'succeeded' || o.type === 'failed') ends.set(o.op, (ends.get(o.op) ?? 0) + 1);
      },
    };
    const client = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    const journal = join(lab.dir, 'late.jsonl');
    try {
      const summary = await runInProcess({
        plan,
        planHash: 'late-join',
        journalPath: journal,
        vcenter,
        listeners: [seen],
        firstStateShare: 1000,
        firstStateMaxSeconds: 5,
      });
      expect(summary.outcome).toBe('finished');
      expect(summary.moved).toEqual(plan.vms.map((v) => v.vm).sort());
      // vCenter's first word on every task came (its end, for one that ended before it joined).
      expect(summary.firstStateDelays).toHaveLength(summary.submitted);
    } finally {
      await vcenter.close();
      await client.close();
    }
    const submitted = lab.journal(journal, 'submitted').map((r) => r['op'] as number);
    expect(submitted).toHaveLength(plan.vms.length);
    for (const op of submitted) expect(ends.get(op), `op ${op}`).toBe(1);
    const ended = new Map(lab.journal(journal, 'ended').map((r) => [r['op'], r['outcome']]));
    for (const op of submitted) expect(ended.get(op), `op ${op}`).toBe('success');
    const perVm = (await lab.sim.relocations()).perVm;
    expect(Object.keys(perVm).sort()).toEqual(plan.vms.map((v) => v.vm).sort());
    expect(Object.values(perVm).every((n) => n === 1)).toBe(true);
  }, 300_000);
});
