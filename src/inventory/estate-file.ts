// estate.json: the Estate model (src/domain/estate.ts) plus what the import had to assume (`warnings`)
// and where it came from (`source`). Other commands load it with readEstateFile, which validates shape
// and references (every host, cluster and datastore named is in the file) so that nothing downstream
// meets a dangling name. Written atomically: a failed import leaves any earlier file as it was.

import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod';
import type { Estate } from '../domain/estate.js';
import { drsOverrideSchema, snapshotsSchema } from '../domain/estate-json.js';
import { UserError } from '../domain/errors.js';
import { MAX_TEXT_BYTES, readTextInputSync } from '../domain/input-file.js';
import { outputTarget, writeThrough } from '../domain/output-file.js';
import { LIMITS } from '../domain/limits.js';
import type { ImportWarning } from './warnings.js';

export const ESTATE_FORMAT = 'svmig-estate/1';

export interface EstateSource {
  /** What produced the estate: `rvtools` here; other importers name themselves. */
  tool: string;
  format: string;
  /** Base names of the files read. */
  files: string[];
  /** Tabs read. */
  tabs: string[];
  /** RVTools release as the export states it (vMetaData), null when it does not. */
  rvtoolsVersion: string | null;
  /** Best guess from the columns when the export does not state its release. */
  rvtoolsVersionHint: string | null;
  /** vCenter as the export names it (vInfo `VI SDK Server`, vMetaData `Server`), null when it does not. */
  vcenter: string | null;
  /** vCenter product and build (vInfo `VI SDK Server type`), null when unknown. */
  vcenterVersion: string | null;
  apiVersion: string | null;
  /** When RVTools wrote the export (vMetaData), null when unknown. */
  exportedAt: string | null;
  anonymised: boolean;
  /** The import's datastore rules as written (emptied when anonymised: they hold real names). */
  rules: { legacy: string[]; new: string[]; arrays: string[]; assumeDatastores: string[] };
}

export interface EstateFile extends Estate {
  format: typeof ESTATE_FORMAT;
  warnings: ImportWarning[];
  source: EstateSource | null;
}

const name = z.string().min(1);
const bytes = z.number().finite().nonnegative().max(LIMITS.bytes, { error: "is more than svmig's limit of 8 PiB for one size" });
const nullableName = name.nullable();

const clusterSchema = z.object({ name, datacenter: nullableName.optional() });
const hostSchema = z.object({
  name,
  cluster: nullableName,
  enclosure: nullableName,
  hbaPorts: z.number().int().positive().nullable().optional(),
  model: z.string().nullable().optional(),
});
const datastoreSchema = z.object({
  name,
  capacityBytes: bytes,
  freeBytes: bytes,
  array: nullableName,
  role: z.enum(['legacy', 'new', 'other']),
  hosts: z.array(name).nullable(),
  type: z.string().nullable().optional(),
});
const diskSchema = z.object({
  label: z.string(),
  key: z.number().int().nullable().optional(),
  capacityBytes: bytes,
  allocatedBytes: bytes,
  thin: z.boolean(),
  datastore: nullableName,
  path: z.string().nullable().optional(),
});
const vmSchema = z.object({
  name,
  cluster: nullableName,
  host: nullableName,
  powerState: z.enum(['poweredOn', 'poweredOff', 'suspended']),
  memoryBytes: bytes,
  disks: z.array(diskSchema).max(LIMITS.disksPerVm, { error: `lists more disks than svmig's limit of ${LIMITS.disksPerVm} per VM` }),
  homeDatastore: nullableName.optional(),
  template: z.boolean().optional(),
  blockers: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  snapshots: snapshotsSchema.optional(),
  drsOverride: drsOverrideSchema.nullable().optional(),
});
const warningSchema = z.object({
  code: z.string(),
  file: z.string(),
  tab: z.string().nullable(),
  row: z.number().int().positive().nullable(),
  column: z.string().optional(),
  message: z.string(),
  omitted: z.number().int().positive().optional(),
});
const sourceSchema = z.object({
  tool: z.string(),
  format: z.string(),
  files: z.array(z.string()),
  tabs: z.array(z.string()),
  rvtoolsVersion: z.string().nullable(),
  rvtoolsVersionHint: z.string().nullable(),
  vcenter: z.string().nullable(),
  vcenterVersion: z.string().nullable(),
  apiVersion: z.string().nullable(),
  exportedAt: z.string().nullable(),
  anonymised: z.boolean(),
  rules: z.object({
    legacy: z.array(z.string()),
    new: z.array(z.string()),
    arrays: z.array(z.string()),
    assumeDatastores: z.array(z.string()),
  }),
});

/** `warnings` and `source` may be absent (an estate written by hand or by another tool). */
export const estateFileSchema = z.object({
  format: z.literal(ESTATE_FORMAT).optional(),
  vcenter: z.string(),
  clusters: z.array(clusterSchema).max(LIMITS.clusters, { error: `lists more clusters than svmig's limit of ${LIMITS.clusters.toLocaleString('en-US')}` }),
  hosts: z.array(hostSchema).max(LIMITS.hosts, { error: `lists more hosts than svmig's limit of ${LIMITS.hosts.toLocaleString('en-US')}` }),
  datastores: z.array(datastoreSchema).max(LIMITS.datastores, { error: `lists more datastores than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')}` }),
  vms: z.array(vmSchema).max(LIMITS.vms, { error: `lists more VMs than svmig's limit of ${LIMITS.vms.toLocaleString('en-US')}` }),
  warnings: z.array(warningSchema).default([]),
  source: sourceSchema.nullable().default(null),
});

