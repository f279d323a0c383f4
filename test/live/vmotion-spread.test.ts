import { afterEach, describe, expect, it } from 'vitest';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { startLab, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const GB = 1e9;

describe('svmig run --dry-run: pro-active vMotions', () => {
  it('spread over every idle host of the cluster, in turn', async () => {
    // The estate of the simulator's own test (test/sim/simulate.test.ts), put in vcsim and read back:
    // a and b (1000 GB) fill esx01; c…h (10 GB) are on esx01 too; 6 hosts, field (3 in flight), a
    // host budget of 18 so that a vMotion fits beside two svMotions. Worked by hand: each small VM
    // is vMotioned (4 s), copied on its new host (10 s), and the next goes; every time esx02…esx06
    // are idle, and they take turns.
    const vms = [vm('a', 'C-esx01', 'C', 1000 * GB), vm('b', 'C-esx01', 'C', 1000 * GB), ...['c', 'd', 'e', 'f', 'g', 'h'].map((n) => vm(n, 'C-esx01', 'C', 10 * GB))];
    const s = { ...scenario(estate({ hosts: hosts('C', 6), vms }), openFabric({ perCopyRate: 1e9 }), 'field'), costs: { ...VSPHERE_6_PLUS, hostMax: 18 } };
    lab = await startLab({ fixedMs: 100 }, s);
    const r = await lab.svmig(['run', lab.plan('field'), '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const vmotions = r.stdout.split('\n').flatMap((l) => {
      const m = /^\s*\d+\s+\+(.+?)\s+vmotion\s+(\S+)\s+(\S+) → (\S+)(?:\s+[\d.]+ [KMGT]?i?B)?\s*$/.exec(l);
      return m ? [`${m[2]} ${m[3]}→${m[4]} +${m[1]}`] : [];
    });
    expect(vmotions).toEqual(['c C-esx01→C-esx02 +0s', 'd C-esx01→C-esx03 +14s', 'e C-esx01→C-esx04 +28s', 'f C-esx01→C-esx05 +42s', 'g C-esx01→C-esx06 +56s', 'h C-esx01→C-esx02 +1m 10s']);
    expect((await lab.sim.stats()).calls['RelocateVM_Task'] ?? 0).toBe(0);
  }, 120_000);
});
