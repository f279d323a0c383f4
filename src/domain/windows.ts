// Change windows: when new operations may start. A weekly schedule of open intervals, in the
// campaign's local wall time, anchored by the wall time at which the campaign starts (t = 0).
// Operations already running when a window closes go on (an svMotion cannot be paused); the
// planner only refrains from starting what it predicts would overrun.
//
// Local time may jump (daylight saving time in the campaign's zone): `shifts` says when, in campaign
// seconds, and by how much. A window then still opens at its local time ("sat 08:00" stays 08:00 on
// the wall clock after the change), so in campaign seconds the windows of that week move by the
// jump. A window opens the first time the local clock reads its opening time, or the moment the clock
// jumps past it, and closes likewise; in the hour clocks repeat, the first pass counts. Without
// shifts, local time runs with campaign time, as it always did.

import { clockShifts, wallClock } from './calendar.js';
import { LIMITS } from './limits.js';

export const WEEK = 7 * 86400;

/** An open interval in seconds from Monday 00:00; `end` may pass the end of the week (wraps). */
export interface WeeklyInterval {
  start: number;
  end: number;
}

/** From campaign second `at` on, the local clock reads `offset` seconds more than at t = 0 plus the time elapsed. */
export interface ClockShift {
  at: number;
  offset: number;
}

export interface WindowSchedule {
  /** Seconds from Monday 00:00 of the campaign's start. */
  startOffset: number;
  /** Merged, sorted open intervals over two weeks, so that a query never needs to wrap twice. */
  intervals: WeeklyInterval[];
  /** The local clock's changes, sorted by `at`; empty when it never changes. */
  shifts: readonly ClockShift[];
  /** The largest change of offset between two neighbouring stretches of `shifts`, seconds (0 without). */
  largestJump: number;
}

/**
 * Where the windows of a campaign starting at `startMs` in `zone` stand: the local time of the start
 * in its week, and the zone's clock changes over the longest campaign svmig simulates (after that,
 * the last offset holds). A live run anchors its windows the same way at its own start.
 */
export function anchorWindows(zone: string, startMs: number): { startOffset: number; zone: string; shifts: ClockShift[] } {
  const w = wallClock(zone, startMs);
  return {
    startOffset: w.weekday * 86400 + w.hour * 3600 + w.minute * 60 + w.second,
    zone,
    shifts: clockShifts(zone, startMs, LIMITS.maxSeconds),
  };
}

/** Builds a schedule; overlapping and touching intervals merge (Fri 20:00–06:00 then Sat all day). */
export function weeklySchedule(open: readonly WeeklyInterval[], startOffset: number, shifts: readonly ClockShift[] = []): WindowSchedule {
  const all: WeeklyInterval[] = [];
  for (const i of open) {
    if (!(i.end > i.start)) continue;
    const start = ((i.start % WEEK) + WEEK) % WEEK;
    const length = Math.min(WEEK, i.end - i.start);
    for (const shift of [-WEEK, 0, WEEK, 2 * WEEK]) all.push({ start: start + shift, end: start + length + shift });
  }
  all.sort((a, b) => a.start - b.start);
  const merged: WeeklyInterval[] = [];
  for (const i of all) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  const sorted = [...shifts].sort((a, b) => a.at - b.at);
  let largestJump = 0;
  for (const [k, s] of sorted.entries()) largestJump = Math.max(largestJump, Math.abs(s.offset - (k === 0 ? 0 : sorted[k - 1]!.offset)));
  return { startOffset: ((startOffset % WEEK) + WEEK) % WEEK, intervals: merged, shifts: sorted, largestJump };
}

function locate(schedule: WindowSchedule, t: number, offset = 0): { base: number; pos: number } {
  const abs = schedule.startOffset + offset + t;
  const weeks = Math.floor(abs / WEEK);
  return { base: weeks * WEEK - schedule.startOffset - offset, pos: abs - weeks * WEEK };
}

