// A campaign taken up part way, simulated from where it stands: some VMs moved, some given up on,
// some with an operation in flight (copying, with bytes left, or waiting in vCenter's queue), the
// rest still to go. This is how a forecast predicts the rest of a live campaign: the planner takes
// the state up through its resume path (Planner.resume), exactly as `svmig run` does after a
// restart, and the simulated world starts with the operations in flight already handed to vCenter
// (WorldOptions.resumed). Time 0 of such a run is the moment the state describes.
//
// What all runs from one state share (the campaign of the VMs left, the world's layout, the
// planner's order) is built once; each run draws its own luck from its seed.

import type { Campaign, MoveItem } from '../core/campaign.js';
import type { RunSummary } from '../core/compare-result.js';
import { drive } from '../core/loop.js';
import { orderItems, Planner, type ResumeState } from '../core/planner.js';
import { resumeStages, withStages } from '../core/stages.js';
import { parsePolicy, type Policy } from '../core/policy.js';
import { eventBudget } from '../domain/limits.js';
import type { Scenario } from '../scenario/scenario.js';
import { EventBudgetExceeded, Stalled } from './engine.js';
import { summaryOf } from './results.js';
import { campaignFor } from './setup.js';
import { SimulatedWorld, WorldLayout, type ResumedOperation } from './world.js';

export interface ResumePoint {
  /** What the planner takes up: VMs moved and given up on, attempts so far, operations in flight, the next id. */
  planner: ResumeState;
  /** The operations of `planner.inFlight`, as the world takes them up: bytes left, copying or queued. */
  inFlight: readonly ResumedOperation[];
  /** The VMs the campaign still has to move, those in flight among them (a VM not listed is left alone). */
  remaining: ReadonlySet<string>;
  /** Targets frozen by the plan (VM → datastore), and per-disk targets (VM → disk label → datastore). */
  fixedTargets: ReadonlyMap<string, string>;
  fixedDisks?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** A run from the resume point: its summary, and whether the planner got through everything. */
export interface ResumedRun {
  summary: RunSummary;
  /** Seconds from the resume point until the last operation ended. */
  remainingSeconds: number;
  finished: boolean;
}

export class ResumedCampaign {
  private readonly campaign: Campaign;
  private readonly layout: WorldLayout;
  private readonly policy: Policy;
  private readonly ordered: MoveItem[];

  constructor(
    readonly scenario: Scenario,
    policySpec: string,
    private readonly point: ResumePoint,
  ) {
    this.policy = parsePolicy(policySpec);
    const estate = scenario.estate;
    this.campaign = campaignFor(scenario, { ...estate, vms: estate.vms.filter((v) => point.remaining.has(v.name)) }, point.fixedTargets, point.fixedDisks);
    this.layout = new WorldLayout(scenario);
    this.ordered = orderItems(this.campaign.items, this.policy, this.campaign.priority);
  }

  /** VMs the campaign still has to move. */
  get items(): number {
    return this.campaign.items.length;
  }

  /** One run from the resume point with the luck of `seed`. */
  run(seed: number): ResumedRun {
    const planner = new Planner(this.campaign, this.policy, { ordered: this.ordered, firstId: this.point.planner.nextId });
    // The stages around the planner (remediation, DRS guard) as the live run has them.
    const staged = withStages(planner, this.campaign);
    resumeStages(staged, this.point.planner);
    const world = new SimulatedWorld(
      this.scenario,
      this.scenario.estate,
      {
        seed,
        recordTimeline: false,
        reportProgress: this.policy.adaptive !== null,
        eventBudget: eventBudget(this.campaign.items.length),
        summaryOnly: true,
        resumed: this.point.inFlight,
      },
      this.layout,
    );
    let finished = true;
    try {
      drive(world, staged.decider);
      finished = staged.decider.finished;
    } catch (err) {
      // A rest that cannot end (a target that stays full) is a forecast's finding, not a crash.
      if (!(err instanceof EventBudgetExceeded || err instanceof Stalled)) throw err;
      finished = false;
    }
    const summary = summaryOf({ scenario: this.scenario, policy: this.policy, seed, campaign: this.campaign, planner, world }, seed);
    return { summary, remainingSeconds: summary.makespanSeconds, finished };
  }
}
