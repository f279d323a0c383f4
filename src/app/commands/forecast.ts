// The work of `svmig forecast` (its options and help: cli/forecast.ts): the rest of a campaign
// predicted from its journal, by a model fitted to the copies that ended (or a calibrated
// scenario), resumed from the journal's state.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { forecastCampaign, nothingToForecastFrom, type CampaignForecast } from '../calibrate/campaign-forecast.js';
import type { Forecast } from '../calibrate/forecast.js';
import { matchScenario } from '../calibrate/match.js';
import { observationsFromJournal } from '../calibrate/from-journal.js';
import { deadlineSeconds as readDeadline, CalendarError, type Calendar } from '../../domain/calendar.js';
import { UserError } from '../../domain/errors.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../../domain/units.js';
import type { JournalState } from '../../live/journal.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/scenario.js';
import { formatCount, table } from '../../report/table.js';
import { checkJournalOfPlan, readExistingJournal, timeScaleOption } from '../calibration.js';
import { EXIT_DEADLINE_MISSED } from '../exit-codes.js';
import { parseIntegerOption, positiveOption, runsOption } from '../flags.js';
import { scenarioAnchoredAt } from '../live-scenario.js';
import { CommandOutput } from '../output.js';
import { withProgressBar } from '../progress-bar.js';
import { readPlan, type Plan } from '../plan.js';

export interface ForecastFlags {
  journal?: string;
  calibrated?: string;
  runs?: string;
  seed?: string;
  deadline?: string;
  replicates?: string;
  json?: boolean;
  timeScale?: string;
}

export async function forecastCommand(planPath: string, flags: ForecastFlags): Promise<void> {
  const output = new CommandOutput(flags);
  const plan = readPlan(planPath);
  const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
  const journalPath = flags.journal ?? `${planPath.replace(/\.json$/, '')}.journal.jsonl`;
  const journal = readExistingJournal(journalPath);
  checkJournalOfPlan(journal, journalPath, planHash, planPath);
  const runs = flags.runs === undefined ? 200 : runsOption(flags.runs, 1);
  const seed = flags.seed === undefined ? plan.seed : parseIntegerOption('--seed', flags.seed);
  const replicates = flags.replicates === undefined ? 100 : flags.replicates.trim() === '0' ? 0 : positiveOption('--replicates', flags.replicates);
  const timeScale = timeScaleOption(flags.timeScale);
  const calibrated = flags.calibrated === undefined ? undefined : { file: flags.calibrated, scenario: checkCalibrated(flags.calibrated, plan) };
  checkJournalHasSomething(journal, journalPath, plan, timeScale, calibrated !== undefined);

  const asOf = journal.lastAt !== null ? Date.parse(journal.lastAt) : Date.now();
  const startedAt = journal.startedAt !== null ? Date.parse(journal.startedAt) : asOf;
  const calendar: Calendar = { startMs: startedAt, zone: plan.scenario.campaign.calendar?.zone ?? 'UTC' };
  const deadline = flags.deadline === undefined ? null : deadlineOf(flags.deadline, calendar, timeScale);
  const result = await withProgressBar('Fitting', (onProgress) => forecastCampaign({
    scenario: scenarioAnchoredAt(plan.scenario, asOf),
    policy: plan.policy,
    planned: plan.vms,
    journal,
    journalPath,
    timeScale,
    ...(calibrated ? { calibrated } : {}),
    asOf,
    runs,
    seed,
    replicates,
    deadlineSeconds: deadline,
    onProgress,
  }), !flags.json);
  output.say(`${describe(planPath, journalPath, result, calendar)}${pastForecasts(journal, result.forecast.state)}\n`);
  output.summary(forecastJson(result, flags.calibrated ?? null));
  if (result.forecast.deadline !== null && result.forecast.deadline.probability < 0.9) process.exitCode = EXIT_DEADLINE_MISSED;
}

