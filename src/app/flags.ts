// Values of command-line options, read the same way by every command that takes them: each
// complaint is one sentence naming the option. The command line hands the text over as typed; the
// commands read it here when they run, so that defining the commands loads none of this.

import { CalendarError, deadlineSeconds, type Calendar } from '../domain/calendar.js';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';

/** `field,fixed:4` → ['field', 'fixed:4']; the policies themselves are checked by the runner. */
export function parsePolicies(list: string): string[] {
  const specs = list.split(',').map((s) => s.trim());
  if (specs.some((s) => s === '')) throw new UserError(`--policies "${list}" has an empty entry: write policies separated by commas, like field,fixed:4.`);
  return specs;
}

/**
 * `--runs`: checked against svmig's limit before anything runs (every run's summary is kept for the
 * percentiles and the result file, so a billion runs would exhaust memory long before they ended).
 */
export function runsOption(value: string, policies: number): number {
  const runs = positiveOption('--runs', value);
  if (runs * policies > LIMITS.runs) {
    const per = policies > 1 ? ` × ${policies} policies` : '';
    throw new UserError(
      `--runs ${value.trim()} is more than svmig runs at once: at most ${LIMITS.runs.toLocaleString('en-US')} runs in all${per ? ` (${Math.floor(LIMITS.runs / policies).toLocaleString('en-US')} per policy for ${policies} policies)` : ''}, ` +
        'as every run is kept for the percentiles and the result file; percentiles settle long before that.',
    );
  }
  return runs;
}

export function positiveOption(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < 1) throw new UserError(`${name} must be a positive whole number, not "${value}".`);
  return Number(value);
}

/**
 * `--deadline`: a duration (14d, 36h) or a date and time (2026-12-17T06:00, read in the campaign's
 * zone, or with an offset or a zone of its own), as seconds after the campaign's start.
 */
export function parseDeadline(text: string, calendar: Calendar | null = null): number {
  try {
    return deadlineSeconds(text, calendar);
  } catch (err) {
    if (err instanceof CalendarError) throw new UserError(`--deadline ${err.message}.`);
    throw err;
  }
}

/** Parses an integer option, naming the option in the error. */
export function parseIntegerOption(name: string, value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new UserError(`${name} must be a whole number, not "${value}".`);
  return Number(value);
}
