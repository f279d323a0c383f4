// The `vsphere:` section → the admission cost profile, a named profile with optional overrides
// (vpxd settings can change the limits; unsupported, but seen in the field).

import { COST_PROFILES, type CostProfile } from '../domain/costs.js';
import type { VsphereSection } from './schema.js';
import { FieldError } from './source.js';

export function resolveCosts(section: VsphereSection): CostProfile {
  const base = COST_PROFILES[section.costs];
  if (base === undefined) {
    const known = Object.keys(COST_PROFILES).join(', ');
    throw new FieldError(['vsphere', 'costs'], `"${section.costs}" is not a known cost profile (one of ${known})`);
  }
  const overrides = Object.entries(section.overrides ?? {}).filter(([, v]) => v !== undefined);
  if (overrides.length === 0) return { ...base, name: section.costs };
  return {
    ...base,
    ...Object.fromEntries(overrides),
    name: `${section.costs} with ${overrides.map(([k, v]) => `${k}=${v}`).join(', ')}`,
  };
}
