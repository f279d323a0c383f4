// Parts of an Estate's JSON form (estate.json from an import or a live pull) that more than one
// reader checks: a VM's snapshots and its per-VM DRS override, one definition for the estate file
// (inventory/estate-file.ts) and a scenario's imported estate (scenario/imported-estate.ts), so
// that a field an importer writes is read the same way by both.

import * as z from 'zod';

/** VmSnapshots (estate.ts). */
export const snapshotsSchema = z.object({
  count: z.number().int().nonnegative(),
  depth: z.number().int().nonnegative(),
  deltaBytes: z.number().finite().nonnegative(),
  consolidationNeeded: z.boolean(),
  orphanBytes: z.number().finite().nonnegative().optional(),
});

/** DrsVmOverride (estate.ts): null fields follow the cluster's setting. */
export const drsOverrideSchema = z.object({
  behavior: z.enum(['manual', 'partiallyAutomated', 'fullyAutomated']).nullable(),
  enabled: z.boolean().nullable(),
});
