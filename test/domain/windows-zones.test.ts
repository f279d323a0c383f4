// Change windows in real time zones, over random starts and weekly schedules: checked against the
// wall clock as Intl reads it at each instant, not against the window code's own arithmetic.
//   - Away from a clock change, an instant is open exactly when its local time (weekday, hour,
//     minute) falls in one of the weekly intervals.
//   - The queries agree with one another: an open instant lies in the interval openIntervalAt gives,
//     whose start is open and whose end is not; a closed instant's nextOpening is open, and nothing
//     between them is.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockShifts, wallClock, zoneOffsetSeconds } from '../../src/domain/calendar.js';
import { WEEK, dailyInterval, isOpen, nextOpening, openIntervalAt, weeklySchedule, type WeeklyInterval } from '../../src/domain/windows.js';

// Zones with an hour's change (north and south), half an hour (Lord Howe), none (Kolkata), UTC.
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Europe/London', 'UTC'];
const H = 3600;
const QUARTER = 900;

const entry = fc.record({
  days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  from: fc.integer({ min: 0, max: 95 }).map((q) => q * QUARTER),
  to: fc.integer({ min: 0, max: 96 }).map((q) => q * QUARTER),
});

const arbitrary = fc.record({
  zone: fc.constantFrom(...ZONES),
  // Any minute of 2026–2028, so that starts fall on every side of the clock changes.
  startMinute: fc.integer({ min: 0, max: 3 * 365 * 1440 }),
  entries: fc.array(entry, { minLength: 1, maxLength: 4 }),
  probes: fc.array(fc.integer({ min: 0, max: 120 * 86400 }), { minLength: 20, maxLength: 20 }),
});

/** The schedule of a campaign starting at `startMs` in `zone`: its local start in the week, its clock changes. */
function anchored(open: WeeklyInterval[], zone: string, startMs: number) {
  const w = wallClock(zone, startMs);
  return weeklySchedule(open, w.weekday * 86400 + w.hour * 3600 + w.minute * 60, clockShifts(zone, startMs, 130 * 86400));
}

function weekly(entries: Array<{ days: number[]; from: number; to: number }>): WeeklyInterval[] {
  return entries.flatMap((e) => e.days.map((d) => dailyInterval(d, e.from, e.to)));
}

/** Whether a local minute of the week (Monday 00:00 = 0) lies in the weekly intervals, wrapping. */
function inWeekly(open: WeeklyInterval[], localSecond: number): boolean {
  return open.some((i) => [0, WEEK].some((shift) => i.start <= localSecond + shift && localSecond + shift < i.end));
}

describe('change windows in real time zones (property)', () => {
  it('open exactly when the local wall clock is in a window, away from clock changes', () => {
    fc.assert(
      fc.property(arbitrary, ({ zone, startMinute, entries, probes }) => {
        const startMs = Date.UTC(2026, 0, 1) + startMinute * 60_000;
        const open = weekly(entries);
        const schedule = anchored(open, zone, startMs);
        for (const t of probes) {
          const ms = startMs + t * 1000;
          // Skip instants within 2 hours of a change of offset (seen by Intl on either side).
          const offset = zoneOffsetSeconds(zone, ms);
          if (zoneOffsetSeconds(zone, ms - 2 * H * 1000) !== offset || zoneOffsetSeconds(zone, ms + 2 * H * 1000) !== offset) continue;
          const w = wallClock(zone, ms);
          const local = w.weekday * 86400 + w.hour * 3600 + w.minute * 60 + w.second;
          expect(isOpen(schedule, t), `${zone} start ${new Date(startMs).toISOString()} t=${t} local ${JSON.stringify(w)}`).toBe(inWeekly(open, local));
        }
      }),
      { numRuns: 200, seed: 20261205 },
    );
  });

  it('answers consistently: intervals, closings and next openings', () => {
    fc.assert(
      fc.property(arbitrary, ({ zone, startMinute, entries, probes }) => {
        const startMs = Date.UTC(2026, 0, 1) + startMinute * 60_000;
        const schedule = anchored(weekly(entries), zone, startMs);
        for (const t of probes) {
          const interval = openIntervalAt(schedule, t);
          if (interval !== null) {
            expect(interval.start <= t && t < interval.end).toBe(true);
            if (Number.isFinite(interval.start)) expect(isOpen(schedule, interval.start)).toBe(true);
            if (Number.isFinite(interval.end)) expect(isOpen(schedule, interval.end)).toBe(false);
            expect(nextOpening(schedule, t)).toBe(t);
          } else {
            const next = nextOpening(schedule, t);
            expect(next).toBeGreaterThan(t);
            if (!Number.isFinite(next)) continue;
            expect(isOpen(schedule, next)).toBe(true);
            for (const k of [1, 2, 3]) expect(isOpen(schedule, t + ((next - t) * k) / 4)).toBe(false);
          }
        }
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
