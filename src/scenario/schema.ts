// The shape of a scenario file, as zod schemas. Shape only: units are parsed here (fields.ts), but
// whether a name refers to something that exists is checked while resolving (estate-*.ts), where
// the whole file is known. Every object is strict: a misspelt field is an error, not a silent default.

import * as z from 'zod';
import { campaignSection } from './campaign-section.js';
import { targetsSection } from './targets-section.js';
import { LIMITS } from '../domain/limits.js';
import { parseDuration, parseFraction, parseRate } from '../domain/units.js';
import { anyList, boundedDuration, boundedNumber, count, fcSpeed, fraction, list, name, positiveSize, rate, size, strict, totalSize, uncertain } from './fields.js';

// ---- vsphere --------------------------------------------------------------------------------------

const cost = boundedNumber(0, LIMITS.cost);
/** Whether an operation fits its budgets at all is checked when resolving (costs.ts), where both are known. */
const costOverrides = strict({
  hostMax: cost.optional(),
  datastoreMax: cost.optional(),
  networkMax: cost.optional(),
  svmotionHost: cost.optional(),
  svmotionDatastore: cost.optional(),
  vmotionHost: cost.optional(),
  vmotionDatastore: cost.optional(),
  vmotionNetwork: cost.optional(),
  remediationHost: cost.optional(),
  remediationDatastore: cost.optional(),
});

const SETUP_WHY = "svmig's limit for one operation's set-up";
const setup = boundedDuration(0, LIMITS.maxSetupSeconds, SETUP_WHY);
const ports = count(1, LIMITS.ports, "svmig's limit of FC ports");

export const vsphereSection = strict({
  /** A name from COST_PROFILES; checked when resolving so the message can list the known ones. */
  costs: name.default('vsphere-7'),
  /** vCenter version: sets defaults such as the DRS interval (5 min up to 6.7, 1 min from 7.0). */
  version: z.string().default('7.0'),
  overrides: costOverrides.optional(),
});

// ---- fabric ---------------------------------------------------------------------------------------

// What a campaign is systematically wrong about, drawn once per run: the data mover's per-copy rate,
// the set-up of an svMotion, and the share of an array's ports that production I/O keeps.
const MAX_LOAD = LIMITS.maxProductionLoad;
const load = fraction.refine((v) => v <= MAX_LOAD, {
  error: `must be at most ${MAX_LOAD * 100} % (with all of an array's ports taken by production, no copy would ever end)`,
});
const perCopyRate = uncertain(rate, { value: parseRate, min: LIMITS.minRate }, 'a rate like 250MB/s', 'lognormal(250MB/s, 0.15)');
const svmotionSetup = uncertain(setup, { value: parseDuration, min: 0, max: LIMITS.maxSetupSeconds }, 'a duration like 20s', 'triangular(10s, 20s, 60s)');
/** A share inside a distribution: `20%`, or a plain fraction `0.2`. */
const share = (text: string): number => {
  const t = text.trim();
  if (t.endsWith('%')) return parseFraction(t);
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new Error(`"${t}" is not a share (write it like 0.2 or 20%)`);
  return v;
};
const productionLoad = uncertain(load, { value: share, min: 0, max: MAX_LOAD }, 'a share like 20%', 'triangular(0.1, 0.2, 0.4)');

export const fabricSection = strict({
  hosts: strict({ hbaPorts: ports, portSpeed: fcSpeed }),
  /** Absent or null when no host sits in a blade enclosure. */
  enclosures: strict({ uplinkPorts: ports, portSpeed: fcSpeed }).nullable().optional(),
  arrays: list(strict({ name, frontEndPorts: ports, portSpeed: fcSpeed, productionLoad: productionLoad.optional() }), LIMITS.arrays),
  core: rate.nullable().optional(),
  perCopyRate,
  maxParallelDiskCopies: count(1, 64).default(4),
  // vMotion over 10GbE moves roughly 1 GB/s of memory; 15 s of fixed cost per vMotion and 20 s per
  // svMotion (prepare and switch-over) are assumptions, not published figures.
  vmotion: strict({ rate: rate.default(1e9), setup: setup.default(15) }).prefault({}),
  svmotionSetup: svmotionSetup.prefault(20),
});

// ---- estate: explicit lists ------------------------------------------------------------------------

const explicitHost = strict({
  name,
  enclosure: name.nullable().optional(),
  hbaPorts: ports.optional(),
  model: z.string().max(LIMITS.textLength).optional(),
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
  blockers: anyList(z.string().max(LIMITS.textLength), 100).optional(),
  notes: anyList(z.string().max(LIMITS.textLength), 100).optional(),
  disks: list(explicitDisk, LIMITS.disksPerVm),
  /** Its snapshots (a chain unless depth says otherwise) and left-over redo logs. */
  snapshots: strict({
    count: count(0, 10_000).default(0),
    depth: count(0, 10_000).optional(),
    /** Bytes the snapshots' delta disks hold, all disks together. */
    delta: size.default(0),
    consolidationNeeded: z.boolean().default(false),
    /** Bytes of the redo logs no snapshot holds. */
    orphans: size.default(0),
  }).optional(),
  /** Its per-VM DRS override, when it has one. */
  drsOverride: z.enum(['manual', 'partially-automated', 'fully-automated', 'disabled']).optional(),
});

