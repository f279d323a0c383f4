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
  const profile: CostProfile = {
    ...base,
    ...Object.fromEntries(overrides),
    name: `${section.costs} with ${overrides.map(([k, v]) => `${k}=${v}`).join(', ')}`,
  };
  checkFits(profile, new Set(overrides.map(([k]) => k)));
  return profile;
}

type Key = Exclude<keyof CostProfile, 'name'>;

/** Each operation's cost on each resource, against that resource's budget. */
const FITS: ReadonlyArray<[cost: Key, budget: Key, what: string]> = [
  ['svmotionHost', 'hostMax', 'one svMotion on a host'],
  ['svmotionDatastore', 'datastoreMax', 'one svMotion on a datastore'],
  ['vmotionHost', 'hostMax', 'one vMotion on a host'],
  ['vmotionNetwork', 'networkMax', 'one vMotion on a host’s vMotion network'],
  ['vmotionDatastore', 'datastoreMax', 'one vMotion on a datastore'],
  ['remediationHost', 'hostMax', 'one snapshot removal or consolidation on a host'],
  ['remediationDatastore', 'datastoreMax', 'one snapshot removal or consolidation on a datastore'],
];

/**
 * An operation that costs more than its resource's whole budget could never start: vCenter would
 * queue it for ever. Such a profile is refused here, naming the override that made it so.
 */
function checkFits(p: CostProfile, overridden: ReadonlySet<string>): void {
  for (const [cost, budget, what] of FITS) {
    if (p[cost] <= p[budget]) continue;
    const field = overridden.has(budget) || !overridden.has(cost) ? budget : cost;
    const message =
      field === budget
        ? `${p[budget]} is below ${cost} ${p[cost]}, the cost of ${what}: no such operation could ever start (vCenter would queue it for ever)`
        : `${p[cost]}, the cost of ${what}, is above ${budget} ${p[budget]}: no such operation could ever start (vCenter would queue it for ever)`;
    throw new FieldError(['vsphere', 'overrides', field], message);
  }
}
