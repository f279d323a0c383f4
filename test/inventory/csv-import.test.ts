// RVTools CSV folders as they come: 3.x headers (MB) comma-delimited with locale-grouped numbers,
// quoted multi-line annotations and custom-attribute columns; 4.x headers (MiB) written by a
// decimal-comma machine with `;`, a BOM and columns in another order. Every field taken is checked
// against values worked out by hand in the comments.

import { describe, expect, it } from 'vitest';
import { GiB, MiB, TiB } from '../../src/domain/units.js';
import type { Vm } from '../../src/domain/estate.js';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { parseArrayRule, parseNameRule } from '../../src/inventory/rules.js';
import { csvFolder, csvText, table } from './helpers.js';

// The real 3.x vInfo header (RVTools 3.x CSV, 66 columns), custom attributes between Annotation and Datacenter.
const VINFO_3X = 'VM,Powerstate,Template,Config status,DNS Name,Connection state,Guest state,Heartbeat,Consolidation Needed,PowerOn,Suspend time,Change Version,CPUs,Memory,NICs,Disks,Network #1,Network #2,Network #3,Network #4,Num Monitors,Video Ram KB,Resource pool,Folder,vApp,DAS protection,FT State,FT Latency,FT Bandwidth,FT Sec. Latency,Provisioned MB,In Use MB,Unshared MB,HA Restart Priority,HA Isolation Response,HA VM Monitoring,Cluster rule(s),Cluster rule name(s),Boot Required,Boot delay,Boot retry delay,Boot retry enabled,Boot BIOS setup,Firmware,HW version,HW upgrade status,HW upgrade policy,HW target,Path,Annotation,BridgeWays.VMware.ESX.CustomField.CollectCPUStatistics,BridgeWays.VMware.ESX.CustomField.CollectMemoryStatistics,BridgeWays.VMware.ESX.CustomField.CollectNetStatistics,BridgeWays.VMware.ESX.CustomField.WasteWhitelisted,NB_LAST_BACKUP,Datacenter,Cluster,Host,OS according to the configuration file,OS according to the VMware Tools,VM ID,VM UUID,VI SDK Server type,VI SDK API Version,VI SDK Server,VI SDK UUID'.split(',');
const VDISK_3X = 'VM,Powerstate,Template,Disk,Capacity MB,Raw,Disk Mode,Thin,Eagerly Scrub,Split,Write Through,Level,Shares,Reservation,Limit,Controller,Label,SCSI Unit #,Unit #,Shared Bus,Path,Raw LUN ID,Raw Comp. Mode,Annotation,NB_LAST_BACKUP,Datacenter,Cluster,Host,OS according to the configuration file,VM ID,VM UUID,VI SDK Server,VI SDK UUID'.split(',');
const VHOST_3X = 'Host,Datacenter,Cluster,Config status,CPU Model,Speed,HT Available,HT Active,# CPU,Cores per CPU,# Cores,CPU usage %,# Memory,Memory usage %,Console,# NICs,# HBAs,# VMs,VMs per Core,# vCPUs,vCPUs per Core,vRAM,VM Used memory,VM Memory Swapped,VM Memory Ballooned,VMotion support,Storage VMotion support,Current EVC,Max EVC,ESX Version,Boot time,DNS Servers,DHCP,Domain,DNS Search Order,NTP Server(s),NTPD running,Time Zone,Time Zone Name,GMT Offset,Vendor,Model,Serial number,Service tag,OEM specific string,BIOS Vendor,BIOS Version,BIOS Date,Object ID,NB_LAST_BACKUP,VI SDK Server,VI SDK UUID'.split(',');
const VDATASTORE_3X = 'Name,Config status,Address,Accessible,Type,# VMs,Capacity MB,Provisioned MB,In Use MB,Free MB,Free %,SIOC enabled,SIOC Threshold,# Hosts,Hosts,Cluster name,Cluster capacity MB,Cluster free space MB,Block size,Max Blocks,# Extents,Major Version,Version,VMFS Upgradeable,MHA,URL,VI SDK Server,VI SDK UUID'.split(',');
const VCLUSTER_3X = 'Name,Config status,OverallStatus,NumHosts,numEffectiveHosts,TotalCpu,NumCpuCores,NumCpuThreads,Effective Cpu,TotalMemory,Effective Memory,Num VMotions,HA enabled,Failover Level,AdmissionControlEnabled,Host monitoring,HB Datastore Candidate Policy,Isolation Response,Restart Priority,Cluster Settings,Max Failures,Max Failure Window,Failure Interval,Min Up Time,VM Monitoring,DRS enabled,DRS default VM behavior,DRS vmotion rate,DPM enabled,DPM default behavior,DPM Host Power Action Rate,VI SDK Server,VI SDK UUID'.split(',');

