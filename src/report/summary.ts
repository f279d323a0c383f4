// The short summary of one simulation: as text for `svmig simulate`, and as rows for the HTML and
// Markdown reports (one list of facts, three renderings).

import { formatEnd, formatInstant, formatMoment, type Calendar } from '../domain/calendar.js';
import { printable } from '../domain/display.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../domain/units.js';
import type { SimulationResult } from '../core/result.js';
import { wrap } from './compare-table.js';
import { explainRun, LONG_POLE_HEADER, longPoleRows } from './explain.js';
import { formatCount, table } from './table.js';

/**
 * [label, value] rows: makespan, VMs, bytes, throughput, operations, vCenter queue. With the
 * campaign's calendar, the start and the end as dates too.
 */
export function summaryRows(r: SimulationResult, calendar: Calendar | null = null): Array<[string, string]> {
  const s = r.summary;
  const meanWait = s.queuedOperations > 0 ? s.queuedSeconds / s.queuedOperations : 0;
  return [
    ...(calendar === null ? [] : [['Start', formatInstant(calendar, 0)] as [string, string]]),
    ['Makespan', formatEnd(calendar, r.makespanSeconds)],
    ['VMs', `${formatCount(r.vmCount)} in scope: ${formatCount(s.vmsMoved)} moved, ${formatCount(s.vmsFailed)} failed, ${formatCount(s.vmsSkipped)} skipped`],
    ['Moved', formatBytes(r.bytesMoved)],
    ['Throughput', `${formatRate(s.meanThroughput)} mean, ${formatRate(s.peakThroughput)} peak`],
    [
      'Operations',
      `${formatCount(s.svmotions)} svMotions (${formatCount(s.retries ?? 0)} retries), ${formatCount(s.vmotions)} pro-active vMotions; at most ${formatCount(s.peakConcurrentCopies)} copying at once`,
    ],
    [
      'vCenter queue',
      s.queuedOperations === 0
        ? 'no operation had to wait for resources'
        : `${formatCount(s.queuedOperations)} of ${formatCount(r.operations.filter((o) => o.startedAt !== null).length)} operations waited for resources or for the VM, ${formatDuration(s.queuedSeconds)} in all (mean ${formatDuration(meanWait)})`,
    ],
    ['vCenter API calls', `${formatCount(s.apiCalls)} (submissions and task monitoring)`],
    ...((s.drsMoves ?? 0) > 0 || (s.hostFailures ?? 0) > 0
      ? [['DRS and HA', `DRS moved VMs ${formatCount(s.drsMoves ?? 0)} times; ${formatCount(s.hostFailures ?? 0)} host failures`] as [string, string]]
      : []),
  ];
}

/** [link, share used, capacity] of the busiest links. */
export function linkRows(r: SimulationResult, busiest = 5): Array<[string, string, string]> {
  return r.links.slice(0, busiest).map((l) => [l.label, formatPercent(l.utilisation), `of ${formatRate(l.capacity)}`]);
}

/** What the links' shares are taken over: the whole campaign, or the time windows were open. */
export function linkBasis(r: SimulationResult): string {
  return r.openSeconds === undefined
    ? 'share of capacity used over the whole campaign'
    : `share of capacity used while change windows were open or copies ran: ${formatDuration(r.openSeconds)} of the ${formatDuration(r.makespanSeconds)} campaign`;
}

/** [VM, size, window needed, longest window] of the copies that fit no change window. */
export function misfitRows(r: SimulationResult): Array<[string, string, string, string]> {
  return (r.windowMisfits ?? []).map((m) => [m.vm, formatBytes(m.bytes), `${formatDuration(m.needsSeconds)} with ${formatCount(m.inFlight)} in flight`, formatDuration(m.longestWindowSeconds)]);
}

/** Whether a run met its deadline: `Deadline Thu 17 Dec 2026 06:00 CET (11d 10h 00m): met, with 48m 00s to spare`. */
export function deadlineVerdict(deadlineSeconds: number, makespanSeconds: number, calendar: Calendar | null = null): string {
  const deadline = `Deadline ${formatMoment(calendar, deadlineSeconds)}`;
  return makespanSeconds <= deadlineSeconds
    ? `${deadline}: met, with ${formatDuration(deadlineSeconds - makespanSeconds)} to spare`
    : `${deadline}: MISSED by ${formatDuration(makespanSeconds - deadlineSeconds)}`;
}

const LONG_POLES_SHOWN = 5;

export function renderSummary(r: SimulationResult, busiest = 5, calendar: Calendar | null = null): string {
  const lines = [`${r.scenario} · policy ${r.policy} · seed ${r.seed}`, '', table(summaryRows(r, calendar), [], '  ')];
  if (r.links.length > 0) {
    lines.push('', `  Busiest links (${linkBasis(r)})`);
    lines.push(table(linkRows(r, busiest), ['left', 'right', 'left'], '    '));
  }
  lines.push('', '  What bound it:');
  for (const sentence of explainRun(r)) wrap(sentence, 112).forEach((l, i) => lines.push(`    ${i === 0 ? '' : '  '}${l}`));
  const poles = longPoleRows(r, LONG_POLES_SHOWN);
  if (poles.length > 0) {
    lines.push('', '  Long poles (copies still running in the last tenth of the campaign, longest first):');
    lines.push(table([LONG_POLE_HEADER, ...poles], ['left', 'left', 'right', 'left', 'left', 'right', 'right'], '    '));
  }
  const misfits = misfitRows(r);
  if (misfits.length > 0) {
    lines.push('', `  Copies that fit no change window (${formatCount(misfits.length)}, left on legacy storage):`);
    lines.push(table([['VM', 'Size', 'Window it needs at the least', 'Longest window'], ...misfits.slice(0, 10)], ['left', 'right', 'right', 'right'], '    '));
    if (misfits.length > 10) lines.push(`    … and ${formatCount(misfits.length - 10)} more in the result file (windowMisfits)`);
  }
  const misfit = new Set((r.windowMisfits ?? []).map((m) => m.vm));
  const skipped = r.operations.filter((o) => o.outcome === 'skipped' && !misfit.has(o.vm));
  if (skipped.length > 0) {
    lines.push('', `  Skipped VMs (${formatCount(skipped.length)}):`);
    for (const o of skipped.slice(0, 10)) lines.push(`    ${o.vm}: ${o.reason ?? 'no reason given'}`);
    if (skipped.length > 10) lines.push(`    … and ${formatCount(skipped.length - 10)} more in the result file`);
  }
  return printable(lines.join('\n'));
}
