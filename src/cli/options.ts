// `--set path=value`, shared by every command that reads a scenario (simulate, compare, plan). Light
// on purpose: every command's definition loads this; the scenario with its settings is read when the
// command runs (app/scenario-input.ts), and `--deadline` there too (app/flags.ts).

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
 * `--time-scale <n>`: for rehearsals against a simulator whose clock runs n times faster than real
 * time (test/vcsim's harness): durations read from the journal or vCenter are multiplied by n.
 * Hidden from help: a real vCenter runs in real time.
 */
export function timeScaleOption(): Option {
  return new Option('--time-scale <n>', 'seconds of the modelled world per second of the clock (rehearsals against a fast simulator)').hideHelp();
}
