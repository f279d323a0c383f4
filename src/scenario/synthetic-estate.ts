// The synthetic estate form → a generator spec (checked in the file's terms, so a person gets the
// line of the figure that cannot work) → the generated Estate, and the fabric with its arrays listed
// to match (`arrays: 3` makes three arrays like `array`, each with that array's ports).

import type { Estate } from '../domain/estate.js';
import type { ArrayPorts, Fabric } from '../domain/fabric.js';
import { LIMITS } from '../domain/limits.js';
import { formatBytes } from '../domain/units.js';
import type { SyntheticSection } from './schema.js';
import { FieldError } from './source.js';
import { SyntheticLimitError, generateEstate, type SideArray, type SyntheticEstateSpec } from './synthetic.js';

export function resolveSyntheticEstate(section: SyntheticSection, fabric: Fabric, scenarioSeed: number): { estate: Estate; fabric: Fabric } {
  const { spec, fabric: matched } = syntheticSpec(section, fabric);
  try {
    return { estate: generateEstate(spec, section.seed ?? scenarioSeed), fabric: matched };
  } catch (err) {
    // What only generating shows (how many datastores the sizes need) names the field that set it.
    if (err instanceof SyntheticLimitError) throw new FieldError(['estate', 'synthetic', ...err.field], err.message);
    throw err;
  }
}

