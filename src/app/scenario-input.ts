// Reading the scenario a command names, with the command line's `--set` changes.

import { loadScenario } from '../scenario/load.js';
import { parseSetting } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/scenario.js';

/** The scenario file with the command line's `--set` changes applied before validation. */
export function loadScenarioWithSettings(file: string, sets: readonly string[] | undefined): Scenario {
  return loadScenario(file, { settings: (sets ?? []).map(parseSetting) });
}