const common = { Datacenter: 'DC-Paris', 'VI SDK Server': 'vc01.example.com', 'VI SDK Server type': 'VMware vCenter Server 6.7.0 build-15129973', 'VI SDK API Version': '6.7.3', 'Connection state': 'connected', 'FT State': 'notConfigured' };

const vinfo3x = table(VINFO_3X, [
  { ...common, VM: 'web01', Powerstate: 'poweredOn', Template: 'False', Memory: '16,384', Disks: '2', 'Provisioned MB': '206,057', 'In Use MB': '120,000',
    Path: '[VNX_01] web01/web01.vmx', Annotation: 'Owner: "web team"\nSecond line, with a comma', NB_LAST_BACKUP: '2019/11/28 16:14:28',
    'BridgeWays.VMware.ESX.CustomField.CollectCPUStatistics': 'True', Cluster: 'Prod', Host: 'esx01.example.com', 'VM ID': 'vm-101', 'Consolidation Needed': 'False' },
  { ...common, VM: 'tmpl01', Powerstate: 'poweredOff', Template: 'True', Memory: '4,096', Disks: '1', 'In Use MB': '10,240',
    Path: '[VNX_01] tmpl01/tmpl01.vmtx', Cluster: 'Prod', Host: 'esx02.example.com', 'VM ID': 'vm-102', 'Consolidation Needed': 'False' },
  { ...common, VM: 'db01', Powerstate: 'poweredOn', Template: 'False', Memory: '65,536', Disks: '2', 'In Use MB': '300,000',
    Path: '[VNX_02] db01/db01.vmx', Cluster: 'Prod', Host: 'esx02.example.com', 'VM ID': 'vm-103', 'Consolidation Needed': 'True' },
  { ...common, VM: 'app01', Powerstate: 'suspended', Template: 'False', Memory: '2,048', Disks: '1', 'In Use MB': '5,000',
    Path: '[LOCAL_esx09] app01/app01.vmx', Cluster: '', Host: 'esx09.example.com', 'VM ID': 'vm-104', 'Consolidation Needed': 'False' },
]);

