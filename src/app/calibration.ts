// What `calibrate`, `forecast` and the live run's ETA share: reading a journal as observations of
// a scenario, fitting the model to them, and the options they read the same way.

import { existsSync } from 'node:fs';
import { failedShare } from './calibrate/campaign-forecast.js';
import { fitParameters, type Calibration, type FitOptions } from './calibrate/fit.js';
import { observationsFromJournal } from './calibrate/from-journal.js';
import { matchScenario } from './calibrate/match.js';
import type { Observations } from './calibrate/observations.js';
import { parametersOf } from './calibrate/parameters.js';
import { Replay } from './calibrate/replay.js';
import { parseDateTime, CalendarError } from '../domain/calendar.js';
import { UserError } from '../domain/errors.js';
import { parseDuration } from '../domain/units.js';
import { readJournal, type JournalState } from '../live/journal.js';
import type { Scenario } from '../scenario/scenario.js';

/** Reads a journal that must exist (a missing one would read as an empty campaign). */
export function readExistingJournal(path: string): JournalState {
  if (!existsSync(path)) throw new UserError(`cannot read the journal ${path}: no such file.`);
  return readJournal(path);
}

/** Refuses a journal written for another plan: its operations are not this plan's. */
export function checkJournalOfPlan(state: JournalState, journalPath: string, planHash: string, planPath: string): void {
  if (state.planHash !== null && state.planHash !== planHash) {
    throw new UserError(`${journalPath} belongs to another plan than ${planPath} (it was written for plan ${state.planHash.slice(0, 12)}…, this one is ${planHash.slice(0, 12)}…): give the journal of this plan's runs.`);
  }
}

/** The journal's tasks that `scenario` can replay; one sentence when it cannot (see calibrate/match.ts). */
export function journalObservations(state: JournalState, path: string, scenario: Scenario, timeScale: number): Observations {
  return matchScenario(observationsFromJournal(state, scenario, { path, timeScale }), scenario);
}

/** Fits the scenario's model to the observations (calibrate/fit.ts). */
export function fit(scenario: Scenario, observations: Observations, options: FitOptions = {}): Calibration {
  return fitParameters(new Replay(scenario, observations, failedShare(observations)), parametersOf(scenario), options);
}

/** `--time-scale`: seconds of the modelled world per second of the clock (rehearsals against a fast simulator). */
export function timeScaleOption(text: string | undefined): number {
  if (text === undefined) return 1;
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0 && v <= 1e6)) throw new UserError(`--time-scale must be a number above 0 (1 for a real vCenter), not "${text}".`);
  return v;
}

/** The local zone of this machine, for dates written without one. */
function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * `--since` / `--until`: a date and time (`2026-12-03T08:00`, read in this machine's zone unless it
 * says its own, `2026-12-03T07:00Z`), or a duration meaning that long before `now` (`36h`).
 */
export function instantOption(name: string, text: string, now: number): Date {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    try {
      return new Date(parseDateTime(t, localZone()).ms);
    } catch (err) {
      if (err instanceof CalendarError) throw new UserError(`${name} ${err.message}.`);
      throw err;
    }
  }
  let seconds: number;
  try {
    seconds = parseDuration(t);
  } catch {
    throw new UserError(`${name} "${t}" is neither a date and time (2026-12-03T08:00) nor a duration before now (36h).`);
  }
  return new Date(now - seconds * 1000);
}
