// A makespan no policy can beat: the lower bound a simulated campaign is measured against.
//
// Every part below is a quantity that holds for ANY schedule the simulated world allows: whichever
// order, concurrency, placement, target choice or pro-active vMotions a policy uses. The bound is
// the largest part; the others say how far each resource is from binding. docs/lower-bound.md
// explains each part for planners; the comments here carry the proofs.
//
// Standing assumptions (what "any schedule" means), all true of src/sim today:
//   A1. Every VM in the campaign's scope (campaignFromEstate's items) is copied by one svMotion
//       that ends successfully. Retries, failed attempts and vMotions only add work, so they never
//       make a run shorter; a run that gives up on VMs (permanent failure, no target space) moves
//       fewer bytes and may end before the bound: the bound is for the whole campaign.
//   A2. Work starts at t = 0 or later.
//   A3. A copy's rate never exceeds its data-mover cap perCopyRate · streams · (1 + jitter),
//       streams = min(maxParallelDiskCopies, max(1, distinct legacy source datastores)), jitter
//       being the scenario's per-copy rate jitter (a run scales each cap by a factor drawn in
//       [1 - j, 1 + j]: the bound must allow the luckiest draw), nor the capacity of any link it
//       crosses; the rates of the copies crossing a link sum to at most its capacity.
//   A4. An admitted svMotion holds its host and datastore charges from admission to its end, and
//       spends svmotionSetupSeconds of that time before its first byte.
//   A5. A VM only ever runs on hosts of its own cluster (the planner and DRS move VMs inside a
//       cluster), so a VM's copy crosses the HBAs of one of its cluster's hosts, and the uplinks
//       of that host's enclosure if it sits in one.
//
// Two lemmas carry every part:
//   L1 (cut). If every byte of a set of copies, B bytes in all, must cross a group of links whose
//       capacities sum to C, then by A3 at most C·t bytes have crossed by time t, and by A1 all B
//       must have crossed by the makespan T: T ≥ B / C.
//   L2 (slots). If a resource admits at most S svMotions at once, and each svMotion v that must
//       use it holds it for at least d_v seconds (A4, A3), then the holding intervals, all inside
//       [0, T] (A2), cover at most S·T slot-seconds: T ≥ Σ d_v / S.

import { campaignFromEstate, defaultRules, type MoveItem } from '../core/campaign.js';
import { diskCopyBytes } from '../domain/estate.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../domain/units.js';
import type { Scenario } from '../scenario/scenario.js';
import type { LowerBound, LowerBoundPart } from '../core/compare-result.js';
import { fabricOfRun, type Drawn } from './systematic.js';
import type { WindowMisfit } from '../core/result.js';
import { nextOpening, openIntervalAt, WEEK, weeklySchedule, type WindowSchedule } from '../domain/windows.js';


interface CopyFacts {
  item: MoveItem;
  /** Highest rate the copy can ever reach (bytes/s): data-mover cap and the links it must cross. */
  maxRate: number;
  /** Least time it holds its admission slots: setup + bytes / maxRate. */
  duration: number;
}

/**
 * The bound of the scenario. With systematic uncertainty (figures drawn once per run), the bound
 * holds for runs whose draws are at least as unfavourable as `draws.drawn`: a Monte Carlo passes
 * the most favourable of its runs' draws, figure by figure (systematic.ts, mostFavourable), so that
 * the bound holds for every run it made (a faster copy, shorter set-up or lighter load can only
 * shorten a campaign); one run passes its own draws.
 */