const disk = (vm: string, id: string, d: Record<string, string>) => ({
  VM: vm, 'VM ID': id, Powerstate: 'poweredOn', Template: 'False', Raw: 'False', 'Disk Mode': 'persistent', 'Shared Bus': 'noSharing',
  Datacenter: 'DC-Paris', Cluster: 'Prod', NB_LAST_BACKUP: 'never', ...d,
});
const vdisk3x = table(VDISK_3X, [
  disk('web01', 'vm-101', { Disk: 'Hard disk 1', 'Capacity MB': '40,960', Thin: 'True', Path: '[VNX_01] web01/web01.vmdk' }),
  disk('web01', 'vm-101', { Disk: 'Hard disk 2', 'Capacity MB': '102,400', Thin: 'False', Path: '[VNX_02] web01/web01_1.vmdk' }),
  disk('tmpl01', 'vm-102', { Disk: 'Hard disk 1', 'Capacity MB': '40,960', Thin: 'True', Path: '[VNX_01] tmpl01/tmpl01.vmdk' }),
  disk('db01', 'vm-103', { Disk: 'Hard disk 1', 'Capacity MB': '51,200', Thin: 'False', Path: '[VNX_02] db01/db01.vmdk' }),
  disk('db01', 'vm-103', { Disk: 'Hard disk 2', 'Capacity MB': '1,048,576', Thin: 'False', Raw: 'True', 'Raw Comp. Mode': 'physicalMode',
    'Disk Mode': 'independent_persistent', 'Shared Bus': 'physicalSharing', Path: '[VNX_02] db01/db01_1.vmdk' }),
  disk('app01', 'vm-104', { Disk: 'Hard disk 1', 'Capacity MB': '20,480', Thin: 'True', Path: '[LOCAL_esx09] app01/app01.vmdk' }),
]);
const vhost3x = table(VHOST_3X, [
  { Host: 'esx01.example.com', Datacenter: 'DC-Paris', Cluster: 'Prod', '# HBAs': '4', Vendor: 'HP', Model: 'ProLiant BL460c Gen9', '# Memory': '262,144' },
  { Host: 'esx02.example.com', Datacenter: 'DC-Paris', Cluster: 'Prod', '# HBAs': '2', Vendor: 'HP', Model: 'ProLiant BL460c Gen9' },
  { Host: 'esx09.example.com', Datacenter: 'DC-Paris', Cluster: '', '# HBAs': '0', Vendor: 'Dell', Model: 'PowerEdge R640' },
]);
const both = 'esx01.example.com, esx02.example.com';
const vdatastore3x = table(VDATASTORE_3X, [
  { Name: 'VNX_01', Type: 'VMFS', 'Capacity MB': '2,097,152', 'Free MB': '524,288', '# Hosts': '2', Hosts: both },
  { Name: 'VNX_02', Type: 'VMFS', 'Capacity MB': '4,194,304', 'Free MB': '1,048,576', '# Hosts': '2', Hosts: both },
  { Name: 'LOCAL_esx09', Type: 'VMFS', 'Capacity MB': '953,344', 'Free MB': '800,000', '# Hosts': '1', Hosts: 'esx09.example.com' },
  { Name: 'PURE_01', Type: 'VMFS', 'Capacity MB': '8,388,608', 'Free MB': '8,000,000', '# Hosts': '2', Hosts: both },
]);
const vcluster3x = table(VCLUSTER_3X, [{ Name: 'Prod', 'HA enabled': 'True', 'DRS enabled': 'True' }]);

const rules = {
  legacy: [parseNameRule('^VNX_', '--legacy')],
  new: [parseNameRule('PURE_01', '--new')],
  arrays: [parseArrayRule('VNX=^VNX_'), parseArrayRule('PURE=^PURE')],
  assume: [],
};
const BOM = '\ufeff';

