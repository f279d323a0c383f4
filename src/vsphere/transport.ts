// The one transport: SOAP envelopes POSTed over HTTPS to vCenter's /sdk, the vmware_soap_session
// cookie carried between calls, faults turned into VimFault and transport failures into
// VsphereConnectionError sentences that name the URL.
//
// TLS: verified against Node's CA store by default. A pinned thumbprint (SHA-1 or SHA-256, with or
// without colons, any case) replaces CA verification: the certificate is compared right after the
// handshake, before the socket is handed to HTTP, so on a mismatch not one byte of the request
// (which may carry a password) is sent. `insecure` skips verification and must be asked for.

import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

import { faultFromSoap, VsphereConfigError, VsphereConnectionError } from './faults.js';
import { child, childNames, children, envelope, parseXml, type XmlElement } from './xml.js';

export interface TransportOptions {
  /** https://vcenter.example.com/sdk */
  url: string;
  /** Pin the server certificate by its SHA-1 or SHA-256 fingerprint; CA verification is then skipped. */
  thumbprint?: string;
  /** Accept any certificate. Only when explicitly asked for. */
  insecure?: boolean;
  /** Extra CA certificates (PEM) to trust besides Node's store. */
  ca?: string | Buffer;
  /** Default time limit of one call, in milliseconds. */
  timeoutMs?: number;
  userAgent?: string;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

type PinAlgorithm = 'sha1' | 'sha256';

interface Pin {
  algorithm: PinAlgorithm;
  hex: string; // upper-case, no colons
}

/** Upper-case colon-separated hex, the notation vSphere and openssl use. */
export function formatThumbprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

export function parseThumbprint(thumbprint: string): Pin {
  const hex = thumbprint.replace(/[:\s-]/g, '').toUpperCase();
  if (/^[0-9A-F]{40}$/.test(hex)) return { algorithm: 'sha1', hex };
  if (/^[0-9A-F]{64}$/.test(hex)) return { algorithm: 'sha256', hex };
  throw new VsphereConfigError(`The certificate thumbprint "${thumbprint}" is neither a SHA-1 (40 hex digits) nor a SHA-256 (64 hex digits) fingerprint.`);
}

function fingerprint(der: Buffer, algorithm: PinAlgorithm): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

class PinMismatch extends Error {
  constructor(readonly presented: string, readonly presentedSha256: string) {
    super('certificate does not match the pinned thumbprint');
  }
}

/** An agent whose sockets are handed to HTTP only once the peer certificate matched the pin. */
class PinnedAgent extends https.Agent {
  /**
   * Sockets still in their handshake: the agent knows a socket only once it is handed over, so
   * destroy() ends these itself (a server that accepts and never answers would keep them, and the
   * process, alive for good).
   */
  private readonly handshaking = new Set<tls.TLSSocket>();

  constructor(private readonly pin: Pin) {
    // Session resumption would skip the certificate exchange; every connection is checked afresh.
    super({ keepAlive: true, maxCachedSessions: 0 });
  }

  override destroy(): void {
    for (const socket of this.handshaking) socket.destroy();
    this.handshaking.clear();
    super.destroy();
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    this.handshaking.add(socket);
    socket.once('close', () => this.handshaking.delete(socket));
    const fail = (err: Error): void => {
      socket.destroy();
      callback?.(err, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      this.handshaking.delete(socket);
      socket.removeListener('error', fail);
      const der = socket.getPeerCertificate().raw as Buffer | undefined;
      if (!der) return fail(new Error('the server sent no certificate'));
      const presented = fingerprint(der, this.pin.algorithm);
      if (presented !== this.pin.hex) return fail(new PinMismatch(presented, fingerprint(der, 'sha256')));
      callback?.(null, socket);
    });
    return undefined;
  }
}

/** What the server presents, fetched without trusting it (nothing is sent after the handshake). */
function probeCertificate(host: string, port: number, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) });
    const done = (der: Buffer | undefined): void => {
      socket.destroy();
      resolve(der);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('secureConnect', () => done(socket.getPeerCertificate().raw as Buffer | undefined));
  });
}

