// The plan: what a live run needs, frozen at planning time. The resolved scenario (estate, fabric,
// costs, rules), the policy, the target chosen for each VM (and for each of its disks when they go
// to datastores of their own), the remediation tasks it needs first, the order the simulation
// started them in, the schedule a human reviews (what starts in which change window), the predicted
// duration, and a fingerprint of the estate it was planned on, so
// that `run` can tell what changed in vCenter since. The format is in docs/plan-format.md.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OPERATIONS } from '../core/operations.js';
import type { DiskMove, OperationKind } from '../core/port.js';
import { parsePolicy } from '../core/policy.js';
import type { SimulationResult } from '../core/result.js';
import { UserError } from '../domain/errors.js';
import { instantAt } from '../domain/calendar.js';
import { diskCopyBytes, type Estate } from '../domain/estate.js';
import { scheduleOf } from '../report/schedule.js';
import type { Scenario } from '../scenario/scenario.js';
import { simulate } from '../sim/simulate.js';

export const PLAN_FORMAT = 'svmig-plan';
export const PLAN_VERSION = 1;

export interface PlannedVm {
  vm: string;
  bytes: number;
  sourceDatastores: string[];
  /** Where the VM goes: every disk, or with `disks` its home. */
  target: string;
  /** Each moved disk's target, when the VM's disks go to datastores of their own. */
  disks?: DiskMove[];
  /** The remediation tasks the simulated run gave it before its svMotion, in order. */
  remediation?: OperationKind[];
  /** Whether a DRS override kept DRS off it while it was copied. */
  drsOverride?: boolean;
}

export interface Prediction {
  p50Seconds: number;
  p90Seconds: number;
  runs: number;
  lowerBoundSeconds: number | null;
}

/** The copies that start in one change window (or, without windows, one day of the campaign). */
export interface PlannedWindow {
  /** The window, seconds from the campaign's start; with a start date, also as ISO 8601 instants (UTC). */
  start: number;
  end: number;
  startsAt?: string;
  endsAt?: string;
  /**
   * VMs whose copy starts in it, in the order they start: every attempt, so a VM retried in a later
   * window is listed in both (report/schedule.ts says why).
   */
  vms: string[];
  /** The VMs of `vms` whose copy here is a retry (absent: none). */
  retries?: string[];
  /** The VMs of `vms` whose copy here fails in the simulated run (absent: none). */
  failed?: string[];
  /** Bytes the copies starting in it move (a retry's again). */
  bytes: number;
  /** When the last of them is expected to end, seconds from the start (and as an instant). */
  expectedEnd: number;
  expectedEndAt?: string;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  policy: string;
  seed: number;
  scenario: Scenario;
  /** Every VM to move, in the order the simulated run started copying them. */
  vms: PlannedVm[];
  /** VMs in scope that the plan does not move, with the reason. */
  skipped: Array<{ vm: string; reason: string }>;
  prediction: Prediction;
  /** What starts in which change window (by day without windows), as the simulated run started it. */
  schedule?: PlannedWindow[];
  /** Fingerprint of what the plan depends on in the estate (see estateFingerprint). */
  estateHash: string;
}

/** Builds a plan from one simulated run of the scenario under the policy, and a prediction. */
export function buildPlan(scenario: Scenario, policySpec: string, seed: number, prediction: Prediction): Plan {
  const policy = parsePolicy(policySpec);
  const result = simulate(scenario, { policy: policy.spec, seed });
  const vms: PlannedVm[] = [];
  const seen = new Set<string>();
  const remediation = new Map<string, OperationKind[]>();
  const guarded = new Set<string>();
  for (const o of result.operations) {
    if (o.by !== undefined) continue;
    const spec = OPERATIONS[o.kind];
    if (spec.subject === 'vm' && !spec.movesStorage && !spec.movesHost && o.outcome === 'success') {
      const list = remediation.get(o.vm) ?? [];
      list.push(o.kind);
      remediation.set(o.vm, list);
    }
    if (o.overrides !== undefined && o.outcome === 'success') for (const v of o.overrides.set) guarded.add(v);
    if (!spec.movesStorage || o.targetDatastore === null || seen.has(o.vm)) continue;
    seen.add(o.vm);
    const planned: PlannedVm = { vm: o.vm, bytes: o.bytes, sourceDatastores: o.sourceDatastores, target: o.targetDatastore };
    if (o.disks !== undefined) planned.disks = o.disks;
    vms.push(planned);
  }
  for (const v of vms) {
    const steps = remediation.get(v.vm);
    if (steps !== undefined) v.remediation = steps;
    if (guarded.has(v.vm)) v.drsOverride = true;
  }
  const skipped = result.operations.filter((o) => o.outcome === 'skipped').map((o) => ({ vm: o.vm, reason: o.reason ?? 'skipped' }));
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    policy: policy.spec,
    seed,
    scenario,
    vms,
    skipped,
    prediction,
    schedule: plannedSchedule(result),
    estateHash: estateFingerprint(scenario.estate, new Set(vms.map((v) => v.vm))),
  };
}

