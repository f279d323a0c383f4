// `run --dry-run`: the operations the planner would start, in order, on the estate vCenter has
// now: svMotions (with each disk's target when they have their own), pro-active vMotions, the
// remediation tasks before a copy, and the DRS overrides set and put back around it. Only reads
// vCenter; the order comes from a simulation of the plan on that estate.

import { OPERATIONS } from '../core/operations.js';
import type { OperationRecord } from '../core/result.js';
import { formatBytes, formatDuration } from '../domain/units.js';
import { table } from '../report/table.js';
import { simulate } from '../sim/simulate.js';
import { describeChanges, diffEstate, plannedDisks, plannedTargets, type Plan } from './plan.js';
import { liveScenario, readPlannedEstate } from './live-scenario.js';
import type { LiveVcenter } from '../live/vcenter.js';

export async function dryRun(plan: Plan, vcenter: LiveVcenter): Promise<string> {
  const estate = await readPlannedEstate(plan, vcenter);
  const changes = diffEstate(plan, estate);
  const refused = describeChanges(changes);
  const planned = new Set(plan.vms.map((v) => v.vm));
  const scenario = liveScenario(plan, { ...estate, vms: estate.vms.filter((v) => planned.has(v.name)) }, { startedAt: Date.now(), now: Date.now });
  const result = simulate(scenario, { policy: plan.policy, seed: plan.seed, fixedTargets: plannedTargets(plan), fixedDisks: plannedDisks(plan) });
  const rows = result.operations
    .filter((o) => o.by === undefined && o.outcome !== 'skipped')
    .map((o, i) => [String(i + 1), `+${formatDuration(o.submittedAt)}`, o.kind, o.vm, what(o), OPERATIONS[o.kind].movesStorage || o.bytes > 0 ? formatBytes(o.bytes) : '']);
  return [
    `dry run of ${plan.policy} on ${estate.vcenter}: nothing is changed`,
    refused ? `changes since the plan: ${refused}; run would refuse to start without --accept-changes` : '',
    changes.moved.length > 0 ? `${changes.moved.length} planned VM(s) are already moved and are left out` : '',
    table([['#', 'at', 'kind', 'vm', 'move', 'size'], ...rows], ['right', 'right']),
    `${rows.length} operation(s); predicted makespan ${formatDuration(result.makespanSeconds)}`,
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** What an operation does, in a few words: where the disks go, where the VM goes, what is merged or overridden. */
function what(o: OperationRecord): string {
  const spec = OPERATIONS[o.kind];
  if (spec.movesStorage) {
    if (o.disks === undefined) return `${o.sourceDatastores.join(',')} → ${o.targetDatastore}`;
    return `${o.disks.map((d) => `${d.disk} ${d.source} → ${d.target}`).join('; ')}; home → ${o.targetDatastore}`;
  }
  if (spec.movesHost) return `${o.host} → ${o.toHost}`;
  if (o.overrides !== undefined) {
    const { set, restore } = o.overrides;
    return [set.length > 0 ? `partially automated while moved: ${set.join(', ')}` : '', restore.length > 0 ? `put back: ${restore.join(', ')}` : ''].filter((t) => t !== '').join('; ');
  }
  return spec.label;
}
