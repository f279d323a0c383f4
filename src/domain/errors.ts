// Errors meant for the person at the keyboard. The message is one complete sentence that names the
// file, field, row or object at fault; the CLI prints it alone (no stack unless --debug) and exits
// non-zero. Anything else that escapes is a bug and is reported as such.

export class UserError extends Error {
  override readonly name = 'UserError';
  /** Process exit code: 2 for bad input, 3 for a failure of the outside world (vCenter, network). */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 2;
  }
}
