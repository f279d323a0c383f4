// What bound a run, worked out from the run itself: the link that was full, and for how much of the
// time copies could run; the copies whose length set the end (long poles); change windows that
// passed with nothing copying; time operations spent waiting in vCenter's queue. One or two
// sentences a planner can take to a change board, and the tables behind them. Pure: a result in,
// words and rows out.

import { formatEnd, formatInstant } from '../domain/calendar.js';
import { formatBytes, formatDuration, formatPercent } from '../domain/units.js';
import { OPERATIONS } from '../core/operations.js';
import type { OperationRecord, SimulationResult } from '../core/result.js';
import { calendarOf } from './calendar.js';
import { wrap } from './compare-table.js';
import { formatCount } from './table.js';

/** A copy whose length sets the end: it ran long, late. */
export interface LongPole {
  vm: string;
  cluster: string;
  bytes: number;
  startedAt: number;
  finishedAt: number;
  /** Its copy's length, seconds (set-up included). */
  seconds: number;
  /** Of the time copies could run (open time with windows, else the makespan). */
  share: number;
}

/** The time copies could run: the open time with change windows, else the whole campaign. */
export function runnableSeconds(r: SimulationResult): number {
  return r.openSeconds ?? r.makespanSeconds;
}

const copies = (r: SimulationResult): OperationRecord[] =>
  r.operations.filter((o) => OPERATIONS[o.kind].movesStorage && o.by === undefined && o.outcome === 'success' && o.startedAt !== null && o.finishedAt !== null);

/**
 * The long poles: the copies still running in the last tenth of the campaign, longest first, up to
 * `n`. Their length against the time copies could run says how much of the campaign they hold up
 * on their own: a copy as long as the campaign ends it whatever runs beside it.
 */
export function longPoles(r: SimulationResult, n = 10): LongPole[] {
  const end = r.makespanSeconds;
  const tail = end - 0.1 * end;
  const total = Math.max(1, runnableSeconds(r));
  const late = copies(r).filter((o) => o.finishedAt! >= tail);
  return late
    .map((o) => ({ vm: o.vm, cluster: o.cluster, bytes: o.bytes, startedAt: o.startedAt!, finishedAt: o.finishedAt!, seconds: o.finishedAt! - o.startedAt!, share: (o.finishedAt! - o.startedAt!) / total }))
    .sort((a, b) => b.seconds - a.seconds || b.finishedAt - a.finishedAt || (a.vm < b.vm ? -1 : 1))
    .slice(0, n);
}

/** The link full the longest: its label and seconds at capacity (null when the run did not count them). */
export function bottleneck(r: SimulationResult): { label: string; seconds: number; utilisation: number } | null {
  let best: { label: string; seconds: number; utilisation: number } | null = null;
  for (const l of r.links) {
    if (l.saturatedSeconds === undefined) return null;
    if (best === null || l.saturatedSeconds > best.seconds) best = { label: l.label, seconds: l.saturatedSeconds, utilisation: l.utilisation };
  }
  return best;
}

/** Change windows that opened before the end in which no copy ran, and the open time before the end in which none did. */
export function idleWindows(r: SimulationResult): { windows: number; idle: number; seconds: number } | null {
  const windows = r.windows;
  if (windows === undefined || windows.length === 0) return null;
  // Copying spans from the throughput step function: rate > 0 from one change to the next.
  const busy: Array<[number, number]> = [];
  r.throughput.forEach(([t, rate], k) => {
    if (rate > 0) busy.push([t, r.throughput[k + 1]?.[0] ?? r.makespanSeconds]);
  });
  let idle = 0;
  let idleSeconds = 0;
  for (const w of windows) {
    // The last window runs past the end: only its part before the end counts.
    const end = Math.min(w.end, r.makespanSeconds);
    let copying = 0;
    for (const [a, b] of busy) copying += Math.max(0, Math.min(b, end) - Math.max(a, w.start));
    if (copying <= 0) idle++;
    idleSeconds += Math.max(0, end - w.start - copying);
  }
  return { windows: windows.length, idle, seconds: idleSeconds };
}

/**
 * One or two sentences on what bound the run: the first of a long pole that held the end alone, a
 * link full most of the time, windows that passed idle, or vCenter's queue; then what else weighed.
 */
