// Per-disk placement in the planner: a datastore map, the spread rule, a plan's frozen disk targets,
// free space counted per target, and the datastore limits counting every target. Every expected
// target below is worked out by hand from the rule in src/core/targets.ts (largest disk first; a
// VM's own datastores reused before new ones, except that a spread VM takes new ones up to its
// limit; the most room after what the VM already put there, then the first by name).

import { describe, expect, it } from 'vitest';
import { campaignFromEstate, defaultRules, type CampaignRules } from '../../src/core/campaign.js';
import { chargesOf } from '../../src/core/operations.js';
import { Planner } from '../../src/core/planner.js';
import { parsePolicy } from '../../src/core/policy.js';
import type { Operation, SvmotionOp } from '../../src/core/port.js';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import type { Disk, Vm } from '../../src/domain/estate.js';
import { datastore, estate, hosts } from '../helpers/build.js';

const GB = 1e9;

function disk(label: string, gb: number, ds: string): Disk {
  return { label, capacityBytes: gb * GB, allocatedBytes: gb * GB, thin: false, datastore: ds };
}

function multi(name: string, disks: Disk[], host = 'C-esx01', home = disks[0]!.datastore): Vm {
  return { name, cluster: 'C', host, powerState: 'poweredOn', memoryBytes: 4e9, disks, homeDatastore: home };
}

/** Three new datastores of 1000 GB, empty; headroom 10 %: a target keeps 100 GB free. */
const NEW3 = ['N1', 'N2', 'N3'].map((n) => datastore(n, 'new', 1000 * GB));
const OLD2 = ['OLD-A', 'OLD-B'].map((n) => datastore(n, 'legacy'));

function planner(vms: Vm[], rules: Partial<CampaignRules>, policy = 'fixed:5', hostCount = 2): Planner {
  const e = estate({ hosts: hosts('C', hostCount), vms, datastores: [...OLD2, ...NEW3] });
  return new Planner(campaignFromEstate(e, defaultRules(VSPHERE_6_PLUS, { headroom: 0.1, ...rules })), parsePolicy(policy));
}

const targets = (op: Operation) => (op as SvmotionOp).disks?.map((d) => `${d.disk}:${d.target}`);

describe('per-disk placement: a datastore map', () => {
  const map = new Map([
    ['OLD-A', ['N1']],
    ['OLD-B', ['N2', 'N3']],
  ]);

  it('sends each disk into its map, keeping a VM\'s disks together where the map allows', () => {
    // x: HD2 300 (OLD-B) first → N2 or N3, both 1000 free: N2 by name. HD3 200 (OLD-B) → N2 is
    // x's own and keeps 1000 - 300 - 200 = 500 ≥ 100: reused. HD1 100 (OLD-A) → only N1. The home
    // (OLD-A) may only go to N1. y (450, OLD-B) → N2 has 500 left, 50 after y < 100: N3.
    const x = multi('x', [disk('Hard disk 1', 100, 'OLD-A'), disk('Hard disk 2', 300, 'OLD-B'), disk('Hard disk 3', 200, 'OLD-B')]);
    const y = multi('y', [disk('Hard disk 1', 450, 'OLD-B')], 'C-esx02');
    const p = planner([x, y], { diskPlacement: { map, spread: null } });
    const ops = p.decide(0) as SvmotionOp[];
    expect(ops.map((o) => o.vm)).toEqual(['x', 'y']);
    expect(targets(ops[0]!)).toEqual(['Hard disk 1:N1', 'Hard disk 2:N2', 'Hard disk 3:N2']);
    expect(ops[0]!.targetDatastore).toBe('N1');
    expect(targets(ops[1]!)).toEqual(['Hard disk 1:N3']);
    expect(ops[1]!.targetDatastore).toBe('N3');
  });

  it('charges every source and every distinct target once in vCenter\'s admission', () => {
    const x = multi('x', [disk('Hard disk 1', 100, 'OLD-A'), disk('Hard disk 2', 300, 'OLD-B'), disk('Hard disk 3', 200, 'OLD-B')]);
    const [op] = planner([x], { diskPlacement: { map, spread: null } }).decide(0);
    // Host 8; OLD-A, OLD-B, N1, N2 16 each (N2 twice in the disks, once charged).
    expect(chargesOf(op!, 'C-esx01', ['OLD-A', 'OLD-B'], VSPHERE_6_PLUS)).toEqual([
      { kind: 'host', name: 'C-esx01', cost: 8 },
      { kind: 'datastore', name: 'OLD-A', cost: 16 },
      { kind: 'datastore', name: 'OLD-B', cost: 16 },
      { kind: 'datastore', name: 'N1', cost: 16 },
      { kind: 'datastore', name: 'N2', cost: 16 },
    ]);
  });

  it('skips a VM one of whose disks no datastore of its map takes, saying which disk', () => {
    // N1 takes at most 900 GB; HD1 of z is 950.
    const z = multi('z', [disk('Hard disk 1', 950, 'OLD-A')]);
    const p = planner([z], { diskPlacement: { map, spread: null } });
    expect(p.decide(0)).toEqual([]);
    expect(p.skipped.map((s) => s.reason)).toEqual(['none of N1 (the map of OLD-A) mounted on host C-esx01 keeps 10 % free after its Hard disk 1']);
  });
});

