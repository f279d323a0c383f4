// What `svmig inventory show` tells a planner about an estate: how big it is, where the data sits
// (per datastore, per array), how much of it is to move, and what will not move as it is. The
// figures are computed by summariseEstate (pure, tested on its own); formatSummary prints them.

import { diskCopyBytes, type DatastoreRole, type Vm } from '../domain/estate.js';
import { printable, printableLine } from '../domain/display.js';
import { formatBytes } from '../domain/units.js';
import type { EstateFile } from './estate-file.js';

export interface ClusterLine {
  /** null gathers VMs and hosts without a cluster. */
  name: string | null;
  datacenter: string | null;
  hosts: number;
  vms: number;
  blocked: number;
  /** Bytes a Storage vMotion of every disk of the cluster's VMs would copy. */
  copyBytes: number;
}

export interface DatastoreLine {
  name: string;
  array: string | null;
  role: DatastoreRole;
  type: string | null;
  /** 0 when unknown (no vDatastore). */
  capacityBytes: number;
  freeBytes: number;
  disks: number;
  /** Copy bytes of every disk on it. */
  vmBytes: number;
  /** Copy bytes of disks of movable VMs, on a legacy datastore: what the campaign moves from it. */
  toMoveBytes: number;
  /** Copy bytes of disks of blocked VMs on it. */
  blockedBytes: number;
}

export interface ArrayLine {
  array: string | null;
  datastores: number;
  capacityBytes: number;
  freeBytes: number;
  vmBytes: number;
  toMoveBytes: number;
  blockedBytes: number;
}

export interface EstateSummary {
  vcenter: string;
  clusters: ClusterLine[];
  datastores: DatastoreLine[];
  arrays: ArrayLine[];
  standaloneHosts: string[];
  totals: {
    vms: number;
    movable: number;
    blocked: number;
    templates: number;
    poweredOn: number;
    disks: number;
    disksWithoutDatastore: number;
    capacityBytes: number;
    copyBytes: number;
    toMoveBytes: number;
  };
  /** Reasons and how many VMs each stops; disk labels are left out so that reasons group. */
  blockerKinds: Array<{ reason: string; vms: number }>;
  blockedVms: Array<{ name: string; blockers: string[] }>;
  /** Warnings grouped by code, in first-seen order. */
  warningKinds: Array<{ code: string; count: number; first: string; tab: string | null; row: number | null }>;
}

/** `independent disk (independent_persistent): Hard disk 2` → `independent disk`. */
/**
 * `svmig inventory show --json`: the summary for scripts, in base units, under keys that stay as
 * they are (added to, never renamed), like the other `--json` summaries (report/json-summary.ts).
 */
export interface EstateJson extends EstateSummary {
  kind: 'estate';
  file: string;
}

export function estateJson(summary: EstateSummary, file: string): EstateJson {
  return { kind: 'estate', file, ...summary };
}

export function blockerKind(blocker: string): string {
  return blocker.replace(/:.*$/s, '').replace(/\s*\(.*\)\s*$/s, '').trim();
}

const ROLE_ORDER: Record<DatastoreRole, number> = { legacy: 0, new: 1, other: 2 };

