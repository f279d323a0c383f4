// Errors from talking to vCenter, typed so that callers tell them apart (the application decides
// what each means for an exit status; this client knows nothing of that):
//   - VimFault: vCenter answered with a SOAP fault (or a task ended in error). It keeps the fault's
//     type name (NotAuthenticated, InvalidLogin, ManagedObjectNotFound, RequestCanceled …), its
//     fields and vCenter's own message, so callers branch on `faultName` and show vCenter's words.
//   - VsphereConnectionError: no answer (refused, reset, timeout, TLS); its sentence names the URL.
//   - VsphereLoginError: vCenter refused the login (wrong user name or password).
//   - VsphereConfigError: what the client was given cannot work (a malformed URL or thumbprint).
// None ever carries a password: messages are built from the URL, the user name and vCenter's text.
import { decodeMethodFault, type MethodFault, type TaskInfo } from './types.js';
import { child, childNames, children, childText, xsiType, type XmlElement } from './xml.js';

/** vCenter's usual wording, for faults whose faultstring the server left empty (vcsim does). */
const DEFAULT_MESSAGES: Record<string, string> = {
  NotAuthenticated: 'The session is not authenticated.',
  InvalidLogin: 'Cannot complete login due to an incorrect user name or password.',
  RequestCanceled: 'The task was canceled by a user.',
  ManagedObjectNotFound: 'The object has already been deleted or has not been completely created.',
  InvalidState: 'The operation is not allowed in the current state.',
  TaskInProgress: 'Another task is already in progress.',
  NoPermission: 'Permission to perform this operation was denied.',
  InvalidArgument: 'A specified parameter was not correct.',
  MethodNotFound: 'The method is not supported.',
};

export class VimFault extends Error {
  override readonly name = 'VimFault';
  /** The fault's vim25 type name, e.g. 'NotAuthenticated'. */
  readonly faultName: string;
  readonly fault: MethodFault;
  /** The vim25 method that failed, or the task's descriptionId for a task error. */
  readonly method: string | undefined;
  /** vCenter's own message (faultstring or localizedMessage), or its usual wording when it sent none. */
  readonly serverMessage: string;

  constructor(fault: MethodFault, serverMessage: string, method?: string) {
    const msg = serverMessage || DEFAULT_MESSAGES[fault.faultName] || fault.faultName;
    super(method ? `${method}: ${fault.faultName}: ${msg}` : `${fault.faultName}: ${msg}`);
    this.faultName = fault.faultName;
    this.fault = fault;
    this.method = method;
    this.serverMessage = msg;
  }
}

export function isVimFault(e: unknown, faultName?: string): e is VimFault {
  return e instanceof VimFault && (faultName === undefined || e.faultName === faultName);
}

// The errors that need no SOAP to tell apart live on their own, so that what only sorts errors
// (the application's exit status) loads no XML parser.
export { VsphereConfigError, VsphereConnectionError, VsphereLoginError } from './errors.js';

/** The VimFault in a SOAP Fault element (`<Fault><faultstring/><detail><XFault xsi:type="X"/></detail>`). */
export function faultFromSoap(fault: XmlElement, method: string): VimFault {
  const faultstring = childText(fault, 'faultstring') ?? '';
  const detail = child(fault, 'detail');
  let methodFault: MethodFault | undefined;
  for (const name of detail ? childNames(detail) : []) {
    const e = children(detail, name)[0];
    if (!e) continue;
    const decoded = decodeMethodFault(e);
    if (!decoded) continue;
    // Some servers omit xsi:type on the detail element and name it "<Type>Fault".
    methodFault = xsiType(e) === undefined ? { fields: decoded.fields, faultName: name.replace(/Fault$/, '') || name } : decoded;
    break;
  }
  return new VimFault(methodFault ?? { faultName: 'SystemError', fields: {} }, faultstring.trim(), method);
}

/** The error a finished task ended with, as a VimFault, or undefined when it did not fail. */
export function taskError(info: TaskInfo): VimFault | undefined {
  if (info.state !== 'error') return undefined;
  const fault = info.error?.fault ?? { faultName: 'SystemError', fields: {} };
  return new VimFault(fault, info.error?.localizedMessage ?? '', info.descriptionId || info.name);
}
