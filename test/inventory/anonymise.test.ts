// --anonymise: every name becomes a stable hash, the structure and the sizes stay.

import { describe, expect, it } from 'vitest';
import { GiB } from '../../src/domain/units.js';
import { anonymiseEstate } from '../../src/inventory/anonymise.js';
import { estateToJson, parseEstateFile } from '../../src/inventory/estate-file.js';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { parseNameRule } from '../../src/inventory/rules.js';
import { csvFolder, csvText } from './helpers.js';

const secretNames = ['acme-web01', 'acme-db01', 'esx01.acme.corp', 'esx02.acme.corp', 'ACME-PROD', 'DC-ACME', 'VNX_ACME_01', 'PURE_ACME', 'vc.acme.corp'];

async function acme() {
  const dir = await csvFolder({
    'RVTools_tabvInfo.csv': csvText([
      ['VM', 'Powerstate', 'Template', 'Memory', 'Path', 'Datacenter', 'Cluster', 'Host', 'VM ID', 'VI SDK Server'],
      ['acme-web01', 'poweredOn', 'False', '4096', '[VNX_ACME_01] acme-web01/acme-web01.vmx', 'DC-ACME', 'ACME-PROD', 'esx01.acme.corp', 'vm-1', 'vc.acme.corp'],
      ['acme-db01', 'poweredOn', 'True', '8192', '[VNX_ACME_01] acme-db01/acme-db01.vmx', 'DC-ACME', 'ACME-PROD', 'esx03.acme.corp', 'vm-2', 'vc.acme.corp'],
    ]),
    'RVTools_tabvDisk.csv': csvText([
      ['VM', 'Disk', 'Capacity MiB', 'Thin', 'Path', 'VM ID'],
      ['acme-web01', 'Hard disk 1', '10240', 'False', '[VNX_ACME_01] acme-web01/acme-web01.vmdk', 'vm-1'],
      ['acme-db01', 'Hard disk 1', '20480', 'False', '[PURE_ACME] acme-db01/acme-db01.vmdk', 'vm-2'],
    ]),
    'RVTools_tabvHost.csv': csvText([['Host', 'Cluster', 'Datacenter'], ['esx01.acme.corp', 'ACME-PROD', 'DC-ACME'], ['esx02.acme.corp', 'ACME-PROD', 'DC-ACME']]),
  });
  return dir;
}

describe('anonymising an estate', async () => {
  const dir = await acme();
  const rules = { legacy: [parseNameRule('VNX_ACME', '--legacy')], new: [], arrays: [], assume: [] };
  const plain = await importRvtools(dir, { rules, ruleTexts: { legacy: ['VNX_ACME'], new: [], arrays: [], assumeDatastores: [] } });
  const anon = await importRvtools(dir, { rules, anonymise: true });

  it('leaves no real name anywhere in the file, warnings and blockers included', () => {
    const text = estateToJson(anon);
    for (const name of [...secretNames, 'esx03.acme.corp', 'acme']) expect(text.toLowerCase()).not.toContain(name.toLowerCase());
    // The plain import did mention them, in warnings too (esx03 is not in vHost).
    expect(estateToJson(plain)).toContain('"esx03.acme.corp"');
  });

  it('keeps the structure: references resolve, sizes, roles, flags and counts are unchanged', () => {
    const again = parseEstateFile(JSON.parse(estateToJson(anon)), 'anon.json');
    expect(again.vms.map((v) => [v.powerState, v.memoryBytes, v.template, v.disks.map((d) => d.capacityBytes)])).toEqual([
      ['poweredOn', 4 * GiB, false, [10 * GiB]],
      ['poweredOn', 8 * GiB, true, [20 * GiB]],
    ]);
    expect(anon.datastores.map((d) => d.role)).toEqual(plain.datastores.map((d) => d.role));
    expect(anon.vms[0]!.host).toBe(anon.hosts[0]!.name);
    expect(anon.vms[0]!.disks[0]!.datastore).toBe(anon.datastores[0]!.name);
    expect(anon.vms[0]!.disks[0]!.path).toBeNull();
    expect(anon.vms.map((v) => v.blockers)).toEqual(plain.vms.map((v) => v.blockers));
    expect(anon.warnings.map((w) => [w.code, w.tab, w.row])).toEqual(plain.warnings.filter((w) => w.code !== 'rule-matches-nothing').map((w) => [w.code, w.tab, w.row]));
    expect(anon.source).toMatchObject({ anonymised: true, files: ['RVTools_tabvDisk.csv', 'RVTools_tabvHost.csv', 'RVTools_tabvInfo.csv'], rules: { legacy: [] } });
  });

  it('gives the same hash to the same name, every time and across kinds of reference', async () => {
    const twice = await importRvtools(dir, { rules, anonymise: true });
    expect(estateToJson(twice)).toBe(estateToJson(anon));
    expect(anon.vms[0]!.name).toMatch(/^vm-[0-9a-f]{12}$/);
    expect(anon.hosts[0]!.name).toMatch(/^host-[0-9a-f]{12}$/);
    expect(anon.clusters[0]!.name).toMatch(/^cluster-[0-9a-f]{12}$/);
    expect(anon.vcenter).toMatch(/^vc-[0-9a-f]{12}$/);
    // The host named in a warning is the host of the estate.
    const hostWarning = anon.warnings.find((w) => w.code === 'host-not-in-vhost')!;
    expect(hostWarning.message).toContain(`"${anon.vms[1]!.host}"`);
  });

  it('gives other hashes with a salt', () => {
    const salted = anonymiseEstate(plain, 'secret');
    expect(salted.vms[0]!.name).not.toBe(anon.vms[0]!.name);
    expect(anonymiseEstate(plain, 'secret').vms[0]!.name).toBe(salted.vms[0]!.name);
    // The original is untouched.
    expect(plain.vms[0]!.name).toBe('acme-web01');
  });
});
