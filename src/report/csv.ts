// CSV files of a report (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a
// comma, a quote or a line break, quotes doubled): every operation record of a run, every run of a
// comparison. Times in seconds from the start, sizes in bytes, as in the result JSON.
//
// Names come from vCenter and RVTools and may start with what a spreadsheet takes for a formula
// (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab or a carriage return). As OWASP recommends against CSV
// injection, such a text field is written with a single quote in front and quoted, so a spreadsheet
// shows it as text. Numbers are written as numbers, a negative one included: `-5` is a value to a
// spreadsheet, not a formula, and only text svmig did not compute can carry one.

import type { CompareResult } from '../core/compare-result.js';
import type { OperationRecord } from '../core/result.js';

type Cell = string | number | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula when they lead it. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (FORMULA_START.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Whole numbers as they are, others to the millisecond (without trailing zeros). */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

export function toCsv(rows: readonly Cell[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const OPERATION_COLUMNS = [
  'vm',
  'kind',
  'cluster',
  'host',
  'to_host',
  'source_datastores',
  'target_datastore',
  'bytes',
  'submitted_at_s',
  'started_at_s',
  'finished_at_s',
  'waited_s',
  'ran_s',
  'outcome',
  'reason',
  'by',
] as const;

/**
 * One row per operation record, in the result's order; several source datastores joined by ";";
 * `by` is "drs" for a vMotion vCenter's DRS made.
 */
export function operationsCsv(records: readonly OperationRecord[]): string {
  const rows: Cell[][] = [[...OPERATION_COLUMNS]];
  for (const r of records) {
    const waitedUntil = r.startedAt ?? r.finishedAt;
    rows.push([
      r.vm,
      r.kind,
      r.cluster,
      r.host,
      r.toHost,
      r.sourceDatastores.join(';'),
      r.targetDatastore,
      r.bytes,
      r.outcome === 'skipped' ? null : r.submittedAt,
      r.startedAt,
      r.finishedAt,
      r.outcome === 'skipped' || waitedUntil === null ? null : waitedUntil - r.submittedAt,
      r.startedAt !== null && r.finishedAt !== null ? r.finishedAt - r.startedAt : null,
      r.outcome,
      r.reason,
      r.by,
    ]);
  }
  return toCsv(rows);
}

export const RUN_COLUMNS = [
  'policy',
  'seed',
  'makespan_s',
  'bytes_moved',
  'vmotions',
  'api_calls',
  'queued_s',
  'vms_failed',
  'first_legacy_empty_s',
  'last_legacy_empty_s',
  'vms_skipped',
  'retries',
  'drs_moves',
] as const;

/** One row per run of each policy. */
export function runsCsv(c: CompareResult): string {
  const rows: Cell[][] = [[...RUN_COLUMNS]];
  for (const p of c.policies) {
    for (const r of p.runs) {
      rows.push([p.policy, r.seed, r.makespanSeconds, r.bytesMoved, r.vmotions, r.apiCalls, r.queuedSeconds, r.vmsFailed, r.firstLegacyEmptySeconds, r.lastLegacyEmptySeconds, r.vmsSkipped, r.retries, r.drsMoves]);
    }
  }
  return toCsv(rows);
}