/** The open interval containing campaign time `t`, in campaign time, or null when closed. */
export function openIntervalAt(schedule: WindowSchedule | null, t: number): { start: number; end: number } | null {
  if (schedule === null) return { start: -Infinity, end: Infinity };
  const offset = steadyOffset(schedule, t);
  if (offset === null) return shiftedIntervalAt(schedule, t);
  const { base, pos } = locate(schedule, t, offset);
  for (const i of schedule.intervals) {
    if (i.start <= pos && pos < i.end) {
      if (i.end - i.start >= 3 * WEEK) return { start: -Infinity, end: Infinity };
      return { start: base + i.start, end: base + i.end };
    }
  }
  return null;
}

export function isOpen(schedule: WindowSchedule | null, t: number): boolean {
  return openIntervalAt(schedule, t) !== null;
}

/** The first campaign time ≥ t at which the window is open (Infinity if it never opens). */
export function nextOpening(schedule: WindowSchedule | null, t: number): number {
  if (isOpen(schedule, t)) return t;
  const offset = steadyOffset(schedule!, t);
  if (offset === null) return shiftedNextOpening(schedule!, t);
  const { base, pos } = locate(schedule!, t, offset);
  for (const i of schedule!.intervals) if (i.start > pos) return base + i.start;
  return Infinity;
}

/** When the window open at `t` closes (Infinity when always open; `t` itself when closed). */
export function closingAfter(schedule: WindowSchedule | null, t: number): number {
  return openIntervalAt(schedule, t)?.end ?? t;
}

/**
 * The open intervals that meet [from, to), in campaign time, clipped to it: what a chart shades and
 * what a bound counting only open time adds up. At most `limit` of them.
 */
export function openIntervals(schedule: WindowSchedule | null, from: number, to: number, limit = 100_000): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let t = from;
  while (t < to && out.length < limit) {
    const open = openIntervalAt(schedule, t);
    if (open === null) {
      t = nextOpening(schedule, t);
      continue;
    }
    out.push({ start: Math.max(from, open.start), end: Math.min(to, open.end) });
    t = open.end;
  }
  return out;
}

// ---- windows on a local clock that jumps -------------------------------------------------------------

/** The local clock at campaign time `t`, in seconds from Monday 00:00 of the start's week. */
export function localTimeAt(schedule: WindowSchedule, t: number): number {
  return schedule.startOffset + t + offsetAt(schedule.shifts, t);
}

/** The first campaign time at which the local clock reads `local` or later (see the head comment). */
export function instantOfLocalTime(schedule: WindowSchedule, local: number): number {
  const { shifts, startOffset } = schedule;
  const x = local - startOffset;
  // Stretch k runs from shifts[k-1].at (or -∞) to shifts[k].at (or +∞) with offset shifts[k-1].offset
  // (or 0). The clock's last reading in stretch k, at + offset, grows with k (stretches last far
  // longer than a jump), so the first stretch in which the clock reaches x is found by bisection.
  let lo = 0;
  let hi = shifts.length;
  while (lo < hi) {
    const k = (lo + hi) >> 1;
    if (shifts[k]!.at + (k === 0 ? 0 : shifts[k - 1]!.offset) > x) hi = k;
    else lo = k + 1;
  }
  const offset = lo === 0 ? 0 : shifts[lo - 1]!.offset;
  const from = lo === 0 ? -Infinity : shifts[lo - 1]!.at;
  return Math.max(from, x - offset);
}

/**
 * The clock's offset around `t` when it does not change within the span a query looks at (a week
 * back, two ahead: a window that is not always open lasts at most a week), else null. Then the
 * weekly arithmetic holds with the start moved by the offset; without shifts the offset is 0.
 */
function steadyOffset(schedule: WindowSchedule, t: number): number | null {
  const { shifts } = schedule;
  if (shifts.length === 0) return 0;
  const margin = schedule.largestJump;
  const k = firstShiftAfter(shifts, t - WEEK - margin);
  if (k < shifts.length && shifts[k]!.at <= t + 2 * WEEK + margin) return null;
  return k === 0 ? 0 : shifts[k - 1]!.offset;
}

