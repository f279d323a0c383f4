// Malformed scenarios: each must give ONE sentence naming the file, the line a person should look
// at, and the field path. Line numbers below are counted by hand in BASE.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';

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
  /* 11 */ '  clusters:',
  /* 12 */ '    - name: LAB',
  /* 13 */ '      hosts:',
  /* 14 */ '        - { name: esx01 }',
  /* 15 */ '        - { name: esx02 }',
  /* 16 */ '  datastores:',
  /* 17 */ '    - { name: OLD-01, array: OLD, capacity: 4TiB }',
  /* 18 */ '    - { name: NEW-01, array: NEW, capacity: 8TiB }',
  /* 19 */ '  vms:',
  /* 20 */ '    - name: app01',
  /* 21 */ '      host: esx01',
  /* 22 */ '      memory: 16GiB',
  /* 23 */ '      disks:',
  /* 24 */ '        - { size: 200GiB, allocated: 120GiB, thin: true, datastore: OLD-01 }',
  /* 25 */ '    - { name: app02, host: esx02, memory: 8GiB, disks: [ { size: 100GiB, datastore: OLD-01 } ] }',
];

/** BASE with line `n` (1-based) replaced by `lines` (none = deleted). */
function edit(n: number, ...lines: string[]): string {
  const out = [...BASE];
  out.splice(n - 1, 1, ...lines);
  return `${out.join('\n')}\n`;
}

function errorOf(text: string, file = 'scenarios/t.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as UserError).message;
    // One sentence: a single line, no stack, no list of issues.
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the scenario was accepted');
}