export function summariseEstate(e: EstateFile): EstateSummary {
  const blocked = (vm: Vm) => (vm.blockers?.length ?? 0) > 0;
  const role = new Map(e.datastores.map((d) => [d.name, d.role] as const));

  const clusterLines = new Map<string | null, ClusterLine>();
  const clusterLine = (name: string | null) => {
    let line = clusterLines.get(name);
    if (!line) {
      const dc = name === null ? null : (e.clusters.find((c) => c.name === name)?.datacenter ?? null);
      line = { name, datacenter: dc, hosts: 0, vms: 0, blocked: 0, copyBytes: 0 };
      clusterLines.set(name, line);
    }
    return line;
  };
  for (const c of e.clusters) clusterLine(c.name);
  for (const h of e.hosts) clusterLine(h.cluster).hosts++;

  const dsLines = new Map<string, DatastoreLine>(
    e.datastores.map((d) => [
      d.name,
      {
        name: d.name, array: d.array, role: d.role, type: d.type ?? null,
        capacityBytes: d.capacityBytes, freeBytes: d.freeBytes,
        disks: 0, vmBytes: 0, toMoveBytes: 0, blockedBytes: 0,
      },
    ]),
  );

  const totals = {
    vms: e.vms.length, movable: 0, blocked: 0, templates: 0, poweredOn: 0,
    disks: 0, disksWithoutDatastore: 0, capacityBytes: 0, copyBytes: 0, toMoveBytes: 0,
  };
  const kinds = new Map<string, number>();
  const blockedVms: EstateSummary['blockedVms'] = [];
  for (const vm of e.vms) {
    const isBlocked = blocked(vm);
    const line = clusterLine(vm.cluster);
    line.vms++;
    if (isBlocked) {
      line.blocked++;
      totals.blocked++;
      blockedVms.push({ name: vm.name, blockers: vm.blockers! });
      for (const k of new Set(vm.blockers!.map(blockerKind))) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    } else totals.movable++;
    if (vm.template) totals.templates++;
    if (vm.powerState === 'poweredOn') totals.poweredOn++;
    for (const d of vm.disks) {
      const copy = diskCopyBytes(d);
      totals.disks++;
      totals.capacityBytes += d.capacityBytes;
      totals.copyBytes += copy;
      line.copyBytes += copy;
      if (d.datastore === null) {
        totals.disksWithoutDatastore++;
        continue;
      }
      const ds = dsLines.get(d.datastore);
      if (!ds) continue;
      ds.disks++;
      ds.vmBytes += copy;
      if (isBlocked) ds.blockedBytes += copy;
      else if (role.get(d.datastore) === 'legacy') {
        ds.toMoveBytes += copy;
        totals.toMoveBytes += copy;
      }
    }
  }

  const datastores = [...dsLines.values()].sort(
    (a, b) =>
      (a.array === null ? 1 : 0) - (b.array === null ? 1 : 0) ||
      (a.array ?? '').localeCompare(b.array ?? '') ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name),
  );
  const arrays = new Map<string | null, ArrayLine>();
  for (const d of datastores) {
    let a = arrays.get(d.array);
    if (!a) arrays.set(d.array, (a = { array: d.array, datastores: 0, capacityBytes: 0, freeBytes: 0, vmBytes: 0, toMoveBytes: 0, blockedBytes: 0 }));
    a.datastores++;
    a.capacityBytes += d.capacityBytes;
    a.freeBytes += d.freeBytes;
    a.vmBytes += d.vmBytes;
    a.toMoveBytes += d.toMoveBytes;
    a.blockedBytes += d.blockedBytes;
  }

  const warningKinds: EstateSummary['warningKinds'] = [];
  const byCode = new Map<string, EstateSummary['warningKinds'][number]>();
  for (const w of e.warnings) {
    const k = byCode.get(w.code);
    const n = w.omitted ?? 1;
    if (k) k.count += n;
    else {
      const kind = { code: w.code, count: n, first: w.message, tab: w.tab, row: w.row };
      byCode.set(w.code, kind);
      warningKinds.push(kind);
    }
  }

  return {
    vcenter: e.vcenter,
    clusters: [...clusterLines.values()].filter((c) => c.name !== null || c.hosts + c.vms > 0),
    datastores,
    arrays: [...arrays.values()],
    standaloneHosts: e.hosts.filter((h) => h.cluster === null).map((h) => h.name),
    totals,
    blockerKinds: [...kinds.entries()].map(([reason, vms]) => ({ reason, vms })).sort((a, b) => b.vms - a.vms || a.reason.localeCompare(b.reason)),
    blockedVms,
    warningKinds,
  };
}

