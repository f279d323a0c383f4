// What RVTools cannot know and the planner must say: which datastores are on the legacy array and
// which on the new one, which array each datastore lives on, and where disks are when the export
// leaves their datastore out. All are name rules given on the command line.
//
// A name rule is what a scenario's `legacy.datastores` entries are (scenarios/README.md), so that
// planners learn one form: an exact name, or else a regular expression searched in the name (anchor
// it with ^…$ to match whole names). Options repeat for several rules.

import type { Datastore, DatastoreRole } from '../domain/estate.js';
import { UserError } from '../domain/errors.js';
import { NamePatternError, compileNamePattern } from '../domain/name-pattern.js';
import { q, type WarningLog } from './warnings.js';

export interface NameRule {
  /** As the user wrote it. */
  text: string;
  test(name: string): boolean;
}

export interface ArrayRule {
  array: string;
  rule: NameRule;
}

/** Where disks and VM homes go when the export does not say: one datastore, for one cluster or all. */
export interface AssumedDatastore {
  cluster: string | null;
  datastore: string;
}

export interface DatastoreRules {
  legacy: NameRule[];
  new: NameRule[];
  arrays: ArrayRule[];
  assume: AssumedDatastore[];
}

export const NO_RULES: DatastoreRules = { legacy: [], new: [], arrays: [], assume: [] };

/** Parses a name rule; `option` names the flag for the error message. */
export function parseNameRule(text: string, option: string): NameRule {
  if (text === '') throw new UserError(`${option} needs a datastore name or a regular expression.`);
  try {
    // RE2's linear-time engine: a rule like ^(a+)+$ cannot make the import backtrack for ever.
    return compileNamePattern(text);
  } catch (err) {
    if (!(err instanceof NamePatternError)) throw err;
    throw new UserError(`${option} "${text}" is neither a name nor a valid regular expression (${err.message}).`);
  }
}

/** `NAME=rule`: datastores matching the rule are on array NAME. */
export function parseArrayRule(text: string): ArrayRule {
  const at = text.indexOf('=');
  const array = at < 0 ? '' : text.slice(0, at).trim();
  if (array === '') {
    throw new UserError(`--array ${text}: write it as NAME=rule, for example --array VNX1=^vnx1_ or --array PMAX=ds01.`);
  }
  return { array, rule: parseNameRule(text.slice(at + 1), `--array ${array}=`) };
}

/** `[cluster=]datastore`. */
export function parseAssumedDatastore(text: string): AssumedDatastore {
  const at = text.indexOf('=');
  const cluster = at < 0 ? null : text.slice(0, at).trim();
  const datastore = (at < 0 ? text : text.slice(at + 1)).trim();
  if (datastore === '' || cluster === '') {
    throw new UserError(`--assume-datastore ${text}: write it as DATASTORE or CLUSTER=DATASTORE.`);
  }
  return { cluster, datastore };
}

/** The datastore assumed for a VM of `cluster`: the rule for its cluster first, then the general one. */
export function assumedDatastoreFor(rules: DatastoreRules, cluster: string | null): string | null {
  let general: string | null = null;
  for (const a of rules.assume) {
    if (a.cluster !== null && cluster !== null && a.cluster.toLowerCase() === cluster.toLowerCase()) return a.datastore;
    if (a.cluster === null && general === null) general = a.datastore;
  }
  return general;
}

/**
 * Sets role and array on each datastore from the rules (first array rule that matches wins). A
 * datastore matched by both --legacy and --new is an error; a rule that matches nothing is warned
 * about, as it is most likely a typo.
 */
export function applyDatastoreRules(
  datastores: Datastore[],
  rules: DatastoreRules,
  warnings: WarningLog,
  file: string,
): void {
  const used = new Set<NameRule>();
  for (const ds of datastores) {
    const legacy = rules.legacy.find((r) => r.test(ds.name));
    const next = rules.new.find((r) => r.test(ds.name));
    if (legacy && next) {
      throw new UserError(
        `Datastore ${q(ds.name)} matches both --legacy ${legacy.text} and --new ${next.text}: a datastore is on one side of the migration only.`,
      );
    }
    let role: DatastoreRole = 'other';
    if (legacy) {
      role = 'legacy';
      used.add(legacy);
    } else if (next) {
      role = 'new';
      used.add(next);
    }
    ds.role = role;
    const array = rules.arrays.find((a) => a.rule.test(ds.name));
    if (array) {
      ds.array = array.array;
      used.add(array.rule);
    }
  }
  const unused = [
    ...rules.legacy.map((r) => ['--legacy', r] as const),
    ...rules.new.map((r) => ['--new', r] as const),
    ...rules.arrays.map((a) => [`--array ${a.array}=`, a.rule] as const),
  ].filter(([, r]) => !used.has(r));
  for (const [option, rule] of unused) {
    warnings.add({
      code: 'rule-matches-nothing',
      file,
      tab: null,
      row: null,
      message: `${option}${option.endsWith('=') ? '' : ' '}${rule.text} matches no datastore of the export.`,
    });
  }
}
