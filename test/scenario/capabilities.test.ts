// The scenario fields of per-disk placement (targets.map, targets.spread), pre-flight remediation
// (campaign.remediation, a VM's snapshots) and DRS guard rails (campaign.drsOverride, a VM's own
// override): read as written, refused with one sentence naming the field when wrong.

import { describe, expect, it } from 'vitest';
import { GiB } from '../../src/domain/units.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { syntheticScenario } from '../../src/scenario/synthetic.js';

const BASE = `name: t
targets:
  headroom: 10%
fabric:
  hosts: { hbaPorts: 2, portSpeed: 16Gb }
  arrays:
    - { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }
    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }
  perCopyRate: 250MB/s
estate:
  vcenter: vc.test
  arrays: { legacy: [OLD], new: [NEW] }
  clusters: [ { name: LAB, hosts: [ { name: esx01 } ] } ]
  datastores:
    - { name: OLD-01, array: OLD, capacity: 4TiB }
    - { name: OLD-SQL, array: OLD, capacity: 4TiB }
    - { name: NEW-01, array: NEW, capacity: 8TiB }
    - { name: NEW-SQL-A, array: NEW, capacity: 8TiB }
    - { name: NEW-SQL-B, array: NEW, capacity: 8TiB }
  vms:
    - { name: app01, host: esx01, memory: 16GiB, disks: [ { size: 200GiB, datastore: OLD-01 } ] }
`;