/** A calibrated scenario must describe the plan's fabric: the same arrays. */
function checkCalibrated(file: string, plan: Plan): Scenario {
  const s = loadScenario(file);
  const planned = plan.scenario.fabric.arrays.map((a) => a.name).sort();
  const given = s.fabric.arrays.map((a) => a.name).sort();
  if (planned.join('\u0000') !== given.join('\u0000')) {
    throw new UserError(`${file} describes arrays ${given.join(', ')}, the plan's fabric has ${planned.join(', ')}: calibrate the scenario the plan was made from.`);
  }
  return s;
}

/** The bad inputs a forecast cannot start from, each in one sentence (see calibrate/match.ts). */
function checkJournalHasSomething(journal: JournalState, path: string, plan: Plan, timeScale: number, calibrated: boolean): void {
  const o = observationsFromJournal(journal, plan.scenario, { path, timeScale });
  if (o.tasks.length === 0) {
    if (calibrated) return;
    throw nothingToForecastFrom(path);
  }
  // Every task must be the plan's (a journal of the same plan's file, edited, or of another estate).
  matchScenario(o, plan.scenario, { allowUnfinished: true });
  const svmotions = o.tasks.filter((t) => t.kind === 'svmotion');
  const ended = svmotions.filter((t) => t.outcome !== 'running');
  if (!calibrated && ended.length > 0 && ended.every((t) => t.outcome === 'failed')) {
    throw new UserError(`every one of the ${ended.length} svMotion(s) that ended in ${path} failed (${ended[0]!.vm}: ${ended[0]!.reason ?? 'failed'}): there is no finished copy to calibrate the forecast with; fix what fails, or give --calibrated.`);
  }
}

function deadlineOf(text: string, calendar: Calendar, timeScale: number): number {
  try {
    const seconds = readDeadline(text, calendar);
    // A date is on the wall clock; a duration is campaign time already.
    return /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? seconds * timeScale : seconds;
  } catch (err) {
    if (err instanceof CalendarError) throw new UserError(`--deadline ${err.message}.`);
    throw err;
  }
}

const when = (ms: number): string => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC');

function describe(planPath: string, journalPath: string, r: CampaignForecast, calendar: Calendar): string {
  const f = r.forecast;
  const s = f.state;
  const rows = [
    ['done', `${formatCount(s.done)} VMs`, formatBytes(s.doneBytes), ''],
    ['in flight', `${formatCount(s.inFlight)} VMs`, `${formatBytes(s.inFlightBytesLeft)} left`, ''],
    ['left', `${formatCount(s.left)} VMs`, formatBytes(s.leftBytes), s.failedSoFar > 0 ? `${formatCount(s.failedSoFar)} whose last attempt failed` : ''],
  ];
  const scale = f.timeScale === 1 ? '' : ` (a clock ${f.timeScale}× faster than real time: durations below are of the modelled world)`;
  const lines = [
    `forecast of ${planPath} from ${journalPath}, state as of ${when(f.asOf)}, ${formatDuration(f.elapsedSeconds)} into the campaign${scale}`,
    '',
    table(rows, ['left', 'right', 'right', 'left'], '  '),
    '',
    `  Model: ${modelLine(f)}`,
    `  Rest of the campaign (${f.runs} runs): P10 ${formatDuration(f.p10Seconds)} · P50 ${formatDuration(f.p50Seconds)} · P90 ${formatDuration(f.p90Seconds)}`,
    `  Ends, going on from this state: P50 ${when(f.ends.p50)}, P90 ${when(f.ends.p90)}${s.inFlight === 0 ? ' (nothing runs now: count from when the run resumes)' : ''}`,
  ];
  if (f.deadline !== null) {
    lines.push(`  Deadline ${when(calendar.startMs + (f.deadline.seconds * 1000) / f.timeScale)}: met in ${formatPercent(f.deadline.probability)} of runs${f.deadline.probability < 0.9 ? ' (fewer than nine in ten: MISSED)' : ''}`);
  }
  for (const n of r.notes.filter((x) => !x.startsWith('window'))) lines.push(`  Note: ${n}.`);
  return lines.join('\n');
}