/** Index of the first shift with `at` > t (shifts.length when none). */
function firstShiftAfter(shifts: readonly ClockShift[], t: number): number {
  let lo = 0;
  let hi = shifts.length;
  while (lo < hi) {
    const k = (lo + hi) >> 1;
    if (shifts[k]!.at <= t) lo = k + 1;
    else hi = k;
  }
  return lo;
}

function offsetAt(shifts: readonly ClockShift[], t: number): number {
  let lo = 0;
  let hi = shifts.length;
  while (lo < hi) {
    const k = (lo + hi) >> 1;
    if (shifts[k]!.at <= t) lo = k + 1;
    else hi = k;
  }
  return lo === 0 ? 0 : shifts[lo - 1]!.offset;
}

/** The weekly intervals near `t`, each in campaign time; empty ones (inside a jump) left out. */
function candidates(schedule: WindowSchedule, t: number): Array<{ start: number; end: number; always: boolean }> {
  const local = localTimeAt(schedule, t);
  const week = Math.floor(local / WEEK);
  const reach = schedule.largestJump + WEEK;
  const out: Array<{ start: number; end: number; always: boolean }> = [];
  for (const w of [week - 1, week, week + 1, week + 2]) {
    for (const i of schedule.intervals) {
      const a = w * WEEK + i.start;
      const b = w * WEEK + i.end;
      if (b < local - schedule.largestJump || a > local + reach) continue;
      const start = instantOfLocalTime(schedule, a);
      const end = instantOfLocalTime(schedule, b);
      if (end > start) out.push({ start, end, always: i.end - i.start >= 3 * WEEK });
    }
  }
  return out.sort((p, q) => p.start - q.start);
}

/**
 * The last open interval and closed span found per schedule. A planner asks about the same window
 * at every event; near a clock change the answer takes a few dozen bisections, so the last one is
 * kept. Only a cache: the answers are those computed afresh.
 */
const recent = new WeakMap<WindowSchedule, { open: { start: number; end: number } | null; closed: { from: number; opens: number } | null }>();

function memo(schedule: WindowSchedule) {
  let m = recent.get(schedule);
  if (m === undefined) recent.set(schedule, (m = { open: null, closed: null }));
  return m;
}

function shiftedIntervalAt(schedule: WindowSchedule, t: number): { start: number; end: number } | null {
  const m = memo(schedule);
  if (m.open !== null && m.open.start <= t && t < m.open.end) return { ...m.open };
  if (m.closed !== null && m.closed.from <= t && t < m.closed.opens) return null;
  const found = findShiftedInterval(schedule, t);
  if (found !== null) m.open = { ...found };
  return found;
}

function findShiftedInterval(schedule: WindowSchedule, t: number): { start: number; end: number } | null {
  const hit = candidates(schedule, t).find((c) => c.start <= t && t < c.end);
  if (hit === undefined) return null;
  if (hit.always) return { start: -Infinity, end: Infinity };
  // Windows apart only by an hour the clock skips touch in campaign time: they are one window.
  let { start, end } = hit;
  for (let more = true; more; ) {
    const next = candidates(schedule, end).find((c) => c.start <= end && c.end > end);
    more = next !== undefined;
    if (next) end = next.end;
  }
  for (let more = true; more; ) {
    const previous = candidates(schedule, start).find((c) => c.end >= start && c.start < start);
    more = previous !== undefined;
    if (previous) start = previous.start;
  }
  return { start, end };
}

function shiftedNextOpening(schedule: WindowSchedule, t: number): number {
  const m = memo(schedule);
  if (m.closed !== null && m.closed.from <= t && t < m.closed.opens) return m.closed.opens;
  for (const c of candidates(schedule, t)) {
    if (c.start > t) {
      m.closed = { from: t, opens: c.start };
      return c.start;
    }
  }
  return Infinity;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export function dayIndex(day: string): number {
  return DAYS.indexOf(day.toLowerCase().slice(0, 3) as Day);
}

/** `from`/`to` as "HH:MM" on `day`; a `to` not after `from` runs into the next day. */
export function dailyInterval(day: number, from: number, to: number): WeeklyInterval {
  const start = day * 86400 + from;
  const end = day * 86400 + (to > from ? to : to + 86400);
  return { start, end };
}
