// The schedule a human reviews before running a plan: which copies start in which change window
// (or, without windows, on which day of the campaign), how many bytes, and when each window's copies
// are expected to end; from a simulated run. It goes into plan.json, the report page and a CSV.

import { formatInstant, type Calendar } from '../domain/calendar.js';
import { formatBytes, formatDuration } from '../domain/units.js';
import { OPERATIONS } from '../core/operations.js';
import type { SimulationResult } from '../core/result.js';
import { calendarOf } from './calendar.js';
import { toCsv } from './csv.js';
import { formatCount } from './table.js';

export interface ScheduledCopy {
  vm: string;
  cluster: string;
  host: string;
  target: string | null;
  bytes: number;
  /** Seconds from the start: when it is expected to start copying and to end. */
  start: number;
  end: number;
  outcome: string;
}

export interface ScheduleWindow {
  /** The window (or day) in which these copies start, seconds from the campaign's start. */
  start: number;
  end: number;
  copies: ScheduledCopy[];
  bytes: number;
  /** When the last of them is expected to end, seconds from the start. */
  expectedEnd: number;
}

const DAY = 86_400;

/**
 * The run's copies (the planner's svMotions, every attempt) grouped by the change window they start
 * in, in order; without windows, by day from the start. A copy starts when vCenter admits it.
 */
export function scheduleOf(r: SimulationResult): ScheduleWindow[] {
  const windows = r.windows ?? [];
  const copies: ScheduledCopy[] = r.operations
    .filter((o) => OPERATIONS[o.kind].movesStorage && o.by === undefined && o.outcome !== 'skipped' && o.finishedAt !== null)
    .map((o) => ({ vm: o.vm, cluster: o.cluster, host: o.host, target: o.targetDatastore, bytes: o.bytes, start: o.startedAt ?? o.submittedAt, end: o.finishedAt!, outcome: o.outcome }))
    .sort((a, b) => a.start - b.start || (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  const out = new Map<number, ScheduleWindow>();
  for (const c of copies) {
    const w = windows.find((x) => x.start <= c.start && c.start < x.end) ?? windows.find((x) => x.start <= c.start && c.start <= x.end);
    const span = w ?? { start: Math.floor(c.start / DAY) * DAY, end: (Math.floor(c.start / DAY) + 1) * DAY };
    let entry = out.get(span.start);
    if (!entry) out.set(span.start, (entry = { start: span.start, end: span.end, copies: [], bytes: 0, expectedEnd: 0 }));
    entry.copies.push(c);
    entry.bytes += c.bytes;
    entry.expectedEnd = Math.max(entry.expectedEnd, c.end);
  }
  return [...out.values()].sort((a, b) => a.start - b.start);
}

function when(calendar: Calendar | null, seconds: number): string {
  return calendar === null ? formatDuration(seconds) : formatInstant(calendar, seconds);
}

/** The window's name as people read it: its dates, or its place in durations since the start. */
export function windowName(calendar: Calendar | null, w: ScheduleWindow, windowed: boolean): string {
  const what = windowed ? '' : 'day ';
  return calendar === null ? `${what}${formatDuration(w.start)} – ${formatDuration(w.end)}` : `${when(calendar, w.start)} – ${when(calendar, w.end)}`;
}

export const SCHEDULE_HEADER = ['Window', 'Copies starting', 'Bytes', 'Expected end', 'Largest copies'];

/** One row per window: when, how many copies start in it, their bytes, their expected end, the largest three. */
export function scheduleRows(r: SimulationResult): string[][] {
  const calendar = calendarOf(r);
  const windowed = (r.windows ?? []).length > 0;
  return scheduleOf(r).map((w) => {
    const largest = [...w.copies].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((c) => `${c.vm} (${formatBytes(c.bytes)})`);
    return [windowName(calendar, w, windowed), formatCount(w.copies.length), formatBytes(w.bytes), when(calendar, w.expectedEnd), largest.join(', ')];
  });
}

export const SCHEDULE_COLUMNS = [
  'window_start_s',
  'window_end_s',
  'window_start',
  'window_end',
  'vm',
  'cluster',
  'host',
  'target_datastore',
  'bytes',
  'start_s',
  'end_s',
  'start',
  'end',
  'outcome',
] as const;

/**
 * The schedule as CSV, one row per copy in the order they start: its window, where it runs and goes,
 * its bytes, and when it is expected to start and end (seconds from the start; with a campaign start,
 * also as ISO 8601 instants in UTC). Names are neutralised like every CSV of a report (csv.ts).
 */
export function scheduleCsv(r: SimulationResult): string {
  const calendar = calendarOf(r);
  const iso = (s: number) => (calendar === null ? null : new Date(calendar.startMs + s * 1000).toISOString());
  const rows: Array<Array<string | number | null>> = [[...SCHEDULE_COLUMNS]];
  for (const w of scheduleOf(r)) {
    for (const c of w.copies) rows.push([w.start, w.end, iso(w.start), iso(w.end), c.vm, c.cluster, c.host, c.target, c.bytes, c.start, c.end, iso(c.start), iso(c.end), c.outcome]);
  }
  return toCsv(rows);
}
