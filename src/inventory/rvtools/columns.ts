// The RVTools columns svmig takes, looked up by header name (never by position: custom attributes
// and tag categories become extra columns wherever vCenter has them, and each RVTools release adds
// columns). Header names are compared trimmed, with runs of spaces folded and case ignored.
//
// Units. RVTools 4.1.2 relabelled every "MB" column "MiB" without changing the numbers ("vSphere
// values KB and MB should actually be KiB and MiB", RVTools manual): `Provisioned MB` of 3.x and
// `Provisioned MiB` of 4.x both count MiB, so both convert with 1024².
//
// The `vInfoVMName`-style names are RVTools' internal column names, which some exports carry as
// headers; they are folded in as third-party parsers do (not verified against an export of ours).

import { MiB } from '../../domain/units.js';
import { WarningLog, q } from '../warnings.js';

export type TabName = 'vInfo' | 'vDisk' | 'vHost' | 'vDatastore' | 'vCluster' | 'vPartition' | 'vSnapshot' | 'vMetaData';

/** The tabs svmig reads, in the order it reads them. */
export const TABS: readonly TabName[] = ['vMetaData', 'vInfo', 'vDisk', 'vPartition', 'vSnapshot', 'vHost', 'vDatastore', 'vCluster'];

export interface FieldSpec {
  /** Header names accepted, with the number of bytes one unit of the column is (sizes only). */
  names: ReadonlyArray<readonly [header: string, unitBytes?: number]>;
  required?: boolean;
  /**
   * RVTools puts custom attributes and tags before these columns (VM tabs: after `Annotation`, before
   * `Datacenter`; other tabs: before `VI SDK Server`), so if an attribute shares the name, the real
   * column is the later one.
   */
  late?: boolean;
}

const mib = (label: string): readonly [string, number] => [label, MiB];

export const FIELDS = {
  vInfo: {
    vm: { names: [['VM'], ['vInfoVMName']], required: true },
    powerState: { names: [['Powerstate'], ['vInfoPowerstate']] },
    template: { names: [['Template'], ['vInfoTemplate']] },
    srmPlaceholder: { names: [['SRM Placeholder'], ['vInfoSRMPlaceHolder']] },
    connectionState: { names: [['Connection state'], ['vInfoConnectionState']] },
    consolidationNeeded: { names: [['Consolidation Needed']] },
    memory: { names: [mib('Memory'), mib('vInfoMemory')] },
    disks: { names: [['Disks'], ['vInfoNumVirtualDisks']] },
    totalDiskCapacity: {
      names: [mib('Total disk capacity MiB'), mib('Total disk capacity MB'), mib('vInfoTotalDiskCapacityMiB')],
    },
    provisioned: { names: [mib('Provisioned MiB'), mib('Provisioned MB'), mib('vInfoProvisioned')] },
    inUse: { names: [mib('In Use MiB'), mib('In Use MB'), mib('vInfoInUse')] },
    ftState: { names: [['FT State']] },
    path: { names: [['Path']] },
    datacenter: { names: [['Datacenter'], ['vInfoDataCenter']], late: true },
    cluster: { names: [['Cluster'], ['vInfoCluster']], late: true },
    host: { names: [['Host'], ['vInfoHost']], late: true },
    vmId: { names: [['VM ID']], late: true },
    sdkServer: { names: [['VI SDK Server'], ['vInfoVISDKServer']], late: true },
    sdkServerType: { names: [['VI SDK Server type'], ['vInfoVISDKServerType']], late: true },
    sdkApiVersion: { names: [['VI SDK API Version']], late: true },
  },
  vDisk: {
    vm: { names: [['VM'], ['vDiskVMName']], required: true },
    disk: { names: [['Disk'], ['vDiskName']] },
    diskKey: { names: [['Disk Key'], ['vDiskKey']] },
    capacity: { names: [mib('Capacity MiB'), mib('Capacity MB'), mib('vDiskCapacityMiB')], required: true },
    raw: { names: [['Raw']] },
    rawMode: { names: [['Raw Comp. Mode']] },
    diskMode: { names: [['Disk Mode'], ['vDiskDiskMode']] },
    sharingMode: { names: [['Sharing mode']] },
    sharedBus: { names: [['Shared Bus']] },
    thin: { names: [['Thin']] },
    // `Path` is the vmdk's datastore path; `Disk Path` (4.1.2+) is a path inside the guest: not used.
    path: { names: [['Path']] },
    vmId: { names: [['VM ID']], late: true },
  },
  vPartition: {
    vm: { names: [['VM']], required: true },
    diskKey: { names: [['Disk Key']] },
    consumed: { names: [mib('Consumed MiB'), mib('Consumed MB')], required: true },
    vmId: { names: [['VM ID']], late: true },
  },
  // One row per snapshot: VM, Powerstate, Name, Description, Date / time, Filename,
  // Size MiB (vmsn), Size MiB (total), Quiesced, State, … (RVTools 4.x; 3.x labels sizes MB).
  vSnapshot: {
    vm: { names: [['VM'], ['vSnapshotVMName']], required: true },
    name: { names: [['Name'], ['vSnapshotName']] },
    total: { names: [mib('Size MiB (total)'), mib('Size MB (total)'), mib('vSnapshotSizeMiBTotal')] },
    vmId: { names: [['VM ID']], late: true },
  },
  vHost: {
    host: { names: [['Host'], ['vHostName']], required: true },
    datacenter: { names: [['Datacenter'], ['vHostDatacenter']] },
    cluster: { names: [['Cluster'], ['vHostCluster']] },
    hbas: { names: [['# HBAs'], ['vHostNumHBAs']] },
    model: { names: [['Model'], ['vHostModel']] },
  },
  vDatastore: {
    name: { names: [['Name'], ['vDatastoreName']], required: true },
    type: { names: [['Type'], ['vDatastoreType']] },
    capacity: { names: [mib('Capacity MiB'), mib('Capacity MB'), mib('vDatastoreCapacity')] },
    free: { names: [mib('Free MiB'), mib('Free MB'), mib('Free space MiB'), mib('vDatastoreFreeSpace')] },
    hosts: { names: [['Hosts']] },
  },
  vCluster: {
    name: { names: [['Name']], required: true },
    datacenter: { names: [['Datacenter']] },
  },
  vMetaData: {
    version: { names: [['RVTools version']] },
    server: { names: [['Server']] },
    created: { names: [['xlsx creation datetime']] },
  },
} as const satisfies Record<TabName, Record<string, FieldSpec>>;

