// From runs to the figures a planner compares: one RunSummary per simulation, one PolicyStats per
// policy. Pure functions, shared by the in-process runner and the worker threads.
//
// Percentiles are NEAREST-RANK: P_p of n values sorted ascending is the value of rank ⌈p/100 · n⌉
// (1-based; rank 1 for p = 0). It is always one of the runs' own makespans (a run one can replay
// by its seed), never an interpolation; with 200 runs, P90 is the 180th smallest and P99 the 198th.

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
    runs,
  };
}

/** Nearest-rank percentile where null means "never" (after every number); null when it lands there. */
export function percentileOrNever(values: ReadonlyArray<number | null>, p: number): number | null {
  if (values.length === 0) return null;
  const v = percentile(values.map((x) => x ?? Infinity), p);
  return Number.isFinite(v) ? v : null;
}

/**
 * The policy with the lowest P90 makespan; ties go to the lower P50, then to the first listed.
 * Times within a billionth of each other are equal: two policies that run the same schedule can
 * end a few ulps apart, and that is not a win.
 */
export function winnerOnP90(policies: readonly PolicyStats[]): string | null {
  let best: PolicyStats | null = null;
  for (const p of policies) {
    if (best === null) best = p;
    else if (!sameTime(p.p90Seconds, best.p90Seconds)) {
      if (p.p90Seconds < best.p90Seconds) best = p;
    } else if (!sameTime(p.p50Seconds, best.p50Seconds) && p.p50Seconds < best.p50Seconds) best = p;
  }
  return best?.policy ?? null;
}

/** Equal up to a relative billionth (durations computed along different float paths). */
export function sameTime(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
