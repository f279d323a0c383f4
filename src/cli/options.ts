// Options that several commands share and read the same way: `--set path=value` (simulate,
// compare, plan, and any command that reads a scenario) and `--deadline` (a duration or a date).
// Light on purpose: every command's definition loads this; the scenario with its settings is read
// in the commands' actions (actions/scenario.ts).

import { CalendarError, deadlineSeconds, type Calendar } from '../domain/calendar.js';
import { UserError } from '../domain/errors.js';
import { Option } from './commander.js';

/** `--set path=value`, repeatable: each occurrence adds one change, applied in order. */
export function setOption(): Option {
  return new Option(
    '--set <path=value>',
    'change one field of the scenario before it is checked, as if the file said so, e.g. fabric.perCopyRate=120MB/s or fabric.arrays[0].frontEndPorts=16 (repeatable)',
  )
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
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
