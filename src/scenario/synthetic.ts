// The synthetic estate: a plausible vCenter of any size, drawn from a seeded generator. It stands in
// for a customer's inventory when there is none to import (the field story, benchmarks).
//
// What makes it plausible, and why:
// - VM sizes are lognormal, clipped: most VMs are a few tens to a few hundred GiB and a handful are
//   multi-TiB monsters. Those few dominate a largest-first schedule's tail, so the tail matters.
// - Initial placement is uneven, as DRS leaves it: host weights follow Zipf(skew), shuffled per
//   cluster, so the busiest hosts are not always the first ones.
// - Hosts are packed into blade enclosures in order, so one enclosure can hold hosts of two clusters
//   and its shared FC uplinks couple them.
// - Legacy datastores are sized from what lands on them (placement is balanced, largest VM first);
//   new datastores are empty.
// - Each side may sit on several arrays: the side's datastores are dealt to its arrays in
//   proportion to their shares (a weighted round robin over the whole estate, so every cluster gets
//   a mix and the totals are the shares to within one datastore), or in a fixed count per cluster
//   and array. Balanced placement then gives each array the same share of the data.
//
// Pure and deterministic: every draw comes from one seedrandom generator, in a fixed order.

import seedrandom from 'seedrandom';
import { COST_PROFILES } from '../domain/costs.js';
import type { Datastore, Disk, Estate, Host, Vm } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { LIMITS } from '../domain/limits.js';
import { GiB, MiB, TiB, formatBytes } from '../domain/units.js';
import { DEFAULT_CAMPAIGN, type Scenario } from './scenario.js';

/** A lognormal distribution of bytes, clipped to [min, max]. */
export interface LogNormalBytes {
  median: number;
  /** Standard deviation of ln(bytes). */
  sigma: number;
  min: number;
  max: number;
}

export interface SyntheticEstateSpec {
  vcenter: string;
  datacenter: string | null;
  clusters: Array<{ name: string; hosts: number }>;
  /** Blades per enclosure; 0 means rack servers (no enclosures). */
  enclosureSize: number;
  vms: number;
  /** Provisioned bytes per VM, before rescaling to `totalSize`. */
  vmSize: LogNormalBytes;
  /** Total provisioned bytes to rescale the drawn sizes to (within their clip); null keeps them. */
  totalSize: number | null;
  /** Largest disk; a bigger VM gets as many disks as it needs. null = no limit. */
  diskMax: number | null;
  /** Disks per VM: 1 + a geometric number of extra disks, `mean` in all, at most `max`. */
  disksPerVm: { mean: number; max: number };
  /** Share of disks that are thin. */
  thin: number;
  /** A thin disk's allocated share of its size is uniform between these. */
  thinAllocated: { min: number; max: number };
  memory: LogNormalBytes;
  /** Share of VMs powered on (the others are powered off). */
  poweredOn: number;
  /** Zipf exponent of host weights inside a cluster; 0 = even. */
  placement: { skew: number };
  /**
   * VMs with snapshots: `share` of them, chains of 1 … `maxDepth`, deltas of `delta` × the VM's
   * allocated bytes; and `consolidationNeeded` of all VMs with orphaned redo logs. Drawn from a
   * stream of their own: the rest of the estate is the same with or without them.
   */
  snapshots?: { share: number; maxDepth: number; delta: number; consolidationNeeded: number };
  /**
   * Source datastores: a count per cluster, or a capacity each (count derived); `fill` = used /
   * capacity. On `array`, or on several `arrays` (then `array` is not read).
   */
  legacy: { array: string; arrays?: SideArray[]; datastoresPerCluster: number | null; capacity: number | null; fill: number };
  /** Target datastores, empty: a count per cluster, or enough to hold the cluster's data at `fill`. */
  new: { array: string; arrays?: SideArray[]; capacity: number; datastoresPerCluster: number | null; fill: number | null };
}

/** One of a side's arrays: its share of the side's datastores, or its own count per cluster. */
export interface SideArray {
  name: string;
  /** Share of the side's datastores (the shares of a side add up to 1); not read with a count. */
  share: number;
  /** Datastores on this array in every cluster, instead of a share of the side's count. */
  datastoresPerCluster: number | null;
}

/** The arrays of one side, a single `array` read as one array with the whole share. */
export function sideArrays(side: { array: string; arrays?: SideArray[] }): SideArray[] {
  return side.arrays !== undefined && side.arrays.length > 0 ? side.arrays : [{ name: side.array, share: 1, datastoresPerCluster: null }];
}

