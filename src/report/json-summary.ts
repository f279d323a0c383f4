// The summaries `--json` prints on stdout, for scripts: what the text summary says, as numbers in
// base units (seconds, bytes, bytes per second, shares 0..1) under keys that stay as they are.
// Keys may be added, never renamed or removed; `kind` says which summary it is. Pure: results in,
// plain objects out (the CLI writes them as one JSON document).

import type { CompareResult } from '../core/compare-result.js';
import { instantAt, type Calendar } from '../domain/calendar.js';
import type { SavedCalendar, SimulationResult, WindowMisfit } from '../core/result.js';
import { calendarOf } from './calendar.js';
import { explainRun, longPoles } from './explain.js';
import { rankedPolicies, winnerOfResult } from './compare-table.js';

/** Where a command wrote its output: a path, or null (not written, or written to stdout). */
export interface WrittenFiles {
  result?: string | null;
  report?: string | null;
  plan?: string | null;
}

export interface DeadlineVerdict {
  seconds: number;
  /** A run: its makespan is within the deadline. Runs: the best policy's P90 is. */
  met: boolean;
  /** Deadline minus the makespan (a run) or minus the best P90 (runs): negative when missed. */
  marginSeconds: number;
}

export interface RunJson {
  kind: 'run';
  scenario: string;
  policy: string;
  seed: number;
  makespanSeconds: number;
  bytesMoved: number;
  vms: { inScope: number; moved: number; failed: number; skipped: number };
  throughput: { meanBytesPerSecond: number; peakBytesPerSecond: number };
  operations: {
    svmotions: number;
    retries: number;
    vmotions: number;
    drsMoves: number;
    hostFailures: number;
    peakConcurrentCopies: number;
    queuedOperations: number;
    queuedSeconds: number;
  };
  apiCalls: number;
  busiestLinks: Array<{ label: string; utilisation: number; capacityBytesPerSecond: number }>;
  deadline: DeadlineVerdict | null;
  files: { result: string | null; report: string | null };
  /** With a campaign start: the start as written, its instant and zone, and the end as ISO 8601 (UTC). */
  calendar: SavedCalendar | null;
  end: string | null;
  /** With change windows: the seconds windows were open (or copies ran), over which link utilisation is taken. */
  openSeconds: number | null;
  /** With change windows copies may not overrun: the VMs whose copy fits no window. */
  windowMisfits: WindowMisfit[];
  /** What bound the run, in a sentence or two (explain.ts). */
  explanation: string[];
  /** The copies still running in the last tenth of the campaign, longest first: seconds from the start. */
  longPoles: Array<{ vm: string; cluster: string; bytes: number; startedAt: number; finishedAt: number; seconds: number }>;
}

export interface ComparisonJson {
  kind: 'comparison';
  scenario: string;
  seed: number;
  runs: number;
  lowerBound: { seconds: number; binding: string | null };
  policies: Array<{
    policy: string;
    p50Seconds: number;
    p90Seconds: number;
    p99Seconds: number;
    meanSeconds: number;
    /** Share of runs within the deadline; null without one. */
    deadlineShare: number | null;
    bytesPerHour: number;
    vmotions: number;
    apiCalls: number;
    firstLegacyEmptyP50Seconds: number | null;
    lastLegacyEmptyP50Seconds: number | null;
    ratioToLowerBound: number;
    /** 1 for the best policy (the ranking: VMs left, deadline odds, P90, vCenter queue time). */
    rank: number;
    /** Means per run; vmsMoved null when the runs do not say (a result of an older svmig). */
    vmsMoved: number | null;
    vmsFailed: number;
    vmsSkipped: number;
    vmsLeft: number;
    queuedSeconds: number;
    legacyDatastores: number | null;
    legacyDatastoresEmptiedP50: number | null;
    allLegacyEmptyP50Seconds: number | null;
    /** With a campaign start: when P50 and P90 end, as ISO 8601 instants (UTC). */
    p50End?: string;
    p90End?: string;
    /** What bound one run of the policy (the first run's seed), when the command simulated it in full. */
    explanation?: string[];
  }>;
  winner: string | null;
  /** Policies best first. */
  ranking: string[];
  /** Why the winner won and what the others left behind. */
  verdict: string;
  /** With a campaign start: the start as written, its instant and zone. */
  calendar: SavedCalendar | null;
  deadline: DeadlineVerdict | null;
  files: { result: string | null; report: string | null };
}

export interface PlanJson {
  kind: 'plan';
  scenario: string;
  policy: string;
  seed: number;
  vms: number;
  bytes: number;
  skipped: number;
  prediction: { p50Seconds: number; p90Seconds: number; runs: number; lowerBoundSeconds: number | null; p50End?: string; p90End?: string };
  files: { plan: string | null };
  /** Change windows (days without windows) in the plan's schedule in which copies start. */
  scheduledWindows: number;
  /** VMs whose disks go to datastores of their own. */
  vmsPerDisk: number;
  /** Remediation tasks planned before copies. */
  remediationTasks: number;
  /** VMs kept from DRS by an override while copied. */
  vmsGuarded: number;
}

export const BUSIEST_LINKS = 5;

