// One forecast of a live run, and the messages that carry it between the run and its worker
// thread (forecast-worker.ts). Run in the worker, or in the run's own thread where no worker is
// built (tests from the TypeScript sources).

import type { JournalState } from '../../live/journal.js';
import type { Scenario, WindowSettings } from '../../scenario/scenario.js';
import { forecastCampaign } from './campaign-forecast.js';
import type { Forecast, PlannedVm } from './forecast.js';

/** What the worker holds for the whole run. */
export interface ForecastSetup {
  scenario: Scenario;
  policy: string;
  planned: ReadonlyArray<PlannedVm>;
  journalPath: string;
  timeScale: number;
  runs: number;
  replicates: number;
  seed: number;
}

export interface ForecastRequest {
  id: number;
  /** Wall time the state is taken at (ms). */
  asOf: number;
  /** Share copied of operations in flight, by VM, as vCenter last reported. */
  progress: Array<[string, number]>;
  /** The change windows anchored at `asOf` (null: none). */
  windows: WindowSettings | null;
}

export type ForecastReply = { id: number; forecast: Forecast; notes: string[] } | { id: number; error: string };

export function answerForecast(setup: ForecastSetup, request: ForecastRequest, read: (path: string) => JournalState): ForecastReply {
  try {
    const journal = read(setup.journalPath);
    const scenario: Scenario = { ...setup.scenario, campaign: { ...setup.scenario.campaign, windows: request.windows } };
    const r = forecastCampaign({
      scenario,
      policy: setup.policy,
      planned: setup.planned,
      journal,
      journalPath: setup.journalPath,
      timeScale: setup.timeScale,
      asOf: request.asOf,
      progress: new Map(request.progress),
      runs: setup.runs,
      seed: setup.seed,
      replicates: setup.replicates,
      deadlineSeconds: null,
    });
    // Bootstrap samples stay in the worker: the run needs the figures, not the replicates.
    return { id: request.id, forecast: r.forecast, notes: r.notes };
  } catch (err) {
    return { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
}
