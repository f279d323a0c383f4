// The grid of `svmig sweep`: each `--vary path=v1,v2,…` is an axis, the grid is their cartesian
// product (the first axis varies slowest), and each grid point is a scenario (its `--vary` values
// applied like `--set`, overrides.ts) together with the policies to run on it.
//
// An axis is one of two kinds:
//   · a scenario field, named as `--set` names it: `fabric.perCopyRate=200MB/s,250MB/s`. Each value
//     is YAML, read and validated exactly as the same value written in the file.
//   · a part of every policy compared: `policy.cluster=1..32` runs `field+cluster:1` … for the
//     policy `field` (a part after the preset replaces the preset's, core/policy.ts). Per-cluster
//     concurrency is a policy's, not the scenario's, so this is how its knee is found.
//
// Values are separated by commas outside quotes and brackets (`triangular(0.1, 0.2, 0.4)` is one
// value). `A..B` stands for A, A+1, …, B and `A..B:S` for A, A+S, …, up to B; both take plain
// numbers and may sit among other values: `1..8,12,16,24,32`.

import { parsePolicy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { parsePath, settingOf, type Setting } from './overrides.js';

export type Axis =
  | { kind: 'scenario'; pathText: string; path: Array<string | number>; values: string[]; settings: Setting[] }
  | { kind: 'policy'; pathText: string; part: string; values: string[] };

/** One grid point: the index of its value on each axis. */
export type GridPoint = readonly number[];

/** Policy parts a `policy.<part>` axis may set: the parts of core/policy.ts that take a value. */
export const POLICY_AXIS_PARTS = ['order', 'cluster', 'host', 'enclosure', 'global', 'adaptive', 'pick', 'vmotion', 'retries'] as const;

/** Values of one axis, and points of a grid: far more than a sweep that ends in minutes holds. */
export const MAX_AXIS_VALUES = 1_000;
export const MAX_GRID_POINTS = 10_000;

const RANGE = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/;
const RANGE_FORM = 'write a range as FROM..TO or FROM..TO:STEP with plain numbers, like 1..32 or 0..0.4:0.1';

/** Reads one `--vary path=values` argument into an axis; every complaint is one sentence naming it. */
export function parseVary(text: string): Axis {
  const eq = equalsOutsideQuotes(text);
  if (eq < 0) throw new UserError(`--vary "${text}" has no "=": write it as path=values, like policy.cluster=1..32 or fabric.perCopyRate=200MB/s,250MB/s.`);
  const pathText = text.slice(0, eq).trim();
  const values = expandValues(pathText, text.slice(eq + 1));
  if (pathText === 'policy') {
    throw new UserError('--vary policy: the policies are compared with --policies; to vary a part of each, name it, like policy.cluster=1..32.');
  }
  if (pathText.startsWith('policy.')) {
    const part = pathText.slice('policy.'.length);
    if (!(POLICY_AXIS_PARTS as readonly string[]).includes(part)) {
      throw new UserError(`--vary ${pathText}: "${part}" is not a policy part with a value (${POLICY_AXIS_PARTS.join(', ')}).`);
    }
    for (const v of values) checkPolicyValue(pathText, part, v);
    return { kind: 'policy', pathText, part, values };
  }
  const path = parsePath(pathText, '--vary');
  return { kind: 'scenario', pathText, path, values, settings: values.map((v) => settingOf(pathText, path, v, '--vary')) };
}

/** The axes of a sweep, each path at most once. */
export function parseAxes(texts: readonly string[]): Axis[] {
  if (texts.length === 0) throw new UserError('a sweep needs at least one --vary path=values, like --vary policy.cluster=1..32.');
  const axes = texts.map(parseVary);
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.pathText)) throw new UserError(`--vary ${a.pathText} is given twice: list all its values in one --vary.`);
    seen.add(a.pathText);
  }
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  if (points > MAX_GRID_POINTS) {
    throw new UserError(`--vary: ${axes.map((a) => a.values.length).join(' × ')} makes ${points.toLocaleString('en-US')} grid points, more than svmig's limit of ${MAX_GRID_POINTS.toLocaleString('en-US')}.`);
  }
  return axes;
}

