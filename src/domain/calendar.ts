// The campaign's calendar: simulated seconds since `campaign.start` ↔ instants, read and written in
// the campaign's time zone. Zones come from the ICU data Node carries (Intl): an IANA name such as
// Europe/Paris follows its daylight-saving rules, a fixed offset (+01:00) or UTC never changes.
// Pure: no clock is read; every function is given the instants it works on.
//
// Local times that a zone skips or repeats (the hour clocks jump forward in spring, the hour they
// repeat in autumn) are decided once, here:
// - a date a person writes (campaign.start, --deadline) that the clock skips is refused, and one it
//   reads twice is the first of the two (an explicit offset picks the other);
// - change windows open and close the first time the clock reads their time, or the moment it jumps
//   past it (windows.ts, with the clock shifts computed by clockShifts below).

import { formatDuration, parseDuration } from './units.js';

export interface Calendar {
  /** The instant of simulated time 0, in milliseconds since the Unix epoch (UTC). */
  startMs: number;
  /** The zone dates are read and written in: an IANA name (Europe/Paris, UTC) or a fixed offset (+01:00). */
  zone: string;
}

/** The wall clock of a zone at one instant. Months 1–12; weekday 0 = Monday … 6 = Sunday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** Input that is not a date, time or zone svmig understands; `message` completes "<what>: …". */
export class CalendarError extends Error {}

// ---- zones ------------------------------------------------------------------------------------------

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The canonical spelling of a zone: `UTC` for `Z`/`UTC`, `+01:00` for a fixed offset, the IANA name
 * as ICU spells it (`europe/paris` → `Europe/Paris`). Throws CalendarError for anything else.
 */
export function canonicalZone(text: string): string {
  const t = text.trim();
  if (t === 'Z' || t.toUpperCase() === 'UTC') return 'UTC';
  const fixed = FIXED_OFFSET.exec(t);
  if (fixed) {
    const seconds = fixedOffsetSeconds(t);
    if (Math.abs(seconds) > 18 * 3600 || Number(fixed[3]) > 59) throw new CalendarError(`"${t}" is not a UTC offset (from -18:00 to +18:00)`);
    return `${fixed[1]}${fixed[2]}:${fixed[3]}`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(t)) throw new CalendarError(`"${t}" is not a time zone (write an IANA name such as Europe/Paris, UTC or an offset such as +01:00)`);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    throw new CalendarError(`"${t}" is not a time zone known to this Node.js (write an IANA name such as Europe/Paris, UTC or an offset such as +01:00)`);
  }
}

function fixedOffsetSeconds(zone: string): number {
  const m = FIXED_OFFSET.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Seconds the zone's clock is ahead of UTC at instant `ms` (+3600 for Paris in winter). */
export function zoneOffsetSeconds(zone: string, ms: number): number {
  if (zone === 'UTC') return 0;
  if (FIXED_OFFSET.test(zone)) return fixedOffsetSeconds(zone);
  const whole = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(whole)) parts[p.type] = p.value;
  const local = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return Math.round((local - whole) / 1000);
}

