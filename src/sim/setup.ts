// A scenario as the planner and the simulated world take it: the campaign (what to move, the
// rules), and the initial placement of the VMs, drawn anew for each run when the scenario asks.

import { campaignFromEstate, defaultRules, type Campaign, type DiskPlacementRules } from '../core/campaign.js';
import type { Estate } from '../domain/estate.js';
import { weeklySchedule } from '../domain/windows.js';
import type { Scenario } from '../scenario/scenario.js';
import { windowFitOf } from './copy-floors.js';
import { normal, stream } from './random.js';

/**
 * The planner's view of the scenario: its estate and the rules it must keep; `fixedTargets` and
 * `fixedDisks` are a plan's frozen targets (VM → datastore; VM → disk → datastore).
 */
export function campaignFor(
  scenario: Scenario,
  estate: Estate = scenario.estate,
  fixedTargets: ReadonlyMap<string, string> = new Map(),
  fixedDisks: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
): Campaign {
  const w = scenario.campaign.windows;
  const campaign = campaignFromEstate(
    estate,
    defaultRules(scenario.costs, {
      headroom: scenario.targets.headroom,
      windows: w === null ? null : weeklySchedule(w.open, w.startOffset, w.shifts),
      allowOverrun: w?.allowOverrun ?? false,
      expectedCopyRate: scenario.fabric.perCopyRate,
      setupSeconds: scenario.fabric.svmotionSetupSeconds,
      priority: scenario.campaign.priority,
      fixedTargets,
      fixedDisks,
      diskPlacement: diskPlacement(scenario),
      remediation: scenario.campaign.remediation ?? null,
      drsGuard: scenario.campaign.drsOverride ?? false,
    }),
  );
  // Copies must end in their window: the planner is told how slow each can get.
  if (w !== null && !w.allowOverrun) campaign.windowFit = windowFitOf(scenario, estate, campaign.items, campaign.hostSvmotionLimit);
  return campaign;
}

/** The scenario's datastore map and spread rule, as the planner takes them; null when it has neither. */
function diskPlacement(scenario: Scenario): DiskPlacementRules | null {
  const { map, spread } = scenario.targets;
  if (map === undefined && spread === undefined) return null;
  return {
    map: new Map(Object.entries(map ?? {})),
    spread: spread === undefined ? null : { vmBytesOver: spread.vmOver, diskBytesOver: spread.diskOver, maxDatastores: spread.datastores },
  };
}

/**
 * Places every VM anew on a host of its cluster, unevenly as DRS leaves them: each host gets a
 * lognormal weight for this run, and VMs go to hosts in proportion to the weights.
 */
export function randomPlacement(estate: Estate, seed: number): Estate {
  const random = stream(seed, 'placement');
  const hostsOf = new Map<string, Array<{ name: string; cumulative: number }>>();
  for (const c of estate.clusters) {
    let total = 0;
    const hosts = estate.hosts
      .filter((h) => h.cluster === c.name)
      .map((h) => ({ name: h.name, cumulative: (total += Math.exp(0.5 * normal(random))) }));
    hosts.forEach((h) => (h.cumulative /= total));
    hostsOf.set(c.name, hosts);
  }
  return {
    ...estate,
    vms: estate.vms.map((vm) => {
      const hosts = vm.cluster === null ? undefined : hostsOf.get(vm.cluster);
      if (!hosts || hosts.length === 0) return vm;
      const u = random();
      return { ...vm, host: (hosts.find((h) => u < h.cumulative) ?? hosts[hosts.length - 1]!).name };
    }),
  };
}
