// The `targets:` section: the headroom kept on new datastores, and where disks go besides a
// whole-VM move to one datastore: a datastore map (legacy datastore or pattern → new datastore or
// group, like Forklift's storage map) and a spread rule for large VMs. Selectors are exact names,
// or /regular expressions/ searched in the name (linear-time, RE2 syntax), like the priority list.

import * as z from 'zod';
import type { Estate } from '../domain/estate.js';
import { NamePatternError, compileNamePattern } from '../domain/name-pattern.js';
import { count, fraction, list, positiveSize, strict } from './fields.js';
import type { TargetRules } from './scenario.js';
import { FieldError, type FieldPath } from './source.js';

const selector = z.string().min(1, { error: 'must not be empty' }).max(1000, { error: 'is longer than 1,000 characters' });
const selectors = z.union([selector, list(selector, 10_000)], { error: 'expected a datastore name, a /pattern/, or a list of them' });

export const targetsSection = strict({
  headroom: fraction.default(0.1),
  /** First entry matching a legacy datastore wins; legacy datastores no entry matches may go anywhere. */
  map: list(strict({ from: selectors, to: selectors }), 10_000).optional(),
  spread: strict({
    /** VMs copying more than this have their disks spread. */
    vmsOver: positiveSize.optional(),
    /** VMs with a disk larger than this have their disks spread. */
    disksOver: positiveSize.optional(),
    /** New datastores one VM's disks go to, at most (vSphere copies up to 4 disks at once between distinct datastores). */
    datastores: count(2, 64, "svmig's limit of datastores per VM").default(4),
  }).optional(),
});

export type TargetsSection = z.output<typeof targetsSection>;

const PATH: FieldPath = ['targets'];

export function resolveTargets(section: TargetsSection, estate: Estate): TargetRules {
  const rules: TargetRules = { headroom: section.headroom };
  if (section.map !== undefined) rules.map = resolveMap(section.map, estate);
  if (section.spread !== undefined) {
    const s = section.spread;
    if (s.vmsOver === undefined && s.disksOver === undefined) {
      throw new FieldError([...PATH, 'spread'], 'say which VMs to spread: vmsOver (a VM copying more than this), disksOver (a VM with a disk larger than this), or both', { keyLine: true });
    }
    rules.spread = { vmOver: s.vmsOver ?? null, diskOver: s.disksOver ?? null, datastores: s.datastores };
  }
  return rules;
}

function resolveMap(entries: NonNullable<TargetsSection['map']>, estate: Estate): Record<string, string[]> {
  const legacy = estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name);
  const fresh = estate.datastores.filter((d) => d.role === 'new').map((d) => d.name);
  const map: Record<string, string[]> = {};
  for (const [i, entry] of entries.entries()) {
    const from = matchAll(entry.from, legacy, [...PATH, 'map', i, 'from'], 'legacy');
    const to = matchAll(entry.to, fresh, [...PATH, 'map', i, 'to'], 'new');
    for (const ds of from) if (!Object.hasOwn(map, ds)) map[ds] = to;
  }
  return map;
}

/** The datastores of `names` the selectors pick, in their order; each selector must pick one. */
function matchAll(given: string | string[], names: readonly string[], path: FieldPath, side: 'legacy' | 'new'): string[] {
  const list = typeof given === 'string' ? [given] : given;
  const out = new Set<string>();
  for (const [k, text] of list.entries()) {
    const at = typeof given === 'string' ? path : [...path, k];
    const test = matcher(text, at);
    const hit = names.filter(test);
    if (hit.length === 0) {
      const near = names.slice(0, 5).join(', ');
      throw new FieldError(at, `"${text}" matches no ${side} datastore (${names.length === 0 ? `there is no ${side} datastore` : `${side} datastores: ${near}${names.length > 5 ? ' …' : ''}`})`);
    }
    for (const n of hit) out.add(n);
  }
  return names.filter((n) => out.has(n));
}

function matcher(text: string, path: FieldPath): (name: string) => boolean {
  const re = /^\/(.*)\/$/.exec(text);
  if (re === null) return (name) => name === text;
  try {
    const pattern = compileNamePattern(re[1]!);
    return (name) => pattern.test(name);
  } catch (err) {
    if (!(err instanceof NamePatternError)) throw err;
    throw new FieldError(path, `"${text}" is not a valid regular expression (${err.message})`);
  }
}
