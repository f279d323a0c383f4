// The import estate form: an Estate JSON written by an importer (RVTools, live vCenter) plus the
// scenario's say on which datastores are the source and which the target, and which hosts share a
// blade enclosure (inventories rarely know). Errors inside the JSON name the JSON file and line.

import { dirname, isAbsolute, join, normalize } from 'node:path';
import * as z from 'zod';
import type { Datastore, DatastoreRole, Estate, Host, Vm } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { drsOverrideSchema, snapshotsSchema } from '../domain/estate-json.js';
import { UserError } from '../domain/errors.js';
import { MAX_TEXT_BYTES, readTextInputSync } from '../domain/input-file.js';
import { LIMITS } from '../domain/limits.js';
import { validate } from './issues.js';
import { NameTable, compileSelector } from './names.js';
import type { ImportEstate } from './schema.js';
import { FieldError, SourceText } from './source.js';

// Lenient on purpose: importers may add fields (warnings, source, per-object extras) that the
// migration does not need; only what the Estate type promises is read.
const bytes = z.number().nonnegative().max(LIMITS.bytes, { error: `is more than svmig's limit of 8 PiB for one size` });
const optionalText = z.string().nullable().optional();
const estateJson = z.object({
  vcenter: z.string().optional(),
  clusters: z.array(z.object({ name: z.string().min(1), datacenter: optionalText })).max(LIMITS.clusters).default([]),
  hosts: z.array(
    z.object({
      name: z.string().min(1),
      cluster: z.string().nullable().default(null),
      enclosure: z.string().nullable().default(null),
      hbaPorts: z.number().int().positive().nullable().optional(),
      model: optionalText,
    }),
  ).max(LIMITS.hosts, { error: `lists more hosts than svmig's limit of ${LIMITS.hosts.toLocaleString('en-US')}` }),
  datastores: z.array(
    z.object({
      name: z.string().min(1),
      capacityBytes: bytes,
      freeBytes: bytes,
      array: z.string().nullable().default(null),
      hosts: z.array(z.string()).nullable().default(null),
      type: optionalText,
    }),
  ).max(LIMITS.datastores, { error: `lists more datastores than svmig's limit of ${LIMITS.datastores.toLocaleString('en-US')}` }),
  vms: z.array(
    z.object({
      name: z.string().min(1),
      cluster: z.string().nullable().default(null),
      host: z.string().nullable().default(null),
      powerState: z.enum(['poweredOn', 'poweredOff', 'suspended']),
      memoryBytes: bytes,
      disks: z.array(
        z.object({
          label: z.string(),
          key: z.number().int().nullable().optional(),
          capacityBytes: bytes,
          allocatedBytes: bytes,
          thin: z.boolean(),
          datastore: z.string().nullable(),
          path: optionalText,
        }),
      ).max(LIMITS.disksPerVm, { error: `lists more disks than svmig's limit of ${LIMITS.disksPerVm} per VM` }),
      homeDatastore: optionalText,
      template: z.boolean().optional(),
      blockers: z.array(z.string()).optional(),
      notes: z.array(z.string()).optional(),
      snapshots: snapshotsSchema.optional(),
      drsOverride: drsOverrideSchema.nullable().optional(),
    }),
  ).max(LIMITS.vms, { error: `lists more VMs than svmig's limit of ${LIMITS.vms.toLocaleString('en-US')}` }),
});

type EstateJson = z.output<typeof estateJson>;

/** Reads the estate the scenario imports; `scenarioFile` locates the relative path. */
export function resolveImportedEstate(section: ImportEstate, fabric: Fabric, scenarioFile: string): Estate {
  // Relative to the scenario's folder; an absolute path stays as written.
  const file = isAbsolute(section.import) ? section.import : normalize(join(dirname(scenarioFile), section.import));
  let text: string;
  try {
    text = readTextInputSync(file, { what: 'the estate file', maxBytes: MAX_TEXT_BYTES });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const why = /\(([^()]*)\)\.$/.exec(err.message)?.[1] ?? err.message.replace(/\.$/, '');
    throw new FieldError(['estate', 'import'], err.message.includes('cannot read') ? `cannot read the estate file ${file} (${why})` : err.message.replace(/\.$/, ''));
  }
  const source = new SourceText(file, text);
  const data = validate(estateJson, source.parse(), source);
  checkReferences(data, source);
  return assignRoles(data, section, fabric, source, file);
}

function checkReferences(data: EstateJson, source: SourceText): void {
  const clusters = new NameTable<true>('cluster', source);
  data.clusters.forEach((c, i) => clusters.add(c.name, true, ['clusters', i, 'name']));
  const hosts = new NameTable<true>('host', source);
  data.hosts.forEach((h, i) => {
    hosts.add(h.name, true, ['hosts', i, 'name']);
    if (h.cluster !== null) clusters.get(h.cluster, ['hosts', i, 'cluster']);
  });
  const datastores = new NameTable<true>('datastore', source);
  data.datastores.forEach((d, i) => {
    datastores.add(d.name, true, ['datastores', i, 'name']);
    d.hosts?.forEach((h, k) => hosts.get(h, ['datastores', i, 'hosts', k]));
  });
  const vms = new NameTable<true>('VM', source);
  data.vms.forEach((vm, i) => {
    vms.add(vm.name, true, ['vms', i, 'name']);
    if (vm.cluster !== null) clusters.get(vm.cluster, ['vms', i, 'cluster']);
    if (vm.host !== null) hosts.get(vm.host, ['vms', i, 'host']);
    if (vm.homeDatastore) datastores.get(vm.homeDatastore, ['vms', i, 'homeDatastore']);
    vm.disks.forEach((d, k) => {
      if (d.datastore !== null) datastores.get(d.datastore, ['vms', i, 'disks', k, 'datastore']);
    });
  });
}

