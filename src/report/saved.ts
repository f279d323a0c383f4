// Reading a saved result back (`svmig report <file>`): a SimulationResult or a CompareResult, told
// apart by shape (a SweepResult by its `kind`, sweep-saved.ts) and checked field by field, so that a wrong or damaged file is one clear sentence
// naming the file and the field, never a crash halfway through drawing a chart. The schemas check
// every field the report reads; other fields (the result types grow) pass through untouched.

import * as z from 'zod';
import { OPERATIONS } from '../core/operations.js';
import type { OperationKind } from '../core/port.js';
import { UserError } from '../domain/errors.js';
import type { CompareResult } from '../core/compare-result.js';
import { policyStats, rankPolicies, verdictOf } from '../core/run-stats.js';
import type { SimulationResult } from '../core/result.js';
import type { SweepResult } from '../core/sweep-result.js';
import { savedCalendarSchema } from './saved-calendar.js';
import { readSavedSweep } from './sweep-saved.js';

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const seconds = num.refine((n) => n >= 0, 'expected a non-negative number of seconds');
const maybeSeconds = seconds.nullable();

const calendar = savedCalendarSchema;

const operation = z.looseObject({
  vm: z.string(),
  kind: z.enum(Object.keys(OPERATIONS) as [OperationKind, ...OperationKind[]]),
  cluster: z.string(),
  host: z.string(),
  toHost: z.string().nullable(),
  sourceDatastores: z.array(z.string()),
  targetDatastore: z.string().nullable(),
  bytes: num,
  submittedAt: seconds,
  startedAt: maybeSeconds,
  finishedAt: maybeSeconds,
  outcome: z.enum(['success', 'failed', 'cancelled', 'skipped']),
  reason: z.string().optional(),
  by: z.literal('drs').optional(),
});

const simulationResult = z.looseObject({
  scenario: z.string(),
  policy: z.string(),
  seed: num,
  makespanSeconds: seconds,
  bytesMoved: num,
  vmCount: num,
  summary: z.looseObject({
    svmotions: num,
    vmotions: num,
    vmsMoved: num,
    vmsFailed: num,
    vmsSkipped: num,
    queuedSeconds: num,
    queuedOperations: num,
    meanThroughput: num,
    peakThroughput: num,
    peakConcurrentCopies: num,
    apiCalls: num,
    events: num,
  }),
  datastoresEmptied: z.array(z.looseObject({ name: z.string(), at: maybeSeconds })),
  links: z.array(z.looseObject({ id: z.string(), label: z.string(), capacity: num, bytes: num, utilisation: num })),
  throughput: z.array(z.tuple([seconds, num])),
  operations: z.array(operation),
  calendar: calendar.optional(),
  timeline: z
    .object({
      binSeconds: num,
      times: z.array(num),
      clusters: z.array(z.looseObject({ name: z.string(), bytesPerSecond: z.array(num) })),
      links: z.array(z.looseObject({ id: z.string(), label: z.string(), capacity: num, utilisation: z.array(num) })),
    })
    .optional(),
});

const runSummary = z.looseObject({
  seed: num,
  makespanSeconds: seconds,
  bytesMoved: num,
  vmotions: num,
  apiCalls: num,
  queuedSeconds: num,
  vmsFailed: num,
  firstLegacyEmptySeconds: maybeSeconds,
  lastLegacyEmptySeconds: maybeSeconds,
  vmsSkipped: num.optional(),
  retries: num.optional(),
  drsMoves: num.optional(),
  vmsMoved: num.optional(),
  legacyDatastores: num.optional(),
  legacyDatastoresEmptied: num.optional(),
  allLegacyEmptySeconds: maybeSeconds.optional(),
});


const compareResult = z.looseObject({
  scenario: z.string(),
  seed: num,
  runs: num,
  deadlineSeconds: maybeSeconds,
  lowerBoundSeconds: seconds,
  winner: z.string().nullable().optional(),
  ranking: z.array(z.string()).optional(),
  verdict: z.string().optional(),
  calendar: calendar.optional(),
  lowerBound: z
    .looseObject({ seconds, binding: z.string(), parts: z.array(z.looseObject({ name: z.string(), explanation: z.string() })) })
    .optional(),
  policies: z.array(
    z.looseObject({
      policy: z.string(),
      p50Seconds: seconds,
      p90Seconds: seconds,
      p99Seconds: seconds,
      deadlineProbability: num.nullable(),
      vmotions: num,
      apiCalls: num,
      bytesPerHour: num,
      ratioToLowerBound: num,
      firstLegacyEmptyP50Seconds: maybeSeconds,
      lastLegacyEmptyP50Seconds: maybeSeconds,
      runs: z.array(runSummary),
    }),
  ),
});

