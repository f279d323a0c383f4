// The calendar a saved result carries (core/result.ts, SavedCalendar), as the domain's Calendar:
// what a report made from a file gives dates with.

import type { Calendar } from '../domain/calendar.js';
import type { SavedCalendar } from '../core/result.js';

export function calendarOf(result: { calendar?: SavedCalendar | undefined }): Calendar | null {
  const c = result.calendar;
  return c === undefined ? null : { startMs: c.startMs, zone: c.zone };
}