/**
 * The ETAs the runs journaled, judged against what happened so far: the first and the latest, and,
 * once the campaign has finished, how far each was from the end.
 */
function pastForecasts(journal: JournalState, state: Forecast['state']): string {
  const made = journal.forecasts;
  if (made.length === 0) return '';
  const lastEnd = [...journal.ops.values()].reduce((t, h) => Math.max(t, h.ended ? Date.parse(h.ended.at) : -Infinity), -Infinity);
  const finished = state.left === 0 && state.inFlight === 0 && Number.isFinite(lastEnd);
  const judge = (r: (typeof made)[number]): string => {
    const said = `at ${when(Date.parse(r.at))} it said P50 ${when(Date.parse(r.endP50))}, P90 ${when(Date.parse(r.endP90))} (fitted on ${r.fittedOn.svmotions} copies)`;
    if (!finished) return said;
    const left = lastEnd - Date.parse(r.at);
    const error = left > 0 ? (Date.parse(r.endP50) - Date.parse(r.at)) / left - 1 : NaN;
    return `${said}: the campaign ended ${when(lastEnd)}${Number.isFinite(error) ? `, P50 ${error >= 0 ? '+' : ''}${formatPercent(error)} of the time that was left` : ''}`;
  };
  const lines = ['', `  ETAs of the runs: ${made.length} journaled.`, `  First: ${judge(made[0]!)}`];
  if (made.length > 1) lines.push(`  Latest: ${judge(made[made.length - 1]!)}`);
  return `\n${lines.join('\n')}`;
}

function modelLine(f: Forecast): string {
  const p = f.model.parameters;
  const values = p === null ? '' : `: per-copy rate ${formatRate(p.perCopyRate)}, setup ${formatDuration(p.svmotionSetupSeconds)}${Object.entries(p.productionLoad).filter(([, v]) => v > 0).map(([a, v]) => `, production load ${a} ${formatPercent(v)}`).join('')}`;
  if (f.model.kind === 'calibrated') return `the calibrated scenario ${f.model.file}${values}`;
  if (f.model.kind === 'plan') return 'the plan’s scenario as it is (nothing to fit yet)';
  const on = f.model.fittedOn!;
  return `fitted on ${formatCount(on.svmotions)} copies of the journal${on.from !== null && on.to !== null ? ` (${when(on.from)} to ${when(on.to)})` : ''}${values}; each run takes one bootstrap replicate's values`;
}

function forecastJson(r: CampaignForecast, calibrated: string | null): object {
  const f = r.forecast;
  return {
    kind: 'forecast',
    asOf: new Date(f.asOf).toISOString(),
    elapsedSeconds: f.elapsedSeconds,
    timeScale: f.timeScale,
    state: f.state,
    model: {
      kind: f.model.kind,
      file: calibrated,
      parameters: f.model.parameters,
      spread: f.model.spread,
      reactionSeconds: f.model.reactionSeconds,
      fittedOn: f.model.fittedOn === null ? null : { svmotions: f.model.fittedOn.svmotions, from: f.model.fittedOn.from === null ? null : new Date(f.model.fittedOn.from).toISOString(), to: f.model.fittedOn.to === null ? null : new Date(f.model.fittedOn.to).toISOString() },
    },
    runs: f.runs,
    p10Seconds: f.p10Seconds,
    p50Seconds: f.p50Seconds,
    p90Seconds: f.p90Seconds,
    meanSeconds: f.meanSeconds,
    unfinishedRuns: f.unfinished,
    ends: { p50: new Date(f.ends.p50).toISOString(), p90: new Date(f.ends.p90).toISOString() },
    deadline: f.deadline === null ? null : { seconds: f.deadline.seconds, probability: f.deadline.probability, met: f.deadline.probability >= 0.9 },
    notes: r.notes,
  };
}
