// The dates of a sweep's points: each point on its own calendar (a sweep of campaign.start starts
// every point at its own time), its own deadline where a deadline date lies at another distance
// from its start, and instants written for machines (ISO 8601 with the zone's offset then).

import { instantAt, zoneOffsetSeconds, type Calendar } from '../domain/calendar.js';
import type { SweepPoint, SweepResult } from '../core/sweep-result.js';
import { calendarOf } from './calendar.js';

export function pointCalendar(point: SweepPoint): Calendar | null {
  return calendarOf(point);
}

/** The calendar every point shares, or null when some point has none or starts elsewhere. */
export function sharedCalendar(result: SweepResult): Calendar | null {
  const [first, ...rest] = result.points.map(pointCalendar);
  if (first === undefined || first === null) return null;
  return rest.every((c) => c !== null && c.startMs === first.startMs && c.zone === first.zone) ? first : null;
}

/** Whether any point has a calendar (then each row of a table gives its own dates). */
export function anyCalendar(result: SweepResult): boolean {
  return result.points.some((p) => p.calendar !== undefined);
}

/** The point's deadline in its own seconds: the sweep's, unless the point has its own. */
export function pointDeadline(result: SweepResult, point: SweepPoint): number | null {
  return point.deadlineSeconds ?? result.deadlineSeconds;
}

/** Whether the points' deadlines differ (a deadline date over points that start at different times). */
export function deadlinesDiffer(result: SweepResult): boolean {
  return result.points.some((p) => p.deadlineSeconds !== undefined && p.deadlineSeconds !== result.deadlineSeconds);
}

/** The largest instant JavaScript's Date holds, ms: a damaged saved file may put a date beyond it. */
const MAX_DATE_MS = 8.64e15;

/** The calendar when the instant `seconds` after its start can be written as a date, else null (then durations only). */
export function datable(calendar: Calendar | null, seconds: number): Calendar | null {
  if (calendar === null || !Number.isFinite(seconds)) return null;
  const ms = instantAt(calendar, Math.round(seconds));
  // A day of margin for the zone's offset.
  return Math.abs(ms) <= MAX_DATE_MS - 86_400_000 ? calendar : null;
}

/** `2026-12-08T02:49:00+01:00`: the instant `seconds` after the calendar's start (to the second), at the zone's offset then; null beyond what a date holds. */
export function isoInstant(calendar: Calendar, seconds: number): string | null {
  if (datable(calendar, seconds) === null) return null;
  const ms = instantAt(calendar, Math.round(seconds));
  const offset = zoneOffsetSeconds(calendar.zone, ms);
  const local = new Date(ms + offset * 1000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${two(Math.floor(abs / 3600))}:${two(Math.floor((abs % 3600) / 60))}`;
}
