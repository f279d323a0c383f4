// sweep.csv of a report: one row per grid point and policy, through the report's CSV writer (csv.ts:
// RFC 4180, and a text cell a spreadsheet would take for a formula neutralised). An axis value that
// is a plain number is written as a number; any other (`250MB/s`, a name) as text. Dates are each
// point's own (its start as campaign.start is written, the P50 and P90 ends in ISO 8601 with the
// zone's offset), empty without a start; the deadline in seconds is the point's own.

import type { SweepResult } from '../core/sweep-result.js';
import { toCsv } from './csv.js';
import { isoInstant, pointCalendar, pointDeadline } from './sweep-dates.js';

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
  'start',
  'p50_end',
  'p90_end',
  'deadline_s',
] as const;

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** Axis columns first (headed by their paths), then SWEEP_COLUMNS. */
export function sweepCsv(r: SweepResult): string {
  const rows: Array<Array<string | number | null>> = [[...r.axes.map((a) => a.path), ...SWEEP_COLUMNS]];
  for (const point of r.points) {
    const values = point.values.map((v) => (NUMBER.test(v) ? Number(v) : v));
    const calendar = pointCalendar(point);
    const deadline = pointDeadline(r, point);
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
        point.calendar?.start ?? null,
        calendar === null ? null : isoInstant(calendar, c.p50Seconds),
        calendar === null ? null : isoInstant(calendar, c.p90Seconds),
        deadline,
      ]);
    }
  }
  return toCsv(rows);
}