export interface SoapResponse {
  /** The response element inside Body (e.g. <RetrievePropertiesExResponse>). */
  body: XmlElement;
}

export class SoapTransport {
  readonly url: URL;
  /** The URL as given, for messages. */
  readonly urlText: string;
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly pin: Pin | undefined;
  private readonly insecure: boolean;
  /** vmware_soap_session=… as received; the session's identity. */
  cookie: string | undefined;
  /** Aborts every call in flight and every later one (see abort()). */
  private readonly abandon = new AbortController();

  constructor(options: TransportOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new VsphereConfigError(`The vCenter URL "${options.url}" is not a URL such as https://vcenter.example.com/sdk.`);
    }
    if (url.protocol !== 'https:') throw new VsphereConfigError(`The vCenter URL ${options.url} must use https.`);
    if (url.username || url.password) throw new VsphereConfigError(`The vCenter URL must not carry a user name or password; give them separately.`);
    this.url = url;
    this.urlText = url.toString();
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.userAgent = options.userAgent ?? 'svmig';
    this.insecure = options.insecure === true;
    this.pin = options.thumbprint ? parseThumbprint(options.thumbprint) : undefined;
    if (this.pin) this.agent = new PinnedAgent(this.pin);
    else if (this.insecure) this.agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
    else this.agent = new https.Agent({ keepAlive: true, ...(options.ca ? { ca: [...tls.rootCertificates, options.ca.toString()] } : {}) });
  }

  /** POSTs one SOAP call and returns the response element, or throws VimFault / VsphereConnectionError. */
  async call(method: string, bodyXml: string, soapAction: string, options: CallOptions = {}): Promise<SoapResponse> {
    const payload = Buffer.from(envelope(bodyXml), 'utf8');
    const { status, statusText, text, setCookies } = await this.request('POST', this.url.pathname, payload, method, soapAction, options);
    for (const c of setCookies) {
      const m = /^\s*(vmware_soap_session=[^;]*)/.exec(c);
      if (m?.[1]) this.cookie = m[1];
    }
    let doc: XmlElement;
    try {
      doc = parseXml(text);
    } catch (cause) {
      throw new VsphereConnectionError(this.urlText, `vCenter ${this.urlText} answered ${method} with something that is not XML (HTTP ${status} ${statusText}).`, { cause });
    }
    const body = child(child(doc, 'Envelope'), 'Body');
    const fault = child(body, 'Fault');
    if (fault) throw faultFromSoap(fault, method);
    const name = body ? childNames(body)[0] : undefined;
    const response = name ? children(body, name)[0] : undefined;
    if (!response || status !== 200) {
      throw new VsphereConnectionError(this.urlText, `vCenter ${this.urlText} answered ${method} with HTTP ${status} ${statusText} and no SOAP response.`);
    }
    return { body: response };
  }

  /** A plain GET below the SDK URL's origin (e.g. /sdk/vimServiceVersions.xml). */
  async get(path: string, options: CallOptions = {}): Promise<{ status: number; text: string }> {
    const { status, text } = await this.request('GET', path, undefined, `GET ${path}`, undefined, options);
    return { status, text };
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Ends every call in flight at once, and fails every later one at once (code ABANDONED): for
   * a caller that gives up on vCenter (a second Ctrl-C), so that no call waits out its time limit
   * on a vCenter that stopped answering. The connections are closed too.
   */
  abort(): void {
    this.abandon.abort();
    this.agent.destroy();
  }

  private request(
    verb: 'GET' | 'POST',
    path: string,
    payload: Buffer | undefined,
    what: string,
    soapAction: string | undefined,
    options: CallOptions,
  ): Promise<{ status: number; statusText: string; text: string; setCookies: string[] }> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    if (payload) {
      headers['Content-Type'] = 'text/xml; charset=utf-8';
      headers['Content-Length'] = String(payload.length);
    }
    if (soapAction) headers['SOAPAction'] = soapAction;
    if (this.cookie) headers['Cookie'] = this.cookie;

    const signals = options.signal ? [this.abandon.signal, options.signal] : [this.abandon.signal];
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, value?: { status: number; statusText: string; text: string; setCookies: string[] }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const signal of signals) signal.removeEventListener('abort', onAbort);
        if (err === undefined && value) resolve(value);
        else void this.explain(err, what, timeoutMs).then(reject, reject);
      };
      const req = https.request(
        {
          protocol: 'https:',
          host: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port || 443,
          path,
          method: verb,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish(e));
          res.on('end', () => {
            const setCookie = res.headers['set-cookie'];
            finish(undefined, {
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
              setCookies: Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [],
            });
          });
        },
      );
      // Settled here as well as by the request's error: a request still waiting for its socket
      // (a pinned connection whose handshake never completes) reports nothing when destroyed.
      const timer = setTimeout(() => {
        const e = new Error('timeout') as NodeJS.ErrnoException;
        e.code = 'ETIMEDOUT';
        req.destroy(e);
        finish(e);
      }, timeoutMs);
      const onAbort = (): void => {
        const e = new Error('aborted') as NodeJS.ErrnoException;
        // The caller's own signal (one call given up on) or abort() (vCenter given up on).
        e.code = this.abandon.signal.aborted ? 'ABANDONED' : 'ABORT_ERR';
        req.destroy(e);
        finish(e);
      };
      if (signals.some((signal) => signal.aborted)) onAbort();
      else for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(e));
      req.end(payload);
    });
  }

  /** One sentence for a failed exchange; the URL is named, nothing secret is. */
  private async explain(err: unknown, what: string, timeoutMs: number): Promise<Error> {
    const url = this.urlText;
    if (err instanceof PinMismatch) {
      const expected = formatThumbprint(this.pin?.hex ?? '');
      const algo = this.pin?.algorithm === 'sha1' ? 'SHA-1' : 'SHA-256';
      return new VsphereConnectionError(
        url,
        `vCenter ${this.url.host} presented a certificate whose ${algo} thumbprint is ${formatThumbprint(err.presented)}, not the expected ${expected}; the connection was closed before anything was sent.`,
        { code: 'CERT_PIN_MISMATCH' },
      );
    }
    const e = err as NodeJS.ErrnoException | undefined;
    const code = e?.code;
    if (code === 'ABORT_ERR') return new VsphereConnectionError(url, `The call ${what} to vCenter ${url} was aborted.`, { code, cause: err });
    if (code === 'ABANDONED') return new VsphereConnectionError(url, `The call ${what} to vCenter ${url} was cut short: svmig stopped talking to vCenter.`, { code, cause: err });
    if (code && UNTRUSTED_CODES.has(code)) {
      const der = await probeCertificate(this.url.hostname.replace(/^\[|\]$/g, ''), Number(this.url.port || 443), 5000);
      const tp = der ? ` (SHA-256 thumbprint ${formatThumbprint(fingerprint(der, 'sha256'))})` : '';
      return new VsphereConnectionError(
        url,
        `vCenter ${url} presented a TLS certificate that is not trusted${tp}: ${e?.message ?? code}; pin its thumbprint if it is the right server, or explicitly ask for an insecure connection.`,
        { code, cause: err },
      );
    }
    const reason: Record<string, string> = {
      ECONNREFUSED: 'refused the connection',
      ECONNRESET: 'closed the connection',
      EPIPE: 'closed the connection',
      ETIMEDOUT: `did not answer ${what} within ${Math.round(timeoutMs / 1000)} s`,
      ENOTFOUND: 'could not be found (DNS)',
      EAI_AGAIN: 'could not be found (DNS)',
      EHOSTUNREACH: 'is unreachable',
      ENETUNREACH: 'is unreachable',
    };
    const why = (code && reason[code]) ?? `could not be reached: ${e?.message ?? String(err)}`;
    return new VsphereConnectionError(url, `vCenter ${url} ${why}.`, code ? { code, cause: err } : { cause: err });
  }
}
