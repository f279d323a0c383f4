// The summary `svmig sweep --json` prints: per grid point and policy what the table says, as
// numbers in base units (seconds, shares 0..1) under keys that stay as they are (may be added to,
// never renamed). Pure.

import { bestCell, type SweepResult } from '../core/sweep-result.js';
import type { DeadlineVerdict, WrittenFiles } from './json-summary.js';

export interface SweepJson {
  kind: 'sweep';
  scenario: string;
  seed: number;
  runs: number;
  axes: Array<{ path: string; kind: 'scenario' | 'policy'; values: string[] }>;
  policies: string[];
  points: Array<{
    /** The point's value on each axis, by path. */
    values: Record<string, string>;
    lowerBoundSeconds: number;
    cells: Array<{ policy: string; spec: string; p50Seconds: number; p90Seconds: number; p99Seconds: number; deadlineShare: number | null; vmsLeft: number; vmsFailed: number; queuedSeconds: number }>;
  }>;
  best: { values: Record<string, string>; policy: string; spec: string } | null;
  /** Met when some point and policy finishes by the deadline nine runs in ten (its P90 is within it); the margin is to the lowest P90. */
  deadline: DeadlineVerdict | null;
  files: { result: string | null; report: string | null };
}

export function sweepJson(r: SweepResult, files: WrittenFiles): SweepJson {
  const valuesOf = (values: readonly string[]) => Object.fromEntries(r.axes.map((a, k) => [a.path, values[k]!]));
  const best = bestCell(r);
  const p90s = r.points.flatMap((p) => p.cells.map((c) => c.p90Seconds));
  const lowest = p90s.length === 0 ? null : Math.min(...p90s);
  return {
    kind: 'sweep',
    scenario: r.scenario,
    seed: r.seed,
    runs: r.runs,
    axes: r.axes.map((a) => ({ path: a.path, kind: a.kind, values: a.values })),
    policies: r.policies,
    points: r.points.map((p) => ({
      values: valuesOf(p.values),
      lowerBoundSeconds: p.lowerBoundSeconds,
      cells: p.cells.map((c) => ({
        policy: c.policy,
        spec: c.spec,
        p50Seconds: c.p50Seconds,
        p90Seconds: c.p90Seconds,
        p99Seconds: c.p99Seconds,
        deadlineShare: c.deadlineProbability,
        vmsLeft: c.vmsLeft,
        vmsFailed: c.vmsFailed,
        queuedSeconds: c.queuedSeconds,
      })),
    })),
    best: best === null ? null : { values: valuesOf(best.point.values), policy: best.cell.policy, spec: best.cell.spec },
    deadline:
      r.deadlineSeconds === null || lowest === null ? null : { seconds: r.deadlineSeconds, met: lowest <= r.deadlineSeconds, marginSeconds: r.deadlineSeconds - lowest },
    files: { result: files.result ?? null, report: files.report ?? null },
  };
}
