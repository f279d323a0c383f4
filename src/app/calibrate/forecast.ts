// The rest of a campaign, predicted from where its journal leaves it: VMs moved, operations in
// flight (copying with what they have left, or waiting in vCenter's queue), VMs still to go, each
// VM's attempts so far. Each of the forecast's runs resumes a simulation from that state, the
// planner taking it up through its resume path as `svmig run` does after a restart
// (sim/resume.ts), under the model's parameters:
//
//   - fitted from the journal itself (fit.ts): run i takes the values of bootstrap replicate
//     i mod B, so the runs carry the fit's uncertainty, correlations between parameters included;
//   - or a calibrated scenario's (scenario-file.ts), whose distributions the simulator draws from
//     once per run;
//   - or, before any copy has ended, the plan's own scenario.
//
// How far an operation in flight has got is what the executor last heard from vCenter when it
// heard anything (progress), or else the share of its replayed copy time that has passed: the
// journal's tasks replayed under the model say how long each copy takes with the others it shares
// links with.

import type { RunSummary } from '../../core/compare-result.js';
import { OPERATIONS, specOf } from '../../core/operations.js';
import type { ResumeState } from '../../core/planner.js';
import type { Operation } from '../../core/port.js';
import { percentile } from '../../core/run-stats.js';
import type { Estate } from '../../domain/estate.js';
import type { JournalState } from '../../live/journal.js';
import type { Scenario } from '../../scenario/scenario.js';
import { ResumedCampaign, type ResumePoint } from '../../sim/resume.js';
import { stream } from '../../sim/random.js';
import { runSeeds } from '../../sim/run-seeds.js';
import { normalQuantile } from '../../domain/distribution.js';
import type { ResumedOperation } from '../../sim/world.js';
import { AttemptLedger } from '../attempts.js';
import type { Calibration } from './fit.js';
import { epochOf, type Observations } from './observations.js';
import { MAX_PRODUCTION_LOAD, parametersOf, withParameters, type ModelParameters } from './parameters.js';
import { Replay } from './replay.js';

/** A VM of the plan: its frozen target (and per-disk targets, when the plan has them). */
export interface PlannedVm {
  vm: string;
  target: string;
  bytes: number;
  disks?: ReadonlyArray<{ disk: string; target: string }>;
}

/** Where the model's parameters come from. */
export type ForecastModel =
  | { kind: 'fitted'; calibration: Calibration; observations: Observations }
  | { kind: 'calibrated'; file: string; scenario: Scenario }
  | { kind: 'plan' };

/** A reaction to task ends quicker than this (seconds of the modelled world) is left out of the model. */
const MIN_REACTION_SECONDS = 1;

export interface ForecastInput {
  /** The campaign's scenario as planned (estate, fabric, rules), with windows anchored at `asOf` if it has any. */
  scenario: Scenario;
  policy: string;
  /** The VMs the plan moves, with their frozen targets. */
  planned: ReadonlyArray<PlannedVm>;
  journal: JournalState;
  /** The journal's tasks as observations (all of them, matched to the scenario), for in-flight progress. */
  observations: Observations | null;
  model: ForecastModel;
  /** The moment the state is taken at, wall clock ms (the journal's last record, or now during a run). */
  asOf: number;
  /** Share copied of operations in flight, by VM, as vCenter last reported it (a live run knows it). */
  progress?: ReadonlyMap<string, number>;
  runs: number;
  seed: number;
  /** Seconds after the campaign's start (the journal's first open) by which it should end. */
  deadlineSeconds: number | null;
}

export interface CampaignState {
  done: number;
  doneBytes: number;
  inFlight: number;
  inFlightBytesLeft: number;
  /** VMs still to start, those whose last attempt failed among them. */
  left: number;
  leftBytes: number;
  failedSoFar: number;
}