describe('a malformed scenario gives one sentence with file, line and field', () => {
  it('accepts the unedited base (so each case below fails for its own edit only)', () => {
    const s = parseScenario(`${BASE.join('\n')}\n`, 'scenarios/t.yaml');
    expect(s.estate.vms.map((v) => v.name)).toEqual(['app01', 'app02']);
  });

  it('wrong unit', () => {
    expect(errorOf(edit(7, '  perCopyRate: 800 furlongs'))).toBe(
      'scenarios/t.yaml line 7: fabric.perCopyRate: "800 furlongs" is not a rate (write it like 800MB/s or 1.5GiB/s)',
    );
  });

  it('a size where a rate belongs', () => {
    expect(errorOf(edit(7, '  perCopyRate: 250MB'))).toMatch(/^scenarios\/t\.yaml line 7: fabric\.perCopyRate: "250MB" is not a rate/);
  });

  it('unknown field, reported on its own line', () => {
    const text = edit(22, '      memory: 16GiB', '      colour: blue');
    expect(errorOf(text)).toBe(
      'scenarios/t.yaml line 23: estate.vms[0].colour: unknown field (the fields known here are name, host, memory, power, home, template, blockers, notes, disks, snapshots, drsOverride)',
    );
  });

  it('a misspelt field is reported as unknown, not as the field it should have been', () => {
    expect(errorOf(edit(22, '      memroy: 16GiB'))).toMatch(/^scenarios\/t\.yaml line 22: estate\.vms\[0\]\.memroy: unknown field/);
  });

  it('unknown top-level field', () => {
    expect(errorOf(`${BASE.join('\n')}\npolcy: field\n`)).toMatch(/^scenarios\/t\.yaml line 26: polcy: unknown field/);
  });

  it('negative size', () => {
    expect(errorOf(edit(24, '        - { size: -200GiB, datastore: OLD-01 }'))).toBe(
      'scenarios/t.yaml line 24: estate.vms[0].disks[0].size: "-200GiB" is negative, and a size must be zero or more',
    );
  });

  it('negative plain number', () => {
    expect(errorOf(edit(17, '    - { name: OLD-01, array: OLD, capacity: -5 }'))).toBe(
      'scenarios/t.yaml line 17: estate.datastores[0].capacity: -5 is negative, and a size must be zero or more',
    );
  });

  it('a VM on a host that does not exist', () => {
    expect(errorOf(edit(21, '      host: esx99'))).toBe(
      'scenarios/t.yaml line 21: estate.vms[0].host: host "esx99" does not exist (known: esx01, esx02)',
    );
  });

  it('duplicate VM names: the second one is at fault', () => {
    expect(errorOf(edit(25, '    - { name: app01, host: esx02, memory: 8GiB, disks: [ { size: 100GiB, datastore: OLD-01 } ] }'))).toBe(
      'scenarios/t.yaml line 25: estate.vms[1].name: the VM name "app01" is used twice',
    );
  });

  it('duplicate host names across the cluster', () => {
    expect(errorOf(edit(15, '        - { name: esx01 }'))).toBe(
      'scenarios/t.yaml line 15: estate.clusters[0].hosts[1].name: the host name "esx01" is used twice',
    );
  });

  it('a disk on an unknown datastore', () => {
    expect(errorOf(edit(25, '    - { name: app02, host: esx02, memory: 8GiB, disks: [ { size: 100GiB, datastore: OLD-09 } ] }'))).toBe(
      'scenarios/t.yaml line 25: estate.vms[1].disks[0].datastore: datastore "OLD-09" does not exist (known: OLD-01, NEW-01)',
    );
  });

  it('missing required field: the line where the object starts', () => {
    expect(errorOf(edit(21))).toBe('scenarios/t.yaml line 20: estate.vms[0].host: this required field is missing');
  });

  it('missing required field of a section: the line naming the section', () => {
    expect(errorOf(edit(7))).toBe('scenarios/t.yaml line 2: fabric.perCopyRate: this required field is missing');
  });

  it('missing estate', () => {
    expect(errorOf(BASE.slice(0, 7).join('\n'))).toBe('scenarios/t.yaml line 1: estate: this required field is missing');
  });

  it('wrong type', () => {
    expect(errorOf(edit(3, '  hosts: { hbaPorts: two, portSpeed: 16Gb }'))).toBe(
      'scenarios/t.yaml line 3: fabric.hosts.hbaPorts: expected a whole number, got "two"',
    );
  });

  it('value out of a fixed set', () => {
    expect(errorOf(edit(22, '      memory: 16GiB', '      power: maybe'))).toBe(
      'scenarios/t.yaml line 23: estate.vms[0].power: "maybe" is not one of on, off, suspended',
    );
  });

  it('an FC speed that does not exist', () => {
    expect(errorOf(edit(6, '    - { name: NEW, frontEndPorts: 8, portSpeed: 10Gb }'))).toMatch(
      /^scenarios\/t\.yaml line 6: fabric\.arrays\[1\]\.portSpeed: "10Gb" is not an FC port speed/,
    );
  });

  it('a datastore on an array the fabric does not have', () => {
    expect(errorOf(edit(18, '    - { name: NEW-01, array: NEWER, capacity: 8TiB }'))).toBe(
      'scenarios/t.yaml line 18: estate.datastores[1].array: array "NEWER" is not one of fabric.arrays (OLD, NEW)',
    );
  });

  it('a datastore not mounted where the VM runs', () => {
    const text = edit(17, '    - { name: OLD-01, array: OLD, capacity: 4TiB, clusters: [OTHER] }');
    expect(errorOf(text)).toBe('scenarios/t.yaml line 17: estate.datastores[0].clusters[0]: cluster "OTHER" does not exist (known: LAB)');
  });

  it('allocated beyond the size of a thin disk', () => {
    expect(errorOf(edit(24, '        - { size: 100GiB, allocated: 120GiB, thin: true, datastore: OLD-01 }'))).toBe(
      'scenarios/t.yaml line 24: estate.vms[0].disks[0].allocated: 120.0 GiB allocated is more than the disk\'s size 100.0 GiB',
    );
  });

  it('more allocated on a datastore than it holds', () => {
    // app01 allocates 120 GiB (thin), app02 100 GiB (thick): 220 GiB on a 200 GiB datastore.
    expect(errorOf(edit(17, '    - { name: OLD-01, array: OLD, capacity: 200GiB }'))).toBe(
      'scenarios/t.yaml line 17: estate.datastores[0].capacity: the disks listed on "OLD-01" allocate 220.0 GiB, more than its capacity 200.0 GiB',
    );
  });

  it('an unknown cost profile', () => {
    expect(errorOf(`vsphere: { costs: vsphere-9 }\n${BASE.join('\n')}`)).toBe(
      'scenarios/t.yaml line 1: vsphere.costs: "vsphere-9" is not a known cost profile (one of vsphere-6+, vsphere-6, vsphere-7, vsphere-8, vsphere-5)',
    );
  });

  it('hosts in enclosures need the enclosure uplinks described', () => {
    expect(errorOf(edit(14, '        - { name: esx01, enclosure: ENC1 }'))).toBe(
      'scenarios/t.yaml line 2: fabric: host "esx01" sits in enclosure "ENC1", but fabric.enclosures does not describe the enclosure uplinks',
    );
  });

  it('YAML that does not parse', () => {
    expect(errorOf(edit(22, '      memory: 16GiB', '      memory: 8GiB'))).toBe('scenarios/t.yaml line 23: this is not valid YAML: map keys must be unique');
  });

  it('JSON that does not parse names its line', () => {
    const message = errorOf('{\n  "name": "t",\n  "fabric": {,\n}\n', 'x.json');
    expect(message).toMatch(/^x\.json line 3: this is not valid JSON: /);
  });

  it('an empty file (comments only)', () => {
    expect(errorOf('# nothing yet\n\n')).toBe('scenarios/t.yaml: the file is empty');
  });

  it('a file that is not there', () => {
    expect(() => loadScenario('scenarios/no-such-scenario.yaml')).toThrow(
      new UserError('scenarios/no-such-scenario.yaml: cannot read the scenario file (no such file).'),
    );
  });

  it('an estate cannot be both synthetic and imported', () => {
    const text = `${BASE.slice(0, 8).join('\n')}\n  synthetic: {}\n  import: x.json\n`;
    expect(errorOf(text)).toBe('scenarios/t.yaml line 10: estate.import: an estate is either synthetic or imported, not both');
  });
});