/** Whether every array of the side has its own count per cluster (else: shares of one count). */
function countedPerArray(arrays: readonly SideArray[]): boolean {
  return arrays.every((a) => a.datastoresPerCluster !== null);
}

/** Chance that a VM's second and later disks sit with its first one rather than on the emptiest datastore (assumption). */
const SAME_DATASTORE = 0.5;
/** Datastores are carved in whole LUN-sized steps. */
const CAPACITY_STEP = 256 * GiB;

/** A generated estate would pass one of svmig's limits; `field` is the spec's field that makes it so. */
export class SyntheticLimitError extends RangeError {
  constructor(
    readonly field: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Throws RangeError when the spec cannot be met (the loader checks these first, with lines). */
export function checkSyntheticSpec(spec: SyntheticEstateSpec): void {
  const fail = (msg: string) => {
    throw new RangeError(`synthetic estate: ${msg}`);
  };
  if (spec.clusters.length === 0) fail('no clusters');
  if (!Number.isInteger(spec.vms) || spec.vms < 0) fail('vms must be a whole number');
  for (const d of [spec.vmSize, spec.memory]) {
    if (!(d.min <= d.median && d.median <= d.max)) fail('a distribution needs min ≤ median ≤ max');
  }
  if (spec.totalSize !== null && (spec.totalSize < spec.vms * spec.vmSize.min || spec.totalSize > spec.vms * spec.vmSize.max)) {
    fail('totalSize is out of reach of vms × [vmSize.min, vmSize.max]');
  }
  if (spec.thinAllocated.min > spec.thinAllocated.max) fail('thinAllocated.min is above thinAllocated.max');
  if (!(spec.legacy.fill > 0)) fail('legacy.fill must be above 0');
  const legacyArrays = sideArrays(spec.legacy);
  const newArrays = sideArrays(spec.new);
  if (!countedPerArray(legacyArrays) && spec.legacy.datastoresPerCluster === null && spec.legacy.capacity === null) fail('legacy needs datastoresPerCluster or capacity');
  if (!countedPerArray(newArrays) && spec.new.datastoresPerCluster === null && !(spec.new.fill !== null && spec.new.fill > 0)) fail('new needs datastoresPerCluster or a fill above 0');
  for (const [side, arrays] of [['legacy', legacyArrays], ['new', newArrays]] as const) {
    if (arrays.some((a) => a.datastoresPerCluster !== null) && !countedPerArray(arrays)) fail(`${side}: either every array has its datastoresPerCluster or none`);
    if (!countedPerArray(arrays) && arrays.some((a) => !(a.share >= 0)) ) fail(`${side}: an array's share must be 0 or more`);
    if (!countedPerArray(arrays) && !(arrays.reduce((t, a) => t + a.share, 0) > 0)) fail(`${side}: the arrays' shares add up to nothing`);
    if (new Set(arrays.map((a) => a.name)).size !== arrays.length) fail(`${side}: an array is listed twice`);
  }
  if (legacyArrays.some((a) => newArrays.some((b) => b.name === a.name))) fail('an array is on both sides');
}

/**
 * Deals datastores to arrays by share, one at a time, each to the array furthest behind its share
 * (share × dealt − given, ties to the first listed): at every point each array holds its share to
 * within one datastore. Shares 75 % / 25 % deal A A B A, A A B A, …; 50 % / 50 % deal A B A B ….
 */
class Dealer {
  private dealt = 0;
  private readonly given: number[];

  constructor(private readonly arrays: readonly SideArray[]) {
    this.given = arrays.map(() => 0);
  }

  next(): string {
    this.dealt++;
    let best = 0;
    let lag = -Infinity;
    for (const [i, a] of this.arrays.entries()) {
      const behind = a.share * this.dealt - this.given[i]!;
      if (behind > lag + 1e-12) {
        best = i;
        lag = behind;
      }
    }
    this.given[best]!++;
    return this.arrays[best]!.name;
  }
}

/** The array of each of a cluster's `count` datastores of one side (counts per array, or dealt by share). */
function arraysOf(arrays: readonly SideArray[], count: number, dealer: Dealer): string[] {
  if (countedPerArray(arrays)) return arrays.flatMap((a) => Array.from({ length: a.datastoresPerCluster! }, () => a.name));
  return Array.from({ length: count }, () => dealer.next());
}

/** Names `ARRAY_CLUSTER_NN`, numbered per array within the cluster. */
function datastoreNames(cluster: string, arrays: readonly string[]): string[] {
  const total = new Map<string, number>();
  for (const a of arrays) total.set(a, (total.get(a) ?? 0) + 1);
  const seen = new Map<string, number>();
  return arrays.map((a) => {
    const i = seen.get(a) ?? 0;
    seen.set(a, i + 1);
    return datastoreName(a, cluster, i, total.get(a)!);
  });
}

export function generateEstate(spec: SyntheticEstateSpec, seed: number): Estate {
  checkSyntheticSpec(spec);
  const rng = seedrandom.alea(String(seed));
  const hosts = makeHosts(spec);
  const perCluster = apportion(spec.vms, spec.clusters.map((c) => c.hosts));
  const sizes = drawVmSizes(spec, rng);

  const vms: Vm[] = [];
  const datastores: Datastore[] = [];
  const dealers = { legacy: new Dealer(sideArrays(spec.legacy)), new: new Dealer(sideArrays(spec.new)) };
  let next = 0;
  for (const [ci, cluster] of spec.clusters.entries()) {
    const clusterHosts = hosts.filter((h) => h.cluster === cluster.name);
    const count = perCluster[ci]!;
    const hostOf = placeOnHosts(count, clusterHosts, spec.placement.skew, rng);
    const width = Math.max(4, String(count).length);
    const clusterVms: Vm[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${cluster.name.toLowerCase()}-vm${String(i + 1).padStart(width, '0')}`;
      clusterVms.push(makeVm(name, cluster.name, hostOf[i]!, sizes[next++]!, spec, rng));
    }
    datastores.push(...placeOnDatastores(cluster.name, clusterVms, clusterHosts, spec, rng, dealers));
    vms.push(...clusterVms);
  }
  if (spec.snapshots !== undefined) drawSnapshots(vms, spec.snapshots, seedrandom.alea(`${seed}/snapshots`));

  return {
    vcenter: spec.vcenter,
    clusters: spec.clusters.map((c) => ({ name: c.name, datacenter: spec.datacenter })),
    hosts,
    datastores,
    vms,
  };
}

/** Snapshots and orphaned redo logs on some VMs; three draws per VM whatever comes of them. */
function drawSnapshots(vms: Vm[], spec: NonNullable<SyntheticEstateSpec['snapshots']>, rng: () => number): void {
  for (const vm of vms) {
    const has = rng() < spec.share;
    const depth = 1 + Math.floor(rng() * spec.maxDepth);
    const orphans = rng() < spec.consolidationNeeded;
    if (!has && !orphans) continue;
    const allocated = vm.disks.reduce((sum, d) => sum + (d.thin ? d.allocatedBytes : d.capacityBytes), 0);
    const delta = Math.round(allocated * spec.delta);
    vm.snapshots = { count: has ? depth : 0, depth: has ? depth : 0, deltaBytes: has ? delta : 0, consolidationNeeded: orphans, orphanBytes: orphans ? Math.round(delta / 2) : 0 };
  }
}

function makeHosts(spec: SyntheticEstateSpec): Host[] {
  const hosts: Host[] = [];
  const width = (n: number) => Math.max(2, String(n).length);
  const enclosures = spec.enclosureSize > 0 ? Math.ceil(spec.clusters.reduce((s, c) => s + c.hosts, 0) / spec.enclosureSize) : 0;
  for (const c of spec.clusters) {
    for (let h = 0; h < c.hosts; h++) {
      const enclosure = spec.enclosureSize > 0 ? `ENC${String(Math.floor(hosts.length / spec.enclosureSize) + 1).padStart(width(enclosures), '0')}` : null;
      hosts.push({ name: `${c.name.toLowerCase()}-esx${String(h + 1).padStart(width(c.hosts), '0')}`, cluster: c.name, enclosure });
    }
  }
  return hosts;
}

/** Provisioned bytes per VM: lognormal, clipped, then rescaled (re-clipping) to the total if asked. */
function drawVmSizes(spec: SyntheticEstateSpec, rng: () => number): Float64Array {
  const { median, sigma, min, max } = spec.vmSize;
  const sizes = new Float64Array(spec.vms);
  const drawn = new Float64Array(spec.vms);
  for (let i = 0; i < sizes.length; i++) {
    drawn[i] = median * Math.exp(sigma * normal(rng));
    sizes[i] = clamp(drawn[i]!, min, max);
  }
  if (spec.totalSize === null || sizes.length === 0) return sizes;
  // Scale the unclipped VMs so the sum hits the total; scaling can push more VMs onto a bound, so
  // repeat until none moves. checkSyntheticSpec guarantees the total is reachable.
  for (let round = 0; round < 100; round++) {
    let fixed = 0;
    let free = 0;
    for (const s of sizes) {
      if (s <= min || s >= max) fixed += s;
      else free += s;
    }
    if (free === 0) break;
    const factor = (spec.totalSize - fixed) / free;
    if (Math.abs(factor - 1) < 1e-9) break;
    for (let i = 0; i < sizes.length; i++) {
      const s = sizes[i]!;
      if (s > min && s < max) sizes[i] = clamp(s * factor, min, max);
    }
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - spec.totalSize) > 1e-9 * spec.totalSize) scaleAll(sizes, drawn, spec.totalSize, min, max);
  return sizes;
}

/**
 * The total by one factor on every draw, clipped: Σ clamp(f · drawn, min, max) grows with f from
 * n · min to n · max, so bisection on f finds the total (checkSyntheticSpec keeps it in reach).
 * Needed where the draws above the max alone outweigh the total (a wide sigma): rescaling only the
 * unclipped VMs cannot bring the sum down to it.
 */
function scaleAll(sizes: Float64Array, drawn: Float64Array, total: number, min: number, max: number): void {
  const sumAt = (f: number) => {
    let t = 0;
    for (const d of drawn) t += clamp(d * f, min, max);
    return t;
  };
  let lo = 0;
  let hi = 1;
  while (sumAt(hi) < total && hi < 1e300) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (sumAt(mid) < total) lo = mid;
    else hi = mid;
  }
  for (let i = 0; i < sizes.length; i++) sizes[i] = clamp(drawn[i]! * hi, min, max);
}

function makeVm(name: string, cluster: string, host: string, bytes: number, spec: SyntheticEstateSpec, rng: () => number): Vm {
  let n = 1;
  if (spec.disksPerVm.mean > 1) {
    // Geometric on {0, 1, …} with mean (mean − 1): success chance 1 / mean.
    n += Math.floor(Math.log(1 - rng()) / Math.log(1 - 1 / spec.disksPerVm.mean));
  }
  n = Math.min(n, spec.disksPerVm.max);
  if (spec.diskMax !== null) n = Math.max(n, Math.ceil(bytes / spec.diskMax));
  const weights = Array.from({ length: n }, () => 0.25 + 0.75 * rng());
  const sum = weights.reduce((a, b) => a + b, 0);
  let shares = weights.map((w) => (bytes * w) / sum);
  if (spec.diskMax !== null && shares.some((s) => s > spec.diskMax!)) shares = shares.map(() => bytes / n);

  const disks: Disk[] = shares.map((share, i) => {
    const capacity = roundDisk(share);
    const thin = rng() < spec.thin;
    const allocatedShare = spec.thinAllocated.min + (spec.thinAllocated.max - spec.thinAllocated.min) * rng();
    return {
      label: `Hard disk ${i + 1}`,
      key: 2000 + i,
      capacityBytes: capacity,
      allocatedBytes: thin ? Math.min(capacity, Math.max(MiB, Math.round((capacity * allocatedShare) / MiB) * MiB)) : capacity,
      thin,
      datastore: null,
    };
  });
  const m = spec.memory;
  const memory = clamp(2 ** Math.round(Math.log2(clamp(m.median * Math.exp(m.sigma * normal(rng)), m.min, m.max))), m.min, m.max);
  return {
    name,
    cluster,
    host,
    powerState: rng() < spec.poweredOn ? 'poweredOn' : 'poweredOff',
    memoryBytes: memory,
    disks,
    homeDatastore: null,
  };
}

/** Whole GiB from 1 GiB up (as vSphere admins size disks), whole MiB below. */
function roundDisk(bytes: number): number {
  if (bytes >= GiB) return Math.round(bytes / GiB) * GiB;
  return Math.max(MiB, Math.round(bytes / MiB) * MiB);
}

/** Host of each of `count` VMs: counts per host follow shuffled Zipf weights, the order is shuffled too. */
function placeOnHosts(count: number, hosts: Host[], skew: number, rng: () => number): string[] {
  const ranks = shuffle(
    hosts.map((_, i) => i + 1),
    rng,
  );
  const perHost = apportion(
    count,
    ranks.map((r) => 1 / r ** skew),
  );
  const slots: string[] = [];
  for (const [i, n] of perHost.entries()) for (let k = 0; k < n; k++) slots.push(hosts[i]!.name);
  return shuffle(slots, rng);
}

/**
 * Puts the cluster's disks on its legacy datastores, largest VM first on the least-used datastore
 * (balanced, as an administrator keeps them), sizes those datastores from what they hold, and adds
 * the cluster's empty new datastores.
 */
function placeOnDatastores(cluster: string, vms: Vm[], hosts: Host[], spec: SyntheticEstateSpec, rng: () => number, dealers: { legacy: Dealer; new: Dealer }): Datastore[] {
  const copyBytes = (vm: Vm) => vm.disks.reduce((s, d) => s + (d.thin ? d.allocatedBytes : d.capacityBytes), 0);
  const total = vms.reduce((s, vm) => s + copyBytes(vm), 0);
  const { legacy } = spec;
  const legacyArrays = sideArrays(legacy);
  const count = countedPerArray(legacyArrays)
    ? legacyArrays.reduce((n, a) => n + a.datastoresPerCluster!, 0)
    : (legacy.datastoresPerCluster ?? Math.max(1, Math.ceil(total / (legacy.capacity! * legacy.fill))));
  if (count > LIMITS.datastores) {
    throw new SyntheticLimitError(['legacy', 'capacity'], `${formatBytes(legacy.capacity!)} datastores filled to ${Math.round(legacy.fill * 100)} % would take ${count.toLocaleString('en-US')} of them for cluster ${cluster}'s ${formatBytes(total)}, more than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')} datastores`);
  }
  const used = new Float64Array(count);
  const emptiest = () => {
    let best = 0;
    for (let i = 1; i < count; i++) if (used[i]! < used[best]!) best = i;
    return best;
  };
  const arrayOf = arraysOf(legacyArrays, count, dealers.legacy);
  const names = datastoreNames(cluster, arrayOf);
  const order = vms.map((vm, i) => ({ vm, i, bytes: copyBytes(vm) })).sort((a, b) => b.bytes - a.bytes || a.i - b.i);
  for (const { vm } of order) {
    const home = emptiest();
    for (const [k, disk] of vm.disks.entries()) {
      const at = k === 0 || rng() < SAME_DATASTORE ? home : emptiest();
      disk.datastore = names[at]!;
      used[at]! += disk.thin ? disk.allocatedBytes : disk.capacityBytes;
    }
    vm.homeDatastore = names[home]!;
  }

  const mountedBy = hosts.map((h) => h.name);
  const result: Datastore[] = names.map((name, i) => {
    const needed = Math.max(CAPACITY_STEP, Math.ceil(used[i]! / legacy.fill / CAPACITY_STEP) * CAPACITY_STEP);
    const capacity = legacy.capacity === null ? needed : Math.max(legacy.capacity, needed);
    return { name, capacityBytes: capacity, freeBytes: capacity - used[i]!, array: arrayOf[i]!, role: 'legacy', hosts: mountedBy, type: 'VMFS' };
  });

  const target = spec.new;
  const newArrays = sideArrays(target);
  const newCount = countedPerArray(newArrays)
    ? newArrays.reduce((n, a) => n + a.datastoresPerCluster!, 0)
    : (target.datastoresPerCluster ?? Math.max(1, Math.ceil(total / (target.capacity * target.fill!))));
  if (newCount > LIMITS.datastores) {
    throw new SyntheticLimitError(['new', 'capacity'], `${formatBytes(target.capacity)} datastores filled to ${Math.round(target.fill! * 100)} % would take ${newCount.toLocaleString('en-US')} of them for cluster ${cluster}'s ${formatBytes(total)}, more than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')} datastores`);
  }
  const newArrayOf = arraysOf(newArrays, newCount, dealers.new);
  const newNames = datastoreNames(cluster, newArrayOf);
  for (let i = 0; i < newCount; i++) {
    result.push({
      name: newNames[i]!,
      capacityBytes: target.capacity,
      freeBytes: target.capacity,
      array: newArrayOf[i]!,
      role: 'new',
      hosts: mountedBy,
      type: 'VMFS',
    });
  }
  return result;
}

function datastoreName(array: string, cluster: string, i: number, count: number): string {
  return `${array}_${cluster}_${String(i + 1).padStart(Math.max(2, String(count).length), '0')}`;
}

/** Splits `total` into whole parts proportional to `weights` (largest remainder; ties to the first). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return apportion(total, weights.map(() => 1));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** Standard normal draw (Box–Muller; one of the pair is dropped to keep the draw order simple). */
function normal(rng: () => number): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be −∞
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ---- programmatic scenarios (benchmarks, tests) -------------------------------------------------

/**
 * The field story's fabric (see scenarios/seed-estate.yaml for where each figure comes from):
 * 2 × 8Gb HBA ports per blade, 8 × 8Gb uplinks per 16-blade enclosure (4:1), a legacy array with
 * 8 × 8Gb front-end ports, a new one with 16 × 16Gb, 250 MB/s per copy stream.
 */
export const FIELD_FABRIC: Readonly<Fabric> = Object.freeze({
  hostPorts: 2,
  hostPortRate: 800e6,
  enclosureUplinkPorts: 8,
  enclosureUplinkPortRate: 800e6,
  arrays: [
    { name: 'VNX-LEGACY', ports: 8, portRate: 800e6 },
    { name: 'PURE-NEW', ports: 16, portRate: 1600e6 },
  ],
  coreRate: null,
  perCopyRate: 250e6,
  maxParallelDiskCopies: 4,
  vmotionRate: 1e9,
  vmotionSetupSeconds: 15,
  svmotionSetupSeconds: 20,
});

/** The field story's proportions: 3000 VMs and 500 TiB on 140 hosts. */
const FIELD_BYTES_PER_VM = (500 * TiB) / 3000;
const FIELD_VMS_PER_HOST = 3000 / 140;
const LARGEST_CLUSTER = 32;

export interface SyntheticScenarioOptions {
  vms: number;
  /** Host count of each cluster, or a number of equal clusters; default: clusters of up to 32 hosts, ~21 VMs per host. */
  clusters?: number | number[];
  seed?: number;
  name?: string;
  /** Total provisioned bytes; default vms × the field story's average (~171 GiB). null keeps the drawn sizes. */
  totalSize?: number | null;
  /** Any other generator setting. */
  spec?: Partial<SyntheticEstateSpec>;
  fabric?: Partial<Fabric>;
}

/** A whole scenario around a synthetic estate, with the field story's fabric and defaults. */
export function syntheticScenario(options: SyntheticScenarioOptions): Scenario {
  const seed = options.seed ?? 1;
  const spec: SyntheticEstateSpec = {
    vcenter: 'vc-synthetic.example.com',
    datacenter: null,
    clusters: clusterSizes(options.vms, options.clusters),
    enclosureSize: 16,
    vms: options.vms,
    vmSize: { median: 80 * GiB, sigma: 1.3, min: 20 * GiB, max: 16 * TiB },
    totalSize: options.totalSize === undefined ? options.vms * FIELD_BYTES_PER_VM : options.totalSize,
    diskMax: 4 * TiB,
    disksPerVm: { mean: 2, max: 8 },
    thin: 0.6,
    thinAllocated: { min: 0.3, max: 0.95 },
    memory: { median: 8 * GiB, sigma: 0.8, min: 2 * GiB, max: 256 * GiB },
    poweredOn: 0.9,
    placement: { skew: 0.35 },
    legacy: { array: 'VNX-LEGACY', datastoresPerCluster: null, capacity: 8 * TiB, fill: 0.8 },
    new: { array: 'PURE-NEW', capacity: 32 * TiB, datastoresPerCluster: null, fill: 0.7 },
    ...options.spec,
  };
  return {
    name: options.name ?? `synthetic-${options.vms}`,
    description: `synthetic estate of ${options.vms} VMs`,
    file: null,
    seed,
    estate: generateEstate(spec, seed),
    fabric: { ...FIELD_FABRIC, arrays: FIELD_FABRIC.arrays.map((a) => ({ ...a })), ...options.fabric },
    costs: COST_PROFILES['vsphere-7']!,
    policy: 'field',
    targets: { headroom: 0.1 },
    campaign: DEFAULT_CAMPAIGN,
  };
}

function clusterSizes(vms: number, clusters: number | number[] | undefined): Array<{ name: string; hosts: number }> {
  let sizes: number[];
  if (Array.isArray(clusters)) {
    sizes = clusters;
  } else {
    const hosts = Math.max(1, Math.ceil(vms / FIELD_VMS_PER_HOST));
    const k = clusters ?? Math.ceil(hosts / LARGEST_CLUSTER);
    sizes = apportion(Math.max(hosts, k), new Array<number>(k).fill(1));
  }
  const width = Math.max(2, String(sizes.length).length);
  return sizes.map((hosts, i) => ({ name: `CL${String(i + 1).padStart(width, '0')}`, hosts }));
}
