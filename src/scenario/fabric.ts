// The `fabric:` section → the domain Fabric (bytes/s per direction, seconds).

import type { Fabric } from '../domain/fabric.js';
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
  return {
    hostPorts: section.hosts.hbaPorts,
    hostPortRate: section.hosts.portSpeed,
    // No enclosures: the uplink link is skipped for every host, so its figures are never read.
    enclosureUplinkPorts: section.enclosures?.uplinkPorts ?? 0,
    enclosureUplinkPortRate: section.enclosures?.portSpeed ?? 0,
    arrays: section.arrays.map((a) => ({ name: a.name, ports: a.frontEndPorts, portRate: a.portSpeed })),
    coreRate: section.core ?? null,
    perCopyRate: section.perCopyRate,
    maxParallelDiskCopies: section.maxParallelDiskCopies,
    vmotionRate: section.vmotion.rate,
    vmotionSetupSeconds: section.vmotion.setup,
    svmotionSetupSeconds: section.svmotionSetup,
  };
}
