import { describe, expect, it } from 'vitest';
import {
  CalendarError,
  canonicalZone,
  clockShifts,
  deadlineSeconds,
  formatCalendarStart,
  formatEnd,
  formatInstant,
  instantOfWallClock,
  parseDateTime,
  wallClock,
  zoneOffsetSeconds,
  type Calendar,
} from '../../src/domain/calendar.js';

const H = 3600;
const D = 86400;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

// Europe/Paris is UTC+1 (CET) in winter and UTC+2 (CEST) in summer. The EU changes clocks at 01:00 UTC
// on the last Sunday of March (02:00 CET → 03:00 CEST) and of October (03:00 CEST → 02:00 CET):
// 2026-10-25 and 2027-03-28 (1 Jan 2026 is a Thursday; 25 Oct 2026 is day 298, 297 = 42 × 7 + 3 days
// later: a Sunday, and the last one, 1 Nov being a Sunday too).
const AUTUMN = utc(2026, 10, 25, 1);
const SPRING = utc(2027, 3, 28, 1);

describe('zones', () => {
  it('spells zones canonically and refuses unknown ones in one sentence', () => {
    expect(canonicalZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalZone('Z')).toBe('UTC');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('+0530')).toBe('+05:30');
    expect(() => canonicalZone('Europe/Pariss')).toThrow(/"Europe\/Pariss" is not a time zone known/);
    expect(() => canonicalZone('+25:00')).toThrow(CalendarError);
  });

  it('knows Paris is an hour ahead of UTC in winter and two in summer, changing at 01:00 UTC', () => {
    expect(zoneOffsetSeconds('Europe/Paris', utc(2026, 12, 17))).toBe(H);
    expect(zoneOffsetSeconds('Europe/Paris', utc(2026, 7, 1))).toBe(2 * H);
    expect(zoneOffsetSeconds('Europe/Paris', AUTUMN - 1000)).toBe(2 * H);
    expect(zoneOffsetSeconds('Europe/Paris', AUTUMN)).toBe(H);
    expect(zoneOffsetSeconds('Europe/Paris', SPRING - 1000)).toBe(H);
    expect(zoneOffsetSeconds('Europe/Paris', SPRING)).toBe(2 * H);
    expect(zoneOffsetSeconds('-05:00', SPRING)).toBe(-5 * H);
  });

  it('reads the wall clock and its weekday', () => {
    // 2026-12-05 is day 339 of 2026: 338 = 48 × 7 + 2 days after Thursday 1 January, a Saturday.
    expect(wallClock('Europe/Paris', utc(2026, 12, 5, 19))).toEqual({ year: 2026, month: 12, day: 5, hour: 20, minute: 0, second: 0, weekday: 5 });
    // Just after the autumn change, 01:30 UTC is 02:30 CET, the second pass through 02:30.
    expect(wallClock('Europe/Paris', AUTUMN + 30 * 60_000)).toMatchObject({ day: 25, hour: 2, minute: 30, weekday: 6 });
  });

  it('finds the instant of a wall-clock time: the first of a repeated one, none for a skipped one', () => {
    expect(instantOfWallClock('Europe/Paris', { year: 2026, month: 12, day: 17, hour: 6, minute: 0, second: 0 })).toEqual({ ms: utc(2026, 12, 17, 5), repeated: false });
    // 02:30 on 25 Oct 2026 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(instantOfWallClock('Europe/Paris', { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 })).toEqual({ ms: utc(2026, 10, 25, 0, 30), repeated: true });
    // 02:30 on 28 Mar 2027 never shows: the clocks go from 02:00 straight to 03:00.
    expect(instantOfWallClock('Europe/Paris', { year: 2027, month: 3, day: 28, hour: 2, minute: 30, second: 0 })).toBeNull();
  });

  it('lists the clock changes after a start, to the second', () => {
    // Start Saturday 2026-10-17 20:00 CEST = 18:00 UTC. The autumn change comes 7 days 7 hours later
    // (25 Oct 01:00 UTC), the clock then reading an hour less; the spring change, 28 Mar 2027 01:00 UTC,
    // is 161 days 7 hours after the start (14 days left in October, 30 + 31 + 31 + 28 in Nov–Feb,
    // 27 in March, plus 7 hours), bringing the clock back to the start's offset.
    const start = utc(2026, 10, 17, 18);
    expect(clockShifts('Europe/Paris', start, 200 * D)).toEqual([
      { at: 7 * D + 7 * H, offset: -H },
      { at: 161 * D + 7 * H, offset: 0 },
    ]);
    expect(clockShifts('Europe/Paris', start, 7 * D)).toEqual([]);
    expect(clockShifts('UTC', start, 400 * D)).toEqual([]);
    expect(clockShifts('+01:00', start, 400 * D)).toEqual([]);
  });
});