/** The zone's wall clock at instant `ms` (to the second, rounded down). */
export function wallClock(zone: string, ms: number): WallClock {
  const d = new Date(Math.floor(ms / 1000) * 1000 + zoneOffsetSeconds(zone, ms) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/**
 * The instant at which the zone's clock reads `wall` (weekday ignored): `exact`, the first of two
 * (`repeated`: the hour clocks repeat in autumn), or null when the clock skips that time.
 */
export function instantOfWallClock(zone: string, wall: Omit<WallClock, 'weekday'>): { ms: number; repeated: boolean } | null {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Offsets never exceed a day, and a zone changes its offset at most once in any two days: the
  // offsets a day either side are the only candidates.
  const candidates = new Set([zoneOffsetSeconds(zone, asUtc - 86_400_000), zoneOffsetSeconds(zone, asUtc + 86_400_000)]);
  const valid = [...candidates].map((o) => asUtc - o * 1000).filter((ms) => zoneOffsetSeconds(zone, ms) * 1000 === asUtc - ms);
  if (valid.length === 0) return null;
  return { ms: Math.min(...valid), repeated: valid.length > 1 };
}

/**
 * The zone's changes of offset after `startMs`, up to `horizonSeconds` later: from campaign second
 * `at` on, the local clock reads `offset` seconds more than the campaign's elapsed time says (−3600
 * after the autumn change in a campaign started in summer). Empty for UTC and fixed offsets. Offsets
 * are sampled daily and each change found to the second by bisection.
 */
export function clockShifts(zone: string, startMs: number, horizonSeconds: number): Array<{ at: number; offset: number }> {
  if (zone === 'UTC' || FIXED_OFFSET.test(zone)) return [];
  const shifts: Array<{ at: number; offset: number }> = [];
  const base = zoneOffsetSeconds(zone, startMs);
  const DAY = 86_400_000;
  let before = startMs;
  let offsetBefore = base;
  for (let day = 1; day * 86_400 <= horizonSeconds + 86_400; day++) {
    const after = startMs + day * DAY;
    const offsetAfter = zoneOffsetSeconds(zone, after);
    if (offsetAfter !== offsetBefore) {
      // The first whole second with the new offset, in (before, after].
      let lo = before;
      let hi = after;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (zoneOffsetSeconds(zone, mid) === offsetBefore) lo = mid;
        else hi = mid;
      }
      const at = (hi - startMs) / 1000;
      if (at > horizonSeconds) break;
      shifts.push({ at, offset: offsetAfter - base });
    }
    before = after;
    offsetBefore = offsetAfter;
  }
  return shifts;
}

const namers = new Map<string, Intl.DateTimeFormat>();

/** `CET`, `CEST`, `EST`, `BST`, `UTC`; ICU's `GMT+5:30` where the zone has no common abbreviation. */
export function zoneAbbreviation(zone: string, ms: number): string {
  if (zone === 'UTC') return 'UTC';
  if (FIXED_OFFSET.test(zone)) return `UTC${zone}`;
  let fallback = '';
  for (const locale of ['en-GB', 'en-US']) {
    const key = `${locale} ${zone}`;
    let f = namers.get(key);
    if (f === undefined) namers.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })));
    const part = f.formatToParts(ms).find((p) => p.type === 'timeZoneName');
    const name = part?.value ?? '';
    if (name !== '' && !/^(GMT|UTC)[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || zone;
}

// ---- campaign time ↔ instants -----------------------------------------------------------------------

/** The instant (ms since the epoch) `seconds` of simulated time after the campaign's start. */
export function instantAt(calendar: Calendar, seconds: number): number {
  return calendar.startMs + seconds * 1000;
}

/** Simulated seconds from the campaign's start to instant `ms` (negative before it). */
export function secondsAt(calendar: Calendar, ms: number): number {
  return (ms - calendar.startMs) / 1000;
}

// ---- reading dates ------------------------------------------------------------------------------------

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(?:(Z|[+-]\d{2}:?\d{2}))?(?:\s+([^\s[\]]+)|\[([^\]]+)\])?$/i;

export interface ParsedDateTime {
  ms: number;
  /** The zone the text named or implied: its IANA zone, else its offset, else the default zone. */
  zone: string;
}

/**
 * A date and time as a person writes it: `2026-12-05T20:00 Europe/Paris`, `2026-12-05T20:00+01:00`,
 * `2026-12-05T19:00Z`, `2026-12-05T20:00+01:00[Europe/Paris]`, or `2026-12-05T20:00` read in
 * `defaultZone` (refused when there is none). Seconds are optional, the time is not.
 */