/**
 * What a saved result may hold: far more than svmig writes for the largest estate it takes, few
 * enough that the report's tables, series and charts are built in seconds.
 */
export const SAVED_LIMITS = { operations: 2_000_000, runs: 1_000_000, policies: 100, series: 1_000_000 } as const;

function tooMany(file: string, what: string, n: number, max: number): UserError {
  return new UserError(`${file} holds ${n.toLocaleString('en-US')} ${what}, more than the ${max.toLocaleString('en-US')} svmig reports on.`);
}

/** Counts checked before the field-by-field validation, which would take long on an absurd file. */
function checkCounts(obj: Record<string, unknown>, file: string): void {
  const length = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (length(obj['operations']) > SAVED_LIMITS.operations) throw tooMany(file, 'operations', length(obj['operations']), SAVED_LIMITS.operations);
  if (length(obj['throughput']) > SAVED_LIMITS.series) throw tooMany(file, 'throughput steps', length(obj['throughput']), SAVED_LIMITS.series);
  const policies = Array.isArray(obj['policies']) ? (obj['policies'] as unknown[]) : [];
  if (policies.length > SAVED_LIMITS.policies) throw tooMany(file, 'policies', policies.length, SAVED_LIMITS.policies);
  let runs = 0;
  for (const p of policies) runs += p !== null && typeof p === 'object' ? length((p as Record<string, unknown>)['runs']) : 0;
  if (runs > SAVED_LIMITS.runs) throw tooMany(file, 'runs', runs, SAVED_LIMITS.runs);
}

export type Saved = { kind: 'result'; result: SimulationResult } | { kind: 'compare'; compare: CompareResult } | { kind: 'sweep'; sweep: SweepResult };

/** A parsed JSON document from `file` → the result it holds; UserError naming the file otherwise. */
export function readSaved(data: unknown, file: string): Saved {
  const obj = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  if (obj && obj['kind'] === 'sweep') return { kind: 'sweep', sweep: readSavedSweep(obj, file) };
  if (obj) checkCounts(obj, file);
  if (obj && ('operations' in obj || 'throughput' in obj)) {
    const parsed = simulationResult.safeParse(obj);
    if (!parsed.success) throw invalid(file, 'simulation result', parsed.error);
    return { kind: 'result', result: parsed.data as unknown as SimulationResult };
  }
  if (obj && 'policies' in obj) {
    const parsed = compareResult.safeParse(obj);
    if (!parsed.success) throw invalid(file, 'comparison result', parsed.error);
    return { kind: 'compare', compare: completed(parsed.data as unknown as CompareResult) };
  }
  throw new UserError(
    `${file} is neither a simulation result (svmig simulate) nor a comparison (svmig compare) nor a sweep (svmig sweep): it has no "operations" nor "policies" field.`,
  );
}

/**
 * A comparison as this svmig writes it: a file from an svmig that did not count VMs left behind or
 * datastores emptied gets those figures worked out again from its runs (what the runs do not say
 * stays unknown: null), and its ranking and verdict by the ranking of today.
 */
function completed(c: CompareResult): CompareResult {
  const policies = c.policies.map((p) => ({ ...policyStats(p.policy, p.runs, c.deadlineSeconds, c.lowerBoundSeconds), ...definedOnly(p) }));
  const ranking = c.ranking ?? rankPolicies(policies).map((p) => p.policy);
  return { ...c, policies, ranking, winner: c.ranking ? (c.winner ?? ranking[0] ?? null) : (ranking[0] ?? null), verdict: c.verdict ?? verdictOf(policies) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function invalid(file: string, what: string, error: z.ZodError): UserError {
  const issue = error.issues[0]!;
  const where = issue.path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
  return new UserError(`${file} is not a valid ${what}: ${where || 'the document'}: ${issue.message}.`);
}
