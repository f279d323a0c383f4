// RVTools workbooks: numeric cells (grouping is display only), booleans as text True/False or as
// boolean cells, Excel serial dates, text Disk Keys, custom-attribute columns that repeat a built-in
// name, and formatted empty rows at the bottom that are not VMs.

import { describe, expect, it } from 'vitest';
import { GiB, MiB } from '../../src/domain/units.js';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { xlsxFile, type XCell } from './helpers.js';

const styledRow = (n: number): XCell[] => Array.from({ length: n }, () => ({ styled: true }));

// vInfo with a custom attribute named "Cluster" where RVTools puts attributes (after Annotation): the
// real Cluster column is the later one.
const vInfo: XCell[][] = [
  ['VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Connection state', 'Consolidation Needed', 'PowerOn', 'CPUs', 'Memory', 'Disks',
    'Total disk capacity MiB', 'FT State', 'Provisioned MiB', 'In Use MiB', 'Path', 'Annotation', 'Cluster', 'owner', 'Datacenter',
    'Cluster', 'Host', 'VM ID', 'VI SDK Server type', 'VI SDK API Version', 'VI SDK Server'],
  ['app01', 'poweredOn', 'False', 'False', 'connected', 'False', { date: 45965.0421064815 }, 4, 8192, 2,
    153600, 'notConfigured', 161792, 61440, '[PMAX_01] app01/app01.vmx', 'note', 'attribute-value', 'team-a', 'DC1',
    'Blue', 'esx1.lab', 'vm-11', 'VMware vCenter Server 8.0.3 build-24262322', '8.0.3.0', 'vcenter.lab'],
  ['tpl02', 'poweredOff', true, false, 'connected', false, null, 2, 2048, 1,
    40960, 'notConfigured', 43008, null, '[PMAX_01] tpl02/tpl02.vmtx', null, 'x', null, 'DC1',
    'Blue', 'esx2.lab', 'vm-12', 'VMware vCenter Server 8.0.3 build-24262322', '8.0.3.0', 'vcenter.lab'],
  styledRow(25),
  styledRow(25),
];
const vDisk: XCell[][] = [
  ['VM', 'Powerstate', 'Template', 'Disk', 'Disk Key', 'Capacity MiB', 'Raw', 'Disk Mode', 'Sharing mode', 'Thin', 'Shared Bus', 'Path', 'VM ID'],
  ['app01', 'poweredOn', 'False', 'Hard disk 1', '2000', 51200, 'False', 'persistent', 'sharingNone', true, 'noSharing', '[PMAX_01] app01/app01.vmdk', 'vm-11'],
  ['app01', 'poweredOn', 'False', 'Hard disk 2', '2001', 102400, 'False', 'persistent', 'sharingNone', 'True', 'noSharing', '[PMAX_02] app01/app01_1.vmdk', 'vm-11'],
  ['tpl02', 'poweredOff', 'True', 'Hard disk 1', '2000', 40960, 'False', 'persistent', 'sharingNone', 'True', 'noSharing', '[PMAX_01] tpl02/tpl02.vmdk', 'vm-12'],
  styledRow(13),
];
// tpl02 has no In Use: its thin disk is sized from the guest's partitions on disk 2000.
const vPartition: XCell[][] = [
  ['VM', 'Powerstate', 'Template', 'Disk Key', 'Disk', 'Capacity MiB', 'Consumed MiB', 'Free MiB', 'VM ID'],
  ['tpl02', 'poweredOff', 'True', '2000', '/', 30000, 7000, 23000, 'vm-12'],
  ['tpl02', 'poweredOff', 'True', '2000', '/boot', 1024, 200, 824, 'vm-12'],
];
const vHost: XCell[][] = [
  ['Host', 'Datacenter', 'Cluster', 'CPU Model', '# CPU', '# Memory', '# HBAs', 'Boot time', 'Vendor', 'Model', 'VI SDK Server'],
  ['esx1.lab', 'DC1', 'Blue', 'Xeon', 2, 524288, 4, { date: 45563.5550115741 }, 'Dell Inc.', 'PowerEdge R750', 'vcenter.lab'],
  ['esx2.lab', 'DC1', 'Blue', 'Xeon', 2, 524288, 2, { date: 45563.5550115741 }, 'Dell Inc.', 'PowerEdge R750', 'vcenter.lab'],
];
const vDatastore: XCell[][] = [
  ['Name', 'Config status', 'Accessible', 'Type', 'Capacity MiB', 'Provisioned MiB', 'In Use MiB', 'Free MiB', 'Free %', '# Hosts', 'Hosts', 'Cluster name', 'Version'],
  ['PMAX_01', 'green', 'True', 'VMFS', 4194304, 3000000, 2000000, 2194304, 52, 2, 'esx1.lab, esx2.lab', 'POD-A', '6.82'],
  ['PMAX_02', 'green', 'True', 'VMFS', 4194304, 10, 10, 4194294, 99, 1, 'esx1.lab', '', '6.82'],
];
const vCluster: XCell[][] = [['Name', 'Config status', 'NumHosts', 'HA enabled'], ['Blue', 'green', 2, 'True']];
const vMetaData: XCell[][] = [['RVTools major version', 'RVTools version', 'xlsx creation datetime', 'Server'], [4, '4.7.1.4', { date: 46000.5 }, 'vcenter.lab']];

