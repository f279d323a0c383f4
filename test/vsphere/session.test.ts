// Connecting, TLS, logging in, renewing a lost session and counting calls, against vcsim.

import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { asUserError } from '../../src/app/exit-codes.js';
import { connectAndLogin, VimClient } from '../../src/vsphere/client.js';
import { isVimFault, VimFault, VsphereConnectionError, VsphereLoginError } from '../../src/vsphere/faults.js';
import * as methods from '../../src/vsphere/methods.js';
import { parseThumbprint } from '../../src/vsphere/transport.js';
import { startVcsim, type Vcsim } from '../vcsim/harness.js';
import { until } from '../helpers/until.js';
import { login, smallSpec, vmRef } from './fixture.js';

let vc: Vcsim;

beforeAll(async () => {
  vc = await startVcsim(smallSpec());
});

afterAll(async () => {
  await vc?.stop();
});

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('login', () => {
  it('logs in with the right password and can call methods that need a session', async () => {
    const c = await login(vc);
    try {
      expect(c.session?.userName).toBe(vc.username);
      expect(c.sessionEpoch).toBe(1);
      expect(c.serviceContent.about.apiType).toBe('VirtualCenter');
      const now = await methods.CurrentTime(c);
      expect(now).toBeInstanceOf(Date);
      expect(Math.abs((now as Date).getTime() - Date.now())).toBeLessThan(60_000);
      expect(await methods.SessionIsActive(c, c.sessionManager, c.session?.key ?? '', vc.username)).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('turns a wrong password into one sentence that names the URL and the user but not the password', async () => {
    const password = 'Wr0ng-S3cret!';
    const e = await caught(connectAndLogin({ url: vc.url, thumbprint: vc.thumbprint, username: vc.username, password }));
    // A typed error from the client; what it means for svmig's exit status is the application's to say.
    expect(e).toBeInstanceOf(VsphereLoginError);
    const err = e as VsphereLoginError;
    expect(err.message).toBe(`vCenter ${vc.url}: login as ${vc.username} failed: incorrect user name or password.`);
    expect(asUserError(err)?.exitCode).toBe(3);
    expect(JSON.stringify({ m: err.message, s: err.stack, c: String(err.cause) })).not.toContain(password);
    expect(err.message).not.toContain(vc.password);
  });

  it('logs out: the session is gone on the server', async () => {
    const c = await login(vc);
    const key = c.session?.key ?? '';
    await c.logout();
    const other = await login(vc);
    try {
      expect(await methods.SessionIsActive(other, other.sessionManager, key, vc.username)).toBe(false);
    } finally {
      await other.close();
      c.transport.close();
    }
  });
});

describe('TLS', () => {
  it('accepts a pinned SHA-256 or SHA-1 thumbprint, with or without colons, in any case', async () => {
    const forms = [vc.thumbprintSha256, vc.thumbprintSha1.toLowerCase(), vc.thumbprintSha256.replace(/:/g, ''), vc.thumbprintSha1.replace(/:/g, '').toLowerCase()];
    for (const thumbprint of forms) {
      const c = await VimClient.connect({ url: vc.url, thumbprint });
      expect(c.serviceContent.rootFolder.type).toBe('Folder');
      c.transport.close();
    }
  });

  it('refuses a certificate that does not match the pin, naming the host and both thumbprints, before sending anything', async () => {
    const wrong = 'AA:'.repeat(31) + 'AA';
    const before = await vc.stats();
    const e = await caught(connectAndLogin({ url: vc.url, thumbprint: wrong, username: vc.username, password: vc.password }));
    expect(e).toBeInstanceOf(VsphereConnectionError);
    const msg = (e as Error).message;
    const host = new URL(vc.url).host;
    expect(msg).toContain(host);
    expect(msg).toContain(vc.thumbprintSha256);
    expect(msg).toContain(wrong);
    expect(msg).not.toContain(vc.password);
    expect(asUserError(e)?.exitCode).toBe(3);
    expect(await vc.stats()).toEqual(before); // no SOAP call reached the simulator
  });

  it('compares a SHA-1 pin with the SHA-1 thumbprint', async () => {
    const wrongSha1 = vc.thumbprintSha1.replace(/^../, vc.thumbprintSha1.startsWith('00') ? '11' : '00');
    const e = await caught(VimClient.connect({ url: vc.url, thumbprint: wrongSha1 }));
    expect((e as Error).message).toContain(`SHA-1 thumbprint is ${vc.thumbprintSha1}`);
  });

  it('verifies certificates by default: a self-signed one is refused with a sentence that gives its thumbprint', async () => {
    const e = await caught(VimClient.connect({ url: vc.url }));
    expect(e).toBeInstanceOf(VsphereConnectionError);
    const msg = (e as Error).message;
    expect(msg).toMatch(/^vCenter https:\/\/127\.0\.0\.1:\d+\/sdk presented a TLS certificate that is not trusted/);
    expect(msg).toContain(vc.thumbprintSha256);
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('connects insecurely only when asked to', async () => {
    const c = await VimClient.connect({ url: vc.url, insecure: true });
    expect(c.serviceContent.about.apiVersion).toBe(vc.apiVersion);
    c.transport.close();
  });

  it('rejects a malformed thumbprint with a clear sentence', () => {
    expect(() => parseThumbprint('12:34')).toThrow(/neither a SHA-1 \(40 hex digits\) nor a SHA-256/);
  });
});

describe('failures', () => {
  it('names the URL when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const url = `https://127.0.0.1:${port}/sdk`;
    const e = await caught(VimClient.connect({ url, insecure: true }));
    expect(e).toBeInstanceOf(VsphereConnectionError);
    expect((e as VsphereConnectionError).code).toBe('ECONNREFUSED');
    expect((e as Error).message).toBe(`vCenter ${url} refused the connection.`);
  });

  it('keeps the fault name and vCenter message of a SOAP fault', async () => {
    const c = await login(vc);
    try {
      const e = await caught(methods.RelocateVM_Task(c, { type: 'VirtualMachine', value: 'vm-does-not-exist' }, {}));
      expect(isVimFault(e, 'ManagedObjectNotFound')).toBe(true);
      const f = e as VimFault;
      expect(f.method).toBe('RelocateVM_Task');
      expect(f.serverMessage).toContain('vm-does-not-exist'); // vcsim: "managed object not found: VirtualMachine:vm-does-not-exist"
      expect((f.fault.fields['obj'] as { value: string }).value).toBe('vm-does-not-exist');
    } finally {
      await c.close();
    }
  });
});

describe('session renewal', () => {
  it('logs in again once, transparently, when the session expired', async () => {
    const c = await login(vc);
    try {
      await methods.CurrentTime(c);
      await vc.expireSessions();
      // The next call meets NotAuthenticated, logs in again and is retried.
      const now = await methods.CurrentTime(c);
      expect(now).toBeInstanceOf(Date);
      expect(c.sessionEpoch).toBe(2);
      expect(c.callCounts()['Login']).toBe(2);
      expect(c.callCounts()['CurrentTime']).toBe(3); // 1 before, the refused one, the retry
      // Property reads need a session too (vcsim would serve them without one; the harness does not).
      await vc.expireSessions();
      const r = await methods.RetrievePropertiesEx(c, c.serviceContent.propertyCollector, [
        { propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }], objectSet: [{ obj: vmRef(vc, 'web01') }] },
      ]);
      expect(r.objects[0]?.obj.value).toBe(vmRef(vc, 'web01').value);
      expect(c.sessionEpoch).toBe(3);
    } finally {
      await c.close();
    }
  });

  it('shares one login among calls that find the session gone together', async () => {
    const c = await login(vc);
    try {
      await vc.expireSessions();
      const results = await Promise.all([1, 2, 3, 4].map(() => methods.CurrentTime(c)));
      expect(results.every((d) => d instanceof Date)).toBe(true);
      expect(c.callCounts()['Login']).toBe(2);
      expect(c.sessionEpoch).toBe(2);
    } finally {
      await c.close();
    }
  });

  it('survives a real idle timeout', async () => {
    await vc.setSessionIdleTimeout('1s');
    try {
      const c = await login(vc); // the timeout applies to sessions created from now on
      const observer = await login(vc); // asks after c's session without touching it
      try {
        const session = c.session!;
        expect(await methods.SessionIsActive(observer, observer.serviceContent.sessionManager!, session.key, session.userName)).toBe(true);
        await until(async () => !(await methods.SessionIsActive(observer, observer.serviceContent.sessionManager!, session.key, session.userName)), 'vcsim ending the idle session');
        await methods.CurrentTime(c);
        expect(c.sessionEpoch).toBe(2);
      } finally {
        await c.close();
        await observer.close();
      }
    } finally {
      await vc.setSessionIdleTimeout('1h');
    }
  });

  it('gives up with the login sentence when the password no longer works', async () => {
    const c = await login(vc);
    try {
      await vc.expireSessions();
      // Simulate a changed password: the held one is replaced through a fresh login attempt.
      const e = await caught(c.login(vc.username, 'changed-elsewhere'));
      expect((e as Error).message).toBe(`vCenter ${vc.url}: login as ${vc.username} failed: incorrect user name or password.`);
      const again = await caught(methods.CurrentTime(c));
      expect(again).toBeInstanceOf(VsphereLoginError);
      expect((again as Error).message).not.toContain('changed-elsewhere');
    } finally {
      c.transport.close();
    }
  });
});

describe('call counters', () => {
  it('count every SOAP call by method, matching what the simulator received', async () => {
    const before = await vc.stats();
    const c = await login(vc);
    try {
      await methods.CurrentTime(c);
      await methods.CurrentTime(c);
      await c.keepAlive();
      expect(c.callCounts()).toEqual({ 'vimServiceVersions.xml': 1, RetrieveServiceContent: 1, Login: 1, CurrentTime: 3 });
      expect(c.totalCalls()).toBe(6);
      const after = await vc.stats();
      expect(after.total - before.total).toBe(5); // the versions file is a GET, not a SOAP call
      expect((after.calls['CurrentTime'] ?? 0) - (before.calls['CurrentTime'] ?? 0)).toBe(3);
      c.resetCallCounts();
      expect(c.totalCalls()).toBe(0);
    } finally {
      await c.close();
    }
  });
});