describe('per-disk placement: spreading a large VM', () => {
  const big = multi('big', [disk('Hard disk 1', 400, 'OLD-A'), disk('Hard disk 2', 400, 'OLD-A'), disk('Hard disk 3', 300, 'OLD-A'), disk('Hard disk 4', 100, 'OLD-A')]);

  it('moves a VM larger than any one datastore over several, up to the limit', () => {
    // 1200 GB > 1000 (vmBytesOver): spread over at most 2. HD1 400 → N1 (all equal, by name); HD2
    // 400 → a new one while under 2: N2; HD3 300 → the limit is reached: N1 (600 room) and N2
    // (600) tie, N1 by name; HD4 100 → N1 has 300, N2 600: N2. Home (OLD-A, no map): with HD1, N1.
    const p = planner([big], { diskPlacement: { map: new Map(), spread: { vmBytesOver: 1000 * GB, diskBytesOver: null, maxDatastores: 2 } } });
    const [op] = p.decide(0);
    expect(targets(op!)).toEqual(['Hard disk 1:N1', 'Hard disk 2:N2', 'Hard disk 3:N1', 'Hard disk 4:N2']);
    expect((op as SvmotionOp).targetDatastore).toBe('N1');
  });

  it('is skipped whole when it is not spread: no datastore holds 1200 GB', () => {
    const p = planner([big], { diskPlacement: { map: new Map(), spread: { vmBytesOver: 2000 * GB, diskBytesOver: null, maxDatastores: 2 } } });
    expect(p.decide(0)).toEqual([]);
    expect(p.skipped.map((s) => s.reason)).toEqual(['no new datastore mounted on host C-esx01 keeps 10 % free after this copy']);
  });

  it('spreads by disk size too, and counts what it reserved against the next VM', () => {
    // diskBytesOver 350: big is spread (HD1 400), as above: N1 gets 700, N2 500. s1 (340, OLD-B)
    // is not spread and has no map: a whole-VM move to the target with most free space: N3 (1000).
    // s2 (330) then: N3 has 660 (330 after it, ≥ 100) against N2's 500 and N1's 300: N3 again.
    const s1 = multi('s1', [disk('Hard disk 1', 340, 'OLD-B')], 'C-esx02');
    const s2 = multi('s2', [disk('Hard disk 1', 330, 'OLD-B')], 'C-esx02');
    const p = planner([big, s1, s2], { diskPlacement: { map: new Map(), spread: { vmBytesOver: null, diskBytesOver: 350 * GB, maxDatastores: 2 } } });
    const ops = p.decide(0) as SvmotionOp[];
    expect(ops.map((o) => `${o.vm}→${o.targetDatastore}${o.disks ? ` (${o.disks.length} disks)` : ''}`)).toEqual(['big→N1 (4 disks)', 's1→N3', 's2→N3']);
  });

  it('gives every target its bytes back when the copy fails', () => {
    // big as in the first case (N1 700, N2 500) fails; the space comes back, so after it a 850 GB
    // VM fits N1 (1000 - 850 = 150 ≥ 100), which it would not have with big's 700 there.
    const after = multi('after', [disk('Hard disk 1', 850, 'OLD-B')], 'C-esx02');
    const p = planner([big, after], { diskPlacement: { map: new Map(), spread: { vmBytesOver: 1000 * GB, diskBytesOver: null, maxDatastores: 2 } } }, 'fixed:1');
    const [op] = p.decide(0);
    expect(op!.vm).toBe('big');
    p.observe({ type: 'failed', op: op!.id, at: 5, reason: 'boom', transient: false });
    const [next] = p.decide(5) as SvmotionOp[];
    expect(next!.vm).toBe('after');
    expect(next!.targetDatastore).toBe('N1');
  });
});

describe('per-disk placement: what a plan froze, and vCenter\'s datastore limit', () => {
  it('takes a plan\'s per-disk targets as they are', () => {
    const x = multi('x', [disk('Hard disk 1', 100, 'OLD-A'), disk('Hard disk 2', 200, 'OLD-B')]);
    const p = planner([x], { fixedTargets: new Map([['x', 'N3']]), fixedDisks: new Map([['x', new Map([['Hard disk 1', 'N2'], ['Hard disk 2', 'N3']])]]) });
    const [op] = p.decide(0) as SvmotionOp[];
    expect(op!.targetDatastore).toBe('N3');
    expect(targets(op!)).toEqual(['Hard disk 1:N2', 'Hard disk 2:N3']);
  });

  it('counts a per-disk copy on each of its targets against the datastore limit', () => {
    // One svMotion per datastore at a time (datastoreSvmotionLimit 1), host-aware: x goes to N1
    // and N2 (fixed); y may only go to N2 (fixed), which x holds: y waits until x ends.
    const x = multi('x', [disk('Hard disk 1', 100, 'OLD-A'), disk('Hard disk 2', 100, 'OLD-A')]);
    const y = multi('y', [disk('Hard disk 1', 100, 'OLD-B')], 'C-esx02');
    const p = planner([x, y], {
      datastoreSvmotionLimit: 1,
      fixedTargets: new Map([
        ['x', 'N1'],
        ['y', 'N2'],
      ]),
      fixedDisks: new Map([['x', new Map([['Hard disk 2', 'N2']])]]),
    }, 'host-aware');
    const first = p.decide(0);
    expect(first.map((o) => o.vm)).toEqual(['x']);
    expect(p.decide(1)).toEqual([]);
    p.observe({ type: 'succeeded', op: first[0]!.id, at: 10 });
    expect(p.decide(10).map((o) => o.vm)).toEqual(['y']);
  });
});
