// What svmig's exit status says. Only the application knows these: the layers below report typed
// errors, and the application decides what each means for the person or script that ran svmig.

import { UserError } from '../domain/errors.js';
import { VsphereConfigError, VsphereConnectionError, VsphereLoginError } from '../vsphere/faults.js';

/** Bad input: a file, a field, an option. */
export const EXIT_BAD_INPUT = 2;
/** vCenter unreachable, refusing the login, or gone in the middle of a run. */
export const EXIT_VCENTER = 3;
/** A campaign that ended with VMs it could not move. */
export const EXIT_FAILED_VMS = 4;
/** Interrupted (Ctrl-C twice) with migrations left running in vCenter; the journal knows them. */
export const EXIT_INTERRUPTED = 130;

/** The error as the person at the keyboard should get it, with its exit code; null for a bug. */
export function asUserError(e: unknown): UserError | null {
  if (e instanceof UserError) return e;
  if (e instanceof VsphereConnectionError || e instanceof VsphereLoginError) return new UserError(e.message, { exitCode: EXIT_VCENTER, cause: e });
  if (e instanceof VsphereConfigError) return new UserError(e.message, { exitCode: EXIT_BAD_INPUT, cause: e });
  return null;
}
