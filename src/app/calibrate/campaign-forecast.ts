// A forecast of a campaign from its journal, as `svmig forecast` makes it and as `svmig run` makes
// it while it runs (in a worker thread: forecast-worker.ts): the journal read as observations of
// the plan's scenario, the model fitted to the copies that ended (unless a calibrated scenario is
// given, or none has ended yet), and the rest simulated from the journal's state (forecast.ts).

import { UserError } from '../../domain/errors.js';
import type { JournalState } from '../../live/journal.js';
import type { Scenario } from '../../scenario/scenario.js';
import { fitParameters, type FitOptions } from './fit.js';
import { forecast, type Forecast, type ForecastModel, type PlannedVm } from './forecast.js';
import { observationsFromJournal } from './from-journal.js';
import { matchScenario } from './match.js';
import { measuredCopies, type Observations, type ObservedTask } from './observations.js';
import { parametersOf } from './parameters.js';
import { Replay } from './replay.js';

export interface CampaignForecastInput {
  scenario: Scenario;
  policy: string;
  planned: ReadonlyArray<PlannedVm>;
  journal: JournalState;
  journalPath: string;
  timeScale: number;
  /** A calibrated scenario to take the model from instead of fitting (forecast --calibrated). */
  calibrated?: { file: string; scenario: Scenario };
  asOf: number;
  progress?: ReadonlyMap<string, number>;
  runs: number;
  seed: number;
  replicates: number;
  deadlineSeconds: number | null;
  onProgress?: FitOptions['onProgress'];
}

export interface CampaignForecast {
  forecast: Forecast;
  observations: Observations | null;
  /** Why the model is not fitted, when it is not. */
  notes: string[];
}

export function forecastCampaign(input: CampaignForecastInput): CampaignForecast {
  const { scenario } = input;
  const notes: string[] = [];
  const all = observationsFromJournal(input.journal, scenario, { path: input.journalPath, timeScale: input.timeScale });
  let observations: Observations | null = null;
  if (all.tasks.length > 0) {
    // The plan's own journal: every task is of a VM the plan's scenario knows.
    observations = matchScenario(all, scenario, { allowUnfinished: true });
  }
  let model: ForecastModel;
  if (input.calibrated !== undefined) {
    model = { kind: 'calibrated', ...input.calibrated };
  } else if (observations !== null && measuredCopies(observations).length > 0) {
    const calibration = fitParameters(new Replay(scenario, observations, failedShare(observations)), parametersOf(scenario), {
      replicates: input.replicates,
      seed: input.seed,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    model = { kind: 'fitted', calibration, observations };
  } else {
    notes.push('no copy has ended yet: the model is the plan’s scenario as it is');
    model = { kind: 'plan' };
  }
  const result = forecast({
    scenario,
    policy: input.policy,
    planned: input.planned,
    journal: input.journal,
    observations,
    model,
    asOf: input.asOf,
    ...(input.progress ? { progress: input.progress } : {}),
    runs: input.runs,
    seed: input.seed,
    deadlineSeconds: input.deadlineSeconds,
  });
  if (result.unfinished > 0) notes.push(`${result.unfinished} of ${result.runs} runs could not finish the rest (a target that stays full, or a copy that never fits)`);
  return { forecast: result, observations, notes: [...notes, ...(observations?.notes ?? [])] };
}

/**
 * The share of its bytes a failed task had copied when it failed, for the replay: its run time at
 * the median rate the successful copies reached (capped at all of it). A failed copy loads the
 * fabric for as long as it ran.
 */
export function failedShare(o: Observations): (t: ObservedTask) => number {
  const rates = o.tasks
    .filter((t) => t.kind === 'svmotion' && t.outcome === 'success' && t.startedAt !== null && t.endedAt !== null && t.endedAt > t.startedAt)
    .map((t) => t.bytes / (t.endedAt! - t.startedAt!))
    .sort((a, b) => a - b);
  const rate = rates.length > 0 ? rates[Math.floor(rates.length / 2)]! : 0;
  return (t) => (rate > 0 && t.startedAt !== null && t.endedAt !== null && t.bytes > 0 ? Math.min(1, ((t.endedAt - t.startedAt) * rate) / t.bytes) : 0.5);
}

/** The sentence for a forecast that has nothing to learn from and no calibrated scenario either. */
export function nothingToForecastFrom(journalPath: string): UserError {
  return new UserError(`${journalPath} holds no migration and no --calibrated scenario was given: there is nothing to calibrate the forecast with yet; run a pilot first (svmig run <plan> --pilot 10%).`);
}
