import { describe, expect, it } from 'vitest';
import { WEEK, closingAfter, dailyInterval, isOpen, nextOpening, weeklySchedule } from '../../src/domain/windows.js';

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
