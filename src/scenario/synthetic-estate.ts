// The synthetic estate form → a generator spec (checked in the file's terms, so a person gets the
// line of the figure that cannot work) → the generated Estate.

import type { Estate } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { LIMITS } from '../domain/limits.js';
import { formatBytes } from '../domain/units.js';
import type { SyntheticSection } from './schema.js';
import { FieldError } from './source.js';
import { SyntheticLimitError, generateEstate, type SyntheticEstateSpec } from './synthetic.js';

export function resolveSyntheticEstate(section: SyntheticSection, fabric: Fabric, scenarioSeed: number): Estate {
  try {
    return generateEstate(syntheticSpec(section, fabric), section.seed ?? scenarioSeed);
  } catch (err) {
    // What only generating shows (how many datastores the sizes need) names the field that set it.
    if (err instanceof SyntheticLimitError) throw new FieldError(['estate', 'synthetic', ...err.field], err.message);
    throw err;
  }
}

export function syntheticSpec(s: SyntheticSection, fabric: Fabric): SyntheticEstateSpec {
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

  const arrays = fabric.arrays.map((a) => a.name);
  for (const side of ['legacy', 'new'] as const) {
    if (!arrays.includes(s[side].array)) {
      throw new FieldError(at(side, 'array'), `array "${s[side].array}" is not one of fabric.arrays (${arrays.join(', ')})`);
    }
  }
  if (s.legacy.array === s.new.array) throw new FieldError(at('new', 'array'), `"${s.new.array}" is also the legacy array`);
  const legacy = s.legacy;
  if ((legacy.datastoresPerCluster === undefined) === (legacy.capacity === undefined)) {
    throw new FieldError(at('legacy'), 'give exactly one of datastoresPerCluster (capacities sized from what lands on them) or capacity (count derived)');
  }
  if (legacy.fill === 0) throw new FieldError(at('legacy', 'fill'), 'a datastore filled to 0 % cannot hold anything');
  const target = s.new;
  if ((target.datastoresPerCluster === undefined) === (target.fill === undefined)) {
    throw new FieldError(at('new'), 'give exactly one of datastoresPerCluster or fill (count derived from what the cluster holds)');
  }
  if (target.fill === 0) throw new FieldError(at('new', 'fill'), 'a datastore filled to 0 % cannot hold anything');

  return {
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
    legacy: { array: legacy.array, datastoresPerCluster: legacy.datastoresPerCluster ?? null, capacity: legacy.capacity ?? null, fill: legacy.fill },
    new: { array: target.array, capacity: target.capacity, datastoresPerCluster: target.datastoresPerCluster ?? null, fill: target.fill ?? null },
  };
}