export function parseDateTime(text: string, defaultZone: string | null): ParsedDateTime {
  const t = text.trim();
  const m = DATE_TIME.exec(t);
  if (m === null) throw new CalendarError(`"${t}" is not a date and time (write it like 2026-12-05T20:00 Europe/Paris)`);
  const [, y, mo, d, h, mi, s, offsetText, zoneWord, zoneBracket] = m;
  if (h === undefined) throw new CalendarError(`"${t}" has a date but no time of day (write it like ${y}-${mo}-${d}T06:00)`);
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0) };
  checkWallClock(t, wall);
  const named = zoneWord ?? zoneBracket;
  const zone = named !== undefined ? canonicalZone(named) : offsetText !== undefined ? canonicalZone(offsetText) : defaultZone;
  if (zone === null) throw new CalendarError(`"${t}" has no time zone (write it like ${y}-${mo}-${d}T${h}:${mi} Europe/Paris, or with an offset such as +01:00)`);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (offsetText !== undefined) {
    const ms = asUtc - zoneOffsetSeconds(canonicalZone(offsetText), 0) * 1000;
    if (named !== undefined && zoneOffsetSeconds(zone, ms) * 1000 !== asUtc - ms) {
      throw new CalendarError(`"${t}": ${zone} is not at ${offsetText} at that time`);
    }
    return { ms, zone };
  }
  const found = instantOfWallClock(zone, wall);
  if (found === null) throw new CalendarError(`"${t}" does not exist in ${zone}: the clocks jump past it (daylight saving time)`);
  return { ms: found.ms, zone };
}

function checkWallClock(text: string, w: Omit<WallClock, 'weekday'>): void {
  const days = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  if (w.year < 1970 || w.year > 9999) throw new CalendarError(`"${text}": the year must be from 1970 to 9999`);
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > days) throw new CalendarError(`"${text}" is not a date (day ${w.day} of month ${w.month})`);
  if (w.hour > 23 || w.minute > 59 || w.second > 59) throw new CalendarError(`"${text}" is not a time of day (00:00 to 23:59)`);
}

/**
 * A deadline: a duration (`14d`, `36h`, read by `parseDuration`) or a date and time read in the
 * campaign's zone, as seconds after the campaign's start. Throws CalendarError saying why not.
 */
export function deadlineSeconds(text: string, calendar: Calendar | null): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    if (calendar === null) {
      throw new CalendarError(`"${t}" is a date, but the scenario has no campaign.start to count from: give a duration such as 14d, or set campaign.start`);
    }
    const { ms } = parseDateTime(t, calendar.zone);
    const seconds = secondsAt(calendar, ms);
    if (!(seconds > 0)) throw new CalendarError(`"${t}" is not after the campaign's start, ${formatInstant(calendar, 0)}`);
    return seconds;
  }
  let seconds: number;
  try {
    seconds = parseDuration(t);
  } catch {
    seconds = NaN;
  }
  if (!(seconds > 0)) {
    throw new CalendarError(`"${t}" is not a duration longer than zero${calendar === null ? '' : ' nor a date'}: write it like 14d, 36h or 2d12h${calendar === null ? '' : ', or 2026-12-17T06:00'}`);
  }
  return seconds;
}

// ---- writing dates ------------------------------------------------------------------------------------

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * `Thu 17 Dec 2026 05:12 CET`: the instant `seconds` after the start, to the minute. Like
 * formatDuration, it rounds to the second first and then drops the seconds, so a start on a whole
 * minute plus a duration gives the date that duration shows.
 */
export function formatInstant(calendar: Calendar, seconds: number): string {
  const ms = instantAt(calendar, Math.round(seconds));
  const w = wallClock(calendar.zone, ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[w.weekday]} ${w.day} ${MONTHS[w.month - 1]} ${w.year} ${two(w.hour)}:${two(w.minute)} ${zoneAbbreviation(calendar.zone, ms)}`;
}

/** `ends Thu 17 Dec 2026 05:12 CET (11d 09h 12m)`; the duration alone without a calendar. */
export function formatEnd(calendar: Calendar | null, seconds: number): string {
  if (calendar === null || !Number.isFinite(seconds)) return formatDuration(seconds);
  return `ends ${formatInstant(calendar, seconds)} (${formatDuration(seconds)})`;
}

/** `Thu 17 Dec 2026 06:00 CET (11d 10h 00m)`: a moment by its date and its distance from the start. */
export function formatMoment(calendar: Calendar | null, seconds: number): string {
  if (calendar === null || !Number.isFinite(seconds)) return formatDuration(seconds);
  return `${formatInstant(calendar, seconds)} (${formatDuration(seconds)})`;
}

/** `2026-12-05T20:00 Europe/Paris`: the calendar as campaign.start is written. */
export function formatCalendarStart(calendar: Calendar): string {
  const w = wallClock(calendar.zone, calendar.startMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const seconds = w.second === 0 ? '' : `:${two(w.second)}`;
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}${seconds} ${calendar.zone}`;
}
