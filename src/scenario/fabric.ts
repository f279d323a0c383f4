// The `fabric:` section → the domain Fabric (bytes/s per direction, seconds).

import { isFixed, mean, type Distribution } from '../domain/distribution.js';
import type { ArrayPorts, Fabric } from '../domain/fabric.js';
import type { FabricSection } from './schema.js';
import { FieldError } from './source.js';

export function resolveFabric(section: FabricSection): Fabric {
  const seen = new Set<string>();
  for (const [i, array] of section.arrays.entries()) {
    if (seen.has(array.name)) {
      throw new FieldError(['fabric', 'arrays', i, 'name'], `the array "${array.name}" is listed twice`);
    }
    seen.add(array.name);
  }
  // A plain figure stays a plain number, so that a scenario without uncertainty is the Fabric it
  // always was; a distribution keeps its mean as the figure a planner expects.
  const uncertain: NonNullable<Fabric['uncertain']> = {};
  if (!isFixed(section.perCopyRate)) uncertain.perCopyRate = section.perCopyRate;
  if (!isFixed(section.svmotionSetup)) uncertain.svmotionSetupSeconds = section.svmotionSetup;
  return {
    hostPorts: section.hosts.hbaPorts,
    hostPortRate: section.hosts.portSpeed,
    // No enclosures: the uplink link is skipped for every host, so its figures are never read.
    enclosureUplinkPorts: section.enclosures?.uplinkPorts ?? 0,
    enclosureUplinkPortRate: section.enclosures?.portSpeed ?? 0,
    arrays: section.arrays.map((a): ArrayPorts => {
      const ports: ArrayPorts = { name: a.name, ports: a.frontEndPorts, portRate: a.portSpeed };
      if (a.productionLoad !== undefined && !(isFixed(a.productionLoad) && a.productionLoad.value === 0)) ports.productionLoad = a.productionLoad;
      return ports;
    }),
    coreRate: section.core ?? null,
    perCopyRate: expected(section.perCopyRate),
    maxParallelDiskCopies: section.maxParallelDiskCopies,
    vmotionRate: section.vmotion.rate,
    vmotionSetupSeconds: section.vmotion.setup,
    svmotionSetupSeconds: expected(section.svmotionSetup),
    ...(Object.keys(uncertain).length > 0 ? { uncertain } : {}),
  };
}

function expected(d: Distribution): number {
  return isFixed(d) ? d.value : mean(d);
}
