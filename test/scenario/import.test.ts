// The import form: an Estate JSON from an importer, with roles and arrays given by the scenario.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { GiB, TiB } from '../../src/domain/units.js';
import { loadScenario } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'svmig-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vm = (name: string, host: string, datastore: string) => ({
  name,
  cluster: 'PROD',
  host,
  powerState: 'poweredOn',
  memoryBytes: 8 * GiB,
  disks: [{ label: 'Hard disk 1', key: 2000, capacityBytes: 100 * GiB, allocatedBytes: 40 * GiB, thin: true, datastore }],
  homeDatastore: datastore,
});

const ESTATE = {
  vcenter: 'vc-prod.example.com',
  source: 'rvtools 4.6',
  warnings: ['something the importer noticed'],
  clusters: [{ name: 'PROD', datacenter: 'DC1' }],
  hosts: [
    { name: 'esx-a1.prod', cluster: 'PROD', enclosure: null, hbaPorts: 2 },
    { name: 'esx-a2.prod', cluster: 'PROD', enclosure: null },
    { name: 'esx-b1.prod', cluster: 'PROD', enclosure: 'OLDNAME' },
  ],
  datastores: [
    { name: 'VNX_01', capacityBytes: 4 * TiB, freeBytes: 1 * TiB, array: null, role: 'other', hosts: null },
    { name: 'VNX_02', capacityBytes: 4 * TiB, freeBytes: 2 * TiB, array: 'VNX-LEGACY', role: 'other', hosts: null },
    { name: 'PURE_01', capacityBytes: 16 * TiB, freeBytes: 16 * TiB, array: null, role: 'other', hosts: null },
    { name: 'PURE(02)', capacityBytes: 16 * TiB, freeBytes: 16 * TiB, hosts: null },
    { name: 'local-esx-a1', capacityBytes: 500 * GiB, freeBytes: 400 * GiB, array: null, role: 'other', hosts: ['esx-a1.prod'] },
  ],
  vms: [vm('db01', 'esx-a1.prod', 'VNX_01'), vm('web01', 'esx-b1.prod', 'VNX_02')],
};

// prettier-ignore
const SCENARIO = [
  /*  1 */ 'fabric:',
  /*  2 */ '  hosts: { hbaPorts: 2, portSpeed: 16Gb }',
  /*  3 */ '  enclosures: { uplinkPorts: 8, portSpeed: 8Gb }',
  /*  4 */ '  arrays: [ { name: VNX-LEGACY, frontEndPorts: 8, portSpeed: 8Gb }, { name: PURE-NEW, frontEndPorts: 16, portSpeed: 16Gb } ]',
  /*  5 */ '  perCopyRate: 250MB/s',
  /*  6 */ 'estate:',
  /*  7 */ '  import: ../estates/prod.json',
  /*  8 */ '  legacy: { datastores: ["^VNX_"], array: VNX-LEGACY }',
  /*  9 */ '  new: { datastores: ["^PURE_", "PURE(02)"], array: PURE-NEW }',
  /* 10 */ '  enclosures: { ENC-A: ["^esx-a"], ENC-B: ["esx-b1.prod"] }',
];

function write(estate: unknown, scenarioLines: string[], name = 'prod'): string {
  mkdirSync(join(dir, 'estates'), { recursive: true });
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(join(dir, 'estates', `${name}.json`), typeof estate === 'string' ? estate : JSON.stringify(estate, null, 2));
  const file = join(dir, 'scenarios', `${name}.yaml`);
  writeFileSync(file, `${scenarioLines.join('\n').replace('prod.json', `${name}.json`)}\n`);
  return file;
}