describe('an RVTools 3.x CSV export (comma, MB headers, grouped numbers, BOM, multi-line quoted fields)', async () => {
  const dir = await csvFolder({
    'RVTools_tabvInfo.csv': BOM + csvText(vinfo3x),
    'RVTools_tabvDisk.csv': BOM + csvText(vdisk3x),
    'RVTools_tabvHost.csv': BOM + csvText(vhost3x),
    'RVTools_tabvDatastore.csv': BOM + csvText(vdatastore3x),
    'RVTools_tabvCluster.csv': BOM + csvText(vcluster3x),
    'RVTools_tabvNetwork.csv': 'VM,Network\r\nweb01,VM Network\r\n',
  });
  const e = await importRvtools(dir, { rules });
  const vm = (name: string) => e.vms.find((v) => v.name === name)!;

  it('really is the form it claims: the multi-line annotation and the grouped numbers are quoted', () => {
    const text = csvText(vinfo3x);
    expect(text).toContain('"Owner: ""web team""\nSecond line, with a comma"');
    expect(text).toContain('"16,384"');
  });

  it('reads the four VMs in file order, with power state, template flag, memory, host and cluster', () => {
    expect(e.vms.map((v) => [v.name, v.powerState, v.template, v.host, v.cluster])).toEqual([
      ['web01', 'poweredOn', false, 'esx01.example.com', 'Prod'],
      ['tmpl01', 'poweredOff', true, 'esx02.example.com', 'Prod'],
      ['db01', 'poweredOn', false, 'esx02.example.com', 'Prod'],
      ['app01', 'suspended', false, 'esx09.example.com', null],
    ]);
    // "16,384" MB is 16 GiB: MB labels count MiB.
    expect(e.vms.map((v) => v.memoryBytes)).toEqual([16 * GiB, 4 * GiB, 64 * GiB, 2 * GiB]);
    expect(e.vms.map((v) => v.homeDatastore)).toEqual(['VNX_01', 'VNX_01', 'VNX_02', 'LOCAL_esx09']);
  });

  it('takes every disk with capacity, thin flag, datastore, path and allocation', () => {
    // web01: In Use 120,000 MiB less its thick 102,400 MiB disk leaves 17,600 MiB for the thin one.
    expect(vm('web01').disks).toEqual([
      { label: 'Hard disk 1', key: null, capacityBytes: 40960 * MiB, allocatedBytes: 17600 * MiB, thin: true, datastore: 'VNX_01', path: '[VNX_01] web01/web01.vmdk' },
      { label: 'Hard disk 2', key: null, capacityBytes: 100 * GiB, allocatedBytes: 100 * GiB, thin: false, datastore: 'VNX_02', path: '[VNX_02] web01/web01_1.vmdk' },
    ]);
    // tmpl01: 10,240 MiB in use on one thin disk.
    expect(vm('tmpl01').disks.map((d) => d.allocatedBytes)).toEqual([10 * GiB]);
    // app01: 5,000 MiB in use, its only disk thin.
    expect(vm('app01').disks.map((d) => [d.capacityBytes, d.allocatedBytes])).toEqual([[20 * GiB, 5000 * MiB]]);
    expect(vm('db01').disks.map((d) => [d.capacityBytes, d.thin])).toEqual([[50 * GiB, false], [TiB, false]]);
  });

  it('lists what cannot be moved as it is, and what the planner must know', () => {
    expect(vm('web01').blockers).toBeUndefined();
    expect(vm('tmpl01').blockers).toEqual(['template']);
    expect(vm('db01').blockers).toEqual([
      'physical-mode RDM: Hard disk 2',
      'independent disk (independent_persistent): Hard disk 2',
      'SCSI bus sharing (physicalSharing): Hard disk 2',
    ]);
    expect(vm('db01').notes).toEqual(['snapshot consolidation needed (left-over delta disks are copied too)']);
    expect(vm('app01').blockers).toEqual(['standalone host (no cluster)']);
  });

  it('takes hosts with cluster, model and HBA count, and clusters with their datacenter', () => {
    expect(e.hosts).toEqual([
      { name: 'esx01.example.com', cluster: 'Prod', enclosure: null, hbaPorts: 4, model: 'ProLiant BL460c Gen9' },
      { name: 'esx02.example.com', cluster: 'Prod', enclosure: null, hbaPorts: 2, model: 'ProLiant BL460c Gen9' },
      // 0 HBAs says nothing about FC ports: unknown.
      { name: 'esx09.example.com', cluster: null, enclosure: null, hbaPorts: null, model: 'PowerEdge R640' },
    ]);
    expect(e.clusters).toEqual([{ name: 'Prod', datacenter: 'DC-Paris' }]);
    expect(e.warnings.find((w) => w.code === 'host-without-cluster')?.message).toContain('"esx09.example.com"');
  });

  it('takes datastores with type, capacity, free, hosts, and the array and role the rules give', () => {
    expect(e.datastores).toEqual([
      { name: 'VNX_01', capacityBytes: 2 * TiB, freeBytes: 512 * GiB, array: 'VNX', role: 'legacy', hosts: ['esx01.example.com', 'esx02.example.com'], type: 'VMFS' },
      { name: 'VNX_02', capacityBytes: 4 * TiB, freeBytes: 1 * TiB, array: 'VNX', role: 'legacy', hosts: ['esx01.example.com', 'esx02.example.com'], type: 'VMFS' },
      { name: 'LOCAL_esx09', capacityBytes: 953344 * MiB, freeBytes: 800000 * MiB, array: null, role: 'other', hosts: ['esx09.example.com'], type: 'VMFS' },
      { name: 'PURE_01', capacityBytes: 8 * TiB, freeBytes: 8000000 * MiB, array: 'PURE', role: 'new', hosts: ['esx01.example.com', 'esx02.example.com'], type: 'VMFS' },
    ]);
  });

  it('records the source: files, tabs, version guess, vCenter', () => {
    expect(e.vcenter).toBe('vc01.example.com');
    expect(e.source).toMatchObject({
      format: 'csv',
      files: ['RVTools_tabvCluster.csv', 'RVTools_tabvDatastore.csv', 'RVTools_tabvDisk.csv', 'RVTools_tabvHost.csv', 'RVTools_tabvInfo.csv'],
      tabs: ['vInfo', 'vDisk', 'vHost', 'vDatastore', 'vCluster'],
      rvtoolsVersion: null,
      vcenter: 'vc01.example.com',
      vcenterVersion: 'VMware vCenter Server 6.7.0 build-15129973',
    });
    expect(e.source!.rvtoolsVersionHint).toMatch(/^3\.x/);
    // All tabs a planner needs were there: no tab is reported missing.
    expect(e.warnings.filter((w) => w.code === 'tab-missing')).toEqual([]);
  });
});

