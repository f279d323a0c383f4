// The vim25 client: one transport, the service content, the session, and a count of every call.
//
// The session is renewed once, transparently, when vCenter says NotAuthenticated (idle timeout,
// vCenter restart): the call is retried after a new Login. That is safe for every method, since
// a call refused as unauthenticated did nothing. The password is kept in a private field only
// for that; it is never logged and never put in an error. Callers that keep server-side state
// tied to the session (property collectors, filters, views) watch `sessionEpoch` to rebuild it.

import { isVimFault, VimFault, VsphereLoginError } from './faults.js';
import * as methods from './methods.js';
import { SoapTransport, type CallOptions, type TransportOptions } from './transport.js';
import type { ManagedObjectReference, ServiceContent, UserSession } from './types.js';
import { child, childText, children, elText, parseXml, type XmlElement } from './xml.js';

export interface ConnectOptions extends TransportOptions {
  /** vim25 API version for SOAPAction; default: the newest the server lists in /sdk/vimServiceVersions.xml. */
  version?: string;
}

export interface InvokeOptions extends CallOptions {
  /** Do not renew the session on NotAuthenticated (Login, Logout). */
  noRelogin?: boolean;
}

/** Methods that are fine without a session; NotAuthenticated from them is not a lost session. */
/** Milliseconds a logout may take. */
const LOGOUT_TIMEOUT_MS = 5_000;

const SESSIONLESS = new Set(['RetrieveServiceContent', 'Login', 'Logout', 'LoginByToken', 'LoginExtensionByCertificate']);

export class VimClient {
  readonly transport: SoapTransport;
  /** The SDK URL, for messages. */
  readonly url: string;
  /** vim25 version sent in SOAPAction. */
  version: string;
  serviceContent!: ServiceContent;
  session: UserSession | undefined;

  private readonly calls = new Map<string, number>();
  private username: string | undefined;
  #password: string | undefined;
  private epoch = 0;
  private relogin: Promise<void> | undefined;
  private readonly sessionListeners = new Set<() => void>();
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private lastCallAt = Date.now();
  /** The last keep-alive failure, if any (keep-alive never throws). */
  keepAliveError: unknown;

  private constructor(transport: SoapTransport, version: string) {
    this.transport = transport;
    this.url = transport.urlText;
    this.version = version;
  }

  /** Connects (TLS as configured) and reads the service content; no session yet. */
  static async connect(options: ConnectOptions): Promise<VimClient> {
    const transport = new SoapTransport(options);
    const client = new VimClient(transport, options.version ?? '');
    try {
      if (!client.version) client.version = (await client.serviceVersion()) ?? '6.0';
      client.serviceContent = await methods.RetrieveServiceContent(client);
      // The versions file is only a hint on some servers; the service content says what it speaks.
      if (!options.version && client.serviceContent.about.apiVersion) client.version = client.serviceContent.about.apiVersion;
    } catch (e) {
      transport.close();
      throw e;
    }
    return client;
  }

