// `--set path=value`: a change to a scenario document made before it is validated, so that a value
// given on the command line is read and checked exactly like the same value written in the file.
// A what-if without a copied file (`--set fabric.perCopyRate=120MB/s`), and the unit a sweep varies.
//
// Paths name fields as error messages print them: `fabric.perCopyRate`, `fabric.arrays[0].frontEndPorts`,
// `estate.enclosures["ENC 1"]`. Values are YAML, as they would be written after the key in the
// file: `120MB/s` is text, `16` a number, `true` a boolean, `null` nothing, `[a, b]` a list. A
// missing mapping on the way is created (`campaign.windows.allowOverrun=true` in a scenario
// without windows); a list entry must exist. Problems with the setting itself, and anything wrong
// under what it set or created, are reported as `--set <path>: …` rather than as a line of the file.

import { parseDocument } from 'yaml';
import { UserError } from '../domain/errors.js';
import { describe } from './fields.js';
import { formatPath, type FieldPath } from './source.js';

export interface Setting {
  /** The path as written: `fabric.arrays[0].frontEndPorts`. */
  pathText: string;
  path: Array<string | number>;
  /** The value as written, and as YAML reads it. */
  valueText: string;
  value: unknown;
  /** The option that gave it: `--set` (the default), or `--vary` for one value of a sweep's axis. */
  flag?: '--vary';
}

/** How messages name a setting: `--set fabric.perCopyRate`, or `--vary fabric.perCopyRate=120MB/s` (an axis has many values). */
export function settingName(s: Pick<Setting, 'flag' | 'pathText' | 'valueText'>): string {
  return s.flag === '--vary' ? `--vary ${s.pathText}=${s.valueText}` : `--set ${s.pathText}`;
}

/** Longest `--set` argument: a path and a value, not a document. */
const MAX_SETTING_LENGTH = 10_000;

/** Reads one `path=value` argument. Throws a UserError naming `--set` and what is wrong. */
export function parseSetting(text: string): Setting {
  if (text.length > MAX_SETTING_LENGTH) throw new UserError(`--set: the argument is longer than ${MAX_SETTING_LENGTH.toLocaleString('en-US')} characters.`);
  const eq = equalsOutsideQuotes(text);
  if (eq < 0) throw new UserError(`--set "${text}" has no "=": write it as path=value, like fabric.perCopyRate=120MB/s.`);
  const pathText = text.slice(0, eq).trim();
  return settingOf(pathText, parsePath(pathText), text.slice(eq + 1).trim());
}

/**
 * One value of a field path, read as YAML exactly as `--set` reads it; `flag` says which option it
 * came from, for messages (a sweep's axis gives one setting per value).
 */
export function settingOf(pathText: string, path: Array<string | number>, valueText: string, flag?: '--vary'): Setting {
  const name = settingName({ flag, pathText, valueText });
  const doc = parseDocument(valueText);
  const problem = doc.errors[0];
  if (problem !== undefined) {
    throw new UserError(`${name}: "${valueText}" is not a YAML value (${problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}).`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw new UserError(`${name}: "${valueText}" uses a YAML alias, which a value on the command line cannot refer to.`);
  }
  return { pathText, path, valueText, value, ...(flag === undefined ? {} : { flag }) };
}

/** Where the first `=` outside a quoted key (`["a=b"]`) is, or -1. */
function equalsOutsideQuotes(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (c === '=' && !quoted) return i;
  }
  return -1;
}