const VINFO_47 = 'VM,Powerstate,Template,SRM Placeholder,Config status,DNS Name,Connection state,Guest state,Heartbeat,Consolidation Needed,PowerOn,Suspended To Memory,Suspend time,Suspend Interval,Creation date,Change Version,CPUs,Overall Cpu Readiness,Memory,Active Memory,NICs,Disks,Total disk capacity MiB,Fixed Passthru HotPlug,min Required EVC Mode Key,Latency Sensitivity,Op Notification Timeout,EnableUUID,CBT,Primary IP Address,Network #1,Network #2,Network #3,Network #4,Network #5,Network #6,Network #7,Network #8,Num Monitors,Video Ram KiB,Resource pool,Folder ID,Folder,vApp,DAS protection,FT State,FT Role,FT Latency,FT Bandwidth,FT Sec. Latency,Vm Failover In Progress,Provisioned MiB,In Use MiB,Unshared MiB,HA Restart Priority,HA Isolation Response,HA VM Monitoring,Cluster rule(s),Cluster rule name(s),Boot Required,Boot delay,Boot retry delay,Boot retry enabled,Boot BIOS setup,Reboot PowerOff,EFI Secure boot,Firmware,HW version,HW upgrade status,HW upgrade policy,HW target,Path,Log directory,Snapshot directory,Suspend directory,Annotation,Backup status,ClusterInvariantVMMId,Last backup,Datacenter,Cluster,Host,OS according to the configuration file,OS according to the VMware Tools,Customization Info,Guest Detailed Data,VM ID,SMBIOS UUID,VM UUID,VI SDK Server type,VI SDK API Version,VI SDK Server,VI SDK UUID'.split(',');
// vDisk as the anonymised 4.6 sample has it (tags `owner`, `mmtest-tags`), plus Path, columns shuffled.
const VDISK_4X = 'Disk,VM,Capacity MiB,owner,Thin,Path,Disk Key,Disk Mode,Sharing mode,Raw,Raw Comp. Mode,Shared Bus,mmtest-tags,Datacenter,Cluster,Host,VM ID'.split(',');

