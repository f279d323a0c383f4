// What a report says about a sweep (page.ts lays out the page; this is the sweep's part of it): the
// grid among the inputs, a verdict in the lede, and the table of every point and policy.

import { formatEnd } from '../domain/calendar.js';
import { formatDuration, formatPercent } from '../domain/units.js';
import { bestCell, type SweepResult } from '../core/sweep-result.js';
import type { Section } from './page.js';
import { datable, pointCalendar } from './sweep-dates.js';
import { sweepTableRows } from './sweep-table.js';
import { formatCount } from './table.js';

export function sweepInputRows(r: SweepResult): Array<[string, string]> {
  return [
    ['Policies', r.policies.join(', ')],
    ...r.axes.map((a): [string, string] => [`Varied: ${a.path}`, a.values.join(', ')]),
    ['Grid points', formatCount(r.points.length)],
    ['Runs', `${formatCount(r.runs)} per point and policy`],
    ['Seed', `${r.seed} (run i uses the same seed at every point and under every policy)`],
  ];
}

export function sweepLede(r: SweepResult): string[] {
  const best = bestCell(r);
  if (best === null) return [];
  const at = best.point.values.map((v, k) => `${r.axes[k]!.path}=${v}`).join(', ');
  const odds = best.cell.deadlineProbability === null ? '' : `, ${formatPercent(best.cell.deadlineProbability)} of runs by the deadline`;
  return [
    `Best of ${formatCount(r.points.length * r.policies.length)} grid cells: ${best.cell.policy} at ${at}, P50 ${formatDuration(best.cell.p50Seconds)}, P90 ${formatEnd(datable(pointCalendar(best.point), best.cell.p90Seconds), best.cell.p90Seconds)}${odds}, ${best.cell.vmsLeft.toFixed(1)} VMs left per run on average.`,
  ];
}

export function sweepSections(r: SweepResult): Section[] {
  const t = sweepTableRows(r);
  return [
    {
      id: 'sweep',
      title: 'Sweep',
      blocks: [
        { kind: 'table', header: t.header, rows: t.rows, align: t.align },
        {
          kind: 'text',
          text:
            `P50 and P90: the makespan that half and nine in ten of the ${formatCount(r.runs)} runs at each point did not exceed (nearest rank); every point ran the same seeds. ` +
            '“VMs left” (failed or skipped) is a mean per run; “× bound” is P50 over the point’s lower bound. Best: a cell that leaves no VM before one that does, then deadline odds, then P90. sweep.csv has the same rows.',
        },
      ],
    },
  ];
}
