// From runs to the figures a planner compares: one RunSummary per simulation, one PolicyStats per
// policy. Pure functions, shared by the in-process runner and the worker threads.
//
// Percentiles are NEAREST-RANK: P_p of n values sorted ascending is the value of rank ⌈p/100 · n⌉
// (1-based; rank 1 for p = 0). It is always one of the runs' own makespans (a run one can replay
// by its seed), never an interpolation; with 200 runs, P90 is the 180th smallest and P99 the 198th.

import { formatDuration, formatPercent } from '../domain/units.js';
import type { PolicyStats, RunSummary } from './compare-result.js';
import type { SimulationResult } from './result.js';

/** Nearest-rank percentile of `values` (any order); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not between 0 and 100`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[rank(p, sorted.length) - 1]!;
}

/** 1-based nearest rank of percentile p among n values. */
export function rank(p: number, n: number): number {
  // p · n first: for whole p it is exact, so ⌈p·n / 100⌉ never suffers 0.99 · 200 = 198.00000000000003.
  return Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
}

/** The summary of one simulated run. */
export function summariseRun(result: SimulationResult, seed: number): RunSummary {
  const emptied = result.datastoresEmptied.map((d) => d.at).filter((at): at is number => at !== null);
  const all = emptied.length === result.datastoresEmptied.length;
  return {
    seed,
    ...(result.drawn === undefined ? {} : { drawn: result.drawn }),
    makespanSeconds: result.makespanSeconds,
    bytesMoved: result.bytesMoved,
    vmotions: result.summary.vmotions,
    apiCalls: result.summary.apiCalls,
    queuedSeconds: result.summary.queuedSeconds,
    vmsFailed: result.summary.vmsFailed,
    firstLegacyEmptySeconds: emptied.length > 0 ? Math.min(...emptied) : null,
    lastLegacyEmptySeconds: emptied.length > 0 ? Math.max(...emptied) : null,
    vmsSkipped: result.summary.vmsSkipped,
    retries: result.summary.retries,
    drsMoves: result.summary.drsMoves,
    vmsMoved: result.summary.vmsMoved,
    legacyDatastores: result.datastoresEmptied.length,
    legacyDatastoresEmptied: emptied.length,
    allLegacyEmptySeconds: all && emptied.length > 0 ? Math.max(...emptied) : null,
  };
}

/**
 * The statistics of one policy's runs (in run order). A run meets the deadline when its makespan
 * is at most `deadlineSeconds`. Throughput is the campaign's: all bytes moved over all time spent,
 * Σ bytes / Σ makespan (a mean of per-run rates would let short runs weigh as much as long ones).
 */
export function policyStats(policy: string, runs: RunSummary[], deadlineSeconds: number | null, lowerBoundSeconds: number): PolicyStats {
  const n = runs.length;
  const makespans = runs.map((r) => r.makespanSeconds);
  const mean = (f: (r: RunSummary) => number) => (n === 0 ? 0 : runs.reduce((s, r) => s + f(r), 0) / n);
  const totalSeconds = makespans.reduce((s, t) => s + t, 0);
  const totalBytes = runs.reduce((s, r) => s + r.bytesMoved, 0);
  const p50 = percentile(makespans, 50);
  return {
    policy,
    p50Seconds: p50,
    p90Seconds: percentile(makespans, 90),
    p99Seconds: percentile(makespans, 99),
    deadlineProbability: deadlineSeconds === null || n === 0 ? null : runs.filter((r) => r.makespanSeconds <= deadlineSeconds).length / n,
    vmotions: mean((r) => r.vmotions),
    apiCalls: mean((r) => r.apiCalls),
    bytesPerHour: totalSeconds > 0 ? (totalBytes / totalSeconds) * 3600 : 0,
    ratioToLowerBound: lowerBoundSeconds > 0 ? p50 / lowerBoundSeconds : 1,
    meanSeconds: mean((r) => r.makespanSeconds),
    bytesMoved: mean((r) => r.bytesMoved),
    queuedSeconds: mean((r) => r.queuedSeconds),
    vmsFailed: mean((r) => r.vmsFailed),
    firstLegacyEmptyP50Seconds: percentileOrNever(runs.map((r) => r.firstLegacyEmptySeconds), 50),
    lastLegacyEmptyP50Seconds: percentileOrNever(runs.map((r) => r.lastLegacyEmptySeconds), 50),
    vmsMoved: n > 0 && runs.every((r) => r.vmsMoved !== undefined) ? mean((r) => r.vmsMoved!) : null,
    vmsSkipped: mean((r) => r.vmsSkipped),
    vmsLeft: mean((r) => r.vmsFailed + r.vmsSkipped),
    legacyDatastores: n > 0 && runs.every((r) => r.legacyDatastores !== undefined) ? Math.max(...runs.map((r) => r.legacyDatastores!)) : null,
    legacyDatastoresEmptiedP50: n > 0 && runs.every((r) => r.legacyDatastoresEmptied !== undefined) ? percentile(runs.map((r) => r.legacyDatastoresEmptied!), 50) : null,
    // Runs from before svmig told "every datastore empty" apart from "the last one emptied" count as never.
    allLegacyEmptyP50Seconds: percentileOrNever(runs.map((r) => r.allLegacyEmptySeconds ?? null), 50),
    runs,
  };
}