export function lowerBound(scenario: Scenario, draws: { drawn: Drawn; runs: number } | null = null): LowerBound {
  const { estate, costs } = scenario;
  const fabric = draws === null ? scenario.fabric : fabricOfRun(scenario.fabric, draws.drawn);
  const campaign = campaignFromEstate(estate, defaultRules(costs, { headroom: scenario.targets.headroom }));
  if (campaign.items.length === 0) return { seconds: 0, binding: 'nothing to move', parts: [] };

  // Every part for a set of copies, in copying time: how long the work takes with copies running
  // all the time. Change windows are counted afterwards (inWindows).
  const compute = (items: MoveItem[]): { parts: LowerBoundPart[]; copies: CopyFacts[] } => {
    const datastoreArray = new Map(estate.datastores.map((d) => [d.name, d.array]));
    const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
    const newDatastores = estate.datastores.filter((d) => d.role === 'new');
    const arrayRate = new Map(fabric.arrays.map((a) => [a.name, a.ports * a.portRate]));
    const hostHba = new Map(estate.hosts.map((h) => [h.name, (h.hbaPorts ?? fabric.hostPorts) * fabric.hostPortRate]));
    const hostEnclosure = new Map(estate.hosts.map((h) => [h.name, h.enclosure]));
    const uplinkRate = fabric.enclosureUplinkPorts * fabric.enclosureUplinkPortRate;
    const clusterHosts = new Map(campaign.clusters.map((c) => [c.name, c.hosts]));
    const vmByName = new Map(estate.vms.map((v) => [v.name, v]));
    const totalBytes = items.reduce((s, i) => s + i.bytes, 0);
    // The fastest a data-mover stream can ever go in a run of this scenario (A3).
    const jitter = scenario.campaign.jitter;
    const streamRate = fabric.perCopyRate * (1 + jitter);

    // Bytes each legacy array serves, attributed disk by disk: a VM with disks on two arrays reads
    // each disk from its own array. (The fabric model makes such a copy cross both arrays' ports at
    // its full rate, which only loads them more: the per-disk sum is below what the model carries.)
    const arrayBytes = new Map<string, number>();
    for (const item of items) {
      for (const d of vmByName.get(item.vm)?.disks ?? []) {
        if (d.datastore === null || !legacy.has(d.datastore)) continue;
        const array = datastoreArray.get(d.datastore);
        if (array) arrayBytes.set(array, (arrayBytes.get(array) ?? 0) + diskCopyBytes(d));
      }
    }
    const newArrays = [...new Set(newDatastores.map((d) => d.array).filter((a): a is string => a !== null))];
    const newArraysRate = newArrays.reduce((s, a) => s + (arrayRate.get(a) ?? 0), 0);

    const parts: LowerBoundPart[] = [];
    const worst = <T>(instances: T[], seconds: (x: T) => number): { at: T; seconds: number } | null => {
      let best: { at: T; seconds: number } | null = null;
      for (const x of instances) {
        const s = seconds(x);
        if (best === null || s > best.seconds) best = { at: x, seconds: s };
      }
      return best;
    };
    const of = (n: number, plural: string, singular: string) => (n > 1 ? `the tightest of ${n} ${plural}` : `the only ${singular}`);

    // (a1) Legacy arrays, front-end out. Every byte of a disk on legacy array A is read through A's
    // front-end ports (fabric path: array out → … → host HBAs in). L1 with B = bytes on A and
    // C = A's ports · port rate.
    const sourceArrays = [...arrayBytes.keys()].sort();
    const a1 = worst(sourceArrays, (a) => divide(arrayBytes.get(a)!, arrayRate.get(a) ?? 0));
    if (a1) {
      const rate = arrayRate.get(a1.at) ?? 0;
      parts.push({
        kind: 'legacy-array',
        name: `${a1.at} front-end out`,
        seconds: a1.seconds,
        explanation: `${formatBytes(arrayBytes.get(a1.at)!)} must be read through ${a1.at}'s front-end ports at ${formatRate(rate)}; ${of(sourceArrays.length, 'legacy arrays', 'legacy array')}.`,
      });
    }

    // (a2) New arrays, front-end in. Every copy writes to one new datastore, on one of the arrays
    // that hold new datastores; whichever the policy picks, the writes of all copies together cross
    // the in-direction of those arrays' ports. L1 with B = all bytes, C = their summed capacity.
    if (newArrays.length > 0) {
      parts.push({
        kind: 'new-arrays',
        name: newArrays.length === 1 ? `${newArrays[0]} front-end in` : `new arrays front-end in`,
        seconds: divide(totalBytes, newArraysRate),
        explanation: `${formatBytes(totalBytes)} must be written through the front-end ports of ${newArrays.join(', ')} at ${formatRate(newArraysRate)} in all.`,
      });
    }

    // (a3) Fabric core: every copy crosses it both ways (each direction its own capacity). L1.
    if (fabric.coreRate !== null) {
      parts.push({
        kind: 'core',
        name: 'fabric core',
        seconds: divide(totalBytes, fabric.coreRate),
        explanation: `${formatBytes(totalBytes)} must cross the fabric core at ${formatRate(fabric.coreRate)} per direction.`,
      });
    }

    // (a4) Host HBAs, per cluster. A copy reads in through and writes out through the HBAs of the host
    // it runs on (both directions carry its bytes), and by A5 that host is one of its cluster's. So
    // the bytes of a cluster's VMs all cross the HBAs (in direction) of the cluster's hosts: L1 with
    // C = Σ hosts' ports · port rate. Not per host: a VM can be vMotioned to any host of its cluster.
    const clusterBytes = new Map<string, number>();
    for (const item of items) clusterBytes.set(item.cluster, (clusterBytes.get(item.cluster) ?? 0) + item.bytes);
    const clusterHba = (c: string) => (clusterHosts.get(c) ?? []).reduce((s, h) => s + (hostHba.get(h) ?? 0), 0);
    const clusters = [...clusterBytes.keys()].sort();
    const a4 = worst(clusters, (c) => divide(clusterBytes.get(c)!, clusterHba(c)));
    if (a4) {
      const hostCount = clusterHosts.get(a4.at)?.length ?? 0;
      parts.push({
        kind: 'cluster-hbas',
        name: `cluster ${a4.at} host HBAs`,
        seconds: a4.seconds,
        explanation: `${formatBytes(clusterBytes.get(a4.at)!)} of cluster ${a4.at} must cross the HBAs of its ${hostCount} hosts at ${formatRate(clusterHba(a4.at))} in all, whichever host each VM is on; ${of(clusters.length, 'clusters', 'cluster')}.`,
      });
    }

    // (a5) Enclosure uplinks. A VM may run on any host of its cluster (A5), and a cluster can span
    // enclosures, so the uplinks of one enclosure bound nothing by themselves. For a set S of
    // enclosures, though, a cluster whose hosts ALL sit in S has every copy cross the uplinks of some
    // enclosure of S: L1 with B = bytes of those clusters, C = |S| · uplink capacity. A cluster with
    // a host outside every enclosure escapes all such cuts and is left out. The candidate sets are
    // each cluster's own enclosures and each group of enclosures linked by shared clusters.
    const enclosureSets = enclosureCandidates(campaign.clusters, hostEnclosure);
    const a5 = worst(enclosureSets, (s) => divide(bytesInside(s.clusters, clusterBytes), s.enclosures.length * uplinkRate));
    if (a5) {
      const bytes = bytesInside(a5.at.clusters, clusterBytes);
      const encl = a5.at.enclosures;
      parts.push({
        kind: 'enclosure-uplinks',
        name: encl.length === 1 ? `enclosure ${encl[0]} uplinks` : `uplinks of enclosures ${encl.join(', ')}`,
        seconds: a5.seconds,
        explanation: `${formatBytes(bytes)} of the clusters with every host in ${encl.length === 1 ? `enclosure ${encl[0]}` : `enclosures ${encl.join(', ')}`} must cross ${encl.length === 1 ? 'its' : 'their'} uplinks at ${formatRate(encl.length * uplinkRate)} in all.`,
      });
    }

    // (b) The longest single copy. By A3 a copy never runs faster than its data-mover cap (at the
    // highest jitter factor), nor than any link it must cross: the best HBA pair of its cluster, the
    // best enclosure uplinks of its cluster (unbounded if some host is in none), the core, the best
    // new array's ports, and the legacy arrays its disks are on (their summed capacity: the loosest
    // reading of a multi-array copy). It starts at 0 at the earliest (A2) and spends the setup first (A4), so it cannot end
    // before d_v = setup + bytes / maxRate; nor can the campaign.
    const bestNewArray = Math.max(0, ...newArrays.map((a) => arrayRate.get(a) ?? 0));
    // What a cluster's hosts allow (the best HBAs, uplinks or none), worked out once per cluster.
    const ofCluster = new Map<string, { hba: number; uplinks: number }>();
    const hostLimits = (hosts: readonly string[]): { hba: number; uplinks: number } => ({
      hba: Math.max(0, ...hosts.map((h) => hostHba.get(h) ?? 0)),
      uplinks: hosts.some((h) => (hostEnclosure.get(h) ?? null) === null) ? Infinity : uplinkRate,
    });
    const copies: CopyFacts[] = items.map((item) => {
      const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, item.sourceDatastores.length));
      const clusterHostList = clusterHosts.get(item.cluster);
      let limits = clusterHostList === undefined ? undefined : ofCluster.get(item.cluster);
      if (limits === undefined) {
        limits = hostLimits(clusterHostList ?? [item.host]);
        if (clusterHostList !== undefined) ofCluster.set(item.cluster, limits);
      }
      const { hba, uplinks } = limits;
      const sources = new Set(item.sourceDatastores.map((ds) => datastoreArray.get(ds)).filter((a): a is string => !!a));
      const sourceRate = sources.size === 0 ? Infinity : [...sources].reduce((s, a) => s + (arrayRate.get(a) ?? 0), 0);
      const maxRate = Math.min(streamRate * streams, hba, uplinks, fabric.coreRate ?? Infinity, newArrays.length > 0 ? bestNewArray : Infinity, sourceRate);
      return { item, maxRate, duration: fabric.svmotionSetupSeconds + divide(item.bytes, maxRate) };
    });
    const b = worst(copies, (c) => c.duration)!;
    parts.push({
      kind: 'single-copy',
      name: `copy of ${b.at.item.vm}`,
      seconds: b.seconds,
      explanation: `${b.at.item.vm} holds ${formatBytes(b.at.item.bytes)}; one svMotion copies it at ${formatRate(b.at.maxRate)} at most${jitter > 0 ? ` (with the most favourable ${Math.round(jitter * 100)} % rate jitter)` : ''}, after ${formatDuration(fabric.svmotionSetupSeconds)} of setup; the longest of ${items.length} copies.`,
    });

    // (c) Host admission, per cluster. A host admits ⌊hostMax / svmotionHost⌋ svMotions at once (2
    // under vSphere 6+: 16 / 8); vMotions charge the host too and only lower that. A cluster of H
    // hosts therefore holds at most k·H svMotions at once, and by A5 every VM of the cluster is copied
    // on one of them, holding a slot at least d_v (b). L2 with S = k·H. Per cluster, not per host:
    // VMs move between hosts of a cluster, so a crowded host proves nothing.
    const perHost = Math.floor(costs.hostMax / costs.svmotionHost);
    const slotSeconds = new Map<string, number>();
    for (const c of copies) slotSeconds.set(c.item.cluster, (slotSeconds.get(c.item.cluster) ?? 0) + c.duration);
    const c1 = worst(clusters, (c) => divide(slotSeconds.get(c)!, perHost * (clusterHosts.get(c)?.length ?? 0)));
    if (c1) {
      const hostCount = clusterHosts.get(c1.at)?.length ?? 0;
      const count = copies.filter((c) => c.item.cluster === c1.at).length;
      parts.push({
        kind: 'host-admission',
        name: `cluster ${c1.at} host slots`,
        seconds: c1.seconds,
        explanation: `the ${count} svMotions of cluster ${c1.at} hold a host slot ${formatDuration(slotSeconds.get(c1.at)!)} in all at the least (setup and copy at full speed), and its ${hostCount} hosts run ${perHost} each at once (host cost ${costs.hostMax} / svMotion ${costs.svmotionHost}); ${of(clusters.length, 'clusters', 'cluster')}.`,
      });
    }

    // (d1) Datastore admission, legacy side. A datastore admits ⌊datastoreMax / svmotionDatastore⌋
    // svMotions at once (8: 128 / 16), the charge being taken on every source datastore of a copy.
    // Every VM with its home or a disk on legacy datastore D holds a slot of D at least d_v. L2.
    const perDatastore = Math.floor(costs.datastoreMax / costs.svmotionDatastore);
    const dsSeconds = new Map<string, number>();
    const dsCount = new Map<string, number>();
    for (const c of copies) {
      for (const ds of new Set(c.item.sourceDatastores)) {
        dsSeconds.set(ds, (dsSeconds.get(ds) ?? 0) + c.duration);
        dsCount.set(ds, (dsCount.get(ds) ?? 0) + 1);
      }
    }
    const legacyInUse = [...dsSeconds.keys()].sort();
    const d1 = worst(legacyInUse, (ds) => divide(dsSeconds.get(ds)!, perDatastore));
    if (d1) {
      parts.push({
        kind: 'legacy-datastore-admission',
        name: `datastore ${d1.at} slots`,
        seconds: d1.seconds,
        explanation: `the ${dsCount.get(d1.at)} svMotions off ${d1.at} hold a slot on it ${formatDuration(dsSeconds.get(d1.at)!)} in all at the least, and a datastore runs ${perDatastore} at once (datastore cost ${costs.datastoreMax} / svMotion ${costs.svmotionDatastore}); ${of(legacyInUse.length, 'legacy datastores', 'legacy datastore')}.`,
      });
    }

    // (d2) Datastore admission, new side. Which new datastore a VM goes to is the policy's choice, so
    // no single new datastore is forced; but every copy holds a slot on SOME new datastore, and N of
    // them admit N · 8 at once: L2 with S = N · ⌊datastoreMax / svmotionDatastore⌋ over all copies.
    // (With a single new datastore this is that datastore's own bound.)
    if (newDatastores.length > 0) {
      const total = copies.reduce((s, c) => s + c.duration, 0);
      const slots = newDatastores.length * perDatastore;
      parts.push({
        kind: 'new-datastore-admission',
        name: newDatastores.length === 1 ? `datastore ${newDatastores[0]!.name} slots` : `new datastores slots`,
        seconds: divide(total, slots),
        explanation: `all ${copies.length} svMotions hold a slot on some new datastore ${formatDuration(total)} in all at the least, and the ${newDatastores.length} new datastore${newDatastores.length === 1 ? '' : 's'} run ${perDatastore} each at once.`,
      });
    }
    return { parts, copies };
  };

  const all = compute(campaign.items);
  const windows = windowsOf(scenario);
  let parts = all.parts;
  let misfits: CopyFacts[] = [];
  if (windows !== null) {
    // Without overrun a copy runs inside one window: one that fits no window even at its fastest
    // cannot be moved, and the bound is for the copies that can (the misfits are named).
    if (windows.strict) misfits = all.copies.filter((c) => c.duration > windows.longest);
    const misfit = new Set(misfits.map((m) => m.item));
    const fitting = misfits.length === 0 ? campaign.items : campaign.items.filter((i) => !misfit.has(i));
    parts = fitting.length === 0 ? [] : inWindows(misfits.length === 0 ? all : compute(fitting), windows);
  }
  if (parts.length === 0) return { seconds: 0, binding: 'nothing to move', parts: [], ...(misfits.length > 0 ? { windowMisfits: misfitsOf(misfits, windows!) } : {}) };

  let binding = parts[0]!;
  for (const p of parts) if (p.seconds > binding.seconds) binding = p;
  const bound: LowerBound = { seconds: binding.seconds, binding: binding.name, parts };
  if (misfits.length > 0) bound.windowMisfits = misfitsOf(misfits, windows!);
  if (draws !== null) bound.drawn = { ...draws.drawn, basis: drawnBasis(draws.drawn, draws.runs) };
  return bound;
}

