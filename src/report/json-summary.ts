// The summaries `--json` prints on stdout, for scripts: what the text summary says, as numbers in
// base units (seconds, bytes, bytes per second, shares 0..1) under keys that stay as they are.
// Keys may be added, never renamed or removed; `kind` says which summary it is. Pure: results in,
// plain objects out (the CLI writes them as one JSON document).

import type { CompareResult } from '../core/compare-result.js';
import { winnerOnP90 } from '../core/run-stats.js';
import type { SimulationResult } from '../core/result.js';

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
  }>;
  winner: string | null;
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
  prediction: { p50Seconds: number; p90Seconds: number; runs: number; lowerBoundSeconds: number | null };
  files: { plan: string | null };
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
  };
}

export function comparisonJson(c: CompareResult, files: WrittenFiles): ComparisonJson {
  const winner = c.winner ?? winnerOnP90(c.policies);
  const best = c.policies.find((p) => p.policy === winner);
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
    })),
    winner,
    deadline: c.deadlineSeconds === null || !best ? null : verdict(c.deadlineSeconds, best.p90Seconds),
    files: { result: files.result ?? null, report: files.report ?? null },
  };
}

function verdict(deadlineSeconds: number, seconds: number): DeadlineVerdict {
  return { seconds: deadlineSeconds, met: seconds <= deadlineSeconds, marginSeconds: deadlineSeconds - seconds };
}

export function planJson(
  p: {
    scenario: { name: string };
    policy: string;
    seed: number;
    vms: Array<{ bytes: number; disks?: unknown[]; remediation?: unknown[]; drsOverride?: boolean }>;
    skipped: unknown[];
    prediction: PlanJson['prediction'];
  },
  file: string | null,
): PlanJson {
  return {
    kind: 'plan',
    scenario: p.scenario.name,
    policy: p.policy,
    seed: p.seed,
    vms: p.vms.length,
    bytes: p.vms.reduce((s, v) => s + v.bytes, 0),
    skipped: p.skipped.length,
    prediction: { p50Seconds: p.prediction.p50Seconds, p90Seconds: p.prediction.p90Seconds, runs: p.prediction.runs, lowerBoundSeconds: p.prediction.lowerBoundSeconds },
    files: { plan: file },
    vmsPerDisk: p.vms.filter((v) => v.disks !== undefined).length,
    remediationTasks: p.vms.reduce((n, v) => n + (v.remediation?.length ?? 0), 0),
    vmsGuarded: p.vms.filter((v) => v.drsOverride === true).length,
  };
}