export const explicitEstate = strict({
  vcenter: name,
  /** Which fabric arrays hold the source (legacy) and the target (new) datastores. */
  arrays: strict({ legacy: list(name, LIMITS.arrays), new: list(name, LIMITS.arrays) }),
  clusters: list(strict({ name, datacenter: name.optional(), hosts: list(explicitHost, LIMITS.hosts) }), LIMITS.clusters),
  datastores: list(
    strict({
      name,
      array: name.nullable().optional(),
      capacity: positiveSize,
      /** Defaults to capacity minus what the listed disks allocate on it. */
      free: size.optional(),
      /** Clusters whose hosts mount it; absent = every host. */
      clusters: list(name, LIMITS.clusters).optional(),
      type: z.string().max(LIMITS.textLength).optional(),
    }),
    LIMITS.datastores,
  ),
  vms: anyList(explicitVm, LIMITS.vms).default([]),
});

// ---- estate: synthetic -------------------------------------------------------------------------

const logNormalSize = strict({
  median: positiveSize,
  /** Standard deviation of ln(size): 1.0–1.5 gives the long tail of real estates. */
  sigma: boundedNumber(0, 10),
  min: positiveSize,
  max: positiveSize,
});

/**
 * The arrays of one side: a number (that many arrays like `array`, named ARRAY-1 … ARRAY-N), or a
 * list of fabric arrays, each a name or `{ name, share }` or `{ name, datastoresPerCluster }`.
 */
const sideArrays = z.union(
  [
    count(1, LIMITS.arrays, "svmig's limit of arrays"),
    list(z.union([name, strict({ name, share: fraction.optional(), datastoresPerCluster: count(1, LIMITS.datastores).optional() })], { error: 'expected an array name or { name, share } or { name, datastoresPerCluster }' }), LIMITS.arrays),
  ],
  { error: 'expected a number of arrays, or a list of fabric arrays (names, or { name, share } or { name, datastoresPerCluster })' },
);

export const syntheticEstate = strict({
  synthetic: strict({
    vcenter: name,
    datacenter: name.optional(),
    /** Seed of the generator; defaults to the scenario's seed. */
    seed: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
    clusters: list(strict({ name, hosts: count(1, LIMITS.hosts, "svmig's limit of hosts in an estate") }), LIMITS.clusters),
    /** Blades per enclosure; hosts are packed into enclosures in order. 0 = rack servers. */
    enclosureSize: count(0, LIMITS.hosts).default(0),
    vms: count(1, LIMITS.vms, "svmig's limit of VMs in an estate"),
    vmSize: logNormalSize,
    totalSize: totalSize.optional(),
    /** Largest disk; bigger VMs get more disks. */
    diskMax: positiveSize.optional(),
    disksPerVm: strict({ mean: boundedNumber(0, LIMITS.disksPerVm), max: count(1, LIMITS.disksPerVm, "svmig's limit of disks per VM") }).prefault({ mean: 2, max: 8 }),
    thin: fraction.default(0.6),
    thinAllocated: strict({ min: fraction, max: fraction }).prefault({ min: 0.3, max: 0.95 }),
    memory: logNormalSize.prefault({ median: '8GiB', sigma: 0.8, min: '2GiB', max: '256GiB' }),
    poweredOn: fraction.default(0.9),
    placement: strict({ skew: boundedNumber(0, 10).default(0) }).prefault({}),
    /** VMs with snapshots: their share, the longest chain, the deltas as a share of the VM's bytes, and the share needing consolidation. */
    snapshots: strict({
      share: fraction,
      maxDepth: count(1, 100).default(3),
      delta: fraction.default(0.1),
      consolidationNeeded: fraction.default(0),
    }).optional(),
    legacy: strict({
      array: name.optional(),
      arrays: sideArrays.optional(),
      datastoresPerCluster: count(1, LIMITS.datastores).optional(),
      capacity: positiveSize.optional(),
      fill: fraction.default(0.8),
    }),
    new: strict({
      array: name.optional(),
      arrays: sideArrays.optional(),
      capacity: positiveSize,
      datastoresPerCluster: count(1, LIMITS.datastores).optional(),
      fill: fraction.optional(),
    }),
  }),
});

// ---- estate: import ----------------------------------------------------------------------------

const side = strict({
  /** Regular expressions or exact names of datastores. */
  datastores: list(z.string().min(1, { error: 'must not be empty' }).max(1000, { error: 'is longer than 1,000 characters' }), 1000),
  /** Array of the matched datastores that the imported file does not place on one. */
  array: name.optional(),
});

export const importEstate = strict({
  import: z.string().min(1, { error: 'must name a file' }),
  vcenter: name.optional(),
  legacy: side,
  new: side,
  /** Enclosure name → patterns of the hosts it holds. */
  enclosures: z.record(z.string(), list(z.string().min(1).max(1000, { error: 'is longer than 1,000 characters' }), 1000)).optional(),
});

// ---- the file ----------------------------------------------------------------------------------

export type EstateForm = 'explicit' | 'synthetic' | 'import';

export function scenarioFile<E extends z.ZodType>(estate: E) {
  return strict({
    name: name.optional(),
    description: z.string().max(LIMITS.textLength, { error: `is longer than svmig's limit of ${LIMITS.textLength.toLocaleString('en-US')} characters` }).default(''),
    seed: z
      .number({ error: 'expected a whole number' })
      .int({ error: 'expected a whole number' })
      .min(-Number.MAX_SAFE_INTEGER, { error: 'must be a whole number between ±9,007,199,254,740,991' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'must be a whole number between ±9,007,199,254,740,991' })
      .default(1),
    vsphere: vsphereSection.prefault({}),
    policy: name.default('field'),
    targets: targetsSection.prefault({}),
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