describe('an RVTools 4.x CSV export from a decimal-comma machine (;, BOM, MiB headers)', async () => {
  const info = table(VINFO_47, [
    { VM: 'pøstgres-ü', Powerstate: 'poweredOn', Template: 'False', 'SRM Placeholder': 'False', 'Connection state': 'connected',
      Memory: '8.192', Disks: '2', 'Total disk capacity MiB': '307.200', 'In Use MiB': '1.234,5', 'FT State': 'notConfigured',
      Path: '[PURE ds 1] pøstgres/pøstgres.vmx', Annotation: 'a; b', 'Backup status': 'ok', Cluster: 'Gold', Host: 'esx-a',
      'VM ID': 'vm-7', 'VI SDK Server': 'vcsa.lab' },
    { VM: 'ft01', Powerstate: 'poweredOn', Template: 'False', 'SRM Placeholder': 'False', 'Connection state': 'connected',
      Memory: '4096', Disks: '1', 'In Use MiB': '512', 'FT State': 'running', Path: '[PURE ds 1] ft01/ft01.vmx',
      Cluster: 'Gold', Host: 'esx-a', 'VM ID': 'vm-8', 'VI SDK Server': 'vcsa.lab' },
    { VM: 'srm01', Powerstate: 'poweredOff', Template: 'False', 'SRM Placeholder': 'True', 'Connection state': 'orphaned',
      Memory: '1024', Disks: '1', 'In Use MiB': '0', 'FT State': 'notConfigured', Path: '[PURE ds 1] srm01/srm01.vmx',
      Cluster: 'Gold', Host: 'esx-a', 'VM ID': 'vm-9', 'VI SDK Server': 'vcsa.lab' },
  ]);
  const d = (r: Record<string, string>) => ({ Raw: 'False', 'Disk Mode': 'persistent', 'Sharing mode': 'sharingNone', 'Shared Bus': 'noSharing', owner: 'team-x', ...r });
  const disks = table(VDISK_4X, [
    d({ VM: 'pøstgres-ü', 'VM ID': 'vm-7', Disk: 'Hard disk 1', 'Disk Key': '2000', 'Capacity MiB': '102.400', Thin: 'True', Path: '[PURE ds 1] pøstgres/pøstgres.vmdk' }),
    d({ VM: 'pøstgres-ü', 'VM ID': 'vm-7', Disk: 'Hard disk 2', 'Disk Key': '2001', 'Capacity MiB': '204.800', Thin: 'True', Path: '[PURE ds 2] pøstgres/pøstgres_1.vmdk' }),
    d({ VM: 'ft01', 'VM ID': 'vm-8', Disk: 'Hard disk 1', 'Disk Key': '2000', 'Capacity MiB': '10.240', Thin: 'False', 'Sharing mode': 'sharingMultiWriter', Path: '[PURE ds 1] ft01/ft01.vmdk' }),
    d({ VM: 'srm01', 'VM ID': 'vm-9', Disk: 'Hard disk 1', 'Disk Key': '2000', 'Capacity MiB': '10.240', Thin: 'False', Raw: 'True', 'Raw Comp. Mode': 'virtualMode', Path: '[PURE ds 1] srm01/srm01.vmdk' }),
  ]);
  const meta = [['RVTools major version', 'RVTools version', 'xlsx creation datetime', 'Server'], ['4', '4.7.1.4', '2026/11/02 10:00:00', 'vcsa.lab']];
  const dir = await csvFolder({
    'RVTools_tabvInfo.csv': BOM + csvText(info, ';'),
    'RVTools_tabvDisk.csv': BOM + csvText(disks, ';', '\n'),
    'RVTools_tabvMetaData.csv': csvText(meta, ';'),
  });
  const e = await importRvtools(dir);
  const vm = (name: string): Vm => e.vms.find((v) => v.name === name)!;

  it('reads ; delimited cells with dot grouping and decimal commas, and UTF-8 names', () => {
    expect(vm('pøstgres-ü').memoryBytes).toBe(8 * GiB);
    // In Use "1.234,5" MiB = 1234.5 MiB over two thin disks of 100 and 200 GiB: a third and two thirds.
    const alloc = vm('pøstgres-ü').disks.map((x) => x.allocatedBytes);
    expect(alloc[0]).toBe(Math.round((1234.5 * MiB) / 3));
    expect(alloc[0]! + alloc[1]!).toBe(1234.5 * MiB);
    expect(vm('pøstgres-ü').disks.map((x) => [x.key, x.capacityBytes, x.datastore])).toEqual([
      [2000, 100 * GiB, 'PURE ds 1'],
      [2001, 200 * GiB, 'PURE ds 2'],
    ]);
  });

  it('blocks FT, multi-writer, SRM placeholders and orphans; a virtual RDM is a note and a full copy', () => {
    expect(vm('ft01').blockers).toEqual(['fault tolerance (FT state running)', 'multi-writer disk: Hard disk 1']);
    expect(vm('srm01').blockers).toEqual(['SRM placeholder', 'not connected (orphaned)']);
    expect(vm('srm01').notes?.[0]).toMatch(/^virtual-mode RDM: Hard disk 1/);
    expect(vm('srm01').disks[0]).toMatchObject({ thin: false, allocatedBytes: 10 * GiB });
  });

  it('takes the release and vCenter from vMetaData and vInfo', () => {
    expect(e.source).toMatchObject({ rvtoolsVersion: '4.7.1.4', rvtoolsVersionHint: null, vcenter: 'vcsa.lab', exportedAt: '2026/11/02 10:00:00' });
    expect(e.vcenter).toBe('vcsa.lab');
  });

  it('without vHost and vDatastore, hosts come from vInfo and datastores from the paths, and it says so', () => {
    expect(e.hosts).toEqual([{ name: 'esx-a', cluster: 'Gold', enclosure: null, hbaPorts: null, model: null }]);
    expect(e.datastores.map((x) => [x.name, x.capacityBytes, x.hosts, x.role])).toEqual([
      ['PURE ds 1', 0, null, 'other'],
      ['PURE ds 2', 0, null, 'other'],
    ]);
    const missing = e.warnings.filter((w) => w.code === 'tab-missing').map((w) => [w.tab, w.file]);
    expect(missing).toEqual([
      ['vHost', 'RVTools_tabvHost.csv'],
      ['vDatastore', 'RVTools_tabvDatastore.csv'],
      ['vCluster', 'RVTools_tabvCluster.csv'],
    ]);
  });
});

