// The summary `svmig sweep --json` prints: per grid point and policy what the table says, as
// numbers in base units (seconds, shares 0..1) under keys that stay as they are (may be added to,
// never renamed). Pure.

import { bestCell, type SweepResult } from '../core/sweep-result.js';
import { isoInstant, pointCalendar, pointDeadline } from './sweep-dates.js';
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
    /** The point's campaign start as campaign.start is written (each its own when a sweep varies it); null without one. */
    start: string | null;
    /** The deadline in seconds from this point's start (a deadline date lies at another distance from each start); null without one. */
    deadlineSeconds: number | null;
    cells: Array<{
      policy: string;
      spec: string;
      p50Seconds: number;
      p90Seconds: number;
      p99Seconds: number;
      /** When the P50 / P90 run ends on the point's own calendar: ISO 8601 with the zone's offset; null without a start. */
      p50End: string | null;
      p90End: string | null;
      deadlineShare: number | null;
      vmsLeft: number;
      vmsFailed: number;
      queuedSeconds: number;
    }>;
  }>;
  best: { values: Record<string, string>; policy: string; spec: string } | null;
  /** Met when some point and policy finishes by the deadline nine runs in ten (its P90 is within its point's deadline); the margin is the widest such (or the least short). */
  deadline: DeadlineVerdict | null;
  files: { result: string | null; report: string | null };
}

export function sweepJson(r: SweepResult, files: WrittenFiles): SweepJson {
  const valuesOf = (values: readonly string[]) => Object.fromEntries(r.axes.map((a, k) => [a.path, values[k]!]));
  const best = bestCell(r);
  // How far within (or past) its point's deadline each cell's P90 ends.
  const margins = r.points.flatMap((p) => {
    const d = pointDeadline(r, p);
    return d === null ? [] : p.cells.map((c) => d - c.p90Seconds);
  });
  const widest = margins.length === 0 ? null : Math.max(...margins);
  return {
    kind: 'sweep',
    scenario: r.scenario,
    seed: r.seed,
    runs: r.runs,
    axes: r.axes.map((a) => ({ path: a.path, kind: a.kind, values: a.values })),
    policies: r.policies,
    points: r.points.map((p) => {
      const calendar = pointCalendar(p);
      return {
        values: valuesOf(p.values),
        lowerBoundSeconds: p.lowerBoundSeconds,
        start: p.calendar?.start ?? null,
        deadlineSeconds: pointDeadline(r, p),
        cells: p.cells.map((c) => ({
          policy: c.policy,
          spec: c.spec,
          p50Seconds: c.p50Seconds,
          p90Seconds: c.p90Seconds,
          p99Seconds: c.p99Seconds,
          p50End: calendar === null ? null : isoInstant(calendar, c.p50Seconds),
          p90End: calendar === null ? null : isoInstant(calendar, c.p90Seconds),
          deadlineShare: c.deadlineProbability,
          vmsLeft: c.vmsLeft,
          vmsFailed: c.vmsFailed,
          queuedSeconds: c.queuedSeconds,
        })),
      };
    }),
    best: best === null ? null : { values: valuesOf(best.point.values), policy: best.cell.policy, spec: best.cell.spec },
    deadline: r.deadlineSeconds === null || widest === null ? null : { seconds: r.deadlineSeconds, met: widest >= 0, marginSeconds: widest },
    files: { result: files.result ?? null, report: files.report ?? null },
  };
}
