// The options every Monte Carlo command (compare, sweep) reads the same way: worker threads, the
// seed, where the result and the report go, the deadline. Read and checked before any run, each
// complaint one sentence naming the option; where the output goes first of all, since runs whose
// result cannot be written are not worth running.

import type { Calendar } from '../domain/calendar.js';
import { parseDeadline, parseIntegerOption, positiveOption } from './flags.js';
import { checkOutputFile } from './io.js';

export interface MonteCarloFlags {
  seed?: string;
  deadline?: string;
  workers?: string;
  out?: string;
  report?: string;
}

export interface MonteCarloOptions {
  /** The runner's `workers` option, empty when not given (the runner decides). */
  workers: { workers?: number };
  /** The seed asked for, or the scenario's. */
  seedOr(scenarioSeed: number): number;
}

/** Workers and seed read, the result file and the report folder checked (the report's writer is loaded only when one is asked for). */
export async function readMonteCarloFlags(flags: MonteCarloFlags): Promise<MonteCarloOptions> {
  const workers = flags.workers === undefined ? undefined : positiveOption('--workers', flags.workers);
  const seed = flags.seed === undefined ? undefined : parseIntegerOption('--seed', flags.seed);
  if (flags.out !== undefined) checkOutputFile(flags.out);
  if (flags.report !== undefined) (await import('../report/write.js')).checkReportFolder(flags.report);
  return { workers: workers === undefined ? {} : { workers }, seedOr: (scenarioSeed) => seed ?? scenarioSeed };
}

/** `--deadline` in seconds from the campaign's start (a date read in its calendar), null when not given. */
export function deadlineOption(flags: Pick<MonteCarloFlags, 'deadline'>, calendar: Calendar | null): number | null {
  return flags.deadline === undefined ? null : parseDeadline(flags.deadline, calendar);
}