export type FieldsOf<T extends TabName> = keyof (typeof FIELDS)[T] & string;

/** Where each field sits in one tab's header. */
export interface ColumnMap<F extends string> {
  index: Partial<Record<F, number>>;
  /** Bytes per unit of each size column found. */
  unit: Partial<Record<F, number>>;
  /** The header text as the file wrote it, for messages. */
  header: Partial<Record<F, string>>;
}

export function normaliseHeader(text: string): string {
  return text.replace(/^\ufeff/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Finds the fields of `tab` in `header`. A missing required column is returned in `missing` for the
 * caller to report (it knows the file); a column that appears twice is warned about.
 */
export function resolveColumns<T extends TabName>(
  tab: T,
  header: readonly string[],
  file: string,
  warnings: WarningLog,
): { columns: ColumnMap<FieldsOf<T>>; missing: string[] } {
  const positions = new Map<string, number[]>();
  header.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (key === '') return;
    const list = positions.get(key);
    if (list) list.push(i);
    else positions.set(key, [i]);
  });
  const columns: ColumnMap<FieldsOf<T>> = { index: {}, unit: {}, header: {} };
  const missing: string[] = [];
  const specs = FIELDS[tab] as Record<string, FieldSpec>;
  for (const [field, spec] of Object.entries(specs)) {
    let found = false;
    for (const [name, unitBytes] of spec.names) {
      const at = positions.get(normaliseHeader(name));
      if (!at || at.length === 0) continue;
      const index = spec.late ? at[at.length - 1]! : at[0]!;
      if (at.length > 1) {
        warnings.add({
          code: 'duplicate-column',
          file,
          tab,
          row: 1,
          column: header[index]!,
          message: `Column ${q(header[index]!)} appears ${at.length} times (a custom attribute or tag of that name?); column ${index + 1} was used.`,
        });
      }
      const f = field as FieldsOf<T>;
      columns.index[f] = index;
      columns.header[f] = header[index]!;
      if (unitBytes !== undefined) columns.unit[f] = unitBytes;
      found = true;
      break;
    }
    if (!found && spec.required) missing.push(spec.names[0]![0]);
  }
  return { columns, missing };
}

/** Headers that tell RVTools releases apart, newest first; used when the export has no vMetaData. */
const VERSION_MARKERS: ReadonlyArray<readonly [header: string, hint: string]> = [
  ['Suspended To Memory', '4.6.1 or later'],
  ['Total disk capacity MiB', '4.4.1 or later'],
  ['SRM Placeholder', '4.1.2 or later'],
  ['Provisioned MiB', '4.1.2 or later'],
  ['vInfoVMName', '4.x (internal column names)'],
  ['Provisioned MB', '3.x or 4.0 (sizes labelled MB)'],
];

/** A best guess at the RVTools release from the vInfo header, e.g. "4.6.1 or later (from vInfo columns)". */
export function versionHint(vInfoHeader: readonly string[]): string {
  const have = new Set(vInfoHeader.map(normaliseHeader));
  for (const [header, hint] of VERSION_MARKERS) {
    if (have.has(normaliseHeader(header))) return `${hint} (from vInfo columns)`;
  }
  return 'unknown (vInfo columns match no known release)';
}
