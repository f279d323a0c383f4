// svmig's exit codes, as README.md lists them: scripts branch on them, so they never change meaning.
// Only the application knows them: the layers below report typed errors (UserError for bad input,
// vSphere's connection, login and configuration errors), and asUserError says what each means for
// the person or script that ran svmig.

import { UserError } from '../domain/errors.js';
import { VsphereConfigError, VsphereConnectionError, VsphereLoginError } from '../vsphere/errors.js';

/** Done: everything asked for was done (a simulation whose deadline was met, a campaign that moved every VM). */
export const EXIT_OK = 0;
/** A fault in svmig itself (an internal error, reported as such). */
export const EXIT_INTERNAL = 1;
/** Bad input: an unknown command or option, a malformed file, a value out of range. Nothing was done. */
export const EXIT_BAD_INPUT = 2;
/** vCenter unreachable, refusing the login, or gone in the middle of a run. */
export const EXIT_VCENTER = 3;
/** The campaign ended with VMs it could not move. */
export const EXIT_FAILED_VMS = 4;
/**
 * `--deadline` missed: the simulated campaign ends after it (with --runs or compare: not even the
 * best policy finishes nine runs in ten by then). The result and report are written all the same.
 */
export const EXIT_DEADLINE_MISSED = 5;
/** Ctrl-C twice during a run: migrations left running in vCenter, the journal knows them. */
export const EXIT_INTERRUPTED = 130;

/** The error as the person at the keyboard should get it, with its exit code; null for a bug. */
export function asUserError(e: unknown): UserError | null {
  if (e instanceof UserError) return e;
  if (e instanceof VsphereConnectionError || e instanceof VsphereLoginError) return new UserError(e.message, { exitCode: EXIT_VCENTER, cause: e });
  if (e instanceof VsphereConfigError) return new UserError(e.message, { exitCode: EXIT_BAD_INPUT, cause: e });
  return null;
}