function assignRoles(data: EstateJson, section: ImportEstate, fabric: Fabric, source: SourceText, file: string): Estate {
  const arrays = fabric.arrays.map((a) => a.name);
  const selectors = (['legacy', 'new'] as const).flatMap((role) =>
    section[role].datastores.map((text, i) => {
      const path = ['estate', role, 'datastores', i];
      return { role, text, path, matches: compileSelector(text, path), used: false };
    }),
  );
  for (const role of ['legacy', 'new'] as const) {
    const array = section[role].array;
    if (array !== undefined && !arrays.includes(array)) {
      throw new FieldError(['estate', role, 'array'], `array "${array}" is not one of fabric.arrays (${arrays.join(', ')})`);
    }
  }

  const datastores: Datastore[] = data.datastores.map((d, i) => {
    let role: DatastoreRole = 'other';
    let chosen: (typeof selectors)[number] | undefined;
    for (const s of selectors) {
      if (!s.matches(d.name)) continue;
      s.used = true;
      if (chosen !== undefined && chosen.role !== s.role) {
        throw new FieldError(s.path, `datastore "${d.name}" is matched both as legacy (by "${chosen.text}") and as new (by "${s.text}")`);
      }
      chosen = s;
      role = s.role;
    }
    let array = d.array;
    if (role !== 'other') {
      const sideArray = section[role].array;
      if (array === null) {
        if (sideArray === undefined) {
          throw new FieldError(['estate', role, 'array'], `imported datastore "${d.name}" names no array, so this field must say which array the ${role} datastores are on`);
        }
        array = sideArray;
      } else if (!arrays.includes(array)) {
        throw new FieldError(['datastores', i, 'array'], `array "${array}" of a ${role} datastore is not one of the scenario's fabric.arrays (${arrays.join(', ')})`, { source });
      }
    }
    const ds: Datastore = { name: d.name, capacityBytes: d.capacityBytes, freeBytes: d.freeBytes, array, role, hosts: d.hosts };
    if (d.type != null) ds.type = d.type;
    return ds;
  });
  for (const s of selectors) {
    if (!s.used) throw new FieldError(s.path, `"${s.text}" matches no datastore of ${file}`);
  }

  const enclosureOf = enclosureSelectors(section);
  const hosts: Host[] = data.hosts.map((h) => {
    const host: Host = { name: h.name, cluster: h.cluster, enclosure: enclosureOf(h.name) ?? h.enclosure };
    if (h.hbaPorts != null) host.hbaPorts = h.hbaPorts;
    if (h.model != null) host.model = h.model;
    return host;
  });

  const vms: Vm[] = data.vms.map((v) => {
    const vm: Vm = {
      name: v.name,
      cluster: v.cluster,
      host: v.host,
      powerState: v.powerState,
      memoryBytes: v.memoryBytes,
      disks: v.disks.map((d) => ({
        label: d.label,
        key: d.key ?? null,
        capacityBytes: d.capacityBytes,
        allocatedBytes: d.allocatedBytes,
        thin: d.thin,
        datastore: d.datastore,
        path: d.path ?? null,
      })),
      homeDatastore: v.homeDatastore ?? null,
    };
    if (v.template !== undefined) vm.template = v.template;
    if (v.blockers !== undefined) vm.blockers = v.blockers;
    if (v.notes !== undefined) vm.notes = v.notes;
    if (v.snapshots !== undefined) {
      const { orphanBytes, ...rest } = v.snapshots;
      vm.snapshots = orphanBytes === undefined ? rest : { ...rest, orphanBytes };
    }
    if (v.drsOverride !== undefined) vm.drsOverride = v.drsOverride;
    return vm;
  });

  return {
    vcenter: section.vcenter ?? data.vcenter ?? 'vcenter',
    clusters: data.clusters.map((c) => ({ name: c.name, datacenter: c.datacenter ?? null })),
    hosts,
    datastores,
    vms,
  };
}

/** Enclosure of a host by the scenario's patterns (first enclosure listed wins), undefined when none match. */
function enclosureSelectors(section: ImportEstate): (host: string) => string | undefined {
  const rules = Object.entries(section.enclosures ?? {}).flatMap(([enclosure, patterns]) =>
    patterns.map((p, i) => ({ enclosure, matches: compileSelector(p, ['estate', 'enclosures', enclosure, i]) })),
  );
  return (host) => rules.find((r) => r.matches(host))?.enclosure;
}
