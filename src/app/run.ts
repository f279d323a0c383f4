// `svmig run`, put together: the planner of `simulate`, unchanged, driving a real vCenter through
// the one loop (core/loop.ts) and the live world (live/world.ts).
//
// 1. The estate as vCenter has it now, against the plan: a run refuses to start on a changed
//    estate unless asked to.
// 2. The journal, reconciled with vCenter (reconcile.ts): what ran before is taken up, nothing is
//    submitted twice.
// 3. The planner on the live estate with the plan's targets, a progress read-model beside it, and
//    the loop over the live world until the campaign is finished, stopped or abandoned.

import { driveAsync, type Driver, type LoopListener } from '../core/loop.js';
import { Planner } from '../core/planner.js';
import { parsePolicy } from '../core/policy.js';
import { CampaignProgress, type ClusterProgress } from '../core/progress.js';
import { resumeStages, withStages } from '../core/stages.js';
import { UserError } from '../domain/errors.js';
import { Journal, readJournal } from '../live/journal.js';
import type { LiveVcenter } from '../live/vcenter.js';
import { LiveWorld } from '../live/world.js';
import { campaignFor } from '../sim/setup.js';
import { isVimFault, VsphereConnectionError, VsphereLoginError } from '../vsphere/faults.js';
import { TaskWatchError } from '../vsphere/tasks.js';
import { EXIT_VCENTER } from './exit-codes.js';
import { LiveForecaster, type LiveEta } from './live-forecast.js';
import { liveScenario, readPlannedEstate, scenarioAnchoredAt, type LiveClock } from './live-scenario.js';
import { settleGuards } from './drs-guards.js';
import { describeChanges, diffEstate, plannedDisks, plannedTargets, type EstateChanges, type Plan } from './plan.js';
import { reconcile } from './reconcile.js';

/** How a person asked the run to stop: once (finish what runs), twice (leave it running). */
export interface Control {
  stopping: boolean;
  abandoned: boolean;
  /** Wakes the loop when the control changes. */
  onChange: (wake: () => void) => void;
}

export interface RunView {
  /** One line about something that happened (logged as is with --quiet). */
  event(line: string): void;
  /** The state of the campaign, redrawn by a live view. */
  status(s: RunStatus): void;
}

export interface RunStatus {
  now: Date;
  clusters: ClusterProgress[];
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last minutes. */
  throughput: number;
  /** Predicted end (P50, P90, and what the model was fitted on), forecast from the current state; null until computed. */
  eta: LiveEta | null;
  stopping: boolean;
}

export interface RunOptions {
  plan: Plan;
  /** Hash of the plan file, written in the journal: a journal belongs to one plan. */
  planHash: string;
  journalPath: string;
  vcenter: LiveVcenter;
  acceptChanges: boolean;
  /** Give the VMs whose last attempt failed a new round of attempts (otherwise they stay given up on). */
  retryFailed?: boolean;
  control: Control;
  view: RunView;
  /** Seconds between re-reads of where VMs run (DRS moves), default 300. */
  hostRefreshSeconds?: number;
  /** Seconds at least between two forecasts of the ETA (each after a copy ended), default 60. */
  etaSeconds?: number;
  /** Runs and bootstrap replicates of each ETA forecast (default 100 and 30). */
  etaRuns?: number;
  etaReplicates?: number;
  /** Only these VMs of the plan (a pilot wave); the others are left for a later run of the same journal. */
  only?: ReadonlySet<string>;
  /** Seconds of the modelled world per second of the clock (rehearsals against a fast simulator), default 1. */
  timeScale?: number;
  /** Seconds at most between two redraws of the status in a quiet spell, default 10. */
  tickSeconds?: number;
  /** Wall clock in ms (the real clock by default). */
  clock?: () => number;
  /** Sees every decision and observation (tests compare them with a simulated run's). */
  listeners?: readonly LoopListener[];
  /** How late a new copy's first state may be learnt: a share of its expected duration, at most so many seconds (LiveWorldOptions). */
  firstStateShare?: number;
  firstStateMaxSeconds?: number;
}

export interface RunSummary {
  outcome: 'finished' | 'stopped' | 'interrupted';
  moved: string[];
  failed: Array<{ vm: string; reason: string }>;
  skipped: Array<{ vm: string; reason: string }>;
  changes: EstateChanges;
  /** vCenter calls after the inventory read, and per VM moved. */
  calls: number;
  callsPerMovedVm: number;
  /** Seconds from a task's end being known to the next submission, when one followed. */
  handoverDelays: number[];
  /** Seconds from each submission to vCenter's first word on its task. */
  firstStateDelays: number[];
  submitted: number;
}

