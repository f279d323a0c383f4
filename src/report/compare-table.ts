// The text `svmig compare` (and `svmig simulate --runs N`) prints: one row per policy, best first by
// the ranking (core/run-stats.ts: VMs left behind, deadline odds, P90, vCenter queue time), then the
// verdict that says why the winner won and what the others left behind, and the lower bound with
// what sets it. Pure: a CompareResult in, text out.

import { formatEnd, formatInstant, formatMoment, type Calendar } from '../domain/calendar.js';
import { printable } from '../domain/display.js';
import { TiB, formatBytes, formatDuration, formatPercent } from '../domain/units.js';
import type { CompareResult, PolicyStats } from '../core/compare-result.js';
import { countOf, rankPolicies, verdictOf } from '../core/run-stats.js';
import { calendarOf } from './calendar.js';
import { formatCount, table, type Align } from './table.js';

/** The policies in the order the table shows them: by the ranking. */
export function rankedPolicies(result: CompareResult): PolicyStats[] {
  if (result.ranking && result.ranking.length === result.policies.length) {
    const byName = new Map(result.policies.map((p) => [p.policy, p]));
    const ordered = result.ranking.map((name) => byName.get(name));
    if (ordered.every((p) => p !== undefined)) return ordered as PolicyStats[];
  }
  return rankPolicies(result.policies);
}

/** The best policy: the result's own winner, or the ranking's for a result that names none. */
export function winnerOfResult(result: CompareResult): PolicyStats | undefined {
  return result.policies.find((p) => p.policy === result.winner) ?? rankedPolicies(result)[0];
}

/** The table's header, one row per policy (best first), and the alignment of each column (also the HTML report's). */
export function compareTableRows(result: CompareResult, calendar: Calendar | null = calendarOf(result)): { header: string[]; rows: string[][]; align: Align[] } {
  const deadline = result.deadlineSeconds;
  const header = [
    '#',
    'Policy',
    'Moved',
    'Failed',
    'Left',
    'P50',
    'P90',
    'P99',
    ...(calendar === null ? [] : ['P90 ends']),
    ...(deadline === null ? [] : [`≤ ${formatDuration(deadline)}`]),
    'vCenter queue',
    'DS emptied',
    'First DS empty',
    'All DS empty',
    'TiB/h',
    'vMotions',
    'API calls',
    '× bound',
  ];
  const rows = rankedPolicies(result).map((p, i) => [
    String(i + 1),
    p.policy,
    p.vmsMoved === null ? '–' : countOf(p.vmsMoved),
    countOf(p.vmsFailed),
    countOf(p.vmsLeft),
    formatDuration(p.p50Seconds),
    formatDuration(p.p90Seconds),
    formatDuration(p.p99Seconds),
    ...(calendar === null ? [] : [formatInstant(calendar, p.p90Seconds)]),
    ...(deadline === null ? [] : [p.deadlineProbability === null ? '–' : formatPercent(p.deadlineProbability)]),
    formatDuration(p.queuedSeconds),
    p.legacyDatastores === null || p.legacyDatastoresEmptiedP50 === null ? '–' : `${formatCount(p.legacyDatastoresEmptiedP50)} of ${formatCount(p.legacyDatastores)}`,
    p.firstLegacyEmptyP50Seconds === null ? 'never' : formatDuration(p.firstLegacyEmptyP50Seconds),
    allEmpty(p),
    (p.bytesPerHour / TiB).toFixed(2),
    countOf(p.vmotions),
    countOf(p.apiCalls),
    ratio(p.ratioToLowerBound),
  ]);
  const align: Align[] = ['right', 'left', ...header.slice(2).map((): Align => 'right')];
  return { header, rows, align };
}

/** When every legacy datastore was empty (P50): "never" when some never was, not when the last of the emptied ones was. */
function allEmpty(p: PolicyStats): string {
  return p.allLegacyEmptyP50Seconds === null ? 'never' : formatDuration(p.allLegacyEmptyP50Seconds);
}