/** Nearest-rank percentile where null means "never" (after every number); null when it lands there. */
export function percentileOrNever(values: ReadonlyArray<number | null>, p: number): number | null {
  if (values.length === 0) return null;
  const v = percentile(values.map((x) => x ?? Infinity), p);
  return Number.isFinite(v) ? v : null;
}

/** Equal within a billionth: means over the same runs computed along different paths. */
function sameCount(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Equal as the table shows them (countOf: a tenth of a VM per run): a difference nobody can see in
 * the table does not decide, and the verdict never says a policy won on "3.0 against 3.0".
 */
function sameShownCount(a: number, b: number): boolean {
  return sameCount(a, b) || Math.round(a * 10) === Math.round(b * 10);
}

/** What a ranking looks at, in order: each says which of two policies is better on it, or neither (0). */
const CRITERIA: ReadonlyArray<{ key: RankCriterion; better: (a: PolicyStats, b: PolicyStats) => number }> = [
  { key: 'vms-left', better: (a, b) => (sameShownCount(a.vmsLeft, b.vmsLeft) ? 0 : a.vmsLeft - b.vmsLeft) },
  {
    key: 'deadline',
    better: (a, b) => (a.deadlineProbability === null || b.deadlineProbability === null || sameCount(a.deadlineProbability, b.deadlineProbability) ? 0 : b.deadlineProbability - a.deadlineProbability),
  },
  { key: 'p90', better: (a, b) => (sameTime(a.p90Seconds, b.p90Seconds) ? 0 : a.p90Seconds - b.p90Seconds) },
  { key: 'queue', better: (a, b) => (sameTime(a.queuedSeconds, b.queuedSeconds) ? 0 : a.queuedSeconds - b.queuedSeconds) },
  { key: 'p50', better: (a, b) => (sameTime(a.p50Seconds, b.p50Seconds) ? 0 : a.p50Seconds - b.p50Seconds) },
];

export type RankCriterion = 'vms-left' | 'deadline' | 'p90' | 'queue' | 'p50';

/** The first criterion on which `a` and `b` differ, and which is better on it; null when they tie on all. */
export function decidingCriterion(a: PolicyStats, b: PolicyStats): { key: RankCriterion; aBetter: boolean } | null {
  for (const c of CRITERIA) {
    const d = c.better(a, b);
    if (d !== 0) return { key: c.key, aBetter: d < 0 };
  }
  return null;
}

/**
 * The policies, best first. Lexicographic: fewest VMs left behind (failed for good or skipped; a
 * campaign that leaves VMs on legacy storage has not done its job, however fast), then the best odds
 * of meeting the deadline, then the lowest P90 makespan, then the least time operations spent
 * waiting in vCenter's queue (the load a policy puts on vCenter), then the lowest P50; a policy
 * that ties on all of them keeps its place in the list. VMs left per run are equal when the table
 * shows them equal (to a tenth); times within a billionth of each other are equal: two policies
 * that run the same schedule can end a few ulps apart.
 */
export function rankPolicies(policies: readonly PolicyStats[]): PolicyStats[] {
  return policies
    .map((p, i) => ({ p, i }))
    .sort((x, y) => {
      const d = decidingCriterion(x.p, y.p);
      return d === null ? x.i - y.i : d.aBetter ? -1 : 1;
    })
    .map((x) => x.p);
}

/** The best policy by rankPolicies; null when there is none. */
export function winnerOf(policies: readonly PolicyStats[]): string | null {
  return rankPolicies(policies)[0]?.policy ?? null;
}

/**
 * Why the winner won, in words: the criterion on which it beat the runner-up, with both figures;
 * and what every policy (the winner too) left behind. A policy that leaves VMs behind never wins
 * without the sentence saying so.
 */
export function verdictOf(policies: readonly PolicyStats[]): string {
  const ranked = rankPolicies(policies);
  const winner = ranked[0];
  if (winner === undefined) return '';
  const left = (p: PolicyStats) => `${countOf(p.vmsLeft)} VM${p.vmsLeft === 1 ? '' : 's'}`;
  const parts: string[] = [];
  const second = ranked[1];
  if (second === undefined) parts.push(`${winner.policy} is the only policy compared.`);
  else {
    const d = decidingCriterion(winner, second);
    const against = `against ${second.policy}'s`;
    if (d === null) parts.push(`${winner.policy} ties with ${second.policy} on every count and comes first as listed.`);
    else {
      const figures =
        d.key === 'vms-left'
          ? `${countOf(winner.vmsLeft)} per run ${against} ${countOf(second.vmsLeft)}`
          : d.key === 'deadline'
            ? `${formatPercent(winner.deadlineProbability!)} of runs in time ${against} ${formatPercent(second.deadlineProbability!)}`
            : d.key === 'p90'
              ? `${formatDuration(winner.p90Seconds)} ${against} ${formatDuration(second.p90Seconds)}`
              : d.key === 'queue'
                ? `${formatDuration(winner.queuedSeconds)} per run ${against} ${formatDuration(second.queuedSeconds)}`
                : `${formatDuration(winner.p50Seconds)} ${against} ${formatDuration(second.p50Seconds)}`;
      parts.push(`${winner.policy} wins on ${CRITERION_NAMES[d.key]}: ${figures}${tiesBefore(d.key, winner, second)}.`);
    }
  }
  const behind = ranked.filter((p) => p.vmsLeft > 0);
  if (behind.length > 0) {
    const others = behind.filter((p) => p !== winner).map((p) => `${p.policy} ${left(p)}`);
    const self = winner.vmsLeft > 0 ? `${winner.policy} itself leaves ${left(winner)} behind per run` : `${winner.policy} leaves none`;
    parts.push(`Left on legacy storage per run (failed for good or never attempted): ${self}${others.length > 0 ? `; ${others.join(', ')}` : ''}.`);
  }
  return parts.join(' ');
}

const CRITERION_NAMES: Record<RankCriterion, string> = {
  'vms-left': 'VMs left behind',
  deadline: 'deadline odds',
  p90: 'P90',
  queue: 'vCenter queue time',
  p50: 'P50',
};

/** ", tying with B on …" when the deciding criterion is not the first one. */
function tiesBefore(key: RankCriterion, a: PolicyStats, b: PolicyStats): string {
  const before: string[] = [];
  for (const c of CRITERIA) {
    if (c.key === key) break;
    if (c.key === 'deadline' && (a.deadlineProbability === null || b.deadlineProbability === null)) continue;
    before.push(CRITERION_NAMES[c.key]);
  }
  if (before.length === 0) return '';
  const list = before.length === 1 ? before[0]! : `${before.slice(0, -1).join(', ')} and ${before[before.length - 1]}`;
  return `, tying with it on ${list}`;
}

/** A mean count: whole when it is whole, otherwise one decimal. */
export function countOf(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** Equal up to a relative billionth (durations computed along different float paths). */
export function sameTime(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
