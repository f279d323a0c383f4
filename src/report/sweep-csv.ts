// sweep.csv of a report: one row per grid point and policy, through the report's CSV writer (csv.ts:
// RFC 4180, and a text cell a spreadsheet would take for a formula neutralised). An axis value that
// is a plain number is written as a number; any other (`250MB/s`, a name) as text.

import type { SweepResult } from '../core/sweep-result.js';
import { toCsv } from './csv.js';

export const SWEEP_COLUMNS = [
  'policy',
  'spec',
  'runs',
  'p50_s',
  'p90_s',
  'p99_s',
  'mean_s',
  'deadline_share',
  'vms_left',
  'vms_failed',
  'queued_s',
  'lower_bound_s',
  'ratio_to_lower_bound',
] as const;

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** Axis columns first (headed by their paths), then SWEEP_COLUMNS. */
export function sweepCsv(r: SweepResult): string {
  const rows: Array<Array<string | number | null>> = [[...r.axes.map((a) => a.path), ...SWEEP_COLUMNS]];
  for (const point of r.points) {
    const values = point.values.map((v) => (NUMBER.test(v) ? Number(v) : v));
    for (const c of point.cells) {
      rows.push([
        ...values,
        c.policy,
        c.spec,
        c.runs.length,
        c.p50Seconds,
        c.p90Seconds,
        c.p99Seconds,
        c.meanSeconds,
        c.deadlineProbability,
        c.vmsLeft,
        c.vmsFailed,
        c.queuedSeconds,
        point.lowerBoundSeconds,
        Number.isFinite(c.ratioToLowerBound) ? c.ratioToLowerBound : null,
      ]);
    }
  }
  return toCsv(rows);
}