/** How to read the table, in the words the page and the terminal share. */
export const COMPARE_NOTE =
  'Best first: fewest VMs left behind, then the best odds of meeting the deadline, then the lowest P90, then the least time in vCenter’s queue. ' +
  'Moved, Failed (given up on after their last attempt) and Left (failed or never attempted) are VMs per run, means; vCenter queue is the time operations spent waiting for resources per run, summed over operations, mean; ' +
  'makespan percentiles are nearest-rank over the runs; datastores emptied, first empty and all empty are at P50 (“never”: some legacy datastore kept a VM).';

/** The table as text; with the campaign's calendar, the start, the deadline and the winner's end as dates too. */
export function renderCompareTable(result: CompareResult, calendar: Calendar | null = calendarOf(result)): string {
  const deadline = result.deadlineSeconds;
  const { header, rows, align } = compareTableRows(result, calendar);
  const runs = `${formatCount(result.runs)} run${result.runs === 1 ? '' : 's'} per policy`;
  const start = calendar === null ? '' : ` · starts ${formatInstant(calendar, 0)}`;
  const lines = [
    `${result.scenario} · ${runs} · seed ${result.seed}${start}${deadline === null ? '' : ` · deadline ${formatMoment(calendar, deadline)}`}`,
    '',
    table([header, ...rows], align, '  '),
    '',
    ...wrap(COMPARE_NOTE, 118).map((l) => `  ${l}`),
  ];

  const winner = winnerOfResult(result);
  if (winner) {
    const bound = ratio(winner.p90Seconds / result.lowerBoundSeconds);
    lines.push(`  Winner: ${winner.policy}, P90 ${formatEnd(calendar, winner.p90Seconds)}, ${bound} the lower bound.`);
    for (const l of wrap(result.verdict ?? verdictOf(result.policies), 116)) lines.push(`    ${l}`);
  }
  const kept = rankedPolicies(result).flatMap((p) =>
    p.legacyDatastores !== null && p.legacyDatastoresEmptiedP50 !== null && p.legacyDatastoresEmptiedP50 < p.legacyDatastores
      ? [`${p.policy} ${formatCount(p.legacyDatastores - p.legacyDatastoresEmptiedP50)} of ${formatCount(p.legacyDatastores)}`]
      : [],
  );
  if (kept.length > 0) for (const l of wrap(`Legacy datastores never emptied (P50 run): ${kept.join(', ')}.`, 116)) lines.push(`  ${l}`);

  const bound = result.lowerBound;
  const binding = bound?.parts.find((part) => part.name === bound.binding);
  const boundText = binding
    ? `Lower bound: ${formatDuration(result.lowerBoundSeconds)}, set by ${binding.name}: ${binding.explanation}`
    : `Lower bound: ${formatDuration(result.lowerBoundSeconds)}${bound ? ` (${bound.binding})` : ''}`;
  for (const l of wrap(boundText, 116)) lines.push(`  ${l}`);
  if (bound?.drawn) for (const l of wrap(`The bound is worked out ${bound.drawn.basis}.`, 116)) lines.push(`  ${l}`);
  const misfits = bound?.windowMisfits ?? [];
  if (misfits.length > 0) {
    const named = misfits.slice(0, 5).map((m) => `${m.vm} (${formatBytes(m.bytes)}, needs ${formatDuration(m.needsSeconds)} of ${formatDuration(m.longestWindowSeconds)})`);
    const more = misfits.length > 5 ? ` and ${formatCount(misfits.length - 5)} more` : '';
    for (const l of wrap(`${formatCount(misfits.length)} cop${misfits.length === 1 ? 'y fits' : 'ies fit'} no change window even alone and ${misfits.length === 1 ? 'is' : 'are'} left out of the bound: ${named.join(', ')}${more}.`, 116)) lines.push(`  ${l}`);
  }
  return printable(lines.join('\n'));
}

function ratio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

/** Words of `text` in lines of at most `width` characters (a word longer than that on its own line). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}
