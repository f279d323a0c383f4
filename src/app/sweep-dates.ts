// Each grid point of a sweep on its own calendar. A sweep that varies campaign.start (or anything
// else a point's calendar follows) runs every point from its own start: its end dates are counted
// from that start, and a deadline given as a date lies at a different distance from each start. The
// simulation itself counts in seconds from the start, so this is bookkeeping after the runs: each
// point keeps its calendar, and where a deadline date falls at another distance than the sweep's,
// the point keeps its own deadline and its cells' deadline odds are counted against it.

import { parseDateTime, secondsAt, type Calendar } from '../domain/calendar.js';
import type { SweepResult } from '../core/sweep-result.js';
import { savedCalendar } from '../sim/calendar.js';

const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * The result with each point's calendar (`calendars[i]`, null when its scenario has no start) and,
 * for a deadline date, each point's deadline in its own seconds where it differs from the sweep's.
 */
export function onPointCalendars(result: SweepResult, calendars: ReadonlyArray<Calendar | null>, deadline: string | undefined): SweepResult {
  const date = deadline !== undefined && DATE.test(deadline.trim()) ? deadline.trim() : null;
  const points = result.points.map((point, i) => {
    const calendar = calendars[i] ?? null;
    if (calendar === null) return point;
    const dated = { ...point, calendar: savedCalendar(calendar) };
    if (date === null || result.deadlineSeconds === null) return dated;
    // The date as read in the point's zone, counted from the point's start: at or before it, the
    // point cannot meet it (no run ends before it starts).
    const seconds = secondsAt(calendar, parseDateTime(date, calendar.zone).ms);
    if (seconds === result.deadlineSeconds) return dated;
    const cells = point.cells.map((c) => ({ ...c, deadlineProbability: c.runs.length === 0 ? null : c.runs.filter((r) => r.makespanSeconds <= seconds).length / c.runs.length }));
    return { ...dated, deadlineSeconds: seconds, cells };
  });
  return { ...result, points };
}
