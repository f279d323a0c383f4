// vSphere errors that are not vCenter's own faults: no answer, a refused login, a client given what
// cannot work. Typed so that callers tell them apart; what each means for svmig's exit status is the
// application's business (app/exit-codes.ts). None ever carries a password: messages are built from
// the URL, the user name and vCenter's text. (vCenter's faults: faults.ts.)

export class VsphereConnectionError extends Error {
  override readonly name = 'VsphereConnectionError';
  readonly url: string;
  /** Node's error code when there is one (ECONNREFUSED, ETIMEDOUT, DEPTH_ZERO_SELF_SIGNED_CERT …). */
  readonly code: string | undefined;

  constructor(url: string, message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = url;
    this.code = options.code;
  }
}

export class VsphereLoginError extends Error {
  override readonly name = 'VsphereLoginError';

  constructor(
    readonly url: string,
    readonly username: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

export class VsphereConfigError extends Error {
  override readonly name = 'VsphereConfigError';
}
