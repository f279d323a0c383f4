// A scenario made ready for many runs. What does not depend on the run's seed or draws is worked
// out once and kept: the campaign (for a placement as the estate has it), and the order of its VMs
// under each policy. A Monte Carlo worker prepares its scenario once and makes every run from it;
// a run it makes keeps only its summary (results.ts), not a record per operation.

import type { Campaign, MoveItem } from '../core/campaign.js';
import { drive } from '../core/loop.js';
import { orderItems, Planner } from '../core/planner.js';
import { withStages } from '../core/stages.js';
import { parsePolicy, type Policy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { eventBudget } from '../domain/limits.js';
import { formatBytes, formatDuration } from '../domain/units.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunSummary } from '../core/compare-result.js';
import { EventBudgetExceeded, Stalled } from './engine.js';
import { ScriptedMoves } from './models/drs.js';
import type { SimulationResult } from '../core/result.js';
import { fullResult, summaryOf, type FinishedRun } from './results.js';
import { campaignFor, randomPlacement } from './setup.js';
import type { SimulateOptions } from './simulate.js';
import { SimulatedWorld, WorldLayout, type WorldOptions } from './world.js';

export class PreparedScenario {
  private readonly policies = new Map<string, Policy>();
  /** The campaign of the estate as it is (no frozen targets), when placement is not drawn per run. */
  private campaign: Campaign | null = null;
  private readonly orders = new Map<string, MoveItem[]>();
  private layout: WorldLayout | null = null;

  constructor(readonly scenario: Scenario) {}

  /** One run, its whole result. */
  run(options: SimulateOptions = {}): SimulationResult {
    const seed = options.seed ?? this.scenario.seed;
    const bins = options.timelineBins ?? 0;
    return fullResult(this.execute(options.policy ?? this.scenario.policy, seed, options, bins > 0, false), bins);
  }

  /** One run as a Monte Carlo makes it: its summary only. */
  summaryRun(policy: string, seed: number): RunSummary {
    return summaryOf(this.execute(policy, seed, {}, false, true), seed);
  }

  private execute(spec: string, seed: number, options: SimulateOptions, recordTimeline: boolean, summaryOnly: boolean): FinishedRun {
    const scenario = this.scenario;
    const policy = this.policy(spec);
    const shared = scenario.campaign.placement !== 'random' && options.fixedTargets === undefined && options.fixedDisks === undefined;
    const estate = scenario.campaign.placement === 'random' ? randomPlacement(scenario.estate, seed) : scenario.estate;
    const campaign = shared ? (this.campaign ??= campaignFor(scenario, estate)) : campaignFor(scenario, estate, options.fixedTargets, options.fixedDisks);
    const planner = new Planner(campaign, policy, shared ? { ordered: this.ordered(campaign, policy) } : {});
    const { decider } = withStages(planner, campaign);
    const settings: WorldOptions = {
      seed,
      recordTimeline,
      reportProgress: policy.adaptive !== null,
      fixedDurations: options.fixedDurations,
      mover: options.otherMoves ? (ctx, hostOf) => new ScriptedMoves(options.otherMoves!, ctx, hostOf) : undefined,
      eventBudget: eventBudget(campaign.items.length),
      summaryOnly,
    };
    const world = new SimulatedWorld(scenario, estate, settings, (this.layout ??= new WorldLayout(scenario)));
    try {
      drive(world, decider, options.listeners);
      if (!decider.finished) throw new Stalled(world.now);
    } catch (err) {
      if (err instanceof EventBudgetExceeded || err instanceof Stalled) throw cannotFinish(scenario, policy.spec, planner, err);
      throw err;
    }
    return { scenario, policy, seed, campaign, planner, world };
  }

  private policy(spec: string): Policy {
    let p = this.policies.get(spec);
    if (!p) this.policies.set(spec, (p = parsePolicy(spec)));
    return p;
  }

  private ordered(campaign: Campaign, policy: Policy): MoveItem[] {
    let order = this.orders.get(policy.spec);
    if (!order) this.orders.set(policy.spec, (order = orderItems(campaign.items, policy, campaign.priority)));
    return order;
  }
}

/**
 * The one sentence for a campaign that cannot end: what cannot progress, and when the run gave up.
 * Loading refuses what is impossible on its face; this is the safety net for what only shows when
 * the campaign runs (copies that never fit a window at the rates seen, targets that stay full).
 */
function cannotFinish(scenario: Scenario, policy: string, planner: Planner, err: EventBudgetExceeded | Stalled): UserError {
  const p = planner.standing();
  const where = scenario.file ?? `scenario ${scenario.name}`;
  const when = `after ${formatDuration(err.at)} of simulated time${err instanceof EventBudgetExceeded ? ` and ${err.budget.toLocaleString('en-US')} events` : ''}`;
  const windows = scenario.campaign.windows !== null ? '; the change windows may be too short for them' : '';
  const what =
    p.inFlight === 0
      ? `no copy can start: ${p.waiting.toLocaleString('en-US')} VMs are waiting and none is in flight ${when}${windows}`
      : `copies do not progress: ${p.inFlight.toLocaleString('en-US')} in flight, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} moved ${when}`;
  return new UserError(`${where}: the campaign cannot finish under policy ${policy}: ${what}.`, { cause: err });
}