export async function runPlan(options: RunOptions): Promise<RunSummary> {
  const { plan, vcenter, view, control } = options;
  const clock = options.clock ?? Date.now;
  const policy = parsePolicy(plan.policy);

  // 1. The estate as vCenter has it now, against the plan.
  const estate = await readPlannedEstate(plan, vcenter);
  const changes = diffEstate(plan, estate);
  reportChanges(changes, view);
  const blocking = changes.added.length + changes.removed.length + changes.grown.length;
  if (blocking > 0 && !options.acceptChanges) {
    throw new UserError(
      `the estate changed since the plan was made (${describeChanges(changes)}); make a new plan, or pass --accept-changes to move the planned VMs that are still there as they are now.`,
    );
  }

  // 2. The journal, reconciled with what vCenter knows.
  const state = readJournal(options.journalPath);
  if (state.damaged.length > 0) view.event(`journal: ignored a torn last line (${state.damaged.join(', ')}): the run before stopped while writing it`);
  if (state.planHash !== null && state.planHash !== options.planHash) {
    throw new UserError(`${options.journalPath} belongs to another plan; give this run a journal of its own (--journal).`);
  }
  const journal = Journal.open(options.journalPath);
  const callsAtStart = vcenter.calls;
  let forecaster: LiveForecaster | null = null;
  try {
    const startedAt = state.startedAt ?? new Date(clock()).toISOString();
    journal.write({ type: 'open', at: new Date(clock()).toISOString(), plan: options.planHash, pid: process.pid });
    const { resume, attached, moved } = await reconcile(state, vcenter, estate, journal, clock, (line) => view.event(line), { retryFailed: options.retryFailed ?? false });
    // DRS overrides a stopped run left: put back, or kept for the copies still running.
    const guards = await settleGuards(state, vcenter, journal, clock, (line) => view.event(line), new Set(resume.inFlight.filter((o) => o.kind === 'svmotion').map((o) => o.vm)), resume.nextId);
    resume.nextId = guards.nextId;
    for (const vm of estate.vms) if (guards.originals.has(vm.name)) vm.drsOverride = guards.originals.get(vm.name)!;

    // 3. The planner, on the live estate, with the plan's targets, taking up what runs already.
    const live: LiveClock = { startedAt: Date.parse(startedAt), now: clock };
    const scenario = liveScenario(plan, estate, live);
    const planned = new Set(plan.vms.map((v) => v.vm));
    const inScope = (vm: string) => planned.has(vm) && !moved.has(vm) && (options.only === undefined || options.only.has(vm));
    const campaign = campaignFor(scenario, { ...estate, vms: estate.vms.filter((v) => inScope(v.name)) }, plannedTargets(plan), plannedDisks(plan));
    const progress = new CampaignProgress(campaign);
    const planner = new Planner(campaign, policy, { firstId: state.nextId, onVerdict: (v) => progress.verdict(v) });
    const staged = withStages(planner, campaign);
    resumeStages(staged, resume, guards.guarded);
    // The planner's retry rule decides which past failures are final.
    progress.resume({ ...resume, failed: planner.failed });

    const world = new LiveWorld({
      vcenter,
      journal,
      clock,
      startedAt: live.startedAt,
      hosts: new Map(estate.vms.map((v) => [v.name, v.host ?? ''])),
      attached,
      moved,
      hostRefreshSeconds: options.hostRefreshSeconds ?? 300,
      tickSeconds: options.tickSeconds ?? 10,
      report: (line) => view.event(line),
      ...(options.firstStateShare !== undefined ? { firstStateShare: options.firstStateShare } : {}),
      ...(options.firstStateMaxSeconds !== undefined ? { firstStateMaxSeconds: options.firstStateMaxSeconds } : {}),
    });
    forecaster = new LiveForecaster({
      setup: {
        scenario,
        policy: plan.policy,
        planned: plan.vms,
        journalPath: options.journalPath,
        timeScale: options.timeScale ?? 1,
        runs: options.etaRuns ?? 100,
        replicates: options.etaReplicates ?? 30,
        seed: plan.seed,
      },
      journal,
      clock,
      everySeconds: options.etaSeconds ?? 60,
      windowsAt: (ms) => scenarioAnchoredAt(scenario, ms).campaign.windows,
      report: (line) => view.event(line),
    });
    const status = statusView(view, progress, control, clock, forecaster);
    const controlled = (driver: Driver) =>
      control.onChange(() => {
        if (control.abandoned) world.abandon();
        else if (control.stopping) driver.stop();
        world.wake();
      });
    try {
      await driveAsync(world, staged.decider, [progress, ...(options.listeners ?? []), status], controlled);
    } catch (e) {
      // Once the run is abandoned, a call cut short (the command aborts them all, so that none
      // waits out its time limit on a vCenter that stopped answering) ends it like the rest: the
      // journal has recorded only what vCenter answered, and a restart looks for the others.
      if (!world.abandoned) throw e;
    }
    await forecaster.close();
    // The loop ends on the last observation without another turn: draw what the campaign came to.
    status.turned?.(world.now);

    const outcome: RunSummary['outcome'] = world.abandoned ? 'interrupted' : staged.decider.finished ? 'finished' : 'stopped';
    journal.write({ type: 'close', at: new Date(clock()).toISOString(), reason: outcome });
    const calls = vcenter.calls - callsAtStart;
    const movedList = [...world.moved].sort();
    return {
      outcome,
      moved: movedList,
      failed: planner.failed.map((f) => ({ vm: f.vm, reason: f.reason })),
      skipped: planner.skipped.map((s) => ({ vm: s.vm, reason: s.reason })),
      changes,
      calls,
      callsPerMovedVm: movedList.length > 0 ? calls / movedList.length : 0,
      handoverDelays: world.handoverDelays,
      firstStateDelays: world.firstStateDelays,
      submitted: world.submitted,
    };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    journal.write({ type: 'close', at: new Date(clock()).toISOString(), reason: 'error', detail });
    if (e instanceof VsphereConnectionError || e instanceof VsphereLoginError || e instanceof TaskWatchError || isVimFault(e)) {
      // vCenter went away or stopped answering for our tasks: stop, leaving what runs to vCenter.
      throw new UserError(
        `stopped: ${detail.replace(/\.$/, '')}; the journal ${options.journalPath} knows every migration in flight, run the same command again to resume.`,
        { exitCode: EXIT_VCENTER, cause: e },
      );
    }
    throw e;
  } finally {
    await forecaster?.close();
    journal.close();
  }
}