/** Every grid point, the first axis varying slowest. */
export function gridPoints(axes: readonly Axis[]): GridPoint[] {
  let points: number[][] = [[]];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((_, i) => [...p, i]));
  return points;
}

/** The `--set` changes of a point's scenario, in axis order (policy axes set nothing in the file). */
export function pointSettings(axes: readonly Axis[], point: GridPoint): Setting[] {
  return axes.flatMap((a, k) => (a.kind === 'scenario' ? [a.settings[point[k]!]!] : []));
}

/** The policy run at a point for a listed policy: its policy axes' parts appended, in axis order. */
export function pointPolicy(axes: readonly Axis[], point: GridPoint, policy: string): string {
  return axes.reduce((spec, a, k) => (a.kind === 'policy' ? `${spec}+${a.part}:${a.values[point[k]!]!}` : spec), policy.trim());
}

/** A point's values, one per axis, as written. */
export function pointValues(axes: readonly Axis[], point: GridPoint): string[] {
  return axes.map((a, k) => a.values[point[k]!]!);
}

/** Where the first `=` outside double quotes is (a quoted key may hold one), or -1. */
function equalsOutsideQuotes(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (c === '=' && !quoted) return i;
  }
  return -1;
}

/** `1..4,8,"a,b",[x, y]` → ['1', '2', '3', '4', '8', '"a,b"', '[x, y]']. */
export function expandValues(pathText: string, text: string): string[] {
  const name = `--vary ${pathText}`;
  const items = splitTopLevel(text);
  const values: string[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') throw new UserError(`${name}: "${text.trim()}" has an empty value: separate values with single commas, like 1,2,4 or 1..32.`);
    for (const v of expandItem(name, item)) {
      if (values.includes(v)) throw new UserError(`${name}: the value ${v} is listed twice.`);
      values.push(v);
      if (values.length > MAX_AXIS_VALUES) throw new UserError(`${name}: more than ${MAX_AXIS_VALUES.toLocaleString('en-US')} values on one axis.`);
    }
  }
  return values;
}

function expandItem(name: string, item: string): string[] {
  const m = RANGE.exec(item);
  if (!m) {
    // Something that reads as a range but is not one is a typo, not a value to hand to the scenario.
    if (/^[^"'[{(]*\.\./.test(item)) throw new UserError(`${name}: "${item}" is not a range: ${RANGE_FORM}.`);
    return [item];
  }
  const from = Number(m[1]);
  const to = Number(m[2]);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (!(step > 0)) throw new UserError(`${name}: "${item}" has a step of ${m[3]}: the step must be more than 0.`);
  if (to < from) throw new UserError(`${name}: "${item}" ends below its start: ${RANGE_FORM}.`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES) throw new UserError(`${name}: "${item}" makes ${count.toLocaleString('en-US')} values, more than ${MAX_AXIS_VALUES.toLocaleString('en-US')} on one axis.`);
  // Rounded to 12 significant digits: 0..0.3:0.1 gives 0.3, not 0.30000000000000004.
  return Array.from({ length: count }, (_, k) => String(Number((from + k * step).toPrecision(12))));
}

/** Splits on commas that stand outside quotes, brackets, braces and parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote && text[i - 1] !== '\\') quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** A policy part's value, checked by the policy parser itself on a preset that takes any part. */
function checkPolicyValue(pathText: string, part: string, value: string): void {
  try {
    parsePolicy(`fixed:1+${part}:${value}`);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const why = err.message.replace(/^policy "[^"]*": /, '').replace(/\.$/, '');
    throw new UserError(`--vary ${pathText}=${value}: ${why}.`);
  }
}