  private async serviceVersion(): Promise<string | undefined> {
    this.count('vimServiceVersions.xml');
    const path = this.transport.url.pathname.replace(/\/+$/, '') + '/vimServiceVersions.xml';
    const { status, text } = await this.transport.get(path);
    if (status !== 200) return undefined;
    try {
      const doc = parseXml(text);
      for (const ns of children(child(doc, 'namespaces'), 'namespace')) {
        if (childText(ns, 'name') === 'urn:vim25') return childText(ns, 'version');
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  /** Incremented by every successful login: server-side objects of an older epoch are gone. */
  get sessionEpoch(): number {
    return this.epoch;
  }

  get loggedIn(): boolean {
    return this.session !== undefined;
  }

  get sessionManager(): ManagedObjectReference {
    const ref = this.serviceContent.sessionManager;
    if (!ref) throw new Error('vim25: this server has no SessionManager');
    return ref;
  }

  /** Logs in and keeps the credentials (in memory) for renewing the session. */
  async login(username: string, password: string): Promise<UserSession> {
    this.username = username;
    this.#password = password;
    await this.doLogin();
    return this.session as UserSession;
  }

  private async doLogin(): Promise<void> {
    const username = this.username;
    const password = this.#password;
    if (username === undefined || password === undefined) throw new Error('vim25: no credentials to log in with');
    // A dead session's cookie must not ride along: vCenter would tie the login to it.
    this.transport.cookie = undefined;
    try {
      this.session = await methods.Login(this, this.sessionManager, username, password);
    } catch (e) {
      this.session = undefined;
      if (isVimFault(e, 'InvalidLogin')) {
        throw new VsphereLoginError(this.url, username, `vCenter ${this.url}: login as ${username} failed: incorrect user name or password.`);
      }
      if (e instanceof VimFault) {
        throw new VsphereLoginError(this.url, username, `vCenter ${this.url}: login as ${username} failed: ${e.serverMessage}`, { cause: e });
      }
      throw e;
    }
    this.epoch++;
    for (const listener of this.sessionListeners) listener();
  }

  /**
   * Calls `listener` after every successful login. Server-side state of the old session
   * (collectors, filters, a WaitForUpdatesEx in flight) is gone or will never answer: holders
   * rebuild it. Returns the function that unsubscribes.
   */
  onSessionChange(listener: () => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  async logout(): Promise<void> {
    this.stopKeepAlive();
    if (!this.session) return;
    try {
      // A vCenter that stopped answering must not hold the end of a run: the session times out on its own.
      await methods.Logout(this, this.sessionManager, { timeoutMs: LOGOUT_TIMEOUT_MS });
    } catch (e) {
      if (!isVimFault(e, 'NotAuthenticated')) throw e;
    } finally {
      this.session = undefined;
      this.username = undefined;
      this.#password = undefined;
      this.transport.cookie = undefined;
    }
  }

  /** Logs out (when logged in) and closes the connections. */
  async close(): Promise<void> {
    try {
      await this.logout();
    } finally {
      this.transport.close();
    }
  }

  /** Ends every call in flight at once and fails every later one (a caller giving up on vCenter). */
  abort(): void {
    this.stopKeepAlive();
    this.transport.abort();
  }

  /**
   * Sends one call: `<method><_this type=…>…</_this>params</method>`; returns the response element.
   * Counts it; on NotAuthenticated logs in again once and retries.
   */
  async invoke(method: string, thisRef: ManagedObjectReference, params: string, options: InvokeOptions = {}): Promise<XmlElement> {
    const body = `<${method} xmlns="urn:vim25">${elText('_this', thisRef.value, { type: thisRef.type })}${params}</${method}>`;
    const epoch = this.epoch;
    try {
      return await this.send(method, body, options);
    } catch (e) {
      const renewable = isVimFault(e, 'NotAuthenticated') && !options.noRelogin && !SESSIONLESS.has(method) && this.#password !== undefined;
      if (!renewable) throw e;
      await this.renewSession(epoch);
      return await this.send(method, body, options);
    }
  }

  private async send(method: string, body: string, options: CallOptions): Promise<XmlElement> {
    this.count(method);
    this.lastCallAt = Date.now();
    const res = await this.transport.call(method, body, `urn:vim25/${this.version}`, options);
    return res.body;
  }

  /** One login for all the calls that found the session gone at the same time. */
  private async renewSession(seenEpoch: number): Promise<void> {
    if (this.epoch !== seenEpoch) return; // someone else already logged in again
    this.relogin ??= this.doLogin().finally(() => {
      this.relogin = undefined;
    });
    await this.relogin;
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  /** Calls made so far, by method name. */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  totalCalls(): number {
    let n = 0;
    for (const v of this.calls.values()) n += v;
    return n;
  }

  resetCallCounts(): void {
    this.calls.clear();
  }

  /** A cheap call that keeps the session alive (ServiceInstance.CurrentTime). */
  async keepAlive(): Promise<Date | undefined> {
    return methods.CurrentTime(this);
  }

  /**
   * Sends a keep-alive when no call was made for `idleMs` (govmomi's default: 10 minutes), so a
   * long wait between calls does not let the session expire. Failures are kept in keepAliveError.
   */
  startKeepAlive(idleMs = 10 * 60_000): void {
    this.stopKeepAlive();
    const tick = Math.max(1000, Math.floor(idleMs / 4));
    this.keepAliveTimer = setInterval(() => {
      if (Date.now() - this.lastCallAt < idleMs) return;
      this.keepAlive().then(
        () => (this.keepAliveError = undefined),
        (e: unknown) => (this.keepAliveError = e),
      );
    }, tick);
    this.keepAliveTimer.unref();
  }

  stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }
}

export interface LoginOptions extends ConnectOptions {
  username: string;
  password: string;
}

/** Connects and logs in: the usual way to get a client. */
export async function connectAndLogin(options: LoginOptions): Promise<VimClient> {
  const { username, password, ...connect } = options;
  const client = await VimClient.connect(connect);
  try {
    await client.login(username, password);
  } catch (e) {
    client.transport.close();
    throw e;
  }
  return client;
}