interface Windows {
  schedule: WindowSchedule;
  /** Copies may not run past their window. */
  strict: boolean;
  /** The longest window, seconds. */
  longest: number;
}

/** The scenario's change windows, unless it has none or they are always open. */
function windowsOf(scenario: Scenario): Windows | null {
  const w = scenario.campaign.windows;
  if (w === null) return null;
  const schedule = weeklySchedule(w.open, w.startOffset, w.shifts);
  const longest = Math.max(0, ...schedule.intervals.map((i) => i.end - i.start));
  if (longest >= 3 * WEEK || !Number.isFinite(openIntervalAt(schedule, 0)?.end ?? 0)) return null;
  return { schedule, strict: !w.allowOverrun, longest };
}

/**
 * The parts in campaign time, counting only the time windows are open. Without overrun every copy
 * runs inside a window, so a part that needs W seconds of copying ends no sooner than the instant
 * by which the windows have been open W seconds in all (L1 and L2 hold over open time alone), and
 * the longest copy ends no sooner than it fits in one window: the first window that holds it from
 * its opening (or from t = 0). With overrun a copy may go on after its window closes, but none
 * starts before the first opening: every part is that opening plus its copying time.
 */
function inWindows(computed: { parts: LowerBoundPart[]; copies: CopyFacts[] }, w: Windows): LowerBoundPart[] {
  const first = nextOpening(w.schedule, 0);
  return computed.parts.map((part) => {
    const work = part.seconds;
    let seconds: number;
    let how: string;
    if (!w.strict) {
      seconds = first + work;
      how = first > 0 ? `no copy starts before the first window opens, after ${formatDuration(first)}` : 'copies may run past their window';
    } else if (part.kind === 'single-copy') {
      seconds = firstWindowHolding(w.schedule, work);
      how = `it must run inside one window: the first that holds it ends it after ${formatDuration(seconds)}`;
    } else {
      seconds = afterOpenTime(w.schedule, work);
      how = `counting only the hours windows are open, that much copying ends after ${formatDuration(seconds)} at the soonest`;
    }
    return { ...part, seconds, openSeconds: work, explanation: `${part.explanation.replace(/\.$/, '')}: ${formatDuration(work)} of copying; ${how}.` };
  });
}

