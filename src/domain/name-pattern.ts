// Name rules written by people (`--legacy '^VNX_'`, a scenario's datastore and enclosure selectors,
// the campaign's priority list): an exact name, or else a regular expression searched in the name.
//
// The expressions run on RE2's linear-time engine (re2js, a pure JavaScript port): a rule such as
// `^(a+)+$` against a long name takes microseconds instead of backtracking for ever, whatever the
// rule and the name. The price is RE2's syntax: no backreferences and no lookaround, which a
// datastore or VM name rule does not need; a rule that uses them is refused with the reason.
//
// re2js loads on the first rule compiled (its CommonJS build, through require): most scenarios
// name no rule, and a command that reads one should not pay for the engine at start-up.

import { createRequire } from 'node:module';

type RE2JS = import('re2js').RE2JS;
let engine: typeof import('re2js').RE2JS | null = null;
const re2 = (): typeof import('re2js').RE2JS => (engine ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS);

/** Longest rule accepted: a selector is a name or a short pattern; anything longer is a mistake. */
export const MAX_PATTERN_LENGTH = 1000;

/** Why a rule cannot be used; `message` completes "… is neither a name nor a valid regular expression (<message>)". */
export class NamePatternError extends Error {}

export interface NamePattern {
  /** As written. */
  readonly text: string;
  /** True when `name` is the rule itself, or the expression matches somewhere in it. */
  test(name: string): boolean;
}

export function compileNamePattern(text: string): NamePattern {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new NamePatternError(`it is ${text.length} characters long, and a rule may have at most ${MAX_PATTERN_LENGTH}`);
  }
  let re: RE2JS;
  try {
    re = re2().compile(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    throw new NamePatternError(why);
  }
  return { text, test: (name) => name === text || re.test(name) };
}
