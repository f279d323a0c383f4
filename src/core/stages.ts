// The planner with the stages a campaign asks for around it: pre-flight remediation before each
// copy (preflight.ts), then the DRS guard around each copy (drs-guard.ts). Each stage is a Decider
// wrapping a Decider, so the loop, the simulated world and the live world drive the result as
// they drive the planner alone; without either, the planner is driven as it is.

import type { Campaign } from './campaign.js';
import { DrsGuard, type Guarded } from './drs-guard.js';
import type { Planner, ResumeState } from './planner.js';
import type { Decider } from './port.js';
import { Preflight, remediationPlan } from './preflight.js';

export interface Staged {
  /** What the loop drives. */
  decider: Decider;
  planner: Planner;
  preflight: Preflight | null;
  guard: DrsGuard | null;
}

export function withStages(planner: Planner, campaign: Campaign): Staged {
  const ids = () => planner.takeId();
  let decider: Decider = planner;
  let preflight: Preflight | null = null;
  let guard: DrsGuard | null = null;
  if (campaign.remediation !== null) decider = preflight = new Preflight(decider, remediationPlan(campaign.items, campaign.remediation), ids);
  if (campaign.drsGuard) decider = guard = new DrsGuard(decider, campaign.items, ids);
  return { decider, planner, preflight, guard };
}

/** Takes up a restart in every stage: the planner its moves, each stage its own operations. */
export function resumeStages(s: Staged, resume: ResumeState, guarded: ReadonlyMap<string, Guarded> = new Map()): void {
  s.planner.resume(resume);
  s.preflight?.resume(resume.inFlight);
  s.guard?.resume(guarded, resume.inFlight);
}
