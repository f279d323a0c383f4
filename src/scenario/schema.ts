// The shape of a scenario file, as zod schemas. Shape only: units are parsed here (fields.ts), but
// whether a name refers to something that exists is checked while resolving (estate-*.ts), where
// the whole file is known. Every object is strict: a misspelt field is an error, not a silent default.

import { z } from 'zod';
import { campaignSection } from './campaign-section.js';
import { count, duration, fcSpeed, fraction, list, name, nonNegativeNumber, positiveSize, rate, size, strict } from './fields.js';

// ---- vsphere --------------------------------------------------------------------------------------

const costOverrides = strict({
  hostMax: nonNegativeNumber.optional(),
  datastoreMax: nonNegativeNumber.optional(),
  networkMax: nonNegativeNumber.optional(),
  svmotionHost: nonNegativeNumber.optional(),
  svmotionDatastore: nonNegativeNumber.optional(),
  vmotionHost: nonNegativeNumber.optional(),
  vmotionDatastore: nonNegativeNumber.optional(),
  vmotionNetwork: nonNegativeNumber.optional(),
});

export const vsphereSection = strict({
  /** A name from COST_PROFILES; checked when resolving so the message can list the known ones. */
  costs: name.default('vsphere-7'),
  /** vCenter version: sets defaults such as the DRS interval (5 min up to 6.7, 1 min from 7.0). */
  version: z.string().default('7.0'),
  overrides: costOverrides.optional(),
});

// ---- fabric ---------------------------------------------------------------------------------------

export const fabricSection = strict({
  hosts: strict({ hbaPorts: count(1), portSpeed: fcSpeed }),
  /** Absent or null when no host sits in a blade enclosure. */
  enclosures: strict({ uplinkPorts: count(1), portSpeed: fcSpeed }).nullable().optional(),
  arrays: list(strict({ name, frontEndPorts: count(1), portSpeed: fcSpeed })),
  core: rate.nullable().optional(),
  perCopyRate: rate,
  maxParallelDiskCopies: count(1).default(4),
  // vMotion over 10GbE moves roughly 1 GB/s of memory; 15 s of fixed cost per vMotion and 20 s per
  // svMotion (prepare and switch-over) are assumptions, not published figures.
  vmotion: strict({ rate: rate.default(1e9), setup: duration.default(15) }).prefault({}),
  svmotionSetup: duration.default(20),
});

// ---- estate: explicit lists ------------------------------------------------------------------------

const explicitHost = strict({
  name,
  enclosure: name.nullable().optional(),
  hbaPorts: count(1).optional(),
  model: z.string().optional(),
});

const explicitDisk = strict({
  label: name.optional(),
  size: positiveSize,
  /** Bytes written; thin disks only (a thick disk allocates its whole size). */
  allocated: size.optional(),
  thin: z.boolean().default(false),
  datastore: name,
});

const explicitVm = strict({
  name,
  host: name,
  memory: size,
  power: z.enum(['on', 'off', 'suspended']).default('on'),
  /** Datastore of the VM's home files; defaults to its first disk's datastore. */
  home: name.optional(),
  template: z.boolean().optional(),
  blockers: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  disks: list(explicitDisk),
});

export const explicitEstate = strict({
  vcenter: name,
  /** Which fabric arrays hold the source (legacy) and the target (new) datastores. */
  arrays: strict({ legacy: list(name), new: list(name) }),
  clusters: list(strict({ name, datacenter: name.optional(), hosts: list(explicitHost) })),
  datastores: list(
    strict({
      name,
      array: name.nullable().optional(),
      capacity: positiveSize,
      /** Defaults to capacity minus what the listed disks allocate on it. */
      free: size.optional(),
      /** Clusters whose hosts mount it; absent = every host. */
      clusters: list(name).optional(),
      type: z.string().optional(),
    }),
  ),
  vms: z.array(explicitVm).default([]),
});

// ---- estate: synthetic -------------------------------------------------------------------------

const logNormalSize = strict({
  median: positiveSize,
  /** Standard deviation of ln(size): 1.0–1.5 gives the long tail of real estates. */
  sigma: nonNegativeNumber,
  min: positiveSize,
  max: positiveSize,
});

export const syntheticEstate = strict({
  synthetic: strict({
    vcenter: name,
    datacenter: name.optional(),
    /** Seed of the generator; defaults to the scenario's seed. */
    seed: z.number().int().optional(),
    clusters: list(strict({ name, hosts: count(1) })),
    /** Blades per enclosure; hosts are packed into enclosures in order. 0 = rack servers. */
    enclosureSize: count(0).default(0),
    vms: count(1),
    vmSize: logNormalSize,
    totalSize: positiveSize.optional(),
    /** Largest disk; bigger VMs get more disks. */
    diskMax: positiveSize.optional(),
    disksPerVm: strict({ mean: nonNegativeNumber, max: count(1) }).prefault({ mean: 2, max: 8 }),
    thin: fraction.default(0.6),
    thinAllocated: strict({ min: fraction, max: fraction }).prefault({ min: 0.3, max: 0.95 }),
    memory: logNormalSize.prefault({ median: '8GiB', sigma: 0.8, min: '2GiB', max: '256GiB' }),
    poweredOn: fraction.default(0.9),
    placement: strict({ skew: nonNegativeNumber.default(0) }).prefault({}),
    legacy: strict({
      array: name,
      datastoresPerCluster: count(1).optional(),
      capacity: positiveSize.optional(),
      fill: fraction.default(0.8),
    }),
    new: strict({
      array: name,
      capacity: positiveSize,
      datastoresPerCluster: count(1).optional(),
      fill: fraction.optional(),
    }),
  }),
});

// ---- estate: import ----------------------------------------------------------------------------

const side = strict({
  /** Regular expressions or exact names of datastores. */
  datastores: list(z.string().min(1, { error: 'must not be empty' })),
  /** Array of the matched datastores that the imported file does not place on one. */
  array: name.optional(),
});

export const importEstate = strict({
  import: z.string().min(1, { error: 'must name a file' }),
  vcenter: name.optional(),
  legacy: side,
  new: side,
  /** Enclosure name → patterns of the hosts it holds. */
  enclosures: z.record(z.string(), list(z.string().min(1))).optional(),
});

// ---- the file ----------------------------------------------------------------------------------

export type EstateForm = 'explicit' | 'synthetic' | 'import';

export function scenarioFile<E extends z.ZodType>(estate: E) {
  return strict({
    name: name.optional(),
    description: z.string().default(''),
    seed: z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).default(1),
    vsphere: vsphereSection.prefault({}),
    policy: name.default('field'),
    targets: strict({ headroom: fraction.default(0.1) }).prefault({}),
    fabric: fabricSection,
    campaign: campaignSection.prefault({}),
    estate,
  });
}

export const ESTATE_SCHEMAS = {
  explicit: explicitEstate,
  synthetic: syntheticEstate,
  import: importEstate,
} as const;

export type FabricSection = z.output<typeof fabricSection>;
export type VsphereSection = z.output<typeof vsphereSection>;
export type ExplicitEstate = z.output<typeof explicitEstate>;
export type SyntheticSection = z.output<typeof syntheticEstate>['synthetic'];
export type ImportEstate = z.output<typeof importEstate>;