export function syntheticSpec(s: SyntheticSection, fabric: Fabric): { spec: SyntheticEstateSpec; fabric: Fabric } {
  const at = (...path: Array<string | number>) => ['estate', 'synthetic', ...path];

  const clusterNames = new Set<string>();
  for (const [i, c] of s.clusters.entries()) {
    if (clusterNames.has(c.name)) throw new FieldError(at('clusters', i, 'name'), `the cluster name "${c.name}" is used twice`);
    clusterNames.add(c.name);
  }
  const hosts = s.clusters.reduce((n, c) => n + c.hosts, 0);
  if (hosts > LIMITS.hosts) {
    throw new FieldError(at('clusters'), `the clusters hold ${hosts.toLocaleString('en-US')} hosts in all, more than svmig's limit of ${LIMITS.hosts.toLocaleString('en-US')}`);
  }
  for (const side of ['legacy', 'new'] as const) {
    const per = s[side].datastoresPerCluster;
    if (per !== undefined && per * s.clusters.length > LIMITS.datastores) {
      throw new FieldError(at(side, 'datastoresPerCluster'), `${per} per cluster makes ${(per * s.clusters.length).toLocaleString('en-US')} datastores, more than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')}`);
    }
  }
  if (s.diskMax !== undefined && Math.ceil(s.vmSize.max / s.diskMax) > LIMITS.disksPerVm) {
    const n = Math.ceil(s.vmSize.max / s.diskMax);
    throw new FieldError(at('diskMax'), `a VM of vmSize.max ${formatBytes(s.vmSize.max)} would need ${n.toLocaleString('en-US')} disks of at most ${formatBytes(s.diskMax)}, more than svmig's limit of ${LIMITS.disksPerVm} disks per VM`);
  }
  for (const key of ['vmSize', 'memory'] as const) {
    const d = s[key];
    if (d.min > d.median) throw new FieldError(at(key, 'min'), `min ${formatBytes(d.min)} is above the median ${formatBytes(d.median)}`);
    if (d.max < d.median) throw new FieldError(at(key, 'max'), `max ${formatBytes(d.max)} is below the median ${formatBytes(d.median)}`);
  }
  if (s.totalSize !== undefined) {
    const low = s.vms * s.vmSize.min;
    const high = s.vms * s.vmSize.max;
    if (s.totalSize < low || s.totalSize > high) {
      throw new FieldError(at('totalSize'), `${formatBytes(s.totalSize)} cannot be reached by ${s.vms} VMs of ${formatBytes(s.vmSize.min)} to ${formatBytes(s.vmSize.max)} each`);
    }
  }
  if (s.thinAllocated.min > s.thinAllocated.max) throw new FieldError(at('thinAllocated', 'min'), 'min is above max');
  if (s.disksPerVm.mean < 1) throw new FieldError(at('disksPerVm', 'mean'), 'a VM has at least one disk, so the mean must be 1 or more');

  let matched = fabric;
  const sides = {} as Record<'legacy' | 'new', SideArray[]>;
  for (const side of ['legacy', 'new'] as const) {
    const resolved = resolveSideArrays(side, s[side], matched, s.clusters.length);
    sides[side] = resolved.arrays;
    matched = resolved.fabric;
  }
  const onBoth = sides.legacy.find((a) => sides.new.some((b) => b.name === a.name));
  if (onBoth) throw new FieldError(s.new.array !== undefined ? at('new', 'array') : at('new', 'arrays'), `"${onBoth.name}" is also ${sides.legacy.length === 1 ? 'the legacy array' : 'a legacy array'}`);
  const legacy = s.legacy;
  const perArray = (side: 'legacy' | 'new') => sides[side].every((a) => a.datastoresPerCluster !== null);
  if (perArray('legacy')) {
    if (legacy.datastoresPerCluster !== undefined || legacy.capacity !== undefined) {
      throw new FieldError(at('legacy'), 'with a datastoresPerCluster for each array, the side has no datastoresPerCluster or capacity of its own (datastores are sized from what lands on them)');
    }
  } else if ((legacy.datastoresPerCluster === undefined) === (legacy.capacity === undefined)) {
    throw new FieldError(at('legacy'), 'give exactly one of datastoresPerCluster (capacities sized from what lands on them) or capacity (count derived)');
  }
  if (legacy.fill === 0) throw new FieldError(at('legacy', 'fill'), 'a datastore filled to 0 % cannot hold anything');
  const target = s.new;
  if (perArray('new')) {
    if (target.datastoresPerCluster !== undefined || target.fill !== undefined) {
      throw new FieldError(at('new'), 'with a datastoresPerCluster for each array, the side has no datastoresPerCluster or fill of its own');
    }
  } else if ((target.datastoresPerCluster === undefined) === (target.fill === undefined)) {
    throw new FieldError(at('new'), 'give exactly one of datastoresPerCluster or fill (count derived from what the cluster holds)');
  }
  if (target.fill === 0) throw new FieldError(at('new', 'fill'), 'a datastore filled to 0 % cannot hold anything');

  const spec: SyntheticEstateSpec = {
    vcenter: s.vcenter,
    datacenter: s.datacenter ?? null,
    clusters: s.clusters.map((c) => ({ name: c.name, hosts: c.hosts })),
    enclosureSize: s.enclosureSize,
    vms: s.vms,
    vmSize: s.vmSize,
    totalSize: s.totalSize ?? null,
    diskMax: s.diskMax ?? null,
    disksPerVm: s.disksPerVm,
    thin: s.thin,
    thinAllocated: s.thinAllocated,
    memory: s.memory,
    poweredOn: s.poweredOn,
    placement: s.placement,
    ...(s.snapshots === undefined ? {} : { snapshots: s.snapshots }),
    legacy: { ...oneOrMany(sides.legacy), datastoresPerCluster: legacy.datastoresPerCluster ?? null, capacity: legacy.capacity ?? null, fill: legacy.fill },
    new: { ...oneOrMany(sides.new), capacity: target.capacity, datastoresPerCluster: target.datastoresPerCluster ?? null, fill: target.fill ?? null },
  };
  return { spec, fabric: matched };
}

/** One array as the generator always took it; several as a list. */
function oneOrMany(arrays: SideArray[]): { array: string; arrays?: SideArray[] } {
  return arrays.length === 1 ? { array: arrays[0]!.name } : { array: arrays[0]!.name, arrays };
}

type SideSection = SyntheticSection['legacy'] | SyntheticSection['new'];

/**
 * A side's arrays, checked against the fabric: `array` alone (one array), `array` with `arrays: N`
 * (N arrays named ARRAY-1 … ARRAY-N; the fabric's entry for ARRAY stands for each of them unless
 * the fabric lists them all), or a list of fabric arrays with shares or counts.
 */
