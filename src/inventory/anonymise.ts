// Anonymising an estate so it can be shared (with a vendor, on an issue tracker): every name of a
// VM, host, cluster, datacenter, datastore and the vCenter becomes a stable hash of it. Stable: the
// same name always gives the same hash, so two exports of one vCenter still line up, and the
// structure (which VM on which host and datastore) survives. Sizes, roles and arrays (names the
// planner chose) stay. Hashes of short names can be guessed back by trying names; a secret `salt`
// prevents that while keeping hashes stable for whoever holds it.
//
// Names also appear inside warning messages, blockers and notes; they are always quoted there
// (warnings.ts `q`), and every quoted name is replaced.

import { createHash } from 'node:crypto';
import type { EstateFile } from './estate-file.js';

type Kind = 'vm' | 'host' | 'cluster' | 'dc' | 'ds' | 'vc' | 'name';

class Hasher {
  private readonly maps = new Map<Kind, Map<string, string>>();
  private readonly taken = new Set<string>();

  constructor(private readonly salt: string) {}

  /** `vm-3fa9c2d1e07b`; longer when two names would share a hash. */
  name(kind: Kind, name: string): string {
    let map = this.maps.get(kind);
    if (!map) this.maps.set(kind, (map = new Map()));
    const known = map.get(name);
    if (known !== undefined) return known;
    const hex = createHash('sha256').update(`${this.salt}\0${kind}\0${name}`).digest('hex');
    let len = 12;
    let out = `${kind}-${hex.slice(0, len)}`;
    while (this.taken.has(out) && len < hex.length) out = `${kind}-${hex.slice(0, (len += 4))}`;
    this.taken.add(out);
    map.set(name, out);
    return out;
  }

  maybe(kind: Kind, name: string | null | undefined): string | null {
    return name == null ? null : this.name(kind, name);
  }

  /**
   * Replaces every quoted string in a message: a known name by its hash (VMs first if a name is of
   * several kinds), anything else quoted (another vCenter, a column named after a custom attribute)
   * by a hash of its own, as it may be just as telling.
   */
  text(message: string): string {
    return message.replace(/"([^"]+)"/g, (_whole, inner: string) => {
      for (const kind of ['vm', 'host', 'ds', 'cluster', 'dc', 'vc'] as const) {
        const h = this.maps.get(kind)?.get(inner);
        if (h !== undefined) return `"${h}"`;
      }
      return `"${this.name('name', inner)}"`;
    });
  }
}

/** File names can carry the vCenter's or the customer's name: they become the standard ones. */
function neutralFile(file: string, format: string | undefined): string {
  const tab = /tab(v\w+|dv\w+)\.csv$/i.exec(file);
  if (tab) return `RVTools_tab${tab[1]}.csv`;
  return format === 'csv' ? 'RVTools_export.csv' : 'RVTools_export.xlsx';
}

/** A copy of `estate` with every name replaced by a stable hash; the original is left untouched. */
export function anonymiseEstate(estate: EstateFile, salt = ''): EstateFile {
  const h = new Hasher(salt);
  const format = estate.source?.format;
  // Hash every name first, so that messages can be rewritten whatever order they mention names in.
  const vcenter = h.name('vc', estate.vcenter);
  const clusters = estate.clusters.map((c) => ({ name: h.name('cluster', c.name), datacenter: h.maybe('dc', c.datacenter) }));
  const hosts = estate.hosts.map((x) => ({ ...x, name: h.name('host', x.name), cluster: h.maybe('cluster', x.cluster) }));
  const datastores = estate.datastores.map((d) => ({
    ...d,
    name: h.name('ds', d.name),
    hosts: d.hosts === null ? null : d.hosts.map((n) => h.name('host', n)),
  }));
  const vms = estate.vms.map((vm) => ({
    ...vm,
    name: h.name('vm', vm.name),
    cluster: h.maybe('cluster', vm.cluster),
    host: h.maybe('host', vm.host),
    homeDatastore: h.maybe('ds', vm.homeDatastore),
    disks: vm.disks.map((d) => ({ ...d, datastore: h.maybe('ds', d.datastore), path: null })),
  }));
  if (estate.source?.vcenter) h.name('vc', estate.source.vcenter);
  for (const vm of vms) {
    if (vm.blockers) vm.blockers = vm.blockers.map((b) => h.text(b));
    if (vm.notes) vm.notes = vm.notes.map((n) => h.text(n));
  }
  // Rule warnings quote the user's own patterns, which spell out real names: they go.
  const warnings = estate.warnings
    .filter((w) => w.code !== 'rule-matches-nothing')
    .map((w) => ({ ...w, file: neutralFile(w.file, format), message: h.text(w.message) }));
  const source = estate.source && {
    ...estate.source,
    files: estate.source.files.map((f) => neutralFile(f, format)),
    vcenter: h.maybe('vc', estate.source.vcenter),
    anonymised: true,
    rules: { legacy: [], new: [], arrays: [], assumeDatastores: [] },
  };
  return { ...estate, vcenter, clusters, hosts, datastores, vms, warnings, source };
}