export function explainRun(r: SimulationResult): string[] {
  if (r.makespanSeconds <= 0) return ['Nothing was copied.'];
  const runnable = Math.max(1, runnableSeconds(r));
  const over = r.openSeconds === undefined ? 'of the campaign' : 'of the time windows were open';
  const pole = longPoles(r, 1)[0];
  const link = bottleneck(r);
  const idle = idleWindows(r);
  const s = r.summary;
  const reasons: Array<{ weight: number; text: string }> = [];
  if (pole && pole.share >= 0.5) {
    reasons.push({
      weight: pole.share,
      text: `the long pole: ${pole.vm} (${formatBytes(pole.bytes)}) copied for ${formatDuration(pole.seconds)} and ${pole.finishedAt >= r.makespanSeconds - 1 ? 'ended the campaign' : 'ran into its last tenth'}${pole.share >= 0.999 ? ', running the whole time' : `, ${formatPercent(pole.share, 0)} ${over}`}`,
    });
  }
  const share = link === null ? 0 : link.seconds / runnable;
  if (link && share >= 0.5) {
    reasons.push({ weight: share, text: `${link.label} bound it: full ${formatPercent(share, 0)} ${over} (${formatDuration(link.seconds)})` });
  } else if (link && reasons.length === 0) {
    // No long pole and no full link: nothing held the copies back but the policy's own limits.
    const busiest = link.seconds > 0 ? `${link.label} ran full only ${formatPercent(share, 0)} ${over}` : `no link was ever full (the busiest, ${r.links[0]?.label ?? link.label}, carried ${formatPercent(r.links[0]?.utilisation ?? 0, 0)} of its capacity)`;
    const copies = s.peakConcurrentCopies === 1 ? 'copy' : 'copies';
    reasons.push({ weight: 0.45, text: `the policy's concurrency bound it: at most ${formatCount(s.peakConcurrentCopies)} ${copies} ran at once, and ${busiest}` });
  }
  if (idle && idle.seconds > 0.05 * (idle.seconds + runnable)) {
    reasons.push({
      weight: idle.seconds / Math.max(1, r.makespanSeconds),
      text: `${idle.idle > 0 ? `${formatCount(idle.idle)} of ${formatCount(idle.windows)} change windows passed with nothing copying; ` : ''}${formatDuration(idle.seconds)} of open windows went unused`,
    });
  }
  if (s.queuedSeconds > 0.05 * runnable) {
    // Waiting in the queue slows copies only where vCenter had no room: it never comes first.
    reasons.push({ weight: Math.min(0.4, s.queuedSeconds / runnable / 10), text: `operations waited ${formatDuration(s.queuedSeconds)} in all in vCenter's queue (${formatCount(s.queuedOperations)} of them)` });
  }
  if (reasons.length === 0 && link === null) return ['No copy held the end alone and nothing waited long in vCenter’s queue; this result does not say how long each link ran full (an older svmig saved it).'];
  if (reasons.length === 0) return ['The policy’s concurrency bound it: no link was full, no copy held the end alone, and nothing waited in vCenter’s queue.'];
  reasons.sort((a, b) => b.weight - a.weight);
  const [first, ...rest] = reasons;
  const lead = `${capital(first!.text)}.`;
  if (rest.length === 0) return [lead];
  return [lead, `${capital(rest.slice(0, 2).map((x) => x.text).join('; '))}.`];
}

/** Rows of the long-pole table: VM, cluster, size, started, ended, length, share of the time copies could run. */
export function longPoleRows(r: SimulationResult, n = 10): string[][] {
  const calendar = calendarOf(r);
  const at = (t: number) => (calendar === null ? formatDuration(t) : formatInstant(calendar, t));
  return longPoles(r, n).map((p) => [p.vm, p.cluster, formatBytes(p.bytes), at(p.startedAt), at(p.finishedAt), formatDuration(p.seconds), formatPercent(p.share, 0)]);
}

export const LONG_POLE_HEADER = ['VM', 'Cluster', 'Size', 'Started', 'Ended', 'Copy length', 'Share'];

/** `ends Tue 8 Dec 2026 …` or the duration: when the run ended, as its result knows it. */
export function endOf(r: SimulationResult): string {
  return formatEnd(calendarOf(r), r.makespanSeconds);
}

function capital(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * What bound each policy, best first, as text for the terminal: one run of each (`runs`), in the
 * order of `ranking`, each policy's sentences wrapped under its name.
 */
export function renderExplanations(runs: readonly SimulationResult[], ranking: readonly string[], width = 112): string {
  const ordered = [...runs].sort((a, b) => rankOf(ranking, a.policy) - rankOf(ranking, b.policy));
  const lines = [`  What bound each policy (one run of each, seed ${ordered[0]?.seed ?? ''}):`];
  for (const r of ordered) {
    const words = wrap(`${r.policy}: ${explainRun(r).join(' ')}`, width);
    words.forEach((l, i) => lines.push(`    ${i === 0 ? '' : '  '}${l}`));
  }
  return lines.join('\n');
}

function rankOf(ranking: readonly string[], policy: string): number {
  const i = ranking.indexOf(policy);
  return i < 0 ? ranking.length : i;
}
