// estate.json: written one object per line, read back with validation of shape and references.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GiB } from '../../src/domain/units.js';
import { ESTATE_FORMAT, estateToJson, parseEstateFile, readEstateFile, writeEstateFile, type EstateFile } from '../../src/inventory/estate-file.js';
import { tempDir } from './helpers.js';

function sample(): EstateFile {
  return {
    format: ESTATE_FORMAT,
    vcenter: 'vc01',
    clusters: [{ name: 'Prod', datacenter: 'DC1' }],
    hosts: [
      { name: 'esx1', cluster: 'Prod', enclosure: null, hbaPorts: 2, model: 'R750' },
      { name: 'esx9', cluster: null, enclosure: null, hbaPorts: null, model: null },
    ],
    datastores: [
      { name: 'VNX_01', capacityBytes: 100 * GiB, freeBytes: 10 * GiB, array: 'VNX', role: 'legacy', hosts: ['esx1'], type: 'VMFS' },
      { name: 'PURE_01', capacityBytes: 200 * GiB, freeBytes: 200 * GiB, array: 'PURE', role: 'new', hosts: null, type: 'VMFS' },
    ],
    vms: [
      {
        name: 'web01', cluster: 'Prod', host: 'esx1', powerState: 'poweredOn', memoryBytes: 4 * GiB, homeDatastore: 'VNX_01', template: false,
        disks: [{ label: 'Hard disk 1', key: 2000, capacityBytes: 40 * GiB, allocatedBytes: 10 * GiB, thin: true, datastore: 'VNX_01', path: '[VNX_01] web01/web01.vmdk' }],
      },
      { name: 'tpl', cluster: null, host: 'esx9', powerState: 'poweredOff', memoryBytes: GiB, disks: [], template: true, blockers: ['template'] },
    ],
    warnings: [{ code: 'tab-missing', file: 'x.xlsx', tab: 'vCluster', row: null, message: 'No vCluster tab.' }],
    source: {
      tool: 'rvtools', format: 'xlsx', files: ['x.xlsx'], tabs: ['vInfo'], rvtoolsVersion: '4.7.1.4', rvtoolsVersionHint: null,
      vcenter: 'vc01', vcenterVersion: null, apiVersion: null, exportedAt: null, anonymised: false,
      rules: { legacy: ['^VNX_'], new: [], arrays: [], assumeDatastores: [] },
    },
  };
}

describe('estate file', () => {
  it('round-trips through the file, one object per line', async () => {
    const path = join(await tempDir(), 'estate.json');
    await writeEstateFile(path, sample());
    const text = await readFile(path, 'utf8');
    expect(text.split('\n').filter((l) => l.startsWith('    {"name":"'))).toHaveLength(1 + 2 + 2 + 2);
    expect(readEstateFile(path)).toEqual(sample());
  });

  it('reads an estate without warnings and source (written by hand or by another tool)', () => {
    const { warnings: _w, source: _s, format: _f, ...bare } = sample();
    const e = parseEstateFile(JSON.parse(JSON.stringify(bare)), 'hand.json');
    expect(e.warnings).toEqual([]);
    expect(e.source).toBeNull();
    expect(e.format).toBe(ESTATE_FORMAT);
  });

  it('names the element and field at fault', () => {
    const bad = JSON.parse(estateToJson(sample()));
    bad.vms[0].disks[0].capacityBytes = '40GiB';
    expect(() => parseEstateFile(bad, 'e.json')).toThrow(/^e\.json: vms\[0\] "web01"\.disks\[0\]\.capacityBytes: Invalid input: expected number, received string\.$/);
    const neg = JSON.parse(estateToJson(sample()));
    neg.datastores[1].freeBytes = -1;
    expect(() => parseEstateFile(neg, 'e.json')).toThrow(/^e\.json: datastores\[1\] "PURE_01"\.freeBytes: /);
    const role = JSON.parse(estateToJson(sample()));
    role.datastores[0].role = 'source';
    expect(() => parseEstateFile(role, 'e.json')).toThrow(/^e\.json: datastores\[0\] "VNX_01"\.role: /);
    expect(() => parseEstateFile([], 'e.json')).toThrow(/^e\.json: the top level: /);
  });

  it('refuses dangling references and duplicate names', () => {
    const cases: Array<[(e: EstateFile) => void, string]> = [
      [(e) => (e.vms[0]!.host = 'esx7'), 'e.json: vms[0] "web01" names host "esx7", which is not in the estate\'s hosts.'],
      [(e) => (e.vms[0]!.cluster = 'Test'), 'e.json: vms[0] "web01" names cluster "Test", which is not in the estate\'s clusters.'],
      [(e) => (e.vms[0]!.disks[0]!.datastore = 'NETAPP'), 'e.json: vms[0] "web01", disks[0] names datastore "NETAPP", which is not in the estate\'s datastores.'],
      [(e) => (e.vms[0]!.homeDatastore = 'NETAPP'), 'e.json: vms[0] "web01" names datastore "NETAPP", which is not in the estate\'s datastores.'],
      [(e) => (e.hosts[0]!.cluster = 'Test'), 'e.json: hosts[0] "esx1" names cluster "Test", which is not in the estate\'s clusters.'],
      [(e) => (e.datastores[0]!.hosts = ['esx7']), 'e.json: datastores[0] "VNX_01" names host "esx7", which is not in the estate\'s hosts.'],
      [(e) => e.vms.push({ ...e.vms[1]! }), 'e.json: vms[2] "tpl" is listed twice.'],
      [(e) => (e.vms[0]!.disks[0]!.allocatedBytes = 41 * GiB), 'e.json: vms[0] "web01", disks[0] has more bytes allocated than its capacity.'],
    ];
    for (const [spoil, message] of cases) {
      const e = sample();
      spoil(e);
      expect(() => parseEstateFile(JSON.parse(estateToJson(e)), 'e.json')).toThrow(message);
    }
  });

  it('says plainly when the file is missing or not JSON', async () => {
    const dir = await tempDir();
    expect(() => readEstateFile(join(dir, 'none.json'))).toThrow(/none\.json: cannot read the estate file \(no such file\)\.$/);
    expect(() => readEstateFile(dir)).toThrow(/ is not a regular file \(a folder\): give the estate file itself\.$/);
    await writeFile(join(dir, 'bad.json'), '{"vms": [');
    expect(() => readEstateFile(join(dir, 'bad.json'))).toThrow(/bad\.json is not JSON \(/);
  });
});
