import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { simulate } from '../../src/sim/simulate.js';
import { startLab, type Lab } from './fixture.js';

// The core that decides in `simulate` is the core that decides in `run`: with the same task
// durations, the two make the same decisions (which VM, to which datastore, in which order).
describe('simulate and run decide alike', () => {
  let lab: Lab;
  const taskMs = 300;
  beforeAll(async () => {
    lab = await startLab({ fixedMs: taskMs });
  });
  afterAll(async () => lab?.stop());

  it.each(['fixed:3', 'order:smallest-first+cluster:2'])('%s: same sequence of svMotions, same targets', async (policy) => {
    // Each policy on a fresh inventory: the lab is started once, so the second run moves nothing
    // unless the VMs are back on legacy storage; a restart of vcsim resets them.
    await lab.sim.restart();
    const simulated = simulate(lab.scenario, { policy, fixedDurations: { svmotionSeconds: taskMs / 1000, vmotionSeconds: taskMs / 1000 } });
    const expected = simulated.operations.filter((o) => o.kind === 'svmotion').map((o) => `${o.vm}→${o.targetDatastore}`);
    expect(expected).toHaveLength(lab.scenario.estate.vms.length);

    const journal = join(lab.dir, `same-${policy.replace(/[^a-z0-9]+/g, '-')}.jsonl`);
    const r = await lab.svmig(['run', lab.plan(policy), '--journal', journal, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout.split('\n').slice(-15).join('\n')).toBe(0);
    const live = lab
      .journal(journal)
      .filter((x) => x['type'] === 'intent' && x['kind'] === 'svmotion')
      .map((x) => `${String(x['vm'])}→${String(x['target'])}`);
    expect(live).toEqual(expected);
  }, 120_000);
});
