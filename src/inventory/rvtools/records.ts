// One typed record per row of each tab, holding only what svmig takes (in bytes), so that raw rows
// of 90 text cells can be dropped as soon as they are read. A cell that must be a number and is not
// stops the import with a message naming file, tab, row and column.

import { UserError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import type { PowerState } from '../../domain/estate.js';
import type { WarningLog } from '../warnings.js';
import {
  cellBoolean,
  cellBytes,
  cellCount,
  cellError,
  cellText,
  numberEvidence,
  type Cell,
  type CellLocation,
  type NumberEvidence,
  type NumberStyle,
} from './cells.js';
import { resolveColumns, type ColumnMap, type FieldsOf, type TabName } from './columns.js';
import type { OpenTab, RawRow } from './source.js';

export interface VInfoRecord {
  row: number;
  name: string;
  powerState: PowerState | null;
  template: boolean;
  srmPlaceholder: boolean;
  connectionState: string | null;
  consolidationNeeded: boolean;
  memoryBytes: number | null;
  diskCount: number | null;
  totalDiskBytes: number | null;
  provisionedBytes: number | null;
  inUseBytes: number | null;
  ftState: string | null;
  path: string | null;
  datacenter: string | null;
  cluster: string | null;
  host: string | null;
  vmId: string | null;
  sdkServer: string | null;
  sdkServerType: string | null;
  sdkApiVersion: string | null;
}

export interface VDiskRecord {
  row: number;
  vm: string;
  vmId: string | null;
  label: string | null;
  key: number | null;
  capacityBytes: number;
  raw: boolean;
  rawMode: string | null;
  diskMode: string | null;
  sharingMode: string | null;
  sharedBus: string | null;
  thin: boolean | null;
  path: string | null;
}

export interface VPartitionRecord {
  row: number;
  vm: string;
  vmId: string | null;
  diskKey: number | null;
  consumedBytes: number;
}

export interface VSnapshotRecord {
  row: number;
  vm: string;
  vmId: string | null;
  name: string | null;
  /** The snapshot's files (delta disks and memory state), when the export gives them. */
  totalBytes: number | null;
}

export interface VHostRecord {
  row: number;
  name: string;
  datacenter: string | null;
  cluster: string | null;
  hbas: number | null;
  model: string | null;
}

export interface VDatastoreRecord {
  row: number;
  name: string;
  type: string | null;
  capacityBytes: number | null;
  freeBytes: number | null;
  hosts: string[] | null;
}

export interface VClusterRecord {
  row: number;
  name: string;
  datacenter: string | null;
}

export interface VMetaDataRecord {
  row: number;
  version: string | null;
  server: string | null;
  created: string | null;
}

/** The records of one tab, with which of svmig's columns it had. */
export interface TabRecords<R, F extends string = string> {
  tab: TabName;
  file: string;
  header: string[];
  present: ReadonlySet<F>;
  records: R[];
}

/** Typed access to the cells of one row. */
class RowReader<F extends string> {
  cells: Cell[] = [];
  row = 0;
  constructor(
    private readonly t: OpenTab,
    private readonly columns: ColumnMap<F>,
  ) {}

  private loc(f: F): CellLocation {
    return { file: this.t.file, tab: this.t.tab, row: this.row, column: this.columns.header[f] ?? f };
  }
  private cell(f: F): Cell {
    const i = this.columns.index[f];
    return i === undefined ? null : (this.cells[i] ?? null);
  }
  text(f: F): string | null {
    return cellText(this.cell(f));
  }
  bool(f: F): boolean | null {
    return cellBoolean(this.cell(f), this.loc(f));
  }
  bytes(f: F): number | null {
    return cellBytes(this.cell(f), this.t.numberStyle, this.columns.unit[f] ?? 1, this.loc(f));
  }
  count(f: F, max?: number): number | null {
    return cellCount(this.cell(f), this.t.numberStyle, this.loc(f), max);
  }
  fail(f: F, problem: string): never {
    throw cellError(this.loc(f), problem);
  }
}

/**
 * Maps the header of `t`, then turns each row into a record with `make`. A tab without one of its
 * required columns is not the RVTools tab it claims to be: that is an error, named like a cell.
 */
async function readTab<T extends TabName, R>(
  t: OpenTab & { tab: T },
  warnings: WarningLog,
  make: (r: RowReader<FieldsOf<T>>) => R | null,
): Promise<TabRecords<R, FieldsOf<T>>> {
  const { columns, missing } = resolveColumns(t.tab, t.header, t.file, warnings);
  if (missing.length > 0) {
    throw new UserError(
      `${t.file}, tab ${t.tab}, row ${t.headerRow}, column "${missing[0]}": the header has no such column, so this is not an RVTools ${t.tab} tab.`,
    );
  }
  for (const n of t.notices ?? []) warnings.add({ code: n.code, file: t.file, tab: t.tab, row: null, message: n.message });
  // Only a file that may write decimal commas is read whole first, for its numbers to decide how.
  let rows: AsyncIterable<RawRow> | RawRow[] = t.rows();
  let numberStyle = t.numberStyle;
  if (numberStyle === 'decimal-comma') {
    const all: RawRow[] = [];
    for await (const raw of rows) all.push(raw);
    numberStyle = decideNumberStyle(t, columns, all, warnings);
    rows = all;
  }
  const reader = new RowReader<FieldsOf<T>>({ ...t, numberStyle }, columns);
  const records: R[] = [];
  for await (const raw of rows) {
    reader.cells = raw.cells;
    reader.row = raw.row;
    const record = make(reader);
    if (record !== null) records.push(record);
  }
  const present = new Set(Object.keys(columns.index) as FieldsOf<T>[]);
  return { tab: t.tab, file: t.file, header: t.header, present, records };
}

/**
 * How this file writes its numbers, from the numbers themselves. A `;`-delimited CSV usually comes
 * from a decimal-comma locale, but not always: one that groups thousands with `,` (`16,384` MiB)
 * would read 1,000 times too small. The size columns decide; a file that shows both conventions is
 * refused, since no reading of it is safe. XLSX cells are numbers and need none of this.
 */
function decideNumberStyle(t: OpenTab, columns: ColumnMap<string>, rows: readonly RawRow[], warnings: WarningLog): NumberStyle {
  const sizeColumns = Object.keys(columns.unit)
    .map((f) => ({ index: columns.index[f]!, header: columns.header[f] ?? f }))
    .filter((c) => c.index !== undefined);
  const seen: Partial<Record<keyof NumberEvidence, { text: string; row: number; column: string }>> = {};
  for (const raw of rows) {
    for (const c of sizeColumns) {
      const cell = raw.cells[c.index];
      if (typeof cell !== 'string') continue;
      const kind = numberEvidence(cell.trim());
      if (kind !== null && seen[kind] === undefined) seen[kind] = { text: cell.trim(), row: raw.row, column: c.header };
    }
    if (seen.commaGrouping && seen.decimalComma) break;
  }
  const { commaGrouping, decimalComma, ambiguous } = seen;
  if (commaGrouping && decimalComma) {
    throw new UserError(
      `${t.file}, tab ${t.tab}, row ${decimalComma.row}, column "${decimalComma.column}": "${decimalComma.text}" has a decimal comma, but row ${commaGrouping.row}, column "${commaGrouping.column}" groups thousands with commas ("${commaGrouping.text}"): the file mixes both ways of writing numbers, so its sizes cannot be read safely.`,
    );
  }
  const grouped = commaGrouping ?? (decimalComma ? undefined : ambiguous);
  if (grouped === undefined) return 'decimal-comma';
  warnings.add({
    code: 'thousands-separator', file: t.file, tab: t.tab, row: null, column: grouped.column,
    message: `Sizes in this ";"-separated file group thousands with "," (such as "${grouped.text}" in row ${grouped.row}, column "${grouped.column}"), so "," is read as a thousands separator, not a decimal comma.`,
  });
  return 'decimal-point';
}

const POWER_STATES: Record<string, PowerState> = {
  poweredon: 'poweredOn',
  poweredoff: 'poweredOff',
  suspended: 'suspended',
};

function nameOrSkip<F extends string>(
  r: RowReader<F>,
  field: F,
  t: OpenTab,
  warnings: WarningLog,
  what: string,
): string | null {
  const name = r.text(field);
  if (name === null) {
    warnings.add({
      code: 'row-without-name',
      file: t.file,
      tab: t.tab,
      row: r.row,
      message: `The row has data but no ${what} name; it was skipped.`,
    });
  }
  return name;
}

export function readVInfo(t: OpenTab & { tab: 'vInfo' }, warnings: WarningLog): Promise<TabRecords<VInfoRecord>> {
  return readTab(t, warnings, (r) => {
    const name = nameOrSkip(r, 'vm', t, warnings, 'VM');
    if (name === null) return null;
    const state = r.text('powerState');
    let powerState: PowerState | null = null;
    if (state !== null) {
      powerState = POWER_STATES[state.toLowerCase()] ?? r.fail('powerState', `"${state}" is not a power state (poweredOn, poweredOff or suspended)`);
    }
    return {
      row: r.row,
      name,
      powerState,
      template: r.bool('template') ?? false,
      srmPlaceholder: r.bool('srmPlaceholder') ?? false,
      connectionState: r.text('connectionState'),
      consolidationNeeded: r.bool('consolidationNeeded') ?? false,
      memoryBytes: r.bytes('memory'),
      diskCount: r.count('disks', LIMITS.disksPerVm),
      totalDiskBytes: r.bytes('totalDiskCapacity'),
      provisionedBytes: r.bytes('provisioned'),
      inUseBytes: r.bytes('inUse'),
      ftState: r.text('ftState'),
      path: r.text('path'),
      datacenter: r.text('datacenter'),
      cluster: r.text('cluster'),
      host: r.text('host'),
      vmId: r.text('vmId'),
      sdkServer: r.text('sdkServer'),
      sdkServerType: r.text('sdkServerType'),
      sdkApiVersion: r.text('sdkApiVersion'),
    };
  });
}

export function readVDisk(t: OpenTab & { tab: 'vDisk' }, warnings: WarningLog): Promise<TabRecords<VDiskRecord>> {
  return readTab(t, warnings, (r) => {
    const vm = nameOrSkip(r, 'vm', t, warnings, 'VM');
    if (vm === null) return null;
    const capacityBytes = r.bytes('capacity') ?? r.fail('capacity', 'the disk has no capacity');
    return {
      row: r.row,
      vm,
      vmId: r.text('vmId'),
      label: r.text('disk'),
      key: r.count('diskKey'),
      capacityBytes,
      raw: r.bool('raw') ?? false,
      rawMode: r.text('rawMode'),
      diskMode: r.text('diskMode'),
      sharingMode: r.text('sharingMode'),
      sharedBus: r.text('sharedBus'),
      thin: r.bool('thin'),
      path: r.text('path'),
    };
  });
}

export function readVPartition(
  t: OpenTab & { tab: 'vPartition' },
  warnings: WarningLog,
): Promise<TabRecords<VPartitionRecord>> {
  return readTab(t, warnings, (r) => {
    const vm = nameOrSkip(r, 'vm', t, warnings, 'VM');
    if (vm === null) return null;
    const consumed = r.bytes('consumed');
    // A partition RVTools could not measure (VMware Tools not running) says nothing; skip it.
    if (consumed === null) return null;
    return { row: r.row, vm, vmId: r.text('vmId'), diskKey: r.count('diskKey'), consumedBytes: consumed };
  });
}

export function readVSnapshot(t: OpenTab & { tab: 'vSnapshot' }, warnings: WarningLog): Promise<TabRecords<VSnapshotRecord>> {
  return readTab(t, warnings, (r) => {
    const vm = nameOrSkip(r, 'vm', t, warnings, 'VM');
    if (vm === null) return null;
    return { row: r.row, vm, vmId: r.text('vmId'), name: r.text('name'), totalBytes: r.bytes('total') };
  });
}

export function readVHost(t: OpenTab & { tab: 'vHost' }, warnings: WarningLog): Promise<TabRecords<VHostRecord>> {
  return readTab(t, warnings, (r) => {
    const name = nameOrSkip(r, 'host', t, warnings, 'host');
    if (name === null) return null;
    return {
      row: r.row,
      name,
      datacenter: r.text('datacenter'),
      cluster: r.text('cluster'),
      hbas: r.count('hbas', LIMITS.ports),
      model: r.text('model'),
    };
  });
}

/** The vDatastore `Hosts` cell is one comma-space separated list. */
export function splitHostList(text: string | null): string[] | null {
  if (text === null) return null;
  const hosts = text
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return hosts.length === 0 ? null : hosts;
}

export function readVDatastore(
  t: OpenTab & { tab: 'vDatastore' },
  warnings: WarningLog,
): Promise<TabRecords<VDatastoreRecord>> {
  return readTab(t, warnings, (r) => {
    const name = nameOrSkip(r, 'name', t, warnings, 'datastore');
    if (name === null) return null;
    return {
      row: r.row,
      name,
      type: r.text('type'),
      capacityBytes: r.bytes('capacity'),
      freeBytes: r.bytes('free'),
      hosts: splitHostList(r.text('hosts')),
    };
  });
}

export function readVCluster(
  t: OpenTab & { tab: 'vCluster' },
  warnings: WarningLog,
): Promise<TabRecords<VClusterRecord>> {
  return readTab(t, warnings, (r) => {
    const name = nameOrSkip(r, 'name', t, warnings, 'cluster');
    if (name === null) return null;
    return { row: r.row, name, datacenter: r.text('datacenter') };
  });
}

export function readVMetaData(
  t: OpenTab & { tab: 'vMetaData' },
  warnings: WarningLog,
): Promise<TabRecords<VMetaDataRecord>> {
  return readTab(t, warnings, (r) => ({
    row: r.row,
    version: r.text('version'),
    server: r.text('server'),
    created: r.text('created'),
  }));
}