describe('an RVTools 4.7 workbook', async () => {
  const path = await xlsxFile([
    { name: 'vInfo', rows: vInfo },
    { name: 'vCPU', rows: [['VM', 'CPUs'], ['app01', 4]] },
    { name: 'vDisk', rows: vDisk },
    { name: 'vPartition', rows: vPartition },
    { name: 'vHost', rows: vHost },
    { name: 'vDatastore', rows: vDatastore },
    { name: 'vCluster', rows: vCluster },
    { name: 'vMetaData', rows: vMetaData },
  ]);
  const e = await importRvtools(path);
  const [app, tpl] = e.vms;

  it('takes only the rows with values as VMs, with text and boolean flags alike', () => {
    expect(e.vms.map((v) => [v.name, v.powerState, v.template, v.memoryBytes])).toEqual([
      ['app01', 'poweredOn', false, 8 * GiB],
      ['tpl02', 'poweredOff', true, 2 * GiB],
    ]);
    expect(tpl!.blockers).toEqual(['template']);
  });

  it('reads the real Cluster column, not the custom attribute of the same name, and warns', () => {
    expect(e.vms.map((v) => v.cluster)).toEqual(['Blue', 'Blue']);
    expect(e.warnings.find((w) => w.code === 'duplicate-column')).toMatchObject({ tab: 'vInfo', row: 1, column: 'Cluster' });
  });

  it('takes disks with text Disk Keys, numeric capacities, boolean and text Thin flags', () => {
    // app01: In Use 61,440 MiB, no thick disk, over thin disks of 50 and 100 GiB: 20 and 40 GiB.
    expect(app!.disks).toEqual([
      { label: 'Hard disk 1', key: 2000, capacityBytes: 50 * GiB, allocatedBytes: 20 * GiB, thin: true, datastore: 'PMAX_01', path: '[PMAX_01] app01/app01.vmdk' },
      { label: 'Hard disk 2', key: 2001, capacityBytes: 100 * GiB, allocatedBytes: 40 * GiB, thin: true, datastore: 'PMAX_02', path: '[PMAX_02] app01/app01_1.vmdk' },
    ]);
    expect(app!.homeDatastore).toBe('PMAX_01');
  });

  it('sizes a thin disk from vPartition when vInfo has no In Use', () => {
    // 7,000 + 200 MiB consumed on disk key 2000.
    expect(tpl!.disks.map((d) => d.allocatedBytes)).toEqual([7200 * MiB]);
    expect(tpl!.notes).toContain('thin disks sized from guest partitions (vPartition; no In Use)');
  });

  it('takes hosts, datastores and clusters from their tabs', () => {
    expect(e.hosts).toEqual([
      { name: 'esx1.lab', cluster: 'Blue', enclosure: null, hbaPorts: 4, model: 'PowerEdge R750' },
      { name: 'esx2.lab', cluster: 'Blue', enclosure: null, hbaPorts: 2, model: 'PowerEdge R750' },
    ]);
    expect(e.datastores).toEqual([
      { name: 'PMAX_01', capacityBytes: 4 * 1024 * GiB, freeBytes: 2194304 * MiB, array: null, role: 'other', hosts: ['esx1.lab', 'esx2.lab'], type: 'VMFS' },
      { name: 'PMAX_02', capacityBytes: 4 * 1024 * GiB, freeBytes: 4194294 * MiB, array: null, role: 'other', hosts: ['esx1.lab'], type: 'VMFS' },
    ]);
    expect(e.clusters).toEqual([{ name: 'Blue', datacenter: 'DC1' }]);
  });

  it('records the release, the vCenter and its version, and the date of the export', () => {
    expect(e.vcenter).toBe('vcenter.lab');
    expect(e.source).toMatchObject({
      format: 'xlsx',
      files: ['RVTools_export_all_2026-11-02_10.00.00.xlsx'],
      tabs: ['vMetaData', 'vInfo', 'vDisk', 'vPartition', 'vHost', 'vDatastore', 'vCluster'],
      rvtoolsVersion: '4.7.1.4',
      vcenterVersion: 'VMware vCenter Server 8.0.3 build-24262322',
      apiVersion: '8.0.3.0',
    });
    // Serial 46000.5 is 2025-12-09 12:00 (days since 1899-12-30; python: datetime(1899,12,30)+timedelta(46000.5)).
    expect(e.source!.exportedAt).toBe('2025-12-09T12:00:00.000Z');
    expect(e.warnings.filter((w) => w.code !== 'duplicate-column')).toEqual([]);
  });
});

describe('workbooks of other shapes', () => {
  it('reads a workbook whose sheets start lower and are named in another case', async () => {
    const path = await xlsxFile([
      { name: 'Summary', rows: [['made by a script']] },
      { name: 'VINFO', rows: [[], [], ['VM', 'Powerstate', 'Memory', 'Host', 'Cluster'], ['a', 'poweredOn', 1024, 'h1', 'c1']] },
    ]);
    const e = await importRvtools(path);
    expect(e.vms.map((v) => [v.name, v.memoryBytes, v.host])).toEqual([['a', GiB, 'h1']]);
  });

  it('folds the internal column names some exports carry (vInfoVMName …)', async () => {
    const path = await xlsxFile([
      { name: 'vInfo', rows: [['vInfoVMName', 'vInfoPowerstate', 'vInfoMemory', 'vInfoInUse', 'vInfoHost', 'vInfoCluster'], ['b', 'poweredOff', 512, 0, 'h', 'c']] },
    ]);
    const e = await importRvtools(path);
    expect(e.vms.map((v) => [v.name, v.powerState, v.memoryBytes, v.cluster])).toEqual([['b', 'poweredOff', 512 * MiB, 'c']]);
    expect(e.source!.rvtoolsVersionHint).toMatch(/internal column names/);
  });
});
