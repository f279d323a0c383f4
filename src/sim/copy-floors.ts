// The least rate each copy of a scenario is sure to get (core/campaign.ts, CopyFloor), for the
// planner to start a copy in a change window only when it will end in it. Worked out from the fabric
// the simulated world runs on (models/fabric.ts): a copy's bytes cross its legacy arrays' front-end
// ports, the core, its host's enclosure uplinks and HBAs, and the new array's ports. The VM may run
// on any host of its cluster and go to any new array, so each figure is the least among those.
//
// Figures a run draws (systematic.ts) are taken at their unfavourable end: the per-copy rate at its
// 5th percentile, the set-up and each array's production load at their 95th. The planner learns
// from the copies it sees end when even these were too hopeful (planner.ts).

import { quantile } from '../domain/distribution.js';
import { floorRate, type CopyFloor, type MoveItem, type WindowFit } from '../core/campaign.js';
import type { Estate } from '../domain/estate.js';
import type { Scenario } from '../scenario/scenario.js';

/** The share of draws the floors are sure of: a 1-in-20 run may be slower than they say. */
const UNFAVOURABLE = 0.95;

export function windowFitOf(scenario: Scenario, estate: Estate, items: readonly MoveItem[], hostLimit: number): WindowFit {
  const { fabric, campaign } = scenario;
  const perCopy = fabric.uncertain?.perCopyRate ? quantile(fabric.uncertain.perCopyRate, 1 - UNFAVOURABLE) : fabric.perCopyRate;
  const setup = fabric.uncertain?.svmotionSetupSeconds ? quantile(fabric.uncertain.svmotionSetupSeconds, UNFAVOURABLE) : fabric.svmotionSetupSeconds;
  const arrayRate = new Map(
    fabric.arrays.map((a) => [a.name, a.ports * a.portRate * (1 - (a.productionLoad ? quantile(a.productionLoad, UNFAVOURABLE) : 0))]),
  );
  const datastoreArray = new Map(estate.datastores.map((d) => [d.name, d.array]));
  const newArrays = [...new Set(estate.datastores.filter((d) => d.role === 'new').map((d) => d.array).filter((a): a is string => a !== null))];
  const newRate = Math.min(...newArrays.map((a) => arrayRate.get(a) ?? Infinity));
  const hostsOf = new Map<string, Estate['hosts']>();
  for (const h of estate.hosts) if (h.cluster !== null) hostsOf.set(h.cluster, [...(hostsOf.get(h.cluster) ?? []), h]);
  const inEnclosure = new Map<string, number>();
  for (const h of estate.hosts) if (h.enclosure !== null) inEnclosure.set(h.enclosure, (inEnclosure.get(h.enclosure) ?? 0) + 1);
  const uplinkRate = fabric.enclosureUplinkPorts * fabric.enclosureUplinkPortRate;
  const jitter = campaign.jitter;

  const byCluster = new Map<string, { uplinks: number; uplinkCopies: number; hba: number }>();
  const clusterFigures = (cluster: string) => {
    let f = byCluster.get(cluster);
    if (f === undefined) {
      const hosts = hostsOf.get(cluster) ?? [];
      const enclosures = [...new Set(hosts.map((h) => h.enclosure).filter((e): e is string => e !== null))];
      f = {
        uplinks: enclosures.length > 0 ? uplinkRate : Infinity,
        uplinkCopies: Math.max(1, ...enclosures.map((e) => (inEnclosure.get(e) ?? 0) * hostLimit)),
        hba: Math.min(...hosts.map((h) => (h.hbaPorts ?? fabric.hostPorts) * fabric.hostPortRate)),
      };
      byCluster.set(cluster, f);
    }
    return f;
  };

  const floors = new Map<string, CopyFloor>();
  for (const item of items) {
    const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, item.sourceDatastores.length));
    const sources = new Set(item.sourceDatastores.map((ds) => datastoreArray.get(ds)).filter((a): a is string => !!a));
    const sourceRate = Math.min(...[...sources].map((a) => arrayRate.get(a) ?? Infinity));
    floors.set(item.vm, {
      cap: perCopy * streams * (1 - jitter),
      shared: Math.min(sourceRate, fabric.coreRate ?? Infinity, newRate),
      ...clusterFigures(item.cluster),
    });
  }

  // A DRS vMotion on the copy's host, or of its VM, may hold the copy in vCenter's queue for as long
  // as it runs (memory over the vMotion network, plus its set-up); twice that, for a second one
  // admitted ahead of it.
  const drs = campaign.drs.level === 'fully-automated';
  const largestMemory = Math.max(0, ...estate.vms.map((v) => v.memoryBytes));
  const margin = drs ? 2 * (fabric.vmotionSetupSeconds + (fabric.vmotionRate > 0 ? largestMemory / fabric.vmotionRate : 0)) : 0;
  return { floors, setupSeconds: setup, marginSeconds: margin };
}

/** The longest `item`'s copy can take, set-up included, with at most `n` copies in flight. */
export function floorDuration(fit: WindowFit, item: MoveItem, n: number, hostLimit: number): number {
  const f = fit.floors.get(item.vm);
  return f === undefined ? 0 : fit.setupSeconds + item.bytes / floorRate(f, n, hostLimit);
}
