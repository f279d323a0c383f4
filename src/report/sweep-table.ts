// The text `svmig sweep` prints, and the HTML report's table of a sweep: one row per grid point and
// policy (P50, P90, when the P90 run ends on the point's own calendar, deadline odds, VMs left, × the
// point's lower bound), then the best cell. Each point's dates are counted from its own start (a
// sweep of campaign.start starts each point at its own time). Pure: a SweepResult in, text out.

import { formatEnd, formatInstant, formatMoment, type Calendar } from '../domain/calendar.js';
import { printable } from '../domain/display.js';
import { formatDuration, formatPercent } from '../domain/units.js';
import { bestCell, type SweepResult } from '../core/sweep-result.js';
import { anyCalendar, datable, deadlinesDiffer, pointCalendar, sharedCalendar } from './sweep-dates.js';
import { formatCount, table, type Align } from './table.js';

export function sweepTableRows(result: SweepResult): { header: string[]; rows: string[][]; align: Align[] } {
  const deadline = result.deadlineSeconds;
  const dated = anyCalendar(result);
  const deadlineHeader = deadline === null ? [] : [deadlinesDiffer(result) ? '≤ deadline' : `≤ ${formatDuration(deadline)}`];
  const header = [...result.axes.map((a) => a.path), 'Policy', 'P50', 'P90', ...(dated ? ['P90 ends'] : []), ...deadlineHeader, 'VMs left', '× bound'];
  const rows = result.points.flatMap((point) => {
    const calendar = pointCalendar(point);
    return point.cells.map((cell) => [
      ...point.values,
      cell.policy,
      formatDuration(cell.p50Seconds),
      formatDuration(cell.p90Seconds),
      ...(dated ? [datable(calendar, cell.p90Seconds) === null ? '–' : formatInstant(calendar!, cell.p90Seconds)] : []),
      ...(deadline === null ? [] : [cell.deadlineProbability === null ? '–' : formatPercent(cell.deadlineProbability)]),
      vmsLeft(cell.vmsLeft),
      Number.isFinite(cell.ratioToLowerBound) ? `${cell.ratioToLowerBound.toFixed(2)}×` : '–',
    ]);
  });
  const align: Align[] = header.map((_, i) => (i === result.axes.length ? 'left' : 'right'));
  return { header, rows, align };
}

/** A mean count of VMs, always to one decimal: 0.4 left on average is not 0, and 16.0 reads like its neighbours 15.9 and 16.1. */
function vmsLeft(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/**
 * `calendar`: the scenario's own (the base of the grid), which a deadline was read against. Dates
 * of points come from each point's calendar.
 */
export function renderSweepTable(result: SweepResult, calendar: Calendar | null = null): string {
  const deadline = result.deadlineSeconds;
  const { header, rows, align } = sweepTableRows(result);
  const shared = anyCalendar(result) ? sharedCalendar(result) : calendar;
  const start = shared !== null ? ` · starts ${formatInstant(shared, 0)}` : anyCalendar(result) ? ' · each point from its own start' : '';
  // A deadline date is one instant whatever the start; a duration is one length from each start.
  const deadlineText =
    deadline === null
      ? null
      : shared !== null
        ? formatMoment(datable(shared, deadline), deadline)
        : deadlinesDiffer(result) && datable(calendar, deadline) !== null
          ? formatInstant(calendar!, deadline)
          : formatDuration(deadline);
  const grid = result.axes.map((a) => `${a.path} × ${a.values.length}`).join(', ');
  const lines = [
    `${result.scenario} · sweep of ${grid} · ${formatCount(result.runs)} run${result.runs === 1 ? '' : 's'} per point and policy · seed ${result.seed}${start}${deadlineText === null ? '' : ` · deadline ${deadlineText}`}`,
    '',
    table([header, ...rows], align, '  '),
    '',
    '  Makespan percentiles are nearest-rank over the runs; run i has the same seed at every point (common random numbers);',
    '  VMs left (failed or skipped) are means per run; × bound is P50 over the point’s lower bound.',
  ];
  const best = bestCell(result);
  if (best) {
    const at = best.point.values.map((v, k) => `${result.axes[k]!.path}=${v}`).join(', ');
    const own = anyCalendar(result) ? pointCalendar(best.point) : calendar;
    const p90 = formatEnd(datable(own, best.cell.p90Seconds), best.cell.p90Seconds);
    const odds = best.cell.deadlineProbability === null ? '' : `, ${formatPercent(best.cell.deadlineProbability)} by the deadline`;
    lines.push(`  Best: ${best.cell.policy} at ${at}: P90 ${p90}${odds}, ${vmsLeft(best.cell.vmsLeft)} VMs left (none left before some, then deadline odds, then P90).`);
  }
  return printable(lines.join('\n'));
}
