import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startLab, vmsAllOn, type Lab } from './fixture.js';

describe('svmig run against vcsim: the small lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ fixedMs: 150 });
  });
  afterAll(async () => lab?.stop());

  it('moves every VM to a new datastore, as an independent read of vcsim confirms', async () => {
    const before = await lab.estate();
    const planned = vmsAllOn(before, 'legacy');
    expect(planned.length).toBe(lab.scenario.estate.vms.length);
    const plan = lab.plan('fixed:2');
    const journal = join(lab.dir, 'happy.jsonl');
    const r = await lab.svmig(['run', plan, '--journal', journal, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = await lab.estate();
    expect(vmsAllOn(after, 'new')).toEqual(planned);
    // Every VM went where the plan said.
    const targets = new Map((JSON.parse((await import('node:fs')).readFileSync(plan, 'utf8')) as { vms: Array<{ vm: string; target: string }> }).vms.map((v) => [v.vm, v.target]));
    for (const vm of after.vms) expect(new Set(vm.disks.map((d) => d.datastore))).toEqual(new Set([targets.get(vm.name)]));
    const records = lab.journal(journal);
    expect(records.filter((x) => x['type'] === 'submitted')).toHaveLength(planned.length);
    expect(records.filter((x) => x['type'] === 'ended' && x['outcome'] === 'success')).toHaveLength(planned.length);
    expect(records[records.length - 1]).toMatchObject({ type: 'close', reason: 'finished' });
    const stats = await lab.sim.stats();
    expect(stats.calls['RelocateVM_Task']).toBe(planned.length);
  }, 120_000);
});
