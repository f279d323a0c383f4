import { describe, expect, it } from 'vitest';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { simulate } from '../../src/sim/simulate.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

describe('a submission vCenter refuses outright', () => {
  // A cost profile under which an svMotion costs 8 on a host whose whole budget is 4: vCenter can
  // never admit one. The live world gets a fault back from RelocateVM_Task; the simulated one must
  // answer the same way: a failed observation, not transient, and the VM given up on.
  const s = {
    ...scenario(estate({ hosts: hosts('C', 2), vms: [vm('a', 'C-esx01', 'C', 100 * GB), vm('b', 'C-esx02', 'C', 50 * GB)] }), openFabric({ perCopyRate: 100e6 }), 'fixed:2+retries:3:1m'),
    costs: { ...VSPHERE_6_PLUS, hostMax: 4 },
  };

  it('fails the operation at once, not transient, and the planner gives up on the VM without retrying', () => {
    const r = simulate(s);
    const svm = r.operations.filter((o) => o.kind === 'svmotion');
    // One attempt each, despite retries:3: a refusal is not worth retrying.
    expect(svm.map((o) => [o.vm, o.outcome, o.submittedAt, o.startedAt, o.finishedAt])).toEqual([
      ['a', 'failed', 0, null, 0],
      ['b', 'failed', 0, null, 0],
    ]);
    expect(svm[0]!.reason).toBe('vCenter cannot run the svmotion of a: it costs 8 on host C-esx01, whose whole budget is 4');
    expect(r.summary.vmsFailed).toBe(2);
    expect(r.summary.vmsMoved).toBe(0);
    expect(r.bytesMoved).toBe(0);
  });
});
