import { describe, expect, it } from 'vitest';
import { WEEK, anchorWindows, closingAfter, dailyInterval, isOpen, nextOpening, openIntervalAt, openIntervals, weeklySchedule, type WeeklyInterval } from '../../src/domain/windows.js';

const H = 3600;
const D = 86400;

// Weeknights 20:00–06:00 and whole weekends; the campaign starts on a Wednesday at 12:00.
const open = [...[0, 1, 2, 3, 4].map((d) => dailyInterval(d, 20 * H, 6 * H)), dailyInterval(5, 0, 24 * H), dailyInterval(6, 0, 24 * H)];
const wed = 2 * D + 12 * H;
const schedule = weeklySchedule(open, wed);

describe('change windows', () => {
  it('is closed at the start (Wednesday noon) and opens at 20:00, 8 hours later', () => {
    expect(isOpen(schedule, 0)).toBe(false);
    expect(nextOpening(schedule, 0)).toBe(8 * H);
  });

  it('closes Thursday 06:00 (18 hours after the start)', () => {
    expect(isOpen(schedule, 8 * H)).toBe(true);
    expect(closingAfter(schedule, 8 * H)).toBe(18 * H);
    expect(isOpen(schedule, 18 * H)).toBe(false);
  });

  it('runs Friday 20:00 through the weekend to Monday 00:00 as one window', () => {
    // Friday 20:00 is 2 days 8 hours after Wednesday noon. Friday's night (to Saturday 06:00) and
    // the weekend merge; Sunday is not in the weeknight list, so the window ends with Sunday, at
    // Monday 00:00: 4 days 12 hours after the start. It opens again Monday 20:00 (5 days 8 hours).
    const friday = 2 * D + 8 * H;
    expect(isOpen(schedule, friday)).toBe(true);
    expect(closingAfter(schedule, friday)).toBe(4 * D + 12 * H);
    expect(nextOpening(schedule, 4 * D + 12 * H)).toBe(5 * D + 8 * H);
  });

  it('repeats every week', () => {
    for (const t of [0, 8 * H, 18 * H, 3 * D]) {
      expect(isOpen(schedule, t + WEEK)).toBe(isOpen(schedule, t));
      expect(isOpen(schedule, t + 5 * WEEK)).toBe(isOpen(schedule, t));
    }
    expect(nextOpening(schedule, 3 * WEEK)).toBe(3 * WEEK + 8 * H);
  });

  it('treats a schedule open all week as never closing', () => {
    const always = weeklySchedule([0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, 0, 24 * H)), 0);
    expect(closingAfter(always, 12345)).toBe(Infinity);
    expect(nextOpening(always, 999)).toBe(999);
  });

  it('has no windows at all when none are given (null schedule: always open)', () => {
    expect(isOpen(null, 5)).toBe(true);
    expect(closingAfter(null, 5)).toBe(Infinity);
  });
});