/** The run's schedule by window, with instants when the campaign has a start; every attempt of a copy in the window it starts in. */
function plannedSchedule(result: SimulationResult): PlannedWindow[] {
  const calendar = result.calendar === undefined ? null : { startMs: result.calendar.startMs, zone: result.calendar.zone };
  const iso = (seconds: number) => new Date(instantAt(calendar!, seconds)).toISOString();
  return scheduleOf(result).map((w) => {
    const retries = w.copies.filter((c) => c.attempt > 1).map((c) => c.vm);
    const failed = w.copies.filter((c) => c.outcome === 'failed').map((c) => c.vm);
    const at = calendar === null ? {} : { startsAt: iso(w.start), endsAt: iso(w.end) };
    return {
      start: w.start,
      end: w.end,
      ...at,
      vms: w.copies.map((c) => c.vm),
      ...(retries.length > 0 ? { retries } : {}),
      ...(failed.length > 0 ? { failed } : {}),
      bytes: w.bytes,
      expectedEnd: w.expectedEnd,
      ...(calendar === null ? {} : { expectedEndAt: iso(w.expectedEnd) }),
    };
  });
}

/**
 * A fingerprint of the VMs a plan moves: their names and, per disk, capacity, allocation and
 * datastore. Host placement is left out on purpose: DRS changes it all the time and the plan does
 * not depend on it.
 */
export function estateFingerprint(estate: Estate, vms: ReadonlySet<string>): string {
  const rows = estate.vms
    .filter((v) => vms.has(v.name))
    .map((v) => [v.name, v.disks.map((d) => [d.capacityBytes, diskCopyBytes(d), d.datastore ?? '']).sort()])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/** The target datastore the plan froze for each VM (its home's, when its disks have their own). */
export function plannedTargets(plan: Plan): Map<string, string> {
  return new Map(plan.vms.map((v) => [v.vm, v.target]));
}

/** The per-disk targets the plan froze: VM → disk label → datastore, for the VMs that have them. */
export function plannedDisks(plan: Plan): Map<string, Map<string, string>> {
  return new Map(plan.vms.filter((v) => v.disks !== undefined).map((v) => [v.vm, new Map(v.disks!.map((d) => [d.disk, d.target]))]));
}

/** What changed in the live estate since the plan was made. */
export interface EstateChanges {
  /** VMs on legacy storage now that the plan does not know. */
  added: string[];
  /** Planned VMs that vCenter no longer has. */
  removed: string[];
  /** Planned VMs with no disk left on a legacy datastore: nothing to do. */
  moved: string[];
  /** Planned VMs with more to copy than planned (bytes now, bytes planned). */
  grown: Array<{ vm: string; bytes: number; planned: number }>;
}

/** The changes `run` refuses to start on without --accept-changes, in words; '' when none. */
export function describeChanges(c: EstateChanges): string {
  const parts: string[] = [];
  const list = (names: string[]) => names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  if (c.added.length) parts.push(`${c.added.length} VM(s) added on legacy storage: ${list(c.added)}`);
  if (c.removed.length) parts.push(`${c.removed.length} planned VM(s) gone: ${list(c.removed)}`);
  if (c.grown.length) parts.push(`${c.grown.length} VM(s) grown: ${list(c.grown.map((g) => g.vm))}`);
  return parts.join('; ');
}

export function diffEstate(plan: Plan, live: Estate): EstateChanges {
  const legacy = new Set(plan.scenario.estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const planned = new Map(plan.vms.map((v) => [v.vm, v]));
  const known = new Set([...planned.keys(), ...plan.skipped.map((s) => s.vm)]);
  const liveVms = new Map(live.vms.map((v) => [v.name, v]));
  const changes: EstateChanges = { added: [], removed: [], moved: [], grown: [] };
  for (const v of live.vms) {
    const onLegacy = v.disks.some((d) => d.datastore !== null && legacy.has(d.datastore));
    if (onLegacy && !known.has(v.name)) changes.added.push(v.name);
  }
  for (const [name, p] of planned) {
    const v = liveVms.get(name);
    if (!v) {
      changes.removed.push(name);
      continue;
    }
    const bytes = v.disks.reduce((s, d) => (d.datastore !== null && legacy.has(d.datastore) ? s + diskCopyBytes(d) : s), 0);
    if (bytes === 0) changes.moved.push(name);
    else if (bytes > p.bytes) changes.grown.push({ vm: name, bytes, planned: p.bytes });
  }
  changes.added.sort();
  changes.removed.sort();
  changes.moved.sort();
  return changes;
}

/** Reads and checks a plan file; every problem is one sentence naming the file. */
export function readPlan(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read the plan (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}).`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not a plan: the file is not JSON (${(err as Error).message}).`, { cause: err });
  }
  const plan = data as Partial<Plan>;
  if (plan === null || typeof plan !== 'object' || plan.format !== PLAN_FORMAT) {
    throw new UserError(`${path}: not an svmig plan (no "format": "${PLAN_FORMAT}"); make one with svmig plan.`);
  }
  if (plan.version !== PLAN_VERSION) throw new UserError(`${path}: plan format version ${String(plan.version)} is not supported (this svmig reads version ${PLAN_VERSION}).`);
  for (const field of ['policy', 'scenario', 'vms', 'skipped', 'prediction', 'estateHash'] as const) {
    if (plan[field] === undefined) throw new UserError(`${path}: the plan has no "${field}" field.`);
  }
  if (!Array.isArray(plan.vms) || plan.vms.some((v) => typeof v?.vm !== 'string' || typeof v.target !== 'string')) {
    throw new UserError(`${path}: "vms" must list objects with a "vm" and a "target".`);
  }
  const badDisks = plan.vms.findIndex((v) => v.disks !== undefined && (!Array.isArray(v.disks) || v.disks.some((d) => typeof d?.disk !== 'string' || typeof d.target !== 'string')));
  if (badDisks >= 0) throw new UserError(`${path}: vms[${badDisks}].disks must list objects with a "disk" and a "target".`);
  parsePolicy(plan.policy!);
  return plan as Plan;
}
