// Snapshots from an RVTools export: the vSnapshot tab (one row per snapshot) and vInfo's
// `Consolidation Needed` column, into each VM's snapshot state (what pre-flight remediation acts on).

import { describe, expect, it } from 'vitest';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { MiB } from '../../src/domain/units.js';
import { csvFolder, csvText, table } from './helpers.js';

// Headers of RVTools 4.x tabs (the vSnapshot one as an export of 4.x writes it), cut to what svmig reads and a few more.
const VINFO = ['VM', 'Powerstate', 'Template', 'Consolidation Needed', 'Memory', 'Disks', 'In Use MiB', 'Path', 'Datacenter', 'Cluster', 'Host', 'VM ID'];
const VDISK = ['VM', 'Disk', 'Disk Key', 'Capacity MiB', 'Thin', 'Path', 'VM ID'];
const VSNAPSHOT = 'VM,Powerstate,Name,Description,Date / time,Filename,Size MiB (vmsn),Size MiB (total),Quiesced,State,Annotation,Datacenter,Cluster,Host,Folder,OS according to the configuration file,OS according to the VMware Tools,VM ID,VM UUID,VI SDK Server,VI SDK UUID'.split(',');

const vm = (name: string, id: string, consolidation: string) => ({
  VM: name, Powerstate: 'poweredOn', Template: 'False', 'Consolidation Needed': consolidation, Memory: '4096', Disks: '1', 'In Use MiB': '20480',
  Path: `[VNX_01] ${name}/${name}.vmx`, Datacenter: 'DC', Cluster: 'Prod', Host: 'esx01', 'VM ID': id,
});
const disk = (name: string, id: string) => ({ VM: name, Disk: 'Hard disk 1', 'Disk Key': '2000', 'Capacity MiB': '40960', Thin: 'True', Path: `[VNX_01] ${name}/${name}.vmdk`, 'VM ID': id });
const snap = (name: string, id: string, snapshot: string, total: string) => ({
  VM: name, Powerstate: 'poweredOn', Name: snapshot, 'Date / time': '2026/11/02 10:00:00', Filename: `[VNX_01] ${name}/${name}-Snapshot1.vmsn`,
  'Size MiB (vmsn)': '2', 'Size MiB (total)': total, Quiesced: 'False', State: 'poweredOn', 'VM ID': id,
});

describe('snapshots from an RVTools export', async () => {
  const dir = await csvFolder({
    'RVTools_tabvInfo.csv': csvText(table(VINFO, [vm('web01', 'vm-1', 'False'), vm('db01', 'vm-2', 'True'), vm('app01', 'vm-3', 'False')])),
    'RVTools_tabvDisk.csv': csvText(table(VDISK, [disk('web01', 'vm-1'), disk('db01', 'vm-2'), disk('app01', 'vm-3')])),
    'RVTools_tabvSnapshot.csv': csvText(
      table(VSNAPSHOT, [snap('web01', 'vm-1', 'before patch', '1026'), snap('web01', 'vm-1', 'after patch', '2050'), snap('ghost', 'vm-9', 'orphan', '10')]),
    ),
  });
  const e = await importRvtools(dir);
  const of = (name: string) => e.vms.find((v) => v.name === name)!;

  it('counts each VM\'s snapshots as a chain, their total size as its delta', () => {
    // Two rows for web01: a chain of two, (1026 + 2050) MiB.
    expect(of('web01').snapshots).toEqual({ count: 2, depth: 2, deltaBytes: 3076 * MiB, consolidationNeeded: false });
  });

  it('takes consolidationNeeded from vInfo, snapshots or not', () => {
    expect(of('db01').snapshots).toEqual({ count: 0, depth: 0, deltaBytes: 0, consolidationNeeded: true });
    expect(of('app01').snapshots).toBeUndefined();
  });

  it('reads the tab and warns about a snapshot of a VM vInfo does not have', () => {
    expect(e.source?.tabs).toContain('vSnapshot');
    expect(e.warnings.filter((w) => w.tab === 'vSnapshot').map((w) => w.code)).toEqual(['row-vm-not-in-vinfo']);
  });
});
