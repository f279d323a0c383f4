// The limits of what svmig accepts as input, in one table. Each is far above any real campaign (one
// vCenter, its hosts, VMs and fabric), and low enough that what passes cannot exhaust memory, time or
// floating point: a scenario, export or saved result beyond one is refused up front with a sentence
// that names the field and the limit, instead of running for ever or crashing half-way.

import { PiB } from './units.js';

export const LIMITS = {
  /** Hosts of one estate (one vCenter manages a few thousand). */
  hosts: 10_000,
  /** VMs of one estate (one vCenter registers a few tens of thousands). */
  vms: 200_000,
  clusters: 10_000,
  /** Datastores of one estate, given or generated. */
  datastores: 50_000,
  /** Disks of one VM (4 controllers of 64, and a few more on other buses). */
  disksPerVm: 256,
  /** Storage arrays of the fabric. */
  arrays: 1_000,
  /** FC ports of one HBA set, enclosure uplink set or array front end. */
  ports: 1_024,
  /** Any one size (a disk, a datastore, a VM's provisioned bytes): 8 PiB, where doubles still count bytes exactly. */
  bytes: 8 * PiB,
  /** Slowest copy or vMotion stream modelled: 1 MB/s (a software data mover does tens to hundreds). */
  minRate: 1e6,
  /**
   * Largest share of an array's front-end capacity production I/O may take during the campaign: with
   * all of it taken the copies would never end.
   */
  maxProductionLoad: 0.95,
  /** Longest fixed set-up time of one svMotion or vMotion: one day. */
  maxSetupSeconds: 86_400,
  /** Shortest DRS interval: 10 s (vSphere runs DRS every 1 or 5 minutes). */
  minDrsIntervalSeconds: 10,
  /** Shortest poll or progress interval: 1 s. */
  minPeriodSeconds: 1,
  /** Longest interval, fault time or outage: ten years of simulated time. */
  maxSeconds: 10 * 365 * 86_400,
  /** Entries of a list in a scenario that is not an estate list (windows, priority, faults). */
  listEntries: 200_000,
  /** Admission costs and budgets of a cost profile override. */
  cost: 1_000_000,
  /** Concurrency limits of a policy (cluster:N, global:N, adaptive MAX …). */
  concurrency: 100_000,
  /** Retries of one VM after transient failures, and the longest back-off (doubling from it). */
  retries: 10,
  maxBackoffSeconds: 86_400,
  /** Monte Carlo runs of one command, all policies together: every run's summary is kept (and saved). */
  runs: 100_000,
  /** Longest name or free text in a scenario. */
  textLength: 10_000,
} as const;

/**
 * Events the simulator may handle for one campaign before it is declared unable to finish: a run
 * takes a few events per VM, plus the periodic ones (DRS passes, polls, progress reports, window
 * wake-ups). A campaign that exhausts this budget is not progressing.
 */
export function eventBudget(vms: number): number {
  return 1_000_000 + 2_000 * vms;
}
