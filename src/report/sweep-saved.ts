// Reading a saved sweep back (`svmig report <file>.sweep.….json`), checked field by field like the
// other results (saved.ts): a damaged file is one sentence naming the file and the field.

import * as z from 'zod';
import { UserError } from '../domain/errors.js';
import type { SweepResult } from '../core/sweep-result.js';
import { savedCalendarSchema } from './saved-calendar.js';

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const seconds = num.refine((n) => n >= 0, 'expected a non-negative number of seconds');

const cell = z.looseObject({
  policy: z.string(),
  spec: z.string(),
  p50Seconds: seconds,
  p90Seconds: seconds,
  p99Seconds: seconds,
  meanSeconds: seconds,
  deadlineProbability: num.nullable(),
  vmsLeft: num,
  vmsFailed: num,
  queuedSeconds: num,
  ratioToLowerBound: num.nullable().optional(),
  runs: z.array(z.looseObject({ seed: num, makespanSeconds: seconds })),
});

const sweepSchema = z
  .looseObject({
    kind: z.literal('sweep'),
    scenario: z.string(),
    seed: num,
    runs: num,
    deadlineSeconds: seconds.nullable(),
    axes: z.array(z.looseObject({ path: z.string(), kind: z.enum(['scenario', 'policy']), values: z.array(z.string()).min(1) })).min(1),
    policies: z.array(z.string()).min(1),
    points: z.array(
      z.looseObject({
        values: z.array(z.string()),
        lowerBoundSeconds: seconds,
        cells: z.array(cell),
        calendar: savedCalendarSchema.optional(),
        deadlineSeconds: num.optional(),
      }),
    ),
  })
  .superRefine((r, ctx) => {
    r.points.forEach((p, i) => {
      if (p.values.length !== r.axes.length) ctx.addIssue({ code: 'custom', path: ['points', i, 'values'], message: `expected one value per axis (${r.axes.length})` });
      else p.values.forEach((v, k) => {
        if (!r.axes[k]!.values.includes(v)) ctx.addIssue({ code: 'custom', path: ['points', i, 'values', k], message: `"${v}" is not a value of axis ${r.axes[k]!.path}` });
      });
      if (p.cells.length !== r.policies.length) ctx.addIssue({ code: 'custom', path: ['points', i, 'cells'], message: `expected one cell per policy (${r.policies.length})` });
    });
  });

/** Cells and runs a saved sweep may hold (as saved.ts's limits: far beyond what svmig writes). */
const MAX_CELLS = 100_000;
const MAX_RUNS = 1_000_000;

export function readSavedSweep(obj: Record<string, unknown>, file: string): SweepResult {
  const points = Array.isArray(obj['points']) ? (obj['points'] as unknown[]) : [];
  let cells = 0;
  let runs = 0;
  for (const p of points) {
    const c = p !== null && typeof p === 'object' ? (p as Record<string, unknown>)['cells'] : null;
    if (!Array.isArray(c)) continue;
    cells += c.length;
    for (const x of c) {
      const r = x !== null && typeof x === 'object' ? (x as Record<string, unknown>)['runs'] : null;
      runs += Array.isArray(r) ? r.length : 0;
    }
  }
  if (cells > MAX_CELLS) throw new UserError(`${file} holds ${cells.toLocaleString('en-US')} sweep cells, more than the ${MAX_CELLS.toLocaleString('en-US')} svmig reports on.`);
  if (runs > MAX_RUNS) throw new UserError(`${file} holds ${runs.toLocaleString('en-US')} runs, more than the ${MAX_RUNS.toLocaleString('en-US')} svmig reports on.`);
  const parsed = sweepSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
    throw new UserError(`${file} is not a valid sweep result: ${where || 'the document'}: ${issue.message}.`);
  }
  return parsed.data as unknown as SweepResult;
}