/**
 * Redraws the status after every turn of the loop: counts from the read-model, throughput over the
 * last 15 minutes, and the ETA of the latest forecast (live-forecast.ts), asking for a new one as
 * operations end.
 */
function statusView(view: RunView, progress: CampaignProgress, control: Control, clock: () => number, forecaster: LiveForecaster): LoopListener {
  const samples: Array<[number, number]> = [];
  let ends = 0;
  return {
    observed(o): void {
      if (o.type === 'succeeded' || o.type === 'failed') ends++;
    },
    turned(): void {
      const t = clock();
      forecaster.tick(ends, inFlightProgress(progress));
      const totals = progress.totals();
      samples.push([t, totals.bytesDone]);
      while (samples.length > 2 && samples[0]![0] < t - 15 * 60_000) samples.shift();
      const [t0, b0] = samples[0]!;
      view.status({
        now: new Date(t),
        clusters: progress.clusters(),
        bytesDone: totals.bytesDone,
        bytesTotal: totals.bytesTotal,
        throughput: t > t0 ? ((totals.bytesDone - b0) * 1000) / (t - t0) : 0,
        eta: forecaster.eta,
        stopping: control.stopping,
      });
    },
  };
}

/** The share copied of each operation in flight that vCenter reported progress for. */
function inFlightProgress(progress: CampaignProgress): Map<string, number> {
  const out = new Map<string, number>();
  for (const [vm, left] of progress.remainingWork()) if (left < 1) out.set(vm, 1 - left);
  return out;
}

function reportChanges(c: EstateChanges, view: RunView): void {
  if (c.moved.length > 0) view.event(`${c.moved.length} planned VM(s) already have nothing on legacy storage and will not be moved: ${c.moved.slice(0, 5).join(', ')}${c.moved.length > 5 ? ' …' : ''}`);
  const d = describeChanges(c);
  if (d) view.event(`changes since the plan: ${d}`);
}