export function runJson(r: SimulationResult, deadlineSeconds: number | null, files: WrittenFiles): RunJson {
  const s = r.summary;
  return {
    kind: 'run',
    scenario: r.scenario,
    policy: r.policy,
    seed: r.seed,
    makespanSeconds: r.makespanSeconds,
    bytesMoved: r.bytesMoved,
    vms: { inScope: r.vmCount, moved: s.vmsMoved, failed: s.vmsFailed, skipped: s.vmsSkipped },
    throughput: { meanBytesPerSecond: s.meanThroughput, peakBytesPerSecond: s.peakThroughput },
    operations: {
      svmotions: s.svmotions,
      retries: s.retries ?? 0,
      vmotions: s.vmotions,
      drsMoves: s.drsMoves ?? 0,
      hostFailures: s.hostFailures ?? 0,
      peakConcurrentCopies: s.peakConcurrentCopies,
      queuedOperations: s.queuedOperations,
      queuedSeconds: s.queuedSeconds,
    },
    apiCalls: s.apiCalls,
    busiestLinks: r.links.slice(0, BUSIEST_LINKS).map((l) => ({ label: l.label, utilisation: l.utilisation, capacityBytesPerSecond: l.capacity })),
    deadline: deadlineSeconds === null ? null : verdict(deadlineSeconds, r.makespanSeconds),
    files: { result: files.result ?? null, report: files.report ?? null },
    calendar: r.calendar ?? null,
    end: r.calendar === undefined ? null : isoAt(calendarOf(r)!, r.makespanSeconds),
    openSeconds: r.openSeconds ?? null,
    windowMisfits: r.windowMisfits ?? [],
    explanation: explainRun(r),
    longPoles: longPoles(r).map(({ share: _, ...p }) => p),
  };
}

export function comparisonJson(c: CompareResult, files: WrittenFiles, explained: readonly SimulationResult[] = []): ComparisonJson {
  const best = winnerOfResult(c);
  const ranking = rankedPolicies(c).map((p) => p.policy);
  const calendar = calendarOf(c);
  return {
    kind: 'comparison',
    scenario: c.scenario,
    seed: c.seed,
    runs: c.runs,
    lowerBound: { seconds: c.lowerBoundSeconds, binding: c.lowerBound?.binding ?? null },
    policies: c.policies.map((p) => ({
      policy: p.policy,
      p50Seconds: p.p50Seconds,
      p90Seconds: p.p90Seconds,
      p99Seconds: p.p99Seconds,
      meanSeconds: p.meanSeconds,
      deadlineShare: p.deadlineProbability,
      bytesPerHour: p.bytesPerHour,
      vmotions: p.vmotions,
      apiCalls: p.apiCalls,
      firstLegacyEmptyP50Seconds: p.firstLegacyEmptyP50Seconds,
      lastLegacyEmptyP50Seconds: p.lastLegacyEmptyP50Seconds,
      ratioToLowerBound: p.ratioToLowerBound,
      rank: ranking.indexOf(p.policy) + 1,
      vmsMoved: p.vmsMoved,
      vmsFailed: p.vmsFailed,
      vmsSkipped: p.vmsSkipped,
      vmsLeft: p.vmsLeft,
      queuedSeconds: p.queuedSeconds,
      legacyDatastores: p.legacyDatastores,
      legacyDatastoresEmptiedP50: p.legacyDatastoresEmptiedP50,
      allLegacyEmptyP50Seconds: p.allLegacyEmptyP50Seconds,
      ...(calendar === null ? {} : { p50End: isoAt(calendar, p.p50Seconds), p90End: isoAt(calendar, p.p90Seconds) }),
      ...explanationOf(explained, p.policy),
    })),
    winner: best?.policy ?? null,
    ranking,
    verdict: c.verdict ?? '',
    calendar: c.calendar ?? null,
    deadline: c.deadlineSeconds === null || !best ? null : verdict(c.deadlineSeconds, best.p90Seconds),
    files: { result: files.result ?? null, report: files.report ?? null },
  };
}

function explanationOf(runs: readonly SimulationResult[], policy: string): { explanation?: string[] } {
  const run = runs.find((r) => r.policy === policy);
  return run === undefined ? {} : { explanation: explainRun(run) };
}

/** The instant `seconds` after the start, as ISO 8601 in UTC (`2026-12-17T04:12:00.000Z`). */
export function isoAt(calendar: Calendar, seconds: number): string {
  return new Date(instantAt(calendar, seconds)).toISOString();
}

function verdict(deadlineSeconds: number, seconds: number): DeadlineVerdict {
  return { seconds: deadlineSeconds, met: seconds <= deadlineSeconds, marginSeconds: deadlineSeconds - seconds };
}

export function planJson(
  p: {
    scenario: { name: string; campaign: { calendar: Calendar | null } };
    policy: string;
    seed: number;
    vms: Array<{ bytes: number; disks?: unknown[]; remediation?: unknown[]; drsOverride?: boolean }>;
    skipped: unknown[];
    prediction: PlanJson['prediction'];
    schedule?: unknown[];
  },
  file: string | null,
): PlanJson {
  const calendar = p.scenario.campaign.calendar;
  const ends = calendar === null ? {} : { p50End: isoAt(calendar, p.prediction.p50Seconds), p90End: isoAt(calendar, p.prediction.p90Seconds) };
  return {
    kind: 'plan',
    scenario: p.scenario.name,
    policy: p.policy,
    seed: p.seed,
    vms: p.vms.length,
    bytes: p.vms.reduce((s, v) => s + v.bytes, 0),
    skipped: p.skipped.length,
    prediction: { p50Seconds: p.prediction.p50Seconds, p90Seconds: p.prediction.p90Seconds, runs: p.prediction.runs, lowerBoundSeconds: p.prediction.lowerBoundSeconds, ...ends },
    files: { plan: file },
    scheduledWindows: p.schedule?.length ?? 0,
    vmsPerDisk: p.vms.filter((v) => v.disks !== undefined).length,
    remediationTasks: p.vms.reduce((n, v) => n + (v.remediation?.length ?? 0), 0),
    vmsGuarded: p.vms.filter((v) => v.drsOverride === true).length,
  };
}
