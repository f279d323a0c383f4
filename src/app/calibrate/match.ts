// Observations against the scenario they are to calibrate: a replay can only run tasks on hosts and
// datastores the scenario's fabric knows. Tasks of VMs the scenario does not have (a history window
// spans more of vCenter than the scenario does) are left out and counted; a task of a known VM on a
// host or datastore the scenario lacks means the scenario is not the estate the tasks ran on, which
// is said in one sentence. So is what cannot be fitted at all: no task left, or none that copied.

import { UserError } from '../../domain/errors.js';
import type { Scenario } from '../../scenario/scenario.js';
import { measuredCopies, type Observations } from './observations.js';

const listed = (names: readonly string[]): string => names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');

export interface MatchOptions {
  /** Accept observations with no finished copy (a forecast falls back on the scenario as it is). */
  allowUnfinished?: boolean;
}

/** The observations the scenario can replay (see the file's comment); throws a UserError when none. */
export function matchScenario(o: Observations, scenario: Scenario, options: MatchOptions = {}): Observations {
  const where = o.source.kind === 'journal' ? o.source.name : `vCenter ${o.source.name}`;
  const scenarioName = scenario.file ?? `scenario ${scenario.name}`;
  if (o.tasks.length === 0) {
    throw new UserError(
      o.source.kind === 'journal'
        ? `${where} holds no migration: run a pilot first (svmig run <plan> --pilot 10% --journal ${where}).`
        : `${where} has no Storage vMotion in its history for the window asked (${o.notes.find((n) => n.startsWith('window')) ?? 'widen --since / --until'}).`,
    );
  }
  const vms = new Set(scenario.estate.vms.map((v) => v.name));
  const hosts = new Set(scenario.estate.hosts.map((h) => h.name));
  const datastores = new Map(scenario.estate.datastores.map((d) => [d.name, d]));
  const unknownVms = [...new Set(o.tasks.filter((t) => !vms.has(t.vm)).map((t) => t.vm))].sort();
  const kept = o.tasks.filter((t) => vms.has(t.vm));
  if (kept.length === 0) {
    throw new UserError(`none of the ${o.tasks.length} migration(s) in ${where} is of a VM that ${scenarioName} knows (${listed(unknownVms)}): calibrate the scenario of the estate they ran on.`);
  }
  for (const t of kept) {
    const what = `${t.kind} of ${t.vm}${o.source.kind === 'journal' ? ` (operation ${t.key})` : ` (task ${t.key})`}`;
    if (!hosts.has(t.host)) throw new UserError(`${where}: the ${what} ran on host ${t.host}, which ${scenarioName} does not have: it is not the estate these migrations ran on.`);
    if (t.toHost !== null && !hosts.has(t.toHost)) throw new UserError(`${where}: the ${what} went to host ${t.toHost}, which ${scenarioName} does not have.`);
    for (const ds of [...t.sourceDatastores, ...(t.targetDatastore === null ? [] : [t.targetDatastore])]) {
      const d = datastores.get(ds);
      if (!d) throw new UserError(`${where}: the ${what} used datastore ${ds}, which ${scenarioName} does not have: it is not the estate these migrations ran on.`);
      if (d.array === null) throw new UserError(`${where}: the ${what} used datastore ${ds}, which ${scenarioName} puts on no array of its fabric, so its copy cannot be replayed.`);
    }
  }
  const notes = [...o.notes];
  if (unknownVms.length > 0) notes.push(`left out ${o.tasks.length - kept.length} task(s) of ${unknownVms.length} VM(s) that ${scenarioName} does not have (${listed(unknownVms)})`);
  const matched: Observations = { ...o, tasks: kept, notes };
  const svmotions = kept.filter((t) => t.kind === 'svmotion');
  if (measuredCopies(matched).length === 0 && !options.allowUnfinished) {
    if (svmotions.length === 0) throw new UserError(`${where} holds no Storage vMotion of the scenario's VMs, only ${kept.length} vMotion(s): there is no copy to learn from.`);
    const failed = svmotions.filter((t) => t.outcome === 'failed');
    if (failed.length === svmotions.length) {
      throw new UserError(`every one of the ${failed.length} svMotion(s) in ${where} failed (${failed[0]!.vm}: ${failed[0]!.reason ?? 'failed'}): there is no finished copy to learn a rate from.`);
    }
    throw new UserError(`none of the ${svmotions.length} svMotion(s) in ${where} has finished yet: wait for the pilot's first copies to end.`);
  }
  return matched;
}
