// The plan's scenario as it stands in the live world: the estate vCenter has now, and the change
// windows anchored on the real wall clock (at the campaign's start, or at the moment a forecast
// of the rest starts from).

import type { Estate } from '../domain/estate.js';
import { WEEK, anchorWindows } from '../domain/windows.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Plan } from './plan.js';
import type { LiveVcenter } from '../live/vcenter.js';

export interface LiveClock {
  /** Wall time (ms) of the campaign's t = 0: the first start of the run, kept by the journal. */
  startedAt: number;
  now: () => number;
}

/** Seconds from Monday 00:00, local time, of a wall-clock instant. */
export function weekOffset(ms: number): number {
  const d = new Date(ms);
  const day = (d.getDay() + 6) % 7;
  return (day * 86400 + d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds() + d.getMilliseconds() / 1000) % WEEK;
}

/** The estate as vCenter has it now, each datastore on the side (legacy, new) the plan put it. */
export function readPlannedEstate(plan: Plan, vcenter: LiveVcenter): Promise<Estate> {
  const roles = new Map(plan.scenario.estate.datastores.map((d) => [d.name, d.role]));
  return vcenter.readEstate((ds) => roles.get(ds.name) ?? 'other');
}

export function liveScenario(plan: Plan, estate: Estate, clock: LiveClock): Scenario {
  const s = plan.scenario;
  const w = s.campaign.windows;
  // Windows follow the campaign's zone when it has one, else this machine's wall clock.
  const windows = w === null ? null : { ...w, ...(w.zone !== undefined ? anchorWindows(w.zone, clock.startedAt) : { startOffset: weekOffset(clock.startedAt) }) };
  // Datastore roles come from the plan: the live inventory only knows names.
  const roles = new Map(s.estate.datastores.map((d) => [d.name, d]));
  const datastores = estate.datastores.map((d) => {
    const p = roles.get(d.name);
    return p ? { ...d, role: p.role, array: p.array } : d;
  });
  // Enclosures are not in vCenter's inventory, and FC ports are the fabric's business: both come
  // from the plan for the hosts it knows.
  const planned = new Map(s.estate.hosts.map((h) => [h.name, h]));
  const hosts = estate.hosts.map((h) => {
    const p = planned.get(h.name);
    return p ? { ...h, enclosure: p.enclosure, hbaPorts: p.hbaPorts ?? null } : { ...h, hbaPorts: h.hbaPorts || null };
  });
  return { ...s, estate: { ...estate, datastores, hosts }, campaign: { ...s.campaign, windows } };
}

/** The scenario with its change windows (if any) starting at wall time `ms`: a forecast's time 0. */
export function scenarioAnchoredAt(s: Scenario, ms: number): Scenario {
  const w = s.campaign.windows;
  if (w === null) return s;
  const windows = { ...w, ...(w.zone !== undefined ? anchorWindows(w.zone, ms) : { startOffset: weekOffset(ms) }) };
  return { ...s, campaign: { ...s.campaign, windows } };
}