const KEY = /^[^.[\]"=\s]+/;

/** `fabric.arrays[0].frontEndPorts` → ['fabric', 'arrays', 0, 'frontEndPorts']. */
export function parsePath(text: string, flag: '--set' | '--vary' = '--set'): Array<string | number> {
  const bad = (why: string) => new UserError(`${flag} ${text === '' ? '(nothing before "=")' : text}: ${why}; write a field path like fabric.arrays[0].frontEndPorts.`);
  if (text === '') throw bad('the path is empty');
  const path: Array<string | number> = [];
  let rest = text;
  while (rest.length > 0) {
    if (rest.startsWith('[')) {
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (index) {
        const n = Number(index[1]);
        if (!Number.isSafeInteger(n)) throw bad(`[${index[1]}] is not a list index`);
        path.push(n);
        rest = rest.slice(index[0].length);
      } else if (quoted) {
        path.push(JSON.parse(quoted[1]!) as string);
        rest = rest.slice(quoted[0].length);
      } else {
        throw bad(`"${rest}" does not start with a list index like [0] or a quoted key like ["ENC 1"]`);
      }
    } else {
      if (path.length > 0) {
        if (!rest.startsWith('.')) throw bad(`"${rest}" should start with "." or "["`);
        rest = rest.slice(1);
      }
      const key = KEY.exec(rest);
      if (!key) throw bad(`a field name is missing before "${rest}"`);
      path.push(key[0]);
      rest = rest.slice(key[0].length);
    }
  }
  return path;
}

/** What a setting created or replaced: errors at or under `owns` are the setting's. */
export interface AppliedSetting {
  setting: Setting;
  /** The shallowest path the setting created (a mapping that was not there), else its own path. */
  owns: FieldPath;
}

/**
 * The document with the settings applied in order (a later one wins over an earlier one at the same
 * path). Pure: `document` is not changed. Throws a UserError when a setting cannot be applied: a
 * list entry that does not exist, a field under something that is not a mapping.
 */
export function applySettings(document: unknown, settings: readonly Setting[]): { document: unknown; applied: AppliedSetting[] } {
  if (settings.length === 0) return { document, applied: [] };
  const root = structuredClone(document) as unknown;
  if (!isMapping(root)) throw new UserError(`${settingName(settings[0]!)}: the scenario is ${describe(root)}, not a mapping of fields, so there is nothing to set.`);
  const applied = settings.map((s) => ({ setting: s, owns: setOne(root, s) }));
  return { document: root, applied };
}

function setOne(root: Record<string, unknown>, s: Setting): FieldPath {
  const fail = (why: string) => new UserError(`${settingName(s)}: ${why}.`);
  let node: unknown = root;
  let owns: FieldPath | null = null;
  for (const [i, segment] of s.path.entries()) {
    const here = s.path.slice(0, i);
    const last = i === s.path.length - 1;
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) throw fail(`${formatPath(here)} is ${describe(node)}, not a list, so it has no entry [${segment}]`);
      if (segment >= node.length) {
        throw fail(`${formatPath(here)} has ${node.length} ${node.length === 1 ? 'entry' : 'entries'}${node.length > 0 ? ` ([0] to [${node.length - 1}])` : ''}: an entry is set where it exists, or the whole list is given, like ${formatPath(here)}=[…]`);
      }
    } else if (Array.isArray(node)) {
      throw fail(`${formatPath(here)} is a list: name an entry by its index, like ${formatPath([...here, 0, segment])}`);
    } else if (!isMapping(node)) {
      throw fail(`${formatPath(here)} is ${describe(node)}, not a mapping of fields, so it has no field "${segment}"`);
    }
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[segment] = s.value;
      break;
    }
    const child = container[segment];
    if (child === undefined || child === null) {
      if (typeof s.path[i + 1] === 'number') throw fail(`${formatPath([...here, segment])} is not in the scenario, so it has no entry [${s.path[i + 1]}]: give the whole list, like ${formatPath([...here, segment])}=[…]`);
      container[segment] = {};
      owns ??= [...here, segment];
    }
    node = container[segment];
  }
  return owns ?? s.path;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The setting an error at `path` belongs to: the last one whose path or created mapping holds it. */
export function settingFor(applied: readonly AppliedSetting[], path: FieldPath): Setting | null {
  for (let i = applied.length - 1; i >= 0; i--) {
    const a = applied[i]!;
    if (a.owns.length <= path.length && a.owns.every((segment, k) => String(segment) === String(path[k]))) return a.setting;
  }
  return null;
}

/** `--set a=1 --set b=2`: how the settings read on a command line, for messages and records. */
export function describeSettings(settings: readonly Setting[]): string {
  return settings.map((s) => `${s.flag ?? '--set'} ${s.pathText}=${s.valueText}`).join(' ');
}