describe('a CSV export that is only vInfo', async () => {
  const info = table(VINFO_47, [
    { VM: 'only01', Powerstate: 'poweredOn', Template: 'False', Memory: '2048', Disks: '3', 'Total disk capacity MiB': '61440',
      'Provisioned MiB': '63488', 'In Use MiB': '20480', Path: '[DS-A] only01/only01.vmx', Cluster: 'C1', Host: 'h1', 'VM ID': 'vm-1' },
    { VM: 'nodisk', Powerstate: 'poweredOff', Template: 'False', Memory: '512', Disks: '0', 'Total disk capacity MiB': '0',
      'Provisioned MiB': '512', 'In Use MiB': '0', Path: '[DS-B] nodisk/nodisk.vmx', Cluster: 'C1', Host: 'h2', 'VM ID': 'vm-2' },
  ]);
  const e = await importRvtools(await csvFolder({ 'RVTools_tabvInfo.csv': csvText(info) }));

  it("makes one thin disk of vInfo's totals on the home datastore, and notes it", () => {
    expect(e.vms[0]!.disks).toEqual([
      { label: '3 disks (vInfo total)', key: null, capacityBytes: 60 * GiB, allocatedBytes: 20 * GiB, thin: true, datastore: 'DS-A', path: null },
    ]);
    expect(e.vms[0]!.notes?.[0]).toMatch(/^storage from vInfo totals/);
    expect(e.vms[1]!.disks).toEqual([]);
    expect(e.warnings.find((w) => w.tab === 'vDisk')).toMatchObject({ code: 'tab-missing', file: 'RVTools_tabvDisk.csv', row: null });
  });

  it('takes hosts and clusters from vInfo and datastores from Path', () => {
    expect(e.hosts.map((h) => [h.name, h.cluster])).toEqual([['h1', 'C1'], ['h2', 'C1']]);
    expect(e.clusters).toEqual([{ name: 'C1', datacenter: null }]);
    expect(e.datastores.map((x) => x.name)).toEqual(['DS-A', 'DS-B']);
  });
});

describe('CSV encodings and layouts', () => {
  it('reads a Windows-1252 file (no BOM, not UTF-8) and tab-delimited files', async () => {
    const text = csvText([['VM', 'Powerstate', 'Memory', 'Host', 'Cluster'], ['café', 'poweredOn', '1,024', 'h', 'c']], '\t');
    const latin1 = Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)));
    const e = await importRvtools(await csvFolder({ 'RVTools_tabvInfo.csv': latin1 }));
    expect(e.vms.map((v) => [v.name, v.memoryBytes])).toEqual([['café', 1024 * MiB]]);
  });

  it('reads UTF-16 with a BOM, and finds the tabs by their file names case-insensitively', async () => {
    const text = `\ufeff${csvText([['VM', 'Powerstate', 'Memory'], ['vm-ü', 'poweredOff', '16']])}`;
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    const e = await importRvtools(await csvFolder({ 'vc01_rvtools_TABVINFO.csv': bytes }));
    expect(e.vms.map((v) => [v.name, v.memoryBytes])).toEqual([['vm-ü', 16 * MiB]]);
  });

  it('accepts one CSV of the folder as the path, and blank lines in between', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Memory\r\n\r\na,1\r\n\r\nb,2\r\n' });
    const e = await importRvtools(`${dir}/RVTools_tabvInfo.csv`);
    expect(e.vms.map((v) => v.name)).toEqual(['a', 'b']);
  });
});
