// Datastore rules: names or regular expressions (as scenarios write them), arrays, assumptions.

import { describe, expect, it } from 'vitest';
import type { Datastore } from '../../src/domain/estate.js';
import {
  applyDatastoreRules,
  assumedDatastoreFor,
  parseArrayRule,
  parseAssumedDatastore,
  parseNameRule,
  NO_RULES,
} from '../../src/inventory/rules.js';
import { WarningLog } from '../../src/inventory/warnings.js';

const ds = (name: string): Datastore => ({ name, capacityBytes: 1, freeBytes: 1, array: null, role: 'other', hosts: null });

describe('name rules', () => {
  it('match an exact name, or a regular expression searched in the name', () => {
    const exact = parseNameRule('VNX.01', '--legacy');
    expect(['VNX.01', 'VNXx01', 'OLD-VNX.01-b'].map(exact.test)).toEqual([true, true, true]);
    const anchored = parseNameRule('^VNX_\\d+$', '--legacy');
    expect(['VNX_01', 'VNX_01b', 'xVNX_01'].map(anchored.test)).toEqual([true, false, false]);
    // `ds[1]` as an expression matches ds1; as a name it matches itself, which the expression does not.
    const bracket = parseNameRule('ds[1]', '--new');
    expect(bracket.test('ds[1]')).toBe(true);
    expect(bracket.test('ds1')).toBe(true);
  });

  it('refuse an empty rule or an invalid expression, naming the option', () => {
    expect(() => parseNameRule('', '--new')).toThrow('--new needs a datastore name or a regular expression.');
    expect(() => parseNameRule('VNX_(', '--legacy')).toThrow(/^--legacy "VNX_\(" is neither a name nor a valid regular expression \(/);
  });

  it('arrays are NAME=rule; assumptions are [cluster=]datastore', () => {
    const a = parseArrayRule('PMAX-1=^pmax_');
    expect([a.array, a.rule.test('pmax_07'), a.rule.test('vnx_07')]).toEqual(['PMAX-1', true, false]);
    expect(() => parseArrayRule('^pmax')).toThrow(/^--array \^pmax: write it as NAME=rule/);
    expect(parseAssumedDatastore('LEGACY-1')).toEqual({ cluster: null, datastore: 'LEGACY-1' });
    expect(parseAssumedDatastore('Prod = LEGACY-2')).toEqual({ cluster: 'Prod', datastore: 'LEGACY-2' });
    expect(() => parseAssumedDatastore('Prod=')).toThrow(/write it as DATASTORE or CLUSTER=DATASTORE/);
  });

  it('an assumption for the VM cluster wins over the general one, whatever the order', () => {
    const rules = { ...NO_RULES, assume: [parseAssumedDatastore('ALL'), parseAssumedDatastore('prod=P1')] };
    expect(assumedDatastoreFor(rules, 'Prod')).toBe('P1');
    expect(assumedDatastoreFor(rules, 'Test')).toBe('ALL');
    expect(assumedDatastoreFor(rules, null)).toBe('ALL');
    expect(assumedDatastoreFor(NO_RULES, 'Prod')).toBeNull();
  });
});

describe('applying rules to datastores', () => {
  it('sets roles and the first matching array; warns about a rule that matches nothing', () => {
    const list = [ds('VNX_01'), ds('PURE_01'), ds('local-esx1')];
    const warnings = new WarningLog();
    applyDatastoreRules(
      list,
      {
        legacy: [parseNameRule('^VNX_', '--legacy')],
        new: [parseNameRule('PURE_01', '--new'), parseNameRule('^NETAPP', '--new')],
        arrays: [parseArrayRule('VNX-A=^VNX_0[0-4]'), parseArrayRule('VNX-B=^VNX'), parseArrayRule('PURE=PURE')],
        assume: [],
      },
      warnings,
      'x.xlsx',
    );
    expect(list.map((d) => [d.name, d.role, d.array])).toEqual([
      ['VNX_01', 'legacy', 'VNX-A'],
      ['PURE_01', 'new', 'PURE'],
      ['local-esx1', 'other', null],
    ]);
    expect(warnings.list().map((w) => w.message)).toEqual(['--new ^NETAPP matches no datastore of the export.', '--array VNX-B=^VNX matches no datastore of the export.']);
  });

  it('refuses a datastore on both sides', () => {
    expect(() =>
      applyDatastoreRules([ds('VNX_01')], { ...NO_RULES, legacy: [parseNameRule('VNX', '--legacy')], new: [parseNameRule('_01', '--new')] }, new WarningLog(), 'x'),
    ).toThrow('Datastore "VNX_01" matches both --legacy VNX and --new _01: a datastore is on one side of the migration only.');
  });
});

describe('the warning log', () => {
  it('keeps the first 25 of a kind with their rows and counts the rest in one line', () => {
    const log = new WarningLog();
    for (let row = 2; row < 102; row++) log.add({ code: 'memory-unknown', file: 'f', tab: 'vInfo', row, column: 'Memory', message: `row ${row}` });
    log.add({ code: 'other', file: 'f', tab: null, row: null, message: 'once' });
    const list = log.list();
    expect(list).toHaveLength(27);
    expect(list.filter((w) => w.code === 'memory-unknown' && w.row !== null).map((w) => w.row)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    expect(list.at(-1)).toMatchObject({ code: 'memory-unknown', row: null, omitted: 75, column: 'Memory' });
    expect(list.at(-1)!.message).toBe('75 more warnings like the ones above (memory-unknown) were left out.');
    expect(log.count('memory-unknown')).toBe(100);
  });
});