/** Columns padded to their widest cell; `right` marks the columns aligned right (numbers). */
export function formatTable(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  // Names come from the export: escape sequences and line breaks in them are shown, not obeyed.
  rows = rows.map((r) => r.map(printableLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const n = (x: number) => x.toLocaleString('en-US');
const size = (bytes: number) => formatBytes(bytes);
const sizeOrUnknown = (bytes: number, known: boolean) => (known ? formatBytes(bytes) : '?');

export interface FormatOptions {
  /** List every blocked VM and every warning kind, not the first few. */
  all?: boolean;
  /** Rows of blocked VMs shown without `all`. */
  limit?: number;
}

export function formatSummary(e: EstateFile, s: EstateSummary, options: FormatOptions = {}): string {
  const limit = options.all ? Number.POSITIVE_INFINITY : (options.limit ?? 20);
  const out: string[] = [];
  const src = e.source;
  const release = src?.rvtoolsVersion ? `RVTools ${src.rvtoolsVersion}` : src?.rvtoolsVersionHint ? `RVTools ${src.rvtoolsVersionHint}` : null;
  out.push(`Estate of vCenter ${s.vcenter}${src?.vcenterVersion ? ` (${src.vcenterVersion})` : ''}`);
  if (src) {
    out.push(`  from ${src.files.join(', ')}${release ? `, ${release}` : ''}; tabs read: ${src.tabs.join(', ')}${src.anonymised ? '; anonymised' : ''}`);
  }
  const t = s.totals;
  const count = (x: number, what: string) => `${n(x)} ${what}${x === 1 ? '' : 's'}`;
  out.push(
    `  ${count(e.clusters.length, 'cluster')}, ${count(e.hosts.length, 'host')}, ${count(e.datastores.length, 'datastore')}, ` +
      `${n(t.vms)} VMs (${n(t.movable)} movable, ${n(t.blocked)} blocked; ${n(t.poweredOn)} powered on, ${n(t.templates)} templates), ${n(t.disks)} disks`,
  );
  out.push(`  ${size(t.capacityBytes)} provisioned on disks, ${size(t.copyBytes)} to copy if all moved, ${size(t.toMoveBytes)} to move from legacy datastores`);
  out.push('');

  out.push('Clusters');
  out.push(
    ...formatTable(
      ['CLUSTER', 'DATACENTER', 'HOSTS', 'VMS', 'BLOCKED', 'DATA'],
      s.clusters.map((c) => [c.name ?? '(no cluster)', c.datacenter ?? '', n(c.hosts), n(c.vms), n(c.blocked), size(c.copyBytes)]),
      new Set([2, 3, 4, 5]),
    ).map((l) => `  ${l}`),
  );
  if (s.standaloneHosts.length > 0) {
    out.push(`  Hosts without a cluster (not planned on): ${s.standaloneHosts.slice(0, limit).join(', ')}${s.standaloneHosts.length > limit ? ', …' : ''}`);
  }
  out.push('');

  out.push('Datastores');
  if (s.datastores.length === 0) out.push('  (none known: the export names no datastore)');
  else {
    out.push(
      ...formatTable(
        ['ARRAY', 'ROLE', 'DATASTORE', 'TYPE', 'CAPACITY', 'FREE', 'DISKS', 'VM DATA', 'TO MOVE'],
        s.datastores.map((d) => [
          d.array ?? '?', d.role, d.name, d.type ?? '',
          sizeOrUnknown(d.capacityBytes, d.capacityBytes > 0), sizeOrUnknown(d.freeBytes, d.capacityBytes > 0),
          n(d.disks), size(d.vmBytes), d.role === 'legacy' ? size(d.toMoveBytes) : '',
        ]),
        new Set([4, 5, 6, 7, 8]),
      ).map((l) => `  ${l}`),
    );
  }
  if (t.disksWithoutDatastore > 0) {
    out.push(`  ${count(t.disksWithoutDatastore, 'disk')} on no known datastore (import with --assume-datastore to place them).`);
  }
  if (s.datastores.length > 0 && !s.datastores.some((d) => d.role === 'legacy')) {
    out.push('  No datastore is marked legacy: import with --legacy (or set roles in the scenario) to see what is to move.');
  }
  out.push('');

  out.push('Arrays');
  out.push(
    ...formatTable(
      ['ARRAY', 'DATASTORES', 'CAPACITY', 'FREE', 'VM DATA', 'TO MOVE', 'BLOCKED'],
      s.arrays.map((a) => [
        a.array ?? '(unknown)', n(a.datastores), sizeOrUnknown(a.capacityBytes, a.capacityBytes > 0),
        sizeOrUnknown(a.freeBytes, a.capacityBytes > 0),
        size(a.vmBytes), size(a.toMoveBytes), size(a.blockedBytes),
      ]),
      new Set([1, 2, 3, 4, 5, 6]),
    ).map((l) => `  ${l}`),
  );
  out.push('');

  out.push(`Blocked VMs: ${n(t.blocked)} of ${n(t.vms)} cannot be moved by Storage vMotion as they are`);
  if (s.blockerKinds.length > 0) {
    out.push(...formatTable(['REASON', 'VMS'], s.blockerKinds.map((k) => [k.reason, n(k.vms)]), new Set([1])).map((l) => `  ${l}`));
    out.push('');
    const shown = s.blockedVms.slice(0, limit);
    out.push(...formatTable(['VM', 'WHY'], shown.map((b) => [b.name, b.blockers.join('; ')])).map((l) => `  ${l}`));
    if (s.blockedVms.length > shown.length) out.push(`  … and ${n(s.blockedVms.length - shown.length)} more (--all lists them).`);
  }
  out.push('');

  const warned = s.warningKinds.reduce((sum, k) => sum + k.count, 0);
  out.push(`Warnings: ${n(warned)} (what the import had to assume; rows in estate.json)`);
  if (s.warningKinds.length > 0) {
    out.push(
      ...formatTable(
        ['KIND', 'COUNT', 'FIRST'],
        s.warningKinds.map((k) => [k.code, n(k.count), `${k.tab ?? ''}${k.row !== null ? ` row ${k.row}` : ''}${k.tab !== null || k.row !== null ? ': ' : ''}${k.first}`]),
        new Set([1]),
      ).map((l) => `  ${l}`),
    );
  }
  // Everything else printed names too (vCenter, files, hosts without a cluster).
  return `${printable(out.join('\n'))}\n`;
}
