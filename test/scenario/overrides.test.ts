// `--set path=value`: applied to the scenario document before validation, checked like the file,
// and blamed on the setting (not on a line of the file) when what it gave is wrong.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { applySettings, parsePath, parseSetting } from '../../src/scenario/overrides.js';

// prettier-ignore
const BASE = [
  /*  1 */ 'name: t',
  /*  2 */ 'fabric:',
  /*  3 */ '  hosts: { hbaPorts: 2, portSpeed: 16Gb }',
  /*  4 */ '  arrays:',
  /*  5 */ '    - { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }',
  /*  6 */ '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
  /*  7 */ '  perCopyRate: 250MB/s',
  /*  8 */ 'estate:',
  /*  9 */ '  vcenter: vc.test',
  /* 10 */ '  arrays: { legacy: [OLD], new: [NEW] }',
  /* 11 */ '  clusters: [ { name: LAB, hosts: [ { name: esx01 }, { name: esx02 } ] } ]',
  /* 12 */ '  datastores:',
  /* 13 */ '    - { name: OLD-01, array: OLD, capacity: 4TiB }',
  /* 14 */ '    - { name: NEW-01, array: NEW, capacity: 8TiB }',
  /* 15 */ '  vms:',
  /* 16 */ '    - { name: app01, host: esx01, memory: 8GiB, disks: [ { size: 100GiB, datastore: OLD-01 } ] }',
].join('\n');

const load = (text: string, ...sets: string[]) => parseScenario(`${text}\n`, 'scenarios/t.yaml', { settings: sets.map(parseSetting) });

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as UserError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('accepted');
}

describe('reading --set', () => {
  it('reads paths as error messages print them', () => {
    expect(parsePath('fabric.perCopyRate')).toEqual(['fabric', 'perCopyRate']);
    expect(parsePath('fabric.arrays[0].frontEndPorts')).toEqual(['fabric', 'arrays', 0, 'frontEndPorts']);
    expect(parsePath('estate.enclosures["ENC 1"][2]')).toEqual(['estate', 'enclosures', 'ENC 1', 2]);
    expect(parsePath('estate.synthetic.legacy.arrays')).toEqual(['estate', 'synthetic', 'legacy', 'arrays']);
  });

  it('reads values as YAML, as they would be written in the file', () => {
    expect(parseSetting('fabric.perCopyRate=120MB/s').value).toBe('120MB/s');
    expect(parseSetting('campaign.windows.allowOverrun=true').value).toBe(true);
    expect(parseSetting('fabric.arrays[0].frontEndPorts=16').value).toBe(16);
    expect(parseSetting('fabric.core=null').value).toBeNull();
    expect(parseSetting('campaign.priority=[sql01, "/^db/"]').value).toEqual(['sql01', '/^db/']);
    expect(parseSetting('description=a=b').value).toBe('a=b');
    expect(parseSetting('estate.enclosures["A=B"]=[x]').path).toEqual(['estate', 'enclosures', 'A=B']);
  });

  it('refuses what is not path=value, naming --set', () => {
    expect(errorOf(() => parseSetting('fabric.perCopyRate'))).toBe('--set "fabric.perCopyRate" has no "=": write it as path=value, like fabric.perCopyRate=120MB/s.');
    expect(errorOf(() => parseSetting('=3'))).toMatch(/^--set \(nothing before "="\): the path is empty/);
    expect(errorOf(() => parseSetting('fabric..perCopyRate=1'))).toMatch(/^--set fabric\.\.perCopyRate: a field name is missing before "\.perCopyRate"/);
    expect(errorOf(() => parseSetting('fabric.arrays[x]=1'))).toMatch(/^--set fabric\.arrays\[x\]: "\[x\]" does not start with a list index/);
    expect(errorOf(() => parseSetting('fabric.core=[1, 2'))).toMatch(/^--set fabric\.core: "\[1, 2" is not a YAML value/);
    expect(errorOf(() => parseSetting('fabric.core=*a'))).toMatch(/^--set fabric\.core: /);
  });
});