export interface Forecast {
  asOf: number;
  /** Seconds of the campaign (modelled world) from its start to `asOf`. */
  elapsedSeconds: number;
  state: CampaignState;
  model: {
    kind: ForecastModel['kind'];
    file?: string;
    parameters: ModelParameters | null;
    /** The copies' spread beyond the model (sd of log copy times), when fitted. */
    spread: number | null;
    /** How late the executor learned of a task's end (seconds), as the model takes it; null: at once. */
    reactionSeconds: number | null;
    fittedOn: { svmotions: number; from: number | null; to: number | null } | null;
  };
  runs: number;
  /** Seconds left, by percentile (nearest rank) over the runs. */
  p10Seconds: number;
  p50Seconds: number;
  p90Seconds: number;
  meanSeconds: number;
  /** Runs in which the rest could not finish (a target that stays full, a copy that never fits). */
  unfinished: number;
  deadline: { seconds: number; probability: number } | null;
  /** Wall-clock ends at P50 and P90, ms: `asOf` plus the seconds left, at the journal's clock rate. */
  ends: { p50: number; p90: number };
  timeScale: number;
}

/** What the journal says: moved, in flight, attempts, as `svmig run` would take it up (app/reconcile.ts). */
export function campaignState(input: Pick<ForecastInput, 'journal' | 'planned' | 'scenario'>): {
  resume: ResumeState;
  inFlightOps: Array<{ op: Operation; copyingSince: number | null; queued: boolean }>;
  remaining: Set<string>;
  hosts: Map<string, string>;
  state: CampaignState;
} {
  const planned = new Map(input.planned.map((p) => [p.vm, p]));
  const done = new Set<string>();
  // Attempts and failures as a restart counts them (attempts.ts): a VM the run would give up on is
  // not moved by the forecast either, one given a new round is.
  const ledger = new AttemptLedger(input.journal, Date.parse(input.journal.startedAt ?? new Date(0).toISOString()));
  const hosts = new Map<string, string>();
  const inFlightOps: Array<{ op: Operation; copyingSince: number | null; queued: boolean }> = [];
  const clusterOf = new Map(input.scenario.estate.hosts.map((h) => [h.name, h.cluster ?? '']));
  for (const h of [...input.journal.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    const i = h.intent;
    if (h.voided) continue;
    const spec = OPERATIONS[i.kind];
    const op = spec.decode(i);
    // A cluster's operation (a DRS override) is no VM's attempt.
    const onVm = spec.subject === 'vm';
    if (onVm) ledger.begin(i);
    if (h.rejected !== null) {
      if (onVm) ledger.rejected(i, h.rejected);
      continue;
    }
    if (h.ended === null) {
      inFlightOps.push({ op: { ...op, cluster: clusterOf.get(i.host) ?? '' }, copyingSince: parseTime(h.startedAt), queued: h.queuedAt !== null && h.startedAt === null });
      hosts.set(i.vm, i.host);
      continue;
    }
    if (onVm) ledger.ended(i, h.ended);
    if (h.ended.outcome === 'success') {
      if (spec.movesStorage) done.add(i.vm);
      if (spec.movesHost) hosts.set(i.vm, specOf(op).hostAfter(op, i.host));
    }
  }
  const inFlightVms = new Set(inFlightOps.map((o) => o.op.vm));
  ledger.settle([...inFlightVms, ...done]);
  const remaining = new Set([...planned.keys()].filter((vm) => !done.has(vm)));
  const bytesOf = (vm: string) => planned.get(vm)?.bytes ?? 0;
  const left = [...remaining].filter((vm) => !inFlightVms.has(vm));
  const resume: ResumeState = {
    done: [...done].filter((vm) => planned.has(vm)),
    failed: [...ledger.failures.values()].filter((f) => planned.has(f.vm)),
    attempts: ledger.attempts,
    inFlight: inFlightOps.filter((o) => planned.has(o.op.vm)).map((o) => o.op),
    nextId: input.journal.nextId,
  };
  return {
    resume,
    inFlightOps: inFlightOps.filter((o) => planned.has(o.op.vm)),
    remaining,
    hosts,
    state: {
      done: resume.done.length,
      doneBytes: resume.done.reduce((s, vm) => s + bytesOf(vm), 0),
      inFlight: resume.inFlight.length,
      inFlightBytesLeft: 0,
      left: left.length,
      leftBytes: left.reduce((s, vm) => s + bytesOf(vm), 0),
      failedSoFar: left.filter((vm) => ledger.failures.has(vm)).length,
    },
  };
}

const parseTime = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

/** The central values of the model (what in-flight progress is judged by). */
function centralParameters(model: ForecastModel): ModelParameters | null {
  if (model.kind === 'fitted') return model.calibration.parameters;
  if (model.kind === 'calibrated') return parametersOf(model.scenario);
  return null;
}

/**
 * The scenario a run of the forecast simulates, for each kind of model; `replicate` picks a fit's
 * bootstrap values, and `drift` (a standard normal number drawn for the run) the conditions the
 * rest meets: production load drifts, so the rest does not meet the load the pilot averaged. How
 * far conditions wander is measured by the copies themselves: the spread of their times beyond
 * the model (the robust sd of the log errors at the fit) says how much one copy's conditions
 * differed from the pilot's average. Each run scales the capacity production leaves on the arrays
 * the copies crossed and the per-copy rate by exp(spread × drift). For a short pilot, whose own
 * average is as uncertain as one copy's conditions, that is the right order; for a long one it
 * errs on the wide side.
 */
function modelScenario(base: Scenario, model: ForecastModel, replicate: number, drift: number): Scenario {
  if (model.kind === 'plan') return base;
  if (model.kind === 'calibrated') {
    return { ...base, fabric: { ...model.scenario.fabric }, campaign: { ...base.campaign, jitter: model.scenario.campaign.jitter } };
  }
  const c = model.calibration;
  const s = c.samples;
  const b = s.perCopyRate.length;
  const p: ModelParameters =
    b === 0
      ? c.parameters
      : {
          perCopyRate: pickPinned(c.perCopyRate, s.perCopyRate[replicate % b]!, c.parameters.perCopyRate),
          svmotionSetupSeconds: pickPinned(c.svmotionSetupSeconds, s.svmotionSetupSeconds[replicate % b]!, c.parameters.svmotionSetupSeconds),
          productionLoad: {
            ...c.parameters.productionLoad,
            ...Object.fromEntries(Object.entries(c.productionLoad).map(([a, e]) => [a, pickPinned(e, s.productionLoad[a]![replicate % b]!, c.parameters.productionLoad[a]!)])),
          },
        };
  const jitter = Math.min(0.9, Math.sqrt(3) * (b === 0 ? c.spread.value : s.spread[replicate % b]!));
  const conditions = Math.exp(c.spread.value * drift);
  const drifted: ModelParameters = {
    ...p,
    perCopyRate: p.perCopyRate * conditions,
    productionLoad: {
      ...p.productionLoad,
      ...Object.fromEntries(Object.keys(c.productionLoad).map((a) => [a, Math.min(MAX_PRODUCTION_LOAD, Math.max(0, 1 - (1 - p.productionLoad[a]!) * conditions))])),
    },
  };
  return { ...withParameters(base, drifted), campaign: { ...base.campaign, jitter } };
}

/** A replicate's value of a parameter the data pinned down; the central value of one they left open. */
const pickPinned = (e: { boundedBelow: boolean; boundedAbove: boolean }, sample: number, central: number): number => (e.boundedBelow && e.boundedAbove ? sample : central);

export function forecast(input: ForecastInput): Forecast {
  const { scenario, journal } = input;
  const timeScale = input.observations?.timeScale ?? (input.model.kind === 'fitted' ? input.model.observations.timeScale : 1);
  const { resume, inFlightOps, remaining, hosts, state } = campaignState(input);

  // How far each operation in flight has got.
  const central = centralParameters(input.model) ?? parametersOf(scenario);
  const replayed = replayedCopyTimes(scenario, input.observations, central);
  const resumed: ResumedOperation[] = inFlightOps.map(({ op, copyingSince, queued }) => {
    let fraction = input.progress?.get(op.vm) ?? 0;
    if (fraction === 0 && copyingSince !== null) {
      const elapsed = (Math.max(0, input.asOf - copyingSince) / 1000) * timeScale;
      const whole = replayed.get(op.id) ?? central.svmotionSetupSeconds + op.bytes / Math.max(1, central.perCopyRate);
      fraction = Math.min(0.95, Math.max(0, elapsed / Math.max(1e-9, whole)));
    }
    return { op, bytesLeft: op.bytes * (1 - Math.min(1, Math.max(0, fraction))), copying: !queued && copyingSince !== null };
  });
  state.inFlightBytesLeft = resumed.reduce((s, r) => s + r.bytesLeft, 0);

  // The estate as the journal leaves it: VMs where their last operation put them. The executor's
  // reaction to a task's end, as the journal shows it, is how late the planner hears of ends: a
  // poll of twice that interval delays them as much on average (sim/models/monitoring.ts).
  const estate: Estate = { ...scenario.estate, vms: scenario.estate.vms.map((v) => (hosts.has(v.name) ? { ...v, host: hosts.get(v.name)! } : v)) };
  const reaction = input.observations?.reactionSeconds ?? null;
  const monitoring = reaction !== null && reaction >= MIN_REACTION_SECONDS ? { mode: 'poll' as const, intervalSeconds: 2 * reaction } : scenario.campaign.monitoring;
  const base: Scenario = { ...scenario, estate, campaign: { ...scenario.campaign, monitoring } };
  const point: ResumePoint = {
    planner: resume,
    inFlight: resumed,
    remaining,
    fixedTargets: new Map(input.planned.map((p) => [p.vm, p.target])),
    fixedDisks: new Map(input.planned.filter((p) => p.disks !== undefined).map((p) => [p.vm, new Map(p.disks!.map((d) => [d.disk, d.target]))])),
  };

  const seeds = runSeeds(input.seed, input.runs);
  const conditionsStream = stream(input.seed, 'forecast-conditions');
  const drifts = seeds.map(() => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, conditionsStream()))));
  const summaries: RunSummary[] = [];
  let unfinished = 0;
  const varies = input.model.kind === 'fitted' && input.model.calibration.samples.perCopyRate.length > 0;
  let shared: ResumedCampaign | null = null;
  seeds.forEach((seed, i) => {
    const campaign = varies ? new ResumedCampaign(modelScenario(base, input.model, i, drifts[i]!), input.policy, point) : (shared ??= new ResumedCampaign(modelScenario(base, input.model, 0, 0), input.policy, point));
    const r = campaign.run(seed);
    if (!r.finished) unfinished++;
    summaries.push(r.summary);
  });
  const left = summaries.map((s) => s.makespanSeconds);
  const startedAt = parseTime(journal.startedAt) ?? input.asOf;
  const elapsedSeconds = (Math.max(0, input.asOf - startedAt) / 1000) * timeScale;
  const p50 = percentile(left, 50);
  const p90 = percentile(left, 90);
  const fitted = input.model.kind === 'fitted' ? input.model : null;
  return {
    asOf: input.asOf,
    elapsedSeconds,
    state,
    model: {
      kind: input.model.kind,
      ...(input.model.kind === 'calibrated' ? { file: input.model.file } : {}),
      parameters: centralParameters(input.model),
      spread: fitted ? fitted.calibration.spread.value : null,
      reactionSeconds: monitoring.mode === 'poll' && monitoring !== scenario.campaign.monitoring ? monitoring.intervalSeconds / 2 : null,
      fittedOn: fitted
        ? { svmotions: fitted.calibration.fit.copies, from: epochOf(fitted.observations), to: Math.max(...fitted.observations.tasks.map((t) => t.endedAt ?? t.submittedAt)) }
        : null,
    },
    runs: input.runs,
    p10Seconds: percentile(left, 10),
    p50Seconds: p50,
    p90Seconds: p90,
    meanSeconds: left.reduce((a, b) => a + b, 0) / Math.max(1, left.length),
    unfinished,
    deadline: input.deadlineSeconds === null ? null : { seconds: input.deadlineSeconds, probability: left.filter((t) => elapsedSeconds + t <= input.deadlineSeconds!).length / Math.max(1, left.length) },
    ends: { p50: input.asOf + (p50 * 1000) / timeScale, p90: input.asOf + (p90 * 1000) / timeScale },
    timeScale,
  };
}

/** Each journal operation's replayed copy time (seconds), by operation id, under `p`. */
function replayedCopyTimes(scenario: Scenario, observations: Observations | null, p: ModelParameters): Map<number, number> {
  const out = new Map<number, number>();
  if (observations === null || observations.tasks.length === 0) return out;
  const replay = new Replay(scenario, observations);
  const r = replay.run(p);
  observations.tasks.forEach((t, i) => {
    const id = Number(t.key);
    const d = r.endedAt[i]! - r.startedAt[i]!;
    if (Number.isInteger(id) && Number.isFinite(d) && d > 0) out.set(id, d);
  });
  return out;
}
