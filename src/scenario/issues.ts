// zod validation → the one error a person sees. zod reports every issue in schema order; a person
// reads a file top to bottom, so the issue on the earliest line is the one reported.

import type * as z from 'zod';
import type { UserError } from '../domain/errors.js';
import { describe } from './fields.js';
import { FieldError, type FieldPath, type SourceText } from './source.js';

/** Validates `data` against `schema`; the value on success, else throws the earliest issue as a UserError. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, source: SourceText, prefix: FieldPath = []): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw earliestIssue(result.error, data, source, prefix);
}

function earliestIssue(error: z.ZodError, data: unknown, source: SourceText, prefix: FieldPath): UserError {
  // A misspelt field shows up twice: as an unknown field and as the missing one it was meant to
  // be. The unknown one is the useful report, so a missing field of an object that also holds an
  // unknown field is passed over.
  const withUnknown = new Set(error.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => pathKey(i.path)));
  let best: { line: number; field: FieldError } | null = null;
  for (const issue of error.issues) {
    const field = toFieldError(issue, data, prefix);
    if (field.message === MISSING && withUnknown.has(pathKey(issue.path.slice(0, -1)))) continue;
    const line = source.rank(field.path, { keyLine: field.keyLine });
    if (best === null || line < best.line) best = { line, field };
  }
  if (best === null) throw new Error('zod reported a failure without issues');
  return source.error(best.field.path, best.field.message, { keyLine: best.field.keyLine });
}

const MISSING = 'this required field is missing';

function pathKey(path: ReadonlyArray<PropertyKey>): string {
  return JSON.stringify(path.map(String));
}

export function toFieldError(issue: z.core.$ZodIssue, data: unknown, prefix: FieldPath = []): FieldError {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'unrecognized_keys') {
    return new FieldError([...path, issue.keys[0] ?? ''], issue.message, { keyLine: true });
  }
  const value = valueAt(data, issue.path);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return new FieldError(path, MISSING);
  }
  switch (issue.code) {
    case 'invalid_type':
      // zod's own wording starts "Invalid input"; a schema of ours says something better already.
      if (!issue.message.startsWith('Invalid input')) return new FieldError(path, issue.message);
      return new FieldError(path, `expected ${expected(issue.expected)}, got ${describe(value)}`);
    case 'invalid_value':
      return new FieldError(path, `${describe(value)} is not one of ${issue.values.map((v) => String(v)).join(', ')}`);
    default:
      return new FieldError(path, issue.message);
  }
}

function expected(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping of fields';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    default:
      return type;
  }
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}