describe('applying --set to a document', () => {
  const doc = { fabric: { arrays: [{ name: 'OLD' }], perCopyRate: '250MB/s' }, campaign: { jitter: 0.1 } };

  it('changes a copy, creating the mappings on the way, in order', () => {
    const { document, applied } = applySettings(doc, ['fabric.perCopyRate=1GB/s', 'campaign.windows.allowOverrun=true', 'fabric.arrays[0].name=A', 'fabric.arrays[0].name=B'].map(parseSetting));
    expect(document).toEqual({ fabric: { arrays: [{ name: 'B' }], perCopyRate: '1GB/s' }, campaign: { jitter: 0.1, windows: { allowOverrun: true } } });
    expect(doc.fabric.perCopyRate).toBe('250MB/s');
    expect(applied.map((a) => a.owns)).toEqual([['fabric', 'perCopyRate'], ['campaign', 'windows'], ['fabric', 'arrays', 0, 'name'], ['fabric', 'arrays', 0, 'name']]);
  });

  it('refuses an entry that is not there and a field under something that is not a mapping', () => {
    expect(errorOf(() => applySettings(doc, [parseSetting('fabric.arrays[1].name=X')]))).toBe(
      '--set fabric.arrays[1].name: fabric.arrays has 1 entry ([0] to [0]): an entry is set where it exists, or the whole list is given, like fabric.arrays=[…].',
    );
    expect(errorOf(() => applySettings(doc, [parseSetting('fabric.arrays.name=X')]))).toMatch(/^--set fabric\.arrays\.name: fabric\.arrays is a list: name an entry by its index, like fabric\.arrays\[0\]\.name\.$/);
    expect(errorOf(() => applySettings(doc, [parseSetting('fabric.perCopyRate.max=1')]))).toMatch(/^--set fabric\.perCopyRate\.max: fabric\.perCopyRate is "250MB\/s", not a mapping of fields/);
    expect(errorOf(() => applySettings(doc, [parseSetting('estate.vms[0].name=x')]))).toMatch(/^--set estate\.vms\[0\]\.name: estate\.vms is not in the scenario/);
  });
});

describe('a scenario with --set', () => {
  it('takes the values as if the file held them', () => {
    const s = load(BASE, 'fabric.perCopyRate=120MB/s', 'fabric.arrays[0].frontEndPorts=16', 'campaign.jitter=5%', 'seed=7');
    expect(s.fabric.perCopyRate).toBe(120e6);
    expect(s.fabric.arrays[0]).toEqual({ name: 'OLD', ports: 16, portRate: 800e6 });
    expect(s.campaign.jitter).toBeCloseTo(0.05, 12);
    expect(s.seed).toBe(7);
  });

  it('sets a field of a section the file does not have', () => {
    const windowed = [BASE, 'campaign:', '  start: 2026-12-05T20:00 Europe/Paris', '  windows: { open: [ { days: [sat, sun] } ] }'].join('\n');
    expect(load(windowed).campaign.windows!.allowOverrun).toBe(false);
    expect(load(windowed, 'campaign.windows.allowOverrun=true').campaign.windows!.allowOverrun).toBe(true);
    // Without windows in the file, the setting creates campaign.windows, which then lacks its list.
    expect(errorOf(() => load(BASE, 'campaign.windows.allowOverrun=true'))).toBe('--set campaign.windows.allowOverrun: campaign.windows.open: this required field is missing');
  });

  it('checks a value exactly as the file would, naming --set instead of a line', () => {
    const inFile = errorOf(() => load(BASE.replace('perCopyRate: 250MB/s', 'perCopyRate: 250mb/s')));
    const onCommandLine = errorOf(() => load(BASE, 'fabric.perCopyRate=250mb/s'));
    expect(inFile.startsWith('scenarios/t.yaml line 7: fabric.perCopyRate: ')).toBe(true);
    expect(onCommandLine.startsWith('--set fabric.perCopyRate: ')).toBe(true);
    expect(onCommandLine.slice('--set fabric.perCopyRate: '.length)).toBe(inFile.slice('scenarios/t.yaml line 7: fabric.perCopyRate: '.length));
    expect(errorOf(() => load(BASE, 'fabric.perCopyrate=1GB/s'))).toMatch(/^--set fabric\.perCopyrate: unknown field \(the fields known here are hosts, enclosures, arrays/);
    expect(errorOf(() => load(BASE, 'seed=soon'))).toBe('--set seed: expected a whole number');
    expect(errorOf(() => load(BASE, 'fabric.arrays[1]={ name: NEW, frontEndPorts: 0, portSpeed: 16Gb }'))).toMatch(/^--set fabric\.arrays\[1\]: fabric\.arrays\[1\]\.frontEndPorts: must be at least 1/);
  });

  it('reports an error of the setting before one of the file', () => {
    const broken = BASE.replace('vcenter: vc.test', 'vcenter: ""');
    expect(errorOf(() => load(broken, 'fabric.perCopyRate=fast'))).toMatch(/^--set fabric\.perCopyRate: /);
  });

  it('says which settings were in force when the file is at fault because of them', () => {
    // Renaming the legacy array leaves the estate's reference to OLD dangling, at the estate's line.
    expect(errorOf(() => load(BASE, 'fabric.arrays[0].name=VNX'))).toMatch(/^scenarios\/t\.yaml line 10: estate\.arrays\.legacy\[0\]: .* \(with --set fabric\.arrays\[0\]\.name=VNX\)$/);
  });
});
