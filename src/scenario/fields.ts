// zod field types of the scenario format: quantities written with units (parsed by domain/units.ts
// so that the CLI and scenario files accept the same spellings), names, counts and strict objects.
// Messages are written to follow "<file> line N: <field path>: ", so they start in lower case.

import * as z from 'zod';
import { DistributionError, parseDistribution, type Distribution, type QuantitySpec } from '../domain/distribution.js';
import { LIMITS } from '../domain/limits.js';
import { UnitError, formatBytes, formatDuration, formatRate, parseDuration, parseFcSpeed, parseFraction, parseRate, parseSize } from '../domain/units.js';

/** An object that rejects unknown fields, naming the fields it does know. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field (the fields known here are ${known})` : undefined),
  });
}

/** A list that must hold at least one entry. */
export function list<T extends z.ZodType>(item: T, max: number = LIMITS.listEntries) {
  return z
    .array(item)
    .min(1, { error: 'must list at least one entry' })
    .max(max, { error: (iss) => `lists ${(iss.input as unknown[]).length.toLocaleString('en-US')} entries, more than svmig's limit of ${max.toLocaleString('en-US')}` });
}

/** A list that may be empty, up to `max` entries. */
export function anyList<T extends z.ZodType>(item: T, max: number = LIMITS.listEntries) {
  return z
    .array(item)
    .max(max, { error: (iss) => `lists ${(iss.input as unknown[]).length.toLocaleString('en-US')} entries, more than svmig's limit of ${max.toLocaleString('en-US')}` });
}

/** A name of something in the estate or fabric: non-empty text (quote names YAML would read as numbers). */
export const name = z
  .string({ error: (iss) => `expected a name, got ${describe(iss.input)} (quote it if it looks like a number)` })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(LIMITS.textLength, { error: `is longer than svmig's limit of ${LIMITS.textLength.toLocaleString('en-US')} characters` });

/** A whole number of at least `min` and at most `max` (`why` says what the limit protects). */
export function count(min: number, max: number, why = "svmig's limit") {
  return z
    .number({ error: (iss) => `expected a whole number, got ${describe(iss.input)}` })
    .int({ error: (iss) => `expected a whole number, got ${describe(iss.input)}` })
    .min(min, { error: (iss) => `must be at least ${min}, not ${describe(iss.input)}` })
    .max(max, { error: (iss) => `${describe(iss.input)} is too many: it must be at most ${max.toLocaleString('en-US')} (${why})` });
}

/** A plain number from `min` to `max` (a factor, a cost). */
export function boundedNumber(min: number, max: number) {
  return z
    .number({ error: (iss) => `expected a number, got ${describe(iss.input)}` })
    .min(min, { error: (iss) => `must be ${min === 0 ? 'zero' : min} or more, not ${describe(iss.input)}` })
    .max(max, { error: (iss) => `${describe(iss.input)} is too large: it must be at most ${max.toLocaleString('en-US')}` });
}

/** A plain non-negative number (a factor, a cost). */
export const nonNegativeNumber = z
  .number({ error: (iss) => `expected a number, got ${describe(iss.input)}` })
  .min(0, { error: (iss) => `must be zero or more, not ${describe(iss.input)}` })
  .refine(Number.isFinite, { error: 'must be a finite number' });

type Parser = (text: string | number) => number;

/**
 * A quantity written with a unit (`500GiB`, `250MB/s`, `16Gb`, `20s`, `10%`) or as a plain number
 * in the base unit. `positive` rejects zero where zero would make no sense (a rate of nothing).
 */
interface QuantityLimits {
  positive?: boolean;
  /** Zero is accepted below `min` (it means "the default" there). */
  allowZero?: boolean;
  /** Smallest and largest value accepted, in the base unit, with how to print them. */
  min?: number;
  max?: number;
  format?: (value: number) => string;
  /** What the limit is for, appended to the message. */
  why?: string;
}