function resolveSideArrays(side: 'legacy' | 'new', section: SideSection, fabric: Fabric, clusters: number): { arrays: SideArray[]; fabric: Fabric } {
  const at = (...path: Array<string | number>) => ['estate', 'synthetic', side, ...path];
  const known = fabric.arrays.map((a) => a.name);
  const unknown = (name: string, path: Array<string | number>) =>
    new FieldError(at(...path), `array "${name}" is not one of fabric.arrays (${known.join(', ')})`);
  const { array, arrays } = section;

  if (arrays === undefined || typeof arrays === 'number') {
    if (array === undefined) {
      throw new FieldError(at(), arrays === undefined ? 'give array (the fabric array the side is on) or arrays (several)' : `arrays: ${arrays} needs array: the fabric array each of them is like`);
    }
    const n = arrays ?? 1;
    if (n === 1) {
      if (!known.includes(array)) throw unknown(array, ['array']);
      return { arrays: [{ name: array, share: 1, datastoresPerCluster: null }], fabric };
    }
    const names = Array.from({ length: n }, (_, k) => `${array}-${k + 1}`);
    const listed = names.filter((x) => known.includes(x));
    if (listed.length === n) return { arrays: names.map((name) => ({ name, share: 1 / n, datastoresPerCluster: null })), fabric };
    const model = fabric.arrays.find((a) => a.name === array);
    if (model === undefined) {
      throw new FieldError(at('array'), `arrays: ${n} makes ${names[0]} … ${names[n - 1]}, like array "${array}", but fabric.arrays lists neither "${array}" nor all of them (${known.join(', ')})`);
    }
    if (listed.length > 0) {
      throw new FieldError(at('arrays'), `fabric.arrays lists ${listed.join(', ')} but not all of ${names[0]} … ${names[n - 1]}: list all of them there, or only "${array}" for each to be like it`);
    }
    const copies: ArrayPorts[] = names.map((name) => ({ ...model, name }));
    const expanded = fabric.arrays.flatMap((a) => (a.name === array ? copies : [a]));
    return { arrays: names.map((name) => ({ name, share: 1 / n, datastoresPerCluster: null })), fabric: { ...fabric, arrays: expanded } };
  }

  if (array !== undefined) throw new FieldError(at('array'), 'give array (one array) or a list of arrays, not both', { keyLine: true });
  const entries = arrays.map((e) => (typeof e === 'string' ? { name: e, share: undefined, datastoresPerCluster: undefined } : e));
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (!known.includes(e.name)) throw unknown(e.name, ['arrays', i, ...(typeof arrays[i] === 'string' ? [] : ['name'])]);
    if (seen.has(e.name)) throw new FieldError(at('arrays', i), `array "${e.name}" is listed twice`);
    seen.add(e.name);
    if (e.share !== undefined && e.datastoresPerCluster !== undefined) throw new FieldError(at('arrays', i), 'give a share or a datastoresPerCluster, not both');
  }
  const shares = entries.filter((e) => e.share !== undefined).length;
  const counts = entries.filter((e) => e.datastoresPerCluster !== undefined).length;
  if (shares > 0 && shares < entries.length) {
    throw new FieldError(at('arrays', entries.findIndex((e) => e.share === undefined)), 'give a share for every array or for none (none: equal shares)');
  }
  if (counts > 0 && counts < entries.length) {
    throw new FieldError(at('arrays', entries.findIndex((e) => e.datastoresPerCluster === undefined)), 'give a datastoresPerCluster for every array or for none');
  }
  if (shares > 0) {
    const sum = entries.reduce((t, e) => t + e.share!, 0);
    if (Math.abs(sum - 1) > 0.005) throw new FieldError(at('arrays'), `the shares add up to ${Math.round(sum * 1000) / 10} %, not 100 %`);
  }
  if (counts > 0) {
    const perCluster = entries.reduce((t, e) => t + e.datastoresPerCluster!, 0);
    if (perCluster * clusters > LIMITS.datastores) {
      throw new FieldError(at('arrays'), `${perCluster} datastores per cluster make ${(perCluster * clusters).toLocaleString('en-US')}, more than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')} datastores`);
    }
  }
  return {
    arrays: entries.map((e) => ({ name: e.name, share: e.share ?? 1 / entries.length, datastoresPerCluster: e.datastoresPerCluster ?? null })),
    fabric,
  };
}