// Windows read in Europe/Paris local time across its clock changes (the changes themselves are
// checked in calendar.test.ts: 01:00 UTC on 2026-10-25 and 2027-03-28). Every expected instant is
// worked out by hand from UTC: CET is UTC+1, CEST UTC+2.
describe('change windows on a local clock that changes (Europe/Paris)', () => {
  const anchored = (startUtc: number, open: WeeklyInterval[]) => {
    const a = anchorWindows('Europe/Paris', startUtc);
    return weeklySchedule(open, a.startOffset, a.shifts);
  };
  // Saturday 08:00 to Monday 06:00, local time.
  const weekend = [dailyInterval(5, 8 * H, 24 * H), dailyInterval(6, 0, 24 * H), dailyInterval(0, 0, 6 * H)];

  it('keeps "sat 08:00 – mon 06:00" on the wall clock across the spring change (2027-03-28)', () => {
    // Start Saturday 20 Mar 2027 10:00 CET = 09:00 UTC, inside the first weekend window.
    const s = anchored(Date.UTC(2027, 2, 20, 9), weekend);
    expect(isOpen(s, 0)).toBe(true);
    // Closes Monday 22 Mar 06:00 CET = 05:00 UTC: 1 day 20 hours after the start.
    expect(closingAfter(s, 0)).toBe(44 * H);
    // Opens Saturday 27 Mar 08:00 CET = 07:00 UTC: 6 days 22 hours after the start.
    expect(nextOpening(s, 44 * H)).toBe(166 * H);
    // The clocks go forward that night; it closes Monday 29 Mar 06:00 CEST = 04:00 UTC: 8 days
    // 19 hours after the start. The window lasts 45 hours, not 46.
    expect(openIntervalAt(s, 170 * H)).toEqual({ start: 166 * H, end: 211 * H });
    expect(isOpen(s, 211 * H - 1)).toBe(true);
    expect(isOpen(s, 211 * H)).toBe(false);
    // Next Saturday 3 Apr 08:00 CEST = 06:00 UTC: 13 days 21 hours after the start, an hour earlier
    // in elapsed time than a week-periodic schedule would say (334 h).
    expect(nextOpening(s, 211 * H)).toBe(333 * H);
    expect(closingAfter(s, 333 * H)).toBe(333 * H + 46 * H);
  });

  it('keeps it across the autumn change (2026-10-25)', () => {
    // Start Saturday 17 Oct 2026 20:00 CEST = 18:00 UTC.
    const s = anchored(Date.UTC(2026, 9, 17, 18), weekend);
    // Closes Monday 19 Oct 06:00 CEST = 04:00 UTC: 1 day 10 hours after the start.
    expect(closingAfter(s, 0)).toBe(34 * H);
    // Opens Saturday 24 Oct 08:00 CEST = 06:00 UTC (6 days 12 hours); the clocks go back that night;
    // closes Monday 26 Oct 06:00 CET = 05:00 UTC (8 days 11 hours): 47 hours open.
    expect(nextOpening(s, 34 * H)).toBe(156 * H);
    expect(openIntervalAt(s, 156 * H)).toEqual({ start: 156 * H, end: 203 * H });
    // Saturday 31 Oct 08:00 CET = 07:00 UTC: 13 days 13 hours.
    expect(nextOpening(s, 203 * H)).toBe(325 * H);
  });

  it('keeps nightly 20:00–06:00 windows at 20:00 and 06:00 local on the night the clocks go back', () => {
    // Start Thursday 22 Oct 2026 12:00 CEST = 10:00 UTC. Saturday 24 Oct 20:00 CEST = 18:00 UTC
    // (2 days 8 hours); Sunday 25 Oct 06:00 CET = 05:00 UTC (2 days 19 hours): an 11-hour night.
    const nightly = [0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, 20 * H, 6 * H));
    const s = anchored(Date.UTC(2026, 9, 22, 10), nightly);
    expect(nextOpening(s, 0)).toBe(8 * H);
    expect(openIntervalAt(s, 57 * H)).toEqual({ start: 56 * H, end: 67 * H });
    // Sunday 25 Oct 20:00 CET = 19:00 UTC: 3 days 9 hours.
    expect(nextOpening(s, 67 * H)).toBe(81 * H);
    expect(closingAfter(s, 81 * H)).toBe(91 * H);
  });

  it('opens a window whose time the clock skips when the clock jumps, and closes one in the repeated hour the first time', () => {
    // Daily 02:30–05:00. Start Friday 26 Mar 2027 12:00 CET = 11:00 UTC. On Sunday 28 Mar 02:30 never
    // shows: the window opens at the jump, 01:00 UTC (1 day 14 hours), and closes 05:00 CEST = 03:00 UTC.
    const early = [0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, 2.5 * H, 5 * H));
    const spring = anchored(Date.UTC(2027, 2, 26, 11), early);
    expect(openIntervalAt(spring, 38 * H)).toEqual({ start: 38 * H, end: 40 * H });
    expect(nextOpening(spring, 14 * H)).toBe(14 * H + 30 * 60); // Saturday 02:30 CET = 01:30 UTC
    // Daily 01:00–02:30, start Saturday 24 Oct 2026 12:00 CEST = 10:00 UTC. On Sunday it opens 01:00
    // CEST = 23:00 UTC Saturday (13 hours) and closes at the first 02:30, CEST, 00:30 UTC (14.5 hours);
    // the second pass through 02:00–02:30 (CET) stays closed.
    const late = [0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, H, 2.5 * H));
    const autumn = anchored(Date.UTC(2026, 9, 24, 10), late);
    expect(openIntervalAt(autumn, 13 * H)).toEqual({ start: 13 * H, end: 14.5 * H });
    expect(isOpen(autumn, 15.25 * H)).toBe(false); // 01:15 UTC = 02:15 CET
    // Monday 01:00 CET = 00:00 UTC: 38 hours after the start.
    expect(nextOpening(autumn, 14.5 * H)).toBe(38 * H);
  });

  it('merges windows that only the skipped hour kept apart', () => {
    // 00:00–02:00 and 03:00–05:00 local: on 28 Mar 2027 02:00 is 03:00, so they touch and are one
    // window, 00:00 CET (23:00 UTC Saturday) to 05:00 CEST (03:00 UTC). Start Saturday 27 Mar 12:00 CET.
    const split = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [dailyInterval(d, 0, 2 * H), dailyInterval(d, 3 * H, 5 * H)]);
    const s = anchored(Date.UTC(2027, 2, 27, 11), split);
    expect(openIntervalAt(s, 13 * H)).toEqual({ start: 12 * H, end: 16 * H });
    expect(openIntervalAt(s, 15 * H)).toEqual({ start: 12 * H, end: 16 * H });
  });

  it('lists the open intervals in a span, clipped to it', () => {
    const s = anchored(Date.UTC(2026, 9, 17, 18), weekend);
    expect(openIntervals(s, 0, 200 * H)).toEqual([
      { start: 0, end: 34 * H },
      { start: 156 * H, end: 200 * H },
    ]);
    expect(openIntervals(null, 5, 9)).toEqual([{ start: 5, end: 9 }]);
  });

  it('without a zone, reads the same as it always did', () => {
    const plain = weeklySchedule(weekend, 5 * D + 10 * H);
    expect(plain.shifts).toEqual([]);
    expect(closingAfter(plain, 0)).toBe(44 * H);
    expect(nextOpening(plain, 44 * H)).toBe(166 * H);
    expect(closingAfter(plain, 166 * H)).toBe(212 * H);
  });
});
