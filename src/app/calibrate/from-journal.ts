// Observations from the journal of an `svmig run`: every task the run handed to vCenter, with
// when it was submitted, when it started copying, when it ended and how, and what it moved.
//
// Which clock: where the journal has vCenter's own times of a task (TaskInfo startTime and
// completeTime, written when the task ended), they are used, so that copy times are vCenter's
// and not the executor's view of them; the wait in vCenter's queue, which TaskInfo does not show
// (a migration waiting for resources is `running` to vCenter), is the executor's, from the
// submission to the moment it saw the copy start. A journal written before these were kept gives
// the executor's times alone, and copy times from the submission (the queue wait included).

import { OPERATIONS } from '../../core/operations.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { JournalState, OpHistory } from '../../live/journal.js';
import type { ObservedTask, Observations } from './observations.js';

export interface JournalObservationOptions {
  /** The journal's file name, for messages. */
  path: string;
  /** Seconds of the modelled world per second of the journal's clock (1 unless rehearsing). */
  timeScale?: number;
}

const ms = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

/**
 * Every task of the journal that reached vCenter, in the order it was submitted. `scenario` gives
 * what journals written before svmig kept source datastores lack: where each VM's disks were.
 */
export function observationsFromJournal(state: JournalState, scenario: Scenario, options: JournalObservationOptions): Observations {
  const notes: string[] = [];
  const legacySources = sourcesByVm(scenario);
  let withoutStart = 0;
  const tasks: ObservedTask[] = [];
  for (const h of [...state.ops.values()].sort((a, b) => a.intent.op - b.intent.op)) {
    // Copies and host moves are what the model times; snapshot removals and DRS overrides are not.
    if (h.rejected !== null || h.voided || (h.intent.kind !== 'svmotion' && h.intent.kind !== 'vmotion')) continue;
    const task = observed(h, legacySources);
    if (task === null) continue;
    if (h.startedAt === null && task.outcome !== 'running' && task.kind === 'svmotion' && h.ended?.found !== 'restart') withoutStart++;
    tasks.push(task);
  }
  if (withoutStart > 0) {
    notes.push(`${withoutStart} task(s) of ${options.path} have no record of when copying started (a journal of an older svmig): their copy times count from the submission, queue wait included`);
  }
  tasks.sort((a, b) => a.submittedAt - b.submittedAt || (a.key < b.key ? -1 : 1));
  const timeScale = options.timeScale ?? 1;
  const reaction = reactionMs(state);
  return {
    source: { kind: 'journal', name: options.path, ...(state.planHash ? { plan: state.planHash } : {}) },
    tasks,
    timeScale,
    notes,
    reactionSeconds: reaction === null ? null : (reaction / 1000) * timeScale,
  };
}

/**
 * The median time from vCenter completing a task to the executor journaling its end, ms. The two
 * clocks may differ: their offset is taken from the submissions, where vCenter's startTime falls
 * between the executor's intent and its answer, and the median of those midpoints' differences
 * is the offset. Null without vCenter's times.
 */
function reactionMs(state: JournalState): number | null {
  const offsets: number[] = [];
  const late: Array<{ seen: number; completed: number }> = [];
  for (const h of state.ops.values()) {
    const vc = h.ended?.vcenter;
    const start = ms(vc?.startTime);
    const sent = ms(h.intent.at);
    const answered = ms(h.submittedAt);
    if (start !== null && sent !== null && answered !== null && h.ended?.found === undefined) offsets.push(start - (sent + answered) / 2);
    const completed = ms(vc?.completeTime);
    const seen = ms(h.ended?.at);
    if (completed !== null && seen !== null && h.ended?.found === undefined) late.push({ seen, completed });
  }
  if (late.length === 0 || offsets.length === 0) return null;
  const offset = middle(offsets);
  return Math.max(0, middle(late.map((l) => l.seen + offset - l.completed)));
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function observed(h: OpHistory, legacySources: ReadonlyMap<string, string[]>): ObservedTask | null {
  const i = h.intent;
  const op = OPERATIONS[i.kind].decode(i);
  const vc = h.ended?.vcenter;
  const vcStart = ms(vc?.startTime ?? vc?.queueTime);
  const vcEnd = ms(vc?.completeTime);
  const execSubmit = ms(h.submittedAt) ?? ms(i.at);
  const execStart = ms(h.startedAt);
  const execEnd = ms(h.ended?.at);
  if (execSubmit === null) return null;
  // vCenter's clock where it has both ends of the task; the executor's otherwise, not a mix.
  const onVcenter = vcStart !== null && vcEnd !== null;
  const submittedAt = onVcenter ? vcStart : execSubmit;
  const wait = h.queuedAt !== null && execStart !== null ? Math.max(0, execStart - execSubmit) : 0;
  let startedAt: number | null;
  if (onVcenter) startedAt = h.startedAt !== null || h.queuedAt === null ? vcStart + wait : null;
  else startedAt = execStart ?? (h.queuedAt === null ? execSubmit : null);
  const endedAt = h.ended === null ? null : onVcenter ? vcEnd : execEnd;
  const sources = op.kind === 'svmotion' && op.sourceDatastores.length > 0 ? op.sourceDatastores : (legacySources.get(i.vm) ?? []);
  const task: ObservedTask = {
    key: String(i.op),
    kind: i.kind,
    vm: i.vm,
    host: i.host,
    sourceDatastores: op.kind === 'svmotion' ? sources : [],
    targetDatastore: op.kind === 'svmotion' ? op.targetDatastore : null,
    toHost: op.kind === 'vmotion' ? op.toHost : null,
    bytes: i.bytes,
    submittedAt,
    startedAt: startedAt !== null && endedAt !== null ? Math.min(startedAt, endedAt) : startedAt,
    endedAt,
    outcome: h.ended === null ? 'running' : h.ended.outcome,
  };
  if (h.ended?.reason !== undefined) task.reason = h.ended.reason;
  return task;
}

/** Each VM's datastores on the legacy side, as the scenario has them: what its svMotion reads from. */
function sourcesByVm(scenario: Scenario): Map<string, string[]> {
  const legacy = new Set(scenario.estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  const out = new Map<string, string[]>();
  for (const v of scenario.estate.vms) {
    const ds = [...new Set(v.disks.map((d) => d.datastore).filter((d): d is string => d !== null && legacy.has(d)))];
    out.set(v.name, ds);
  }
  return out;
}
