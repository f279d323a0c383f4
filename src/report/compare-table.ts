// The text `svmig compare` (and `svmig simulate --runs N`) prints: one row per policy, then the
// winner on P90 and the lower bound with what sets it. Pure: a CompareResult in, text out.

import { formatEnd, formatInstant, formatMoment, type Calendar } from '../domain/calendar.js';
import { printable } from '../domain/display.js';
import { TiB, formatDuration, formatPercent } from '../domain/units.js';
import type { CompareResult, PolicyStats } from '../core/compare-result.js';
import { sameTime, winnerOnP90 } from '../core/run-stats.js';
import { formatCount, table, type Align } from './table.js';

/** The table's header, one row per policy, and the alignment of each column (also the HTML report's). */
export function compareTableRows(result: CompareResult): { header: string[]; rows: string[][]; align: Align[] } {
  const deadline = result.deadlineSeconds;
  const header = [
    'Policy',
    'P50',
    'P90',
    'P99',
    ...(deadline === null ? [] : [`≤ ${formatDuration(deadline)}`]),
    'TiB/h',
    'vMotions',
    'API calls',
    'First DS empty',
    'Last DS empty',
    '× bound',
  ];
  const rows = result.policies.map((p) => [
    p.policy,
    formatDuration(p.p50Seconds),
    formatDuration(p.p90Seconds),
    formatDuration(p.p99Seconds),
    ...(deadline === null ? [] : [p.deadlineProbability === null ? '–' : formatPercent(p.deadlineProbability)]),
    (p.bytesPerHour / TiB).toFixed(2),
    mean(p.vmotions),
    mean(p.apiCalls),
    p.firstLegacyEmptyP50Seconds === null ? 'never' : formatDuration(p.firstLegacyEmptyP50Seconds),
    p.lastLegacyEmptyP50Seconds === null ? 'never' : formatDuration(p.lastLegacyEmptyP50Seconds),
    ratio(p.ratioToLowerBound),
  ]);
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')];
  return { header, rows, align };
}

/** The table as text; with the campaign's calendar, the start, the deadline and the winner's end as dates too. */
export function renderCompareTable(result: CompareResult, calendar: Calendar | null = null): string {
  const deadline = result.deadlineSeconds;
  const { header, rows, align } = compareTableRows(result);
  const runs = `${formatCount(result.runs)} run${result.runs === 1 ? '' : 's'} per policy`;
  const start = calendar === null ? '' : ` · starts ${formatInstant(calendar, 0)}`;
  const lines = [
    `${result.scenario} · ${runs} · seed ${result.seed}${start}${deadline === null ? '' : ` · deadline ${formatMoment(calendar, deadline)}`}`,
    '',
    table([header, ...rows], align, '  '),
    '',
    `  Makespan percentiles are nearest-rank over the runs; vMotions and API calls are means per run; datastores emptied at P50.`,
  ];

  const winnerName = result.winner ?? winnerOnP90(result.policies);
  const winner = result.policies.find((p) => p.policy === winnerName);
  if (winner) {
    const bound = ratio(winner.p90Seconds / result.lowerBoundSeconds);
    const p90 = calendar === null ? `${formatDuration(winner.p90Seconds)} (${bound} the lower bound)` : `P90 ${formatEnd(calendar, winner.p90Seconds)}, ${bound} the lower bound`;
    lines.push(`  Winner on P90: ${winner.policy}, ${p90}${tie(winner, result.policies)}`);
  }

  const bound = result.lowerBound;
  const binding = bound?.parts.find((part) => part.name === bound.binding);
  lines.push(
    binding
      ? `  Lower bound: ${formatDuration(result.lowerBoundSeconds)}, set by ${binding.name}: ${binding.explanation}`
      : `  Lower bound: ${formatDuration(result.lowerBoundSeconds)}${bound ? ` (${bound.binding})` : ''}`,
  );
  if (bound?.drawn) lines.push(`  The bound is worked out ${bound.drawn.basis}.`);
  return printable(lines.join('\n'));
}

/** A mean count: whole when it is whole, otherwise one decimal. */
function mean(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function ratio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

function tie(winner: PolicyStats, all: readonly PolicyStats[]): string {
  const others = all.filter((p) => p !== winner && sameTime(p.p90Seconds, winner.p90Seconds)).map((p) => p.policy);
  return others.length === 0 ? '' : `; ${others.join(', ')} tie${others.length === 1 ? 's' : ''} on P90 (chosen on P50, then as listed)`;
}
