// Change windows: when new operations may start. A weekly schedule of open intervals, in the
// campaign's local wall time, anchored by the wall time at which the campaign starts (t = 0).
// Operations already running when a window closes go on (an svMotion cannot be paused); the
// planner only refrains from starting what it predicts would overrun.

export const WEEK = 7 * 86400;

/** An open interval in seconds from Monday 00:00; `end` may pass the end of the week (wraps). */
export interface WeeklyInterval {
  start: number;
  end: number;
}

export interface WindowSchedule {
  /** Seconds from Monday 00:00 of the campaign's start. */
  startOffset: number;
  /** Merged, sorted open intervals over two weeks, so that a query never needs to wrap twice. */
  intervals: WeeklyInterval[];
}

/** Builds a schedule; overlapping and touching intervals merge (Fri 20:00–06:00 then Sat all day). */
export function weeklySchedule(open: readonly WeeklyInterval[], startOffset: number): WindowSchedule {
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
  return { startOffset: ((startOffset % WEEK) + WEEK) % WEEK, intervals: merged };
}

function locate(schedule: WindowSchedule, t: number): { base: number; pos: number } {
  const abs = schedule.startOffset + t;
  const weeks = Math.floor(abs / WEEK);
  return { base: weeks * WEEK - schedule.startOffset, pos: abs - weeks * WEEK };
}

/** The open interval containing campaign time `t`, in campaign time, or null when closed. */
export function openIntervalAt(schedule: WindowSchedule | null, t: number): { start: number; end: number } | null {
  if (schedule === null) return { start: -Infinity, end: Infinity };
  const { base, pos } = locate(schedule, t);
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
  const { base, pos } = locate(schedule!, t);
  for (const i of schedule!.intervals) if (i.start > pos) return base + i.start;
  return Infinity;
}

/** When the window open at `t` closes (Infinity when always open; `t` itself when closed). */
export function closingAfter(schedule: WindowSchedule | null, t: number): number {
  return openIntervalAt(schedule, t)?.end ?? t;
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