const withTargets = (lines: string) => BASE.replace('  headroom: 10%\n', `  headroom: 10%\n${lines}\n`);
const withCampaign = (lines: string) => `${BASE}campaign:\n${lines}\n`;
const errorOf = (text: string) => {
  try {
    parseScenario(text, 'scenarios/t.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

describe('targets.map and targets.spread', () => {
  it('reads a map by names and /patterns/, the first entry matching a legacy datastore winning', () => {
    const s = parseScenario(withTargets('  map:\n    - { from: OLD-SQL, to: "/^NEW-SQL-/" }\n    - { from: "/^OLD/", to: [NEW-01] }\n  spread: { vmsOver: 2TiB, datastores: 3 }'), 'scenarios/t.yaml');
    expect(s.targets.map).toEqual({ 'OLD-SQL': ['NEW-SQL-A', 'NEW-SQL-B'], 'OLD-01': ['NEW-01'] });
    expect(s.targets.spread).toEqual({ vmOver: 2 * 1024 * GiB, diskOver: null, datastores: 3 });
  });

  it('refuses a map entry that matches nothing, or names a datastore of the wrong side', () => {
    expect(errorOf(withTargets('  map:\n    - { from: NEW-01, to: NEW-SQL-A }'))).toBe(
      'scenarios/t.yaml line 5: targets.map[0].from: "NEW-01" matches no legacy datastore (legacy datastores: OLD-01, OLD-SQL)',
    );
    expect(errorOf(withTargets('  map:\n    - { from: OLD-SQL, to: [NEW-SQL-A, "/^PURE/"] }'))).toBe(
      'scenarios/t.yaml line 5: targets.map[0].to[1]: "/^PURE/" matches no new datastore (new datastores: NEW-01, NEW-SQL-A, NEW-SQL-B)',
    );
  });

  it('refuses a spread rule that says which VMs to spread by nothing', () => {
    expect(errorOf(withTargets('  spread: { datastores: 2 }'))).toMatch(/^scenarios\/t\.yaml line 4: targets\.spread: say which VMs to spread: vmsOver/);
  });
});

describe('campaign.remediation and campaign.drsOverride', () => {
  it('reads the policies, with the simulator\'s rate and set-up', () => {
    const s = parseScenario(withCampaign('  remediation: { snapshots: keep-newest:1, consolidate: true, rate: 100MB/s, setup: 1m }\n  drsOverride: true'), 'scenarios/t.yaml');
    expect(s.campaign.remediation).toEqual({ snapshots: { policy: 'keep-newest', keep: 1 }, consolidate: true, rate: 100e6, setupSeconds: 60 });
    expect(s.campaign.drsOverride).toBe(true);
    const none = parseScenario(BASE, 'scenarios/t.yaml');
    expect([none.campaign.remediation, none.campaign.drsOverride]).toEqual([null, false]);
  });

  it('refuses a snapshot policy it does not know', () => {
    expect(errorOf(withCampaign('  remediation: { snapshots: remove-some }'))).toBe(
      'scenarios/t.yaml line 23: campaign.remediation.snapshots: "remove-some" is not a snapshot policy (keep, remove-all, or keep-newest:N like keep-newest:1)',
    );
  });

  it('reads a VM\'s snapshots and its own DRS override, and refuses a chain longer than the snapshots', () => {
    const vm = '    - { name: app02, host: esx01, memory: 8GiB, disks: [ { size: 100GiB, datastore: OLD-01 } ], drsOverride: disabled, snapshots: { count: 3, delta: 9GiB, consolidationNeeded: true, orphans: 1GiB } }';
    const s = parseScenario(`${BASE}${vm}\n`, 'scenarios/t.yaml');
    const app02 = s.estate.vms.find((v) => v.name === 'app02')!;
    expect(app02.snapshots).toEqual({ count: 3, depth: 3, deltaBytes: 9 * GiB, consolidationNeeded: true, orphanBytes: GiB });
    expect(app02.drsOverride).toEqual({ behavior: null, enabled: false });
    expect(errorOf(`${BASE}${vm.replace('count: 3,', 'count: 1, depth: 2,')}\n`)).toBe(
      'scenarios/t.yaml line 22: estate.vms[1].snapshots.depth: a chain of 2 snapshots needs at least as many, but count is 1',
    );
  });
});

describe('the shipped lab-guarded scenario', () => {
  const s = loadScenario('scenarios/lab-guarded.yaml');

  it('maps the SQL datastore to the two SQL datastores and the others to the general ones, and spreads VMs over 500 GiB', () => {
    expect(s.targets.map).toEqual({ 'OLD-SQL': ['NEW-SQL-A', 'NEW-SQL-B'], 'OLD-01': ['NEW-01', 'NEW-02'], 'OLD-02': ['NEW-01', 'NEW-02'] });
    expect(s.targets.spread).toEqual({ vmOver: 500 * GiB, diskOver: null, datastores: 2 });
  });

  it('has the snapshots, the orphaned redo logs and the overrides its comments say', () => {
    const snapshots = Object.fromEntries(s.estate.vms.filter((v) => v.snapshots !== undefined).map((v) => [v.name, v.snapshots]));
    expect(snapshots).toEqual({
      web02: { count: 0, depth: 0, deltaBytes: 0, consolidationNeeded: true, orphanBytes: 2 * GiB },
      app01: { count: 2, depth: 2, deltaBytes: 8 * GiB, consolidationNeeded: false, orphanBytes: 0 },
      sql02: { count: 1, depth: 1, deltaBytes: 6 * GiB, consolidationNeeded: false, orphanBytes: 0 },
      big01: { count: 1, depth: 1, deltaBytes: 10 * GiB, consolidationNeeded: false, orphanBytes: 0 },
    });
    expect(Object.fromEntries(s.estate.vms.filter((v) => v.drsOverride !== undefined).map((v) => [v.name, v.drsOverride]))).toEqual({
      web03: { behavior: 'fullyAutomated', enabled: true },
      app02: { behavior: 'manual', enabled: true },
    });
    expect([s.campaign.remediation?.snapshots, s.campaign.remediation?.consolidate, s.campaign.drsOverride]).toEqual([{ policy: 'remove-all' }, true, true]);
  });
});

describe('snapshots in a generated estate', () => {
  it('come from a stream of their own: the rest of the estate is the same with or without them', () => {
    const base = syntheticScenario({ vms: 300, seed: 4 });
    const { estate } = syntheticScenario({ vms: 300, seed: 4, spec: { snapshots: { share: 0.2, maxDepth: 3, delta: 0.1, consolidationNeeded: 0.05 } } });
    expect(estate.vms.map(({ snapshots: _, ...rest }) => rest)).toEqual(base.estate.vms);
    const snapped = estate.vms.filter((v) => (v.snapshots?.count ?? 0) > 0);
    // 20 % of 300 is 60; a binomial draw stays within ±25 of it (over 3.5 standard deviations).
    expect(Math.abs(snapped.length - 60)).toBeLessThan(25);
    for (const v of snapped) {
      const allocated = v.disks.reduce((s, d) => s + (d.thin ? d.allocatedBytes : d.capacityBytes), 0);
      expect(v.snapshots!.depth).toBeGreaterThanOrEqual(1);
      expect(v.snapshots!.depth).toBeLessThanOrEqual(3);
      expect(v.snapshots!.deltaBytes).toBe(Math.round(allocated * 0.1));
    }
  });
});
