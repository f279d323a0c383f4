// The campaign's calendar as results keep it (core/result.ts, SavedCalendar): enough for a report
// made later from the saved file to give dates in the campaign's zone.

import { formatCalendarStart, type Calendar } from '../domain/calendar.js';
import type { SavedCalendar } from '../core/result.js';

export function savedCalendar(calendar: Calendar): SavedCalendar {
  return { start: formatCalendarStart(calendar), startMs: calendar.startMs, zone: calendar.zone };
}
