// The time axis of a chart: hours (or minutes, days) since the start, or, when the campaign has a
// start, dates and times in its zone; with change windows, the hours they were open shaded behind
// the series. Tick labels and bands are plain data in the configuration (runtime.ts draws them), so
// the page and the PNG show the same.

import { instantOfWallClock, wallClock, type Calendar } from '../../domain/calendar.js';
import type { SimulationResult } from '../../core/result.js';
import { calendarOf } from '../calendar.js';
import { linearAxis, type Unit } from './style.js';

/** What a chart needs to put its time axis on the calendar: the campaign's start and zone, its open windows. */
export interface ChartTime {
  calendar: Calendar | null;
  /** Open change windows in seconds from the start (none: no windows). */
  windows: ReadonlyArray<{ start: number; end: number }>;
}

export const NO_CALENDAR: ChartTime = { calendar: null, windows: [] };

export function chartTimeOf(r: Pick<SimulationResult, 'calendar' | 'windows'>): ChartTime {
  return { calendar: calendarOf(r), windows: r.windows ?? [] };
}

/** Colour of an open window behind the series: a pale band that prints as light grey. */
export const WINDOW_BAND = 'rgba(120, 170, 120, 0.16)';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOUR_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14, 28];
/** Ticks a date axis aims at, at most. */
const MAX_TICKS = 12;

/**
 * Ticks on whole local hours or days between `from` and `to` seconds after the start, in the chart's
 * unit (`unit.size` seconds), labelled `Tue 8 Dec` at midnight and `06:00` otherwise (the first tick
 * with its date). Local time follows the zone through its clock changes: a tick at 06:00 is at 06:00
 * on the wall clock.
 */
export function dateTicks(calendar: Calendar, from: number, to: number, unit: Unit): Array<{ value: number; label: string }> {
  const span = Math.max(1, to - from);
  const hourStep = HOUR_STEPS.find((h) => span / (h * 3600) <= MAX_TICKS);
  const dayStep = hourStep === undefined ? (DAY_STEPS.find((d) => span / (d * 86400) <= MAX_TICKS) ?? Math.ceil(span / 86400 / MAX_TICKS)) : 0;
  const first = wallClock(calendar.zone, calendar.startMs + from * 1000);
  const days = Math.ceil(span / 86400) + 2;
  const out: Array<{ value: number; label: string }> = [];
  for (let k = 0; k <= days; k++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + k));
    if (dayStep > 0 && Math.round((date.getTime() - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000) % dayStep !== 0) continue;
    const hours = dayStep > 0 ? [0] : Array.from({ length: Math.ceil(24 / hourStep!) }, (_, i) => i * hourStep!);
    for (const hour of hours) {
      const at = instantOfWallClock(calendar.zone, { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute: 0, second: 0 });
      if (at === null) continue;
      const seconds = (at.ms - calendar.startMs) / 1000;
      if (seconds < from || seconds > to) continue;
      const day = `${WEEKDAYS[(date.getUTCDay() + 6) % 7]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
      const time = `${String(hour).padStart(2, '0')}:00`;
      const label = hour === 0 ? day : out.length === 0 ? `${day} ${time}` : time;
      out.push({ value: seconds / unit.size, label });
    }
  }
  return out;
}

/**
 * The x axis of a chart over campaign time: `Time since start (hours)`, or with a calendar the
 * same axis labelled with local dates and times (`Date and time (Europe/Paris)`).
 */
export function timeAxis(unit: Unit, end: number, time: ChartTime, options: { title?: string; dateTitle?: string; from?: number } = {}) {
  const from = options.from ?? 0;
  const range = { min: from / unit.size, max: end / unit.size };
  if (time.calendar === null) return linearAxis(options.title ?? `Time since start (${unit.label})`, range);
  const axis = linearAxis(`${options.dateTitle ?? 'Date and time'} (${time.calendar.zone})`, range);
  return { ...axis, ticks: { ...axis.ticks, autoSkip: false, maxRotation: 0 }, svmigTicks: { at: dateTicks(time.calendar, from, end, unit) } };
}

/** The open windows as bands to shade, in the chart's unit; undefined without windows. */
export function windowBands(unit: Unit, time: ChartTime): { bands: Array<[number, number]>; colour: string } | undefined {
  if (time.windows.length === 0) return undefined;
  return { bands: time.windows.map((w) => [w.start / unit.size, w.end / unit.size]), colour: WINDOW_BAND };
}

/** Words for a subtitle: what the shaded bands are. */
export function bandsNote(time: ChartTime): string {
  return time.windows.length === 0 ? '' : ' · shaded: change windows open';
}
