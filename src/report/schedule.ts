// The schedule a human reviews before running a plan: which copies start in which change window
// (or, without windows, on which day of the campaign), how many bytes, and when each window's copies
// are expected to end; from a simulated run. It goes into plan.json, the report page and a CSV.
//
// A change board approves a window for what runs in it, so every attempt of a copy is listed in the
// window it starts in: a VM whose copy failed and was tried again in a later window is in both, its
// second attempt marked as a retry there and each failed attempt marked failed where it ran. A
// window's bytes are the bytes its copies start to move (a retry copies them again). The VMs a
// window moves for good are those whose copy there succeeded.

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
  /** 1 for the VM's first copy in the run, 2 for its first retry, … */
  attempt: number;
}

export interface ScheduleWindow {
  /** The window (or day) in which these copies start, seconds from the campaign's start. */
  start: number;
  end: number;
  copies: ScheduledCopy[];
  bytes: number;
  /** When the last of them is expected to end, seconds from the start. */
  expectedEnd: number;
  /** Copies that are a VM's retry (attempt 2 or later), and copies that failed, among `copies`. */
  retries: number;
  failed: number;
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
    .map((o) => ({ vm: o.vm, cluster: o.cluster, host: o.host, target: o.targetDatastore, bytes: o.bytes, start: o.startedAt ?? o.submittedAt, end: o.finishedAt!, outcome: o.outcome, attempt: 0 }))
    .sort((a, b) => a.start - b.start || (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  // A VM's attempts in the order they start.
  const tries = new Map<string, number>();
  for (const c of copies) tries.set(c.vm, (c.attempt = (tries.get(c.vm) ?? 0) + 1));
  const out = new Map<number, ScheduleWindow>();
  for (const c of copies) {
    const w = windows.find((x) => x.start <= c.start && c.start < x.end) ?? windows.find((x) => x.start <= c.start && c.start <= x.end);
    const span = w ?? { start: Math.floor(c.start / DAY) * DAY, end: (Math.floor(c.start / DAY) + 1) * DAY };
    let entry = out.get(span.start);
    if (!entry) out.set(span.start, (entry = { start: span.start, end: span.end, copies: [], bytes: 0, expectedEnd: 0, retries: 0, failed: 0 }));
    entry.copies.push(c);
    entry.bytes += c.bytes;
    if (c.attempt > 1) entry.retries++;
    if (c.outcome === 'failed') entry.failed++;
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

/** `12`, or `12 (2 retries, 1 failed)`: the copies starting in a window, and how many of them are retries or fail. */
export function copiesStarting(copies: number, retries: number, failed: number): string {
  const notes = [...(retries > 0 ? [`${formatCount(retries)} ${retries === 1 ? 'retry' : 'retries'}`] : []), ...(failed > 0 ? [`${formatCount(failed)} failed`] : [])];
  return notes.length === 0 ? formatCount(copies) : `${formatCount(copies)} (${notes.join(', ')})`;
}

/** One row per window: when, how many copies start in it (retries and failures said), their bytes, their expected end, the largest three. */
export function scheduleRows(r: SimulationResult): string[][] {
  const calendar = calendarOf(r);
  const windowed = (r.windows ?? []).length > 0;
  return scheduleOf(r).map((w) => {
    const largest = [...w.copies].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((c) => `${c.vm} (${formatBytes(c.bytes)})`);
    return [windowName(calendar, w, windowed), copiesStarting(w.copies.length, w.retries, w.failed), formatBytes(w.bytes), when(calendar, w.expectedEnd), largest.join(', ')];
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
  'attempt',
] as const;

/**
 * The schedule as CSV, one row per copy in the order they start (every attempt, numbered per VM):
 * its window, where it runs and goes, its bytes, and when it is expected to start and end (seconds from the start; with a campaign start,
 * also as ISO 8601 instants in UTC). Names are neutralised like every CSV of a report (csv.ts).
 */
export function scheduleCsv(r: SimulationResult): string {
  const calendar = calendarOf(r);
  const iso = (s: number) => (calendar === null ? null : new Date(calendar.startMs + s * 1000).toISOString());
  const rows: Array<Array<string | number | null>> = [[...SCHEDULE_COLUMNS]];
  for (const w of scheduleOf(r)) {
    for (const c of w.copies) rows.push([w.start, w.end, iso(w.start), iso(w.end), c.vm, c.cluster, c.host, c.target, c.bytes, c.start, c.end, iso(c.start), iso(c.end), c.outcome, c.attempt]);
  }
  return toCsv(rows);
}