function quantity(parse: Parser, what: string, example: string, options: QuantityLimits = {}) {
  return z
    .union([z.number(), z.string()], {
      error: (iss) => `expected ${what} like ${example}, got ${describe(iss.input)}`,
    })
    .transform((value, ctx) => {
      if ((typeof value === 'number' && value < 0) || (typeof value === 'string' && value.trim().startsWith('-'))) {
        ctx.addIssue({ code: 'custom', message: `${describe(value)} is negative, and ${what} must be zero or more` });
        return z.NEVER;
      }
      try {
        const parsed = parse(value);
        if (options.positive && parsed === 0) {
          ctx.addIssue({ code: 'custom', message: `${describe(value)} is zero, and ${what} must be more than that` });
          return z.NEVER;
        }
        const show = options.format ?? String;
        const why = options.why ? ` (${options.why})` : '';
        if (options.min !== undefined && parsed < options.min && !(parsed === 0 && options.allowZero)) {
          ctx.addIssue({ code: 'custom', message: `${describe(value)} is too small: ${what} here must be at least ${show(options.min)}${why}` });
          return z.NEVER;
        }
        if (options.max !== undefined && parsed > options.max) {
          ctx.addIssue({ code: 'custom', message: `${describe(value)} is too large: ${what} here must be at most ${show(options.max)}${why}` });
          return z.NEVER;
        }
        return parsed;
      } catch (err) {
        if (!(err instanceof UnitError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    });
}

const SIZE_LIMIT = { max: LIMITS.bytes, format: (b: number) => formatBytes(b), why: "svmig's limit for one size" };
/** Bytes: `500GiB`, `1.5TB`, or a plain number of bytes. */
export const size = quantity(parseSize, 'a size', '500GiB', SIZE_LIMIT);
export const positiveSize = quantity(parseSize, 'a size', '500GiB', { ...SIZE_LIMIT, positive: true });
/** A size that adds many up (a whole estate): up to 1,024 times the limit of one. */
export const totalSize = quantity(parseSize, 'a size', '500TiB', { ...SIZE_LIMIT, positive: true, max: 1024 * LIMITS.bytes, why: "svmig's limit for an estate" });
/** Bytes per second: `250MB/s`, `1.5GiB/s`, `10Gb/s`; at least 1 MB/s, so a campaign ends in simulated time. */
export const rate = quantity(parseRate, 'a rate', '250MB/s', {
  positive: true,
  min: LIMITS.minRate,
  format: (r) => formatRate(r),
  why: 'slower copies would take centuries of simulated time',
});
/** An FC port generation (`8Gb`, `16GFC`, `16`) → usable bytes/s per direction. */
export const fcSpeed = quantity(parseFcSpeed, 'an FC port speed', '16Gb', { positive: true });
/** Seconds: `20s`, `1m30s`, or a plain number of seconds; at most ten years. */
export const duration = quantity(parseDuration, 'a duration', '20s', { max: LIMITS.maxSeconds, format: formatDuration, why: "svmig's limit of simulated time" });
/** A duration from `min` to `max` seconds, `why` saying what the limits protect. */
export function boundedDuration(min: number, max: number, why: string, options: { allowZero?: boolean } = {}) {
  return quantity(parseDuration, 'a duration', '20s', { min, max, format: formatDuration, why, ...options });
}
/** `10%`, or a plain fraction (0.1). */
export const fraction = quantity(parseFraction, 'a percentage', '10%');

/** Text that calls a distribution: `lognormal(…)`, `triangular(…)`. */
const DISTRIBUTION_CALL = /^\s*[a-z]+\s*\(/i;

/**
 * A quantity each run draws once (a systematic uncertainty of the campaign): either a plain value,
 * read by `plain` exactly as a field of that kind always is (so its messages and limits stay), or a
 * distribution of such values, `lognormal(100MB/s, 0.15)`, `triangular(0.1, 0.2, 0.4)`, each value
 * read by `spec` and the whole kept inside its domain (domain/distribution.ts). A plain value is a
 * fixed distribution.
 */
export function uncertain(plain: z.ZodType<number, unknown>, spec: QuantitySpec, what: string, example: string) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `expected ${what} or a distribution of them like ${example}, got ${describe(iss.input)}` })
    .transform((value, ctx): Distribution => {
      if (typeof value === 'string' && DISTRIBUTION_CALL.test(value)) {
        try {
          return parseDistribution(value, spec);
        } catch (err) {
          if (!(err instanceof DistributionError)) throw err;
          ctx.addIssue({ code: 'custom', message: err.message });
          return z.NEVER;
        }
      }
      const parsed = plain.safeParse(value);
      if (parsed.success) return { kind: 'fixed', value: parsed.data };
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    });
}

/** A value as a person would recognise it in their file, for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
