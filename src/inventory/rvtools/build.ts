// From the records of an RVTools export to an estate: pure, no I/O. Every gap the export leaves is
// either filled by a stated assumption (a warning says which) or left visible (a VM blocker, a null).
//
// What RVTools gives and where:
//   VMs            vInfo (required): power state, template, memory, host, cluster, totals, .vmx Path
//   disks          vDisk: one row per virtual disk: capacity, thin, mode, sharing, RDM, .vmdk Path
//   thin usage     vInfo `In Use` (datastore bytes of the whole VM), else vPartition `Consumed`
//   hosts          vHost (cluster, model, # HBAs), else vInfo's Host and Cluster columns
//   datastores     vDatastore (type, capacity, free, hosts), else only names from the paths
//   clusters       vCluster, vHost, vInfo
//   snapshots      vSnapshot (one row per snapshot: a chain assumed, its size MiB (total) the delta),
//                  vInfo `Consolidation Needed`

import type { Cluster, Datastore, Disk, Host, PowerState, Vm } from '../../domain/estate.js';
import { UserError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { ESTATE_FORMAT, type EstateFile, type EstateSource } from '../estate-file.js';
import { applyDatastoreRules, assumedDatastoreFor, type DatastoreRules } from '../rules.js';
import { WarningLog, q } from '../warnings.js';
import { versionHint, type TabName } from './columns.js';
import { allocateThin, diskFromRow, diskFromTotals } from './disks.js';
import { parseDatastorePath } from './paths.js';
import type {
  TabRecords,
  VClusterRecord,
  VDatastoreRecord,
  VDiskRecord,
  VHostRecord,
  VInfoRecord,
  VMetaDataRecord,
  VPartitionRecord,
  VSnapshotRecord,
} from './records.js';

export interface ExportRecords {
  format: 'xlsx' | 'csv';
  files: string[];
  vInfo: TabRecords<VInfoRecord>;
  vDisk: TabRecords<VDiskRecord> | null;
  vPartition: TabRecords<VPartitionRecord> | null;
  /** Absent from older test fixtures: read as no vSnapshot tab. */
  vSnapshot?: TabRecords<VSnapshotRecord> | null;
  vHost: TabRecords<VHostRecord> | null;
  vDatastore: TabRecords<VDatastoreRecord> | null;
  vCluster: TabRecords<VClusterRecord> | null;
  vMetaData: TabRecords<VMetaDataRecord> | null;
}

export interface BuildOptions {
  rules: DatastoreRules;
  /** vCenter name to use when the export does not give one (or to override it). */
  vcenter?: string;
}

/** Rule texts as given, for the estate's `source.rules`. */
export interface RuleTexts {
  legacy: string[];
  new: string[];
  arrays: string[];
  assumeDatastores: string[];
}

/** Names seen on a VM row, kept to resolve vDisk and vPartition rows to their VM. */
interface VmIndex {
  byId: Map<string, number>;
  byName: Map<string, number[]>;
}

export function buildEstate(x: ExportRecords, options: BuildOptions, ruleTexts: RuleTexts, warnings: WarningLog): EstateFile {
  const info = x.vInfo;
  const mainFile = x.format === 'xlsx' ? (x.files[0] ?? info.file) : info.file;
  // A missing tab is named by the file that would have held it.
  const fileFor = (tab: TabName) => (x.format === 'xlsx' ? mainFile : (x[tab]?.file ?? `RVTools_tab${tab}.csv`));
  const tabWarn = (tab: TabName | null, file: string, code: string, message: string, column?: string) =>
    warnings.add({ code, file, tab, row: null, ...(column === undefined ? {} : { column }), message });

  // ── What the export is ──────────────────────────────────────────────────────────────────────────
  const meta = x.vMetaData?.records[0] ?? null;
  const servers = distinct(info.records.map((r) => r.sdkServer));
  const vcenterFromExport = servers[0] ?? meta?.server ?? null;
  if (servers.length > 1) {
    tabWarn('vInfo', info.file, 'several-vcenters',
      `The export holds VMs of ${servers.length} vCenters (${servers.map(q).join(', ')}); svmig plans within one vCenter, and ${q(servers[0]!)} is taken as the estate's.`, 'VI SDK Server');
  }
  const vcenter = options.vcenter ?? vcenterFromExport;
  if (vcenter === null) {
    tabWarn('vInfo', info.file, 'vcenter-unknown',
      'The export does not name its vCenter (no VI SDK Server column, no vMetaData tab); it is called "unknown" (give --vcenter to name it).', 'VI SDK Server');
  }

  // ── Tabs and columns that are missing, said once each ───────────────────────────────────────────
  if (!x.vDisk) {
    tabWarn('vDisk', fileFor('vDisk'), 'tab-missing',
      "No vDisk tab: each VM's storage is taken as one thin disk of vInfo's Total disk capacity (else Provisioned) with In Use allocated, on the datastore of its Path.");
  }
  if (!x.vHost) {
    tabWarn('vHost', fileFor('vHost'), 'tab-missing',
      "No vHost tab: hosts are taken from vInfo's Host and Cluster columns; their model and HBA count are unknown.");
  }
  if (!x.vDatastore) {
    tabWarn('vDatastore', fileFor('vDatastore'), 'tab-missing',
      'No vDatastore tab: datastores are known only by the names in disk and VM paths; their capacity, free space and hosts are unknown (shown as 0).');
  }
  if (!x.vCluster) {
    tabWarn('vCluster', fileFor('vCluster'), 'tab-missing', 'No vCluster tab: clusters are taken from the Cluster columns of vHost and vInfo.');
  }
  if (!info.present.has('path')) {
    tabWarn('vInfo', info.file, 'column-missing', 'vInfo has no Path column: the datastore holding each VM\'s home (.vmx) is unknown.', 'Path');
  }
  if (!info.present.has('host')) {
    tabWarn('vInfo', info.file, 'column-missing',
      "vInfo has no Host column: no VM's host is known, so every VM is blocked (host unknown) until the export includes it.", 'Host');
  }
  if (!info.present.has('cluster') && !x.vHost) {
    tabWarn('vInfo', info.file, 'column-missing',
      "vInfo has no Cluster column and there is no vHost tab: no host's cluster is known, so every VM is blocked (standalone host).", 'Cluster');
  }
  if (!info.present.has('inUse')) {
    tabWarn('vInfo', info.file, 'column-missing',
      `vInfo has no In Use column: thin disks are sized from vPartition${x.vPartition ? '' : ' (absent too, so thin disks count as fully allocated)'}.`, 'In Use MiB');
  }
  if (x.vDisk && !x.vDisk.present.has('thin')) {
    tabWarn('vDisk', x.vDisk.file, 'column-missing', 'vDisk has no Thin column: every disk is taken as thick and copied in full.', 'Thin');
  }

  // ── Clusters ────────────────────────────────────────────────────────────────────────────────────
  const clusters = new Map<string, Cluster>();
  const addCluster = (name: string | null, datacenter: string | null) => {
    if (name === null) return;
    const c = clusters.get(name);
    if (!c) clusters.set(name, { name, datacenter });
    else if (c.datacenter == null && datacenter !== null) c.datacenter = datacenter;
  };
  for (const r of x.vCluster?.records ?? []) addCluster(r.name, r.datacenter);
  for (const r of x.vHost?.records ?? []) addCluster(r.cluster, r.datacenter);
  for (const r of info.records) addCluster(r.cluster, r.datacenter);

  // ── Hosts ───────────────────────────────────────────────────────────────────────────────────────
  const hosts = new Map<string, Host>();
  for (const r of x.vHost?.records ?? []) {
    if (hosts.has(r.name)) {
      warnings.add({ code: 'duplicate-host', file: x.vHost!.file, tab: 'vHost', row: r.row, column: 'Host',
        message: `Host ${q(r.name)} is listed again; this row was skipped.` });
      continue;
    }
    // `# HBAs` 0 (iSCSI or NFS only, or not reported) says nothing about FC ports: unknown, the fabric's default.
    hosts.set(r.name, { name: r.name, cluster: r.cluster, enclosure: null, hbaPorts: r.hbas || null, model: r.model });
  }
  for (const r of info.records) {
    if (r.host === null || hosts.has(r.host)) continue;
    hosts.set(r.host, { name: r.host, cluster: r.cluster, enclosure: null, hbaPorts: null, model: null });
    if (x.vHost) {
      warnings.add({ code: 'host-not-in-vhost', file: info.file, tab: 'vInfo', row: r.row, column: 'Host',
        message: `Host ${q(r.host)} of VM ${q(r.name)} is not in vHost; it is taken from vInfo${r.cluster === null ? ' without a cluster' : ` in cluster ${q(r.cluster)}`}.` });
    }
  }
  for (const h of hosts.values()) {
    if (h.cluster !== null) continue;
    warnings.add({ code: 'host-without-cluster', file: x.vHost?.file ?? info.file, tab: x.vHost ? 'vHost' : 'vInfo', row: null,
      column: 'Cluster', message: `Host ${q(h.name)} belongs to no cluster (a standalone host): its VMs are listed but not planned.` });
  }

  // ── Datastores from vDatastore ──────────────────────────────────────────────────────────────────
  const datastores = new Map<string, Datastore>();
  for (const r of x.vDatastore?.records ?? []) {
    const file = x.vDatastore!.file;
    if (datastores.has(r.name)) {
      warnings.add({ code: 'duplicate-datastore', file, tab: 'vDatastore', row: r.row, column: 'Name',
        message: `Datastore ${q(r.name)} is listed again (same name in another datacenter?); this row was skipped.` });
      continue;
    }
    if (r.capacityBytes === null || r.freeBytes === null) {
      warnings.add({ code: 'datastore-size-unknown', file, tab: 'vDatastore', row: r.row,
        column: r.capacityBytes === null ? 'Capacity MiB' : 'Free MiB',
        message: `Datastore ${q(r.name)} has no ${r.capacityBytes === null ? 'capacity' : 'free space'}; 0 is used.` });
    }
    datastores.set(r.name, {
      name: r.name,
      capacityBytes: r.capacityBytes ?? 0,
      freeBytes: Math.min(r.freeBytes ?? 0, r.capacityBytes ?? Number.POSITIVE_INFINITY),
      array: null,
      role: 'other',
      hosts: r.hosts,
      type: r.type,
    });
  }

  // ── VMs: index, then disks joined by VM ID (else by name) ───────────────────────────────────────
  const nameCount = new Map<string, number>();
  for (const r of info.records) nameCount.set(r.name, (nameCount.get(r.name) ?? 0) + 1);
  const index: VmIndex = { byId: new Map(), byName: new Map() };
  info.records.forEach((r, i) => {
    if (r.vmId !== null && !index.byId.has(r.vmId)) index.byId.set(r.vmId, i);
    const list = index.byName.get(r.name);
    if (list) list.push(i);
    else index.byName.set(r.name, [i]);
  });

  const disksOf = x.vDisk ? groupRows(x.vDisk, info, index, warnings) : null;
  const partsOf = x.vPartition ? groupRows(x.vPartition, info, index, warnings) : null;
  const snapshotsOf = x.vSnapshot ? groupRows(x.vSnapshot, info, index, warnings) : null;

  const vms: Vm[] = [];
  const usedNames = new Set<string>();
  for (const [i, r] of info.records.entries()) {
    // VM-level reasons first, then those of single disks.
    const blockers: string[] = [];
    const diskBlockers: string[] = [];
    const notes: string[] = [];
    let name = r.name;
    if ((nameCount.get(r.name) ?? 0) > 1) {
      blockers.push('name not unique');
      if (usedNames.has(name)) name = `${r.name} (${r.vmId ?? `vInfo row ${r.row}`})`;
      warnings.add({ code: 'duplicate-vm-name', file: info.file, tab: 'vInfo', row: r.row, column: 'VM',
        message: `Another VM is also named ${q(r.name)}: svmig addresses VMs by name, so this one is listed as ${q(name)} and not planned.` });
    }
    usedNames.add(name);

    const cluster = r.cluster ?? (r.host !== null ? (hosts.get(r.host)?.cluster ?? null) : null);
    const home = parseDatastorePath(r.path)?.datastore ?? null;

    const powerState: PowerState = r.powerState ?? 'poweredOff';
    if (r.powerState === null) {
      warnings.add({ code: 'powerstate-unknown', file: info.file, tab: 'vInfo', row: r.row, column: 'Powerstate',
        message: `VM ${q(r.name)} has no power state; it is taken as poweredOff.` });
    }
    if (r.memoryBytes === null) {
      warnings.add({ code: 'memory-unknown', file: info.file, tab: 'vInfo', row: r.row, column: 'Memory',
        message: `VM ${q(r.name)} has no memory size; 0 is used.` });
    }

    // Disks
    let disks: Disk[];
    const rows = disksOf?.get(i);
    if (rows && rows.length > 0) {
      if (rows.length > LIMITS.disksPerVm) {
        throw new UserError(`${x.vDisk!.file}, tab vDisk, row ${rows[LIMITS.disksPerVm]!.row}: VM ${q(r.name)} has ${rows.length} disks, more than svmig's limit of ${LIMITS.disksPerVm} per VM.`);
      }
      disks = rows.map((d, n) => diskFromRow(d, n, diskBlockers, notes));
      if (r.diskCount !== null && r.diskCount !== rows.length) {
        warnings.add({ code: 'disk-count-mismatch', file: info.file, tab: 'vInfo', row: r.row, column: 'Disks',
          message: `VM ${q(r.name)} has ${r.diskCount} disk${r.diskCount === 1 ? '' : 's'} in vInfo but ${rows.length} row${rows.length === 1 ? '' : 's'} in vDisk; the vDisk rows are used.` });
      }
    } else {
      disks = diskFromTotals(r, home);
      if (disks.length > 0) {
        notes.push("storage from vInfo totals (no vDisk rows): one disk, thin, sized by Total disk capacity / Provisioned");
        if (x.vDisk) {
          warnings.add({ code: 'vm-not-in-vdisk', file: x.vDisk.file, tab: 'vDisk', row: null,
            message: `VM ${q(r.name)} (vInfo row ${r.row}) has no rows in vDisk; its storage is taken from vInfo's totals.` });
        }
      }
    }
    allocateThin(disks, r, partsOf?.get(i) ?? null, notes);

    // Where the export says nothing, the planner's assumption (if any) places disks and home.
    const assumed = assumedDatastoreFor(options.rules, cluster);
    let homeDatastore = home;
    if (assumed !== null) {
      const placed = disks.filter((d) => d.datastore === null);
      for (const d of placed) d.datastore = assumed;
      if (homeDatastore === null && (!info.present.has('path') || r.path === null)) homeDatastore = assumed;
      if (placed.length > 0) notes.push(`datastore assumed (--assume-datastore): ${q(assumed)} for ${placed.map((d) => d.label).join(', ')}`);
    }

    // What stops a plain svMotion.
    if (r.template) blockers.push('template');
    if (r.srmPlaceholder) blockers.push('SRM placeholder');
    if (r.ftState !== null && r.ftState.toLowerCase() !== 'notconfigured') blockers.push(`fault tolerance (FT state ${r.ftState})`);
    if (r.connectionState !== null && r.connectionState.toLowerCase() !== 'connected') blockers.push(`not connected (${r.connectionState})`);
    if (r.host === null) blockers.push('host unknown');
    else if (cluster === null) blockers.push('standalone host (no cluster)');
    blockers.push(...diskBlockers);
    const unknown = disks.filter((d) => d.datastore === null);
    if (unknown.length > 0) blockers.push(`datastore unknown: ${unknown.map((d) => d.label).join(', ')}`);
    if (r.consolidationNeeded) notes.push('snapshot consolidation needed (left-over delta disks are copied too)');
    if (homeDatastore === null && info.present.has('path')) notes.push('home datastore unknown (no Path)');

    const vm: Vm = {
      name,
      cluster,
      host: r.host,
      powerState,
      memoryBytes: r.memoryBytes ?? 0,
      disks,
      homeDatastore,
      template: r.template,
    };
    if (blockers.length > 0) vm.blockers = dedupe(blockers);
    if (notes.length > 0) vm.notes = dedupe(notes);
    // vSnapshot lists snapshots, not the tree: they are taken as one chain. Their total size (delta
    // disks and memory state) stands for what removing them merges.
    const snaps = snapshotsOf?.get(i) ?? [];
    if (snaps.length > 0 || r.consolidationNeeded) {
      vm.snapshots = { count: snaps.length, depth: snaps.length, deltaBytes: snaps.reduce((sum, s) => sum + (s.totalBytes ?? 0), 0), consolidationNeeded: r.consolidationNeeded };
    }
    vms.push(vm);
  }

  // ── Datastores only named in paths ──────────────────────────────────────────────────────────────
  const referenced = new Map<string, string>();
  for (const vm of vms) {
    if (vm.homeDatastore) referenced.set(vm.homeDatastore, referenced.get(vm.homeDatastore) ?? vm.name);
    for (const d of vm.disks) if (d.datastore !== null) referenced.set(d.datastore, referenced.get(d.datastore) ?? vm.name);
  }
  for (const [ds, vmName] of referenced) {
    if (datastores.has(ds)) continue;
    datastores.set(ds, { name: ds, capacityBytes: 0, freeBytes: 0, array: null, role: 'other', hosts: null, type: null });
    if (x.vDatastore) {
      warnings.add({ code: 'datastore-not-in-vdatastore', file: x.vDatastore.file, tab: 'vDatastore', row: null,
        message: `Datastore ${q(ds)} (used by VM ${q(vmName)}) is not in vDatastore; its capacity and free space are unknown (0).` });
    }
  }

  const unknownDisks = vms.reduce((n, vm) => n + vm.disks.filter((d) => d.datastore === null).length, 0);
  if (unknownDisks > 0) {
    const reason = x.vDisk && !x.vDisk.present.has('path')
      ? 'vDisk has no Path column'
      : x.vDisk ? 'their Path is empty or not in [datastore] form' : 'vInfo gives no Path';
    tabWarn(x.vDisk ? 'vDisk' : 'vInfo', x.vDisk?.file ?? info.file, 'disk-datastore-unknown',
      `The datastore of ${unknownDisks.toLocaleString('en-US')} disk${unknownDisks === 1 ? '' : 's'} is unknown (${reason}); their VMs are blocked until --assume-datastore says where they are.`, 'Path');
  }

  // A datastore's host list names hosts the estate must know; others (not in vHost, or no vHost) go.
  for (const ds of datastores.values()) {
    if (ds.hosts === null) continue;
    const unknownHosts = ds.hosts.filter((h) => !hosts.has(h));
    if (unknownHosts.length === 0) continue;
    ds.hosts = ds.hosts.filter((h) => hosts.has(h));
    if (ds.hosts.length === 0) ds.hosts = null;
    warnings.add({ code: 'datastore-host-unknown', file: x.vDatastore?.file ?? mainFile, tab: 'vDatastore', row: null, column: 'Hosts',
      message: `Datastore ${q(ds.name)} is mounted on ${unknownHosts.length} host${unknownHosts.length === 1 ? '' : 's'} the estate does not hold (${unknownHosts.slice(0, 3).map(q).join(', ')}${unknownHosts.length > 3 ? ', …' : ''}); ${ds.hosts === null ? 'its hosts are left unknown' : 'they are left out of its host list'}.` });
  }

  const datastoreList = [...datastores.values()];
  applyDatastoreRules(datastoreList, options.rules, warnings, mainFile);
  for (const [what, n, max] of [['VMs', vms.length, LIMITS.vms], ['hosts', hosts.size, LIMITS.hosts], ['clusters', clusters.size, LIMITS.clusters], ['datastores', datastoreList.length, LIMITS.datastores]] as const) {
    if (n > max) throw new UserError(`${mainFile}: the export holds ${n.toLocaleString('en-US')} ${what}, more than svmig's limit of ${max.toLocaleString('en-US')}.`);
  }

  const source: EstateSource = {
    tool: 'rvtools',
    format: x.format,
    files: x.files,
    tabs: (['vMetaData', 'vInfo', 'vDisk', 'vPartition', 'vSnapshot', 'vHost', 'vDatastore', 'vCluster'] as const).filter((t) => x[t] != null),
    rvtoolsVersion: meta?.version ?? null,
    rvtoolsVersionHint: meta?.version ? null : versionHint(info.header),
    vcenter: vcenterFromExport,
    vcenterVersion: distinct(info.records.map((r) => r.sdkServerType))[0] ?? null,
    apiVersion: distinct(info.records.map((r) => r.sdkApiVersion))[0] ?? null,
    exportedAt: meta?.created ?? null,
    anonymised: false,
    rules: ruleTexts,
  };

  return {
    format: ESTATE_FORMAT,
    vcenter: vcenter ?? 'unknown',
    clusters: [...clusters.values()],
    hosts: [...hosts.values()],
    datastores: datastoreList,
    vms,
    warnings: warnings.list(),
    source,
  };
}

function distinct(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * Assigns rows of a per-disk tab to vInfo rows: by VM ID when both carry it (names can be renamed,
 * and anonymised exports renumber names per tab), else by name when that is unambiguous.
 */
function groupRows<R extends { row: number; vm: string; vmId: string | null }>(
  tab: TabRecords<R>,
  info: TabRecords<VInfoRecord>,
  index: VmIndex,
  warnings: WarningLog,
): Map<number, R[]> {
  const out = new Map<number, R[]>();
  for (const rec of tab.records) {
    let at: number | undefined;
    if (rec.vmId !== null) {
      at = index.byId.get(rec.vmId);
      if (at !== undefined && info.records[at]!.name !== rec.vm) {
        warnings.add({ code: 'vm-name-mismatch', file: tab.file, tab: tab.tab, row: rec.row, column: 'VM',
          message: `VM ${q(rec.vm)} has VM ID ${rec.vmId}, which vInfo names ${q(info.records[at]!.name)}; the row is matched by VM ID.` });
      }
    }
    if (at === undefined) {
      // By name, among vInfo rows that have no VM ID to contradict this one's.
      const candidates = (index.byName.get(rec.vm) ?? []).filter(
        (c) => rec.vmId === null || info.records[c]!.vmId === null,
      );
      if (candidates.length === 1) at = candidates[0];
      else {
        warnings.add({
          code: candidates.length === 0 ? 'row-vm-not-in-vinfo' : 'row-vm-ambiguous',
          file: tab.file, tab: tab.tab, row: rec.row, column: 'VM',
          message: candidates.length === 0
            ? `VM ${q(rec.vm)}${rec.vmId ? ` (${rec.vmId})` : ''} is not in vInfo; the row was skipped.`
            : `${candidates.length} VMs in vInfo are named ${q(rec.vm)} and the row has no VM ID to tell them apart; it was skipped.`,
        });
        continue;
      }
    }
    const list = out.get(at!);
    if (list) list.push(rec);
    else out.set(at!, [rec]);
  }
  return out;
}