describe('dates as people write them', () => {
  it('reads a date and time with a zone, an offset, Z, or both', () => {
    expect(parseDateTime('2026-12-05T20:00 Europe/Paris', null)).toEqual({ ms: utc(2026, 12, 5, 19), zone: 'Europe/Paris' });
    expect(parseDateTime('2026-12-05T20:00+01:00[Europe/Paris]', null)).toEqual({ ms: utc(2026, 12, 5, 19), zone: 'Europe/Paris' });
    expect(parseDateTime('2026-12-05 20:00:30 UTC', null)).toEqual({ ms: utc(2026, 12, 5, 20) + 30_000, zone: 'UTC' });
    expect(parseDateTime('2026-12-05T20:00-05:00', null)).toEqual({ ms: utc(2026, 12, 6, 1), zone: '-05:00' });
    expect(parseDateTime('2026-12-05T20:00Z', null)).toEqual({ ms: utc(2026, 12, 5, 20), zone: 'UTC' });
    expect(parseDateTime('2026-12-17T06:00', 'Europe/Paris')).toEqual({ ms: utc(2026, 12, 17, 5), zone: 'Europe/Paris' });
  });

  it('says what is wrong with a date it cannot read', () => {
    expect(() => parseDateTime('2026-12-05T20:00', null)).toThrow(/has no time zone \(write it like 2026-12-05T20:00 Europe\/Paris/);
    expect(() => parseDateTime('2026-12-05', 'UTC')).toThrow(/has a date but no time of day/);
    expect(() => parseDateTime('2026-02-30T10:00 UTC', null)).toThrow(/is not a date/);
    expect(() => parseDateTime('2026-12-05T25:00 UTC', null)).toThrow(/is not a time of day/);
    expect(() => parseDateTime('5 Dec 2026', null)).toThrow(/is not a date and time/);
    expect(() => parseDateTime('2027-03-28T02:30 Europe/Paris', null)).toThrow(/does not exist in Europe\/Paris/);
    expect(() => parseDateTime('2026-12-05T20:00+02:00[Europe/Paris]', null)).toThrow(/Europe\/Paris is not at \+02:00/);
  });

  it('takes the first of a repeated time unless an offset says otherwise', () => {
    expect(parseDateTime('2026-10-25T02:30 Europe/Paris', null).ms).toBe(utc(2026, 10, 25, 0, 30));
    expect(parseDateTime('2026-10-25T02:30+01:00[Europe/Paris]', null).ms).toBe(utc(2026, 10, 25, 1, 30));
  });
});

describe('deadlines', () => {
  // Saturday 5 Dec 2026 20:00 CET = 19:00 UTC.
  const paris: Calendar = { startMs: utc(2026, 12, 5, 19), zone: 'Europe/Paris' };

  it('takes a duration with or without a calendar', () => {
    expect(deadlineSeconds('14d', null)).toBe(14 * D);
    expect(deadlineSeconds('36h', paris)).toBe(36 * H);
  });

  it('takes a date in the campaign zone, with an offset or another zone', () => {
    // 17 Dec 06:00 CET = 05:00 UTC: 11 days 10 hours after 5 Dec 19:00 UTC.
    expect(deadlineSeconds('2026-12-17T06:00', paris)).toBe(11 * D + 10 * H);
    expect(deadlineSeconds('2026-12-17T06:00Z', paris)).toBe(11 * D + 11 * H);
    // New York is UTC−5 in December: 06:00 there is 11:00 UTC.
    expect(deadlineSeconds('2026-12-17T06:00 America/New_York', paris)).toBe(11 * D + 16 * H);
  });

  it('refuses a date without a start, a date before the start, and nonsense', () => {
    expect(() => deadlineSeconds('2026-12-17T06:00', null)).toThrow(/is a date, but the scenario has no campaign\.start to count from/);
    expect(() => deadlineSeconds('2026-12-01T06:00', paris)).toThrow(/is not after the campaign's start, Sat 5 Dec 2026 20:00 CET/);
    expect(() => deadlineSeconds('0h', null)).toThrow(/is not a duration longer than zero/);
    expect(() => deadlineSeconds('soon', paris)).toThrow(/nor a date/);
  });
});

describe('dates in outputs', () => {
  const paris: Calendar = { startMs: utc(2026, 12, 5, 19), zone: 'Europe/Paris' };

  it('gives the end as a date and a duration', () => {
    // 5 Dec 20:00 + 11 days 9 h 12 min = 17 Dec 05:12, a Thursday (day 351: 350 = 50 weeks after 1 Jan).
    expect(formatEnd(paris, 11 * D + 9 * H + 12 * 60)).toBe('ends Thu 17 Dec 2026 05:12 CET (11d 09h 12m)');
    expect(formatEnd(null, 11 * D + 9 * H + 12 * 60)).toBe('11d 09h 12m');
    // 59.6 s rounds to a minute in both the date and the duration.
    expect(formatInstant(paris, 59.6)).toBe('Sat 5 Dec 2026 20:01 CET');
  });

  it('shows the wall clock after a change of offset, counting real time', () => {
    // Start Saturday 24 Oct 2026 20:00 CEST (18:00 UTC); 36 hours later is 26 Oct 06:00 UTC, 07:00 CET.
    const autumn: Calendar = { startMs: utc(2026, 10, 24, 18), zone: 'Europe/Paris' };
    expect(formatInstant(autumn, 0)).toBe('Sat 24 Oct 2026 20:00 CEST');
    expect(formatInstant(autumn, 36 * H)).toBe('Mon 26 Oct 2026 07:00 CET');
    expect(formatInstant({ startMs: utc(2026, 12, 5, 19), zone: '+01:00' }, 0)).toBe('Sat 5 Dec 2026 20:00 UTC+01:00');
  });

  it('writes campaign.start back as it is read', () => {
    expect(formatCalendarStart(paris)).toBe('2026-12-05T20:00 Europe/Paris');
    expect(parseDateTime(formatCalendarStart(paris), null)).toEqual({ ms: paris.startMs, zone: paris.zone });
  });
});
