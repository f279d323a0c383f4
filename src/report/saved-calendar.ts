// The schema of a campaign calendar in a saved file (core/result.ts, SavedCalendar), for every kind
// of saved result that carries one: a zone a report cannot format with is refused when read.

import * as z from 'zod';
import { canonicalZone } from '../domain/calendar.js';

const num = z.number().refine(Number.isFinite, 'expected a finite number');

function isZone(zone: string): boolean {
  try {
    canonicalZone(zone);
    return true;
  } catch {
    return false;
  }
}

export const savedCalendarSchema = z.looseObject({
  start: z.string(),
  // Dates stay within what JavaScript's Date holds (±8.64e15 ms), ten years of campaign included.
  startMs: num.refine((n) => Math.abs(n) <= 8e15, 'expected an instant in milliseconds since 1970 within ±250,000 years'),
  zone: z.string().refine(isZone, 'expected a time zone (an IANA name such as Europe/Paris, or an offset such as +01:00)'),
});