/** `vms[12] "web01".disks[0].capacityBytes`: the path of a problem, with the named element it is in. */
function describePath(path: ReadonlyArray<PropertyKey>, json: unknown): string {
  let out = '';
  let node: unknown = json;
  for (const [i, key] of path.entries()) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const nm = (node as { name?: unknown } | undefined)?.name;
      if (i === 1 && typeof nm === 'string') out += ` ${JSON.stringify(nm)}`;
    } else {
      out += out === '' ? String(key) : `.${String(key)}`;
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return out === '' ? 'the top level' : out;
}

/**
 * Validates parsed JSON as an estate file. `file` names it in errors. Checks shape, unique names per
 * kind, and that every reference (a VM's host, cluster and datastores; a host's cluster) resolves.
 */
export function parseEstateFile(json: unknown, file: string): EstateFile {
  const parsed = estateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more = parsed.error.issues.length - 1;
    throw new UserError(
      `${file}: ${describePath(issue.path, json)}: ${issue.message.replace(/\.$/, '')}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}.`,
    );
  }
  const e = parsed.data as EstateFile;
  e.format = ESTATE_FORMAT;
  checkReferences(e, file);
  return e;
}

function unique(kind: string, names: readonly string[], file: string): Set<string> {
  const set = new Set<string>();
  for (const [i, n] of names.entries()) {
    if (set.has(n)) throw new UserError(`${file}: ${kind}[${i}] ${JSON.stringify(n)} is listed twice.`);
    set.add(n);
  }
  return set;
}

function checkReferences(e: EstateFile, file: string): void {
  const clusters = unique('clusters', e.clusters.map((c) => c.name), file);
  const hosts = unique('hosts', e.hosts.map((h) => h.name), file);
  const datastores = unique('datastores', e.datastores.map((d) => d.name), file);
  unique('vms', e.vms.map((v) => v.name), file);
  const missing = (where: string, what: string, value: string) =>
    new UserError(`${file}: ${where} names ${what} ${JSON.stringify(value)}, which is not in the estate's ${what}s.`);
  for (const [i, d] of e.datastores.entries()) {
    for (const h of d.hosts ?? []) if (!hosts.has(h)) throw missing(`datastores[${i}] ${JSON.stringify(d.name)}`, 'host', h);
  }
  for (const [i, h] of e.hosts.entries()) {
    if (h.cluster !== null && !clusters.has(h.cluster)) throw missing(`hosts[${i}] ${JSON.stringify(h.name)}`, 'cluster', h.cluster);
  }
  for (const [i, vm] of e.vms.entries()) {
    const at = `vms[${i}] ${JSON.stringify(vm.name)}`;
    if (vm.cluster !== null && !clusters.has(vm.cluster)) throw missing(at, 'cluster', vm.cluster);
    if (vm.host !== null && !hosts.has(vm.host)) throw missing(at, 'host', vm.host);
    if (vm.homeDatastore != null && !datastores.has(vm.homeDatastore)) throw missing(at, 'datastore', vm.homeDatastore);
    for (const [j, d] of vm.disks.entries()) {
      if (d.datastore !== null && !datastores.has(d.datastore)) throw missing(`${at}, disks[${j}]`, 'datastore', d.datastore);
      if (d.allocatedBytes > d.capacityBytes) {
        throw new UserError(`${file}: ${at}, disks[${j}] has more bytes allocated than its capacity.`);
      }
    }
  }
}

/** Reads and validates an estate file; every failure is a UserError naming the file. */
export function readEstateFile(path: string): EstateFile {
  // A regular file of at most MAX_TEXT_BYTES, its byte order mark dropped (input-file.ts).
  const text = readTextInputSync(path, { what: 'the estate file', maxBytes: MAX_TEXT_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not JSON (${(err as Error).message}).`, { cause: err });
  }
  return parseEstateFile(json, path);
}

/**
 * The estate as JSON text: top-level keys one per line, and each cluster, host, datastore, VM and
 * warning on a line of its own, so that a 50,000-VM file stays small and still reads and diffs well.
 */
export function estateToJson(e: EstateFile): string {
  const list = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`;
  const parts = [
    `  "format": ${JSON.stringify(e.format)}`,
    `  "vcenter": ${JSON.stringify(e.vcenter)}`,
    `  "source": ${JSON.stringify(e.source, null, 2)?.replace(/\n/g, '\n  ') ?? 'null'}`,
    `  "clusters": ${list(e.clusters)}`,
    `  "hosts": ${list(e.hosts)}`,
    `  "datastores": ${list(e.datastores)}`,
    `  "vms": ${list(e.vms)}`,
    `  "warnings": ${list(e.warnings)}`,
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** Writes the estate to `path` through a temporary file renamed into place. */
export async function writeEstateFile(path: string, e: EstateFile): Promise<void> {
  // Never in place of a FIFO, a device or a link (output-file.ts): through them, or refused.
  const target = outputTarget(path);
  if (target.kind !== 'file') {
    writeThrough(target, estateToJson(e));
    return;
  }
  const temp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temp, estateToJson(e), { encoding: 'utf8', flag: 'wx' });
    await rename(temp, target.path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new UserError(`Cannot write ${path}: ${(err as Error).message}.`, { cause: err });
  }
}