/**
 * The windows' open stretches from t = 0 on, in order (the one open at 0 from 0): at most a
 * million, which no schedule of weekly windows needs before the bounds below are settled.
 */
function* openStretches(schedule: WindowSchedule): Generator<{ start: number; end: number }> {
  let t = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const open = openIntervalAt(schedule, t);
    if (open === null) {
      t = nextOpening(schedule, t);
      if (!Number.isFinite(t)) return;
      continue;
    }
    yield { start: t, end: open.end };
    t = open.end;
  }
}

/** The instant by which the windows have been open `work` seconds in all, from t = 0. */
function afterOpenTime(schedule: WindowSchedule, work: number): number {
  if (!(work > 0)) return 0;
  if (!Number.isFinite(work)) return Infinity;
  let left = work;
  for (const { start, end } of openStretches(schedule)) {
    if (end - start >= left) return start + left;
    left -= end - start;
  }
  return Infinity;
}

/** When a copy of `d` seconds, started at its window's opening (or at 0), ends in the first window long enough. */
function firstWindowHolding(schedule: WindowSchedule, d: number): number {
  for (const { start, end } of openStretches(schedule)) if (end - start >= d) return start + d;
  return Infinity;
}

function misfitsOf(misfits: CopyFacts[], w: Windows): WindowMisfit[] {
  return misfits.map((c) => ({ vm: c.item.vm, bytes: c.item.bytes, needsSeconds: c.duration, inFlight: 1, longestWindowSeconds: w.longest }));
}

