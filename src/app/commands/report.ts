// The work of `svmig report` (its options and help: cli/report.ts).

import { basename, join } from 'node:path';
import { UserError } from '../../domain/errors.js';
import { MAX_TEXT_BYTES, readTextInputSync } from '../../domain/input-file.js';
import { calendarOf } from '../../report/calendar.js';
import { readSaved } from '../../report/saved.js';
import { parseDeadline } from '../flags.js';
import { checkReportFolder, writeReport } from '../../report/write.js';
import type { CompareResult } from '../../core/compare-result.js';
import type { SweepResult } from '../../core/sweep-result.js';
import { policyStats, rankPolicies, verdictOf } from '../../core/run-stats.js';

export interface ReportFlags {
  report?: string;
  deadline?: string;
}

export async function report(file: string, flags: ReportFlags): Promise<void> {
  const dir = flags.report ?? join('reports', basename(file).replace(/\.json$/i, ''));
  checkReportFolder(dir);
  const saved = readSaved(readJson(file), file);
  // A date is read in the zone of the saved campaign's start; without a start, only a duration will do.
  const calendar = saved.kind === 'result' ? calendarOf(saved.result) : saved.kind === 'compare' ? calendarOf(saved.compare) : null;
  const deadlineSeconds = flags.deadline === undefined ? undefined : parseDeadline(flags.deadline, calendar);
  const written = await writeReport(
    dir,
    saved.kind === 'result'
      ? { result: saved.result, deadlineSeconds }
      : saved.kind === 'sweep'
        ? { sweep: deadlineSeconds === undefined ? saved.sweep : sweepWithDeadline(saved.sweep, deadlineSeconds) }
        : { compare: deadlineSeconds === undefined ? saved.compare : withDeadline(saved.compare, deadlineSeconds) },
  );
  if (written.note) process.stderr.write(`svmig: ${written.note}\n`);
  if (saved.kind === 'result' && !saved.result.timeline) {
    process.stdout.write('  This result has no timeline: throughput is drawn for all clusters together and link use as a whole-campaign mean.\n');
  }
  process.stdout.write(`  Report written to ${join(dir, 'index.html')} (${written.paths.length} files)\n`);
}

/**
 * The comparison judged against another deadline: each policy's share of runs that meet it, again,
 * and the ranking, the winner and the verdict with them (deadline odds are one of its criteria).
 */
function withDeadline(c: CompareResult, deadlineSeconds: number): CompareResult {
  const policies = c.policies.map((p) => ({ ...p, deadlineProbability: policyStats(p.policy, p.runs, deadlineSeconds, c.lowerBoundSeconds).deadlineProbability }));
  const ranking = rankPolicies(policies).map((p) => p.policy);
  return { ...c, deadlineSeconds, policies, ranking, winner: ranking[0] ?? null, verdict: verdictOf(policies) };
}

/** The sweep judged against another deadline: each cell's share of runs that meet it, again. */
function sweepWithDeadline(r: SweepResult, deadlineSeconds: number): SweepResult {
  return {
    ...r,
    deadlineSeconds,
    // A duration: the same length from every point's start (a point's own deadline was a date's).
    points: r.points.map(({ deadlineSeconds: _own, ...p }) => ({
      ...p,
      cells: p.cells.map((c) => ({ ...c, deadlineProbability: policyStats(c.policy, c.runs, deadlineSeconds, p.lowerBoundSeconds).deadlineProbability })),
    })),
  };
}

function readJson(file: string): unknown {
  // A regular file of at most MAX_TEXT_BYTES, its byte order mark dropped (input-file.ts).
  const text = readTextInputSync(file, { what: 'a saved result', maxBytes: MAX_TEXT_BYTES });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UserError(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}.`, { cause: err });
  }
}