function failure(file: string): string {
  try {
    loadScenario(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('estate: import', () => {
  it('reads the JSON relative to the scenario file and resolves roles from the patterns', () => {
    const s = loadScenario(write(ESTATE, SCENARIO));
    const role = Object.fromEntries(s.estate.datastores.map((d) => [d.name, d.role]));
    expect(role).toEqual({ VNX_01: 'legacy', VNX_02: 'legacy', PURE_01: 'new', 'PURE(02)': 'new', 'local-esx-a1': 'other' });
    expect(s.estate.vcenter).toBe('vc-prod.example.com');
    expect(s.estate.vms.map((v) => v.name)).toEqual(['db01', 'web01']);
    expect(s.name).toBe('prod');
  });

  it('assigns arrays the JSON lacks from the side, keeps those it has, leaves others alone', () => {
    const s = loadScenario(write(ESTATE, SCENARIO));
    const array = Object.fromEntries(s.estate.datastores.map((d) => [d.name, d.array]));
    expect(array).toEqual({ VNX_01: 'VNX-LEGACY', VNX_02: 'VNX-LEGACY', PURE_01: 'PURE-NEW', 'PURE(02)': 'PURE-NEW', 'local-esx-a1': null });
  });

  it('maps hosts to enclosures by pattern, overriding what the inventory said', () => {
    const s = loadScenario(write(ESTATE, SCENARIO));
    expect(s.estate.hosts.map((h) => [h.name, h.enclosure])).toEqual([
      ['esx-a1.prod', 'ENC-A'],
      ['esx-a2.prod', 'ENC-A'],
      ['esx-b1.prod', 'ENC-B'],
    ]);
    expect(s.estate.hosts[0]!.hbaPorts).toBe(2);
  });

  it('reports a pattern that matches no datastore on its line', () => {
    const lines = [...SCENARIO];
    lines[8] = '  new: { datastores: ["^PURE_", "^NETAPP_"], array: PURE-NEW }';
    expect(failure(write(ESTATE, lines, 'nomatch'))).toMatch(/^\S+nomatch\.yaml line 9: estate\.new\.datastores\[1\]: "\^NETAPP_" matches no datastore of /);
  });

  it('reports a datastore claimed by both sides', () => {
    const lines = [...SCENARIO];
    lines[8] = '  new: { datastores: ["^PURE_", "_01$"], array: PURE-NEW }';
    expect(failure(write(ESTATE, lines, 'both'))).toMatch(
      /line 9: estate\.new\.datastores\[1\]: datastore "VNX_01" is matched both as legacy \(by "\^VNX_"\) and as new \(by "_01\$"\)$/,
    );
  });

  it('needs an array for matched datastores the JSON places on none', () => {
    const lines = [...SCENARIO];
    lines[7] = '  legacy: { datastores: ["^VNX_"] }';
    expect(failure(write(ESTATE, lines, 'noarray'))).toMatch(/line 8: estate\.legacy\.array: imported datastore "VNX_01" names no array/);
  });

  it('reports an invalid regular expression', () => {
    const lines = [...SCENARIO];
    lines[7] = '  legacy: { datastores: ["VNX_(", "^VNX_"], array: VNX-LEGACY }';
    expect(failure(write(ESTATE, lines, 'badre'))).toMatch(/line 8: estate\.legacy\.datastores\[0\]: "VNX_\(" is neither a name nor a valid regular expression/);
  });

  it('names the JSON file and its line for a problem inside it', () => {
    const broken = { ...ESTATE, vms: [vm('db01', 'esx-a1.prod', 'VNX_01'), vm('web01', 'esx-zz.prod', 'VNX_02')] };
    const text = JSON.stringify(broken, null, 2);
    // The line of "host": "esx-zz.prod", counted in the text written.
    const line = text.split('\n').findIndex((l) => l.includes('"esx-zz.prod"')) + 1;
    const message = failure(write(broken, SCENARIO, 'badhost'));
    expect(message).toBe(`${join(dir, 'estates', 'badhost.json')} line ${line}: vms[1].host: host "esx-zz.prod" does not exist (known: esx-a1.prod, esx-a2.prod, esx-b1.prod)`);
  });

  it('names the JSON file for a shape error inside it', () => {
    const broken = { ...ESTATE, datastores: [{ ...ESTATE.datastores[0], capacityBytes: '4TiB' }, ...ESTATE.datastores.slice(1)] };
    const text = JSON.stringify(broken, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"4TiB"')) + 1;
    expect(failure(write(broken, SCENARIO, 'badshape'))).toBe(`${join(dir, 'estates', 'badshape.json')} line ${line}: datastores[0].capacityBytes: expected a number, got "4TiB"`);
  });

  it('reports a missing estate file on the import line', () => {
    const lines = [...SCENARIO];
    lines[6] = '  import: ../estates/nowhere.json';
    expect(failure(write(ESTATE, lines, 'missing'))).toMatch(/missing\.yaml line 7: estate\.import: cannot read the estate file \S+nowhere\.json \(no such file\)$/);
  });
});