/** Which draws a bound is for, in a sentence. */
function drawnBasis(d: Drawn, runs: number): string {
  const loads = Object.entries(d.productionLoad).map(([array, load]) => `${array} production load ${formatPercent(load)}`);
  const figures = [`per-copy rate ${formatRate(d.perCopyRate)}`, `svMotion set-up ${formatDuration(d.svmotionSetup)}`, ...loads].join(', ');
  return runs === 1
    ? `for the figures this run drew: ${figures}`
    : `for the most favourable figures any of the ${runs.toLocaleString('en-US')} runs drew, each on its own (${figures}), so that it holds for every run`;
}

/** bytes / rate, with nothing to move taking no time and something over no capacity never ending. */
function divide(amount: number, rate: number): number {
  if (amount <= 0) return 0;
  if (rate === Infinity) return 0;
  return rate > 0 ? amount / rate : Infinity;
}

interface EnclosureSet {
  /** Sorted enclosure names. */
  enclosures: string[];
  /** Clusters whose hosts all sit in these enclosures. */
  clusters: string[];
}

/**
 * Candidate enclosure sets for the uplink cut: for each cluster whose hosts all sit in enclosures,
 * the set of its enclosures, and the union of every group of such sets that share an enclosure.
 * (The best set in general is a densest-subgraph problem; these candidates catch the cases blade
 * estates have: a cluster inside one enclosure, clusters straddling neighbours.)
 */
function enclosureCandidates(clusters: ReadonlyArray<{ name: string; hosts: string[] }>, hostEnclosure: ReadonlyMap<string, string | null>): EnclosureSet[] {
  const own = new Map<string, Set<string>>();
  for (const c of clusters) {
    if (c.hosts.length === 0) continue;
    const encl = c.hosts.map((h) => hostEnclosure.get(h) ?? null);
    if (encl.some((e) => e === null)) continue;
    own.set(c.name, new Set(encl as string[]));
  }
  const candidates = new Map<string, string[]>();
  const add = (set: Iterable<string>) => {
    const sorted = [...set].sort();
    candidates.set(sorted.join('\u0000'), sorted);
  };
  for (const set of own.values()) add(set);
  // Groups linked by shared enclosures (union-find over enclosures).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const set of own.values()) for (const e of set) if (!parent.has(e)) parent.set(e, e);
  for (const set of own.values()) {
    const [first, ...rest] = [...set];
    for (const e of rest) parent.set(find(e), find(first!));
  }
  const groups = new Map<string, Set<string>>();
  for (const e of parent.keys()) {
    const r = find(e);
    if (!groups.has(r)) groups.set(r, new Set());
    groups.get(r)!.add(e);
  }
  for (const g of groups.values()) add(g);
  return [...candidates.values()].map((enclosures) => {
    const inside = new Set(enclosures);
    const members = [...own].filter(([, set]) => [...set].every((e) => inside.has(e))).map(([name]) => name);
    return { enclosures, clusters: members.sort() };
  });
}

function bytesInside(clusters: string[], clusterBytes: ReadonlyMap<string, number>): number {
  return clusters.reduce((s, c) => s + (clusterBytes.get(c) ?? 0), 0);
}
