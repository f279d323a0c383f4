// Opens a page in headless Chromium (Debian's `chromium`) and reports what happened: console
// errors, uncaught exceptions, browser log errors, every URL the page requested, and a full-page
// screenshot; then, if asked, lets a test use the page (evaluate expressions, move and click the
// mouse). Driven through the DevTools protocol over --remote-debugging-pipe (fd 3: commands in,
// fd 4: replies and events out, each message JSON ended by a NUL): no port, no extra package.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.CHROMIUM ?? 'chromium';

export function chromiumVersion(): string | null {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** What a test can do in the open page. */
export interface PageHandle {
  /** The value of a JavaScript expression in the page (awaited if it is a promise), through JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** A mouse event at (x, y) in the viewport, in CSS pixels. */
  mouse(type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', x: number, y: number): Promise<void>;
}

export interface Visit<T = undefined> {
  consoleErrors: string[];
  exceptions: string[];
  logErrors: string[];
  /** Every URL the page asked for (the page itself included). */
  requests: string[];
  /** Images in the page, and how many decoded with a non-zero size. */
  images: { total: number; loaded: number };
  screenshot: Buffer;
  /** What `interact` returned; errors logged while it ran are in the lists above. */
  interaction: T;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export async function visit<T = undefined>(
  file: string,
  options: { width?: number; timeoutMs?: number; interact?: (page: PageHandle) => Promise<T> } = {},
): Promise<Visit<T>> {
  const { width = 1280, timeoutMs = 30_000, interact } = options;
  const profile = mkdtempSync(join(tmpdir(), 'svmig-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--hide-scrollbars',
      // Nothing resolves: a page that reaches for the network fails at once (and we see the request).
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  const visitResult: Omit<Visit, 'screenshot' | 'images' | 'interaction'> = { consoleErrors: [], exceptions: [], logErrors: [], requests: [] };
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const waiters: Array<{ method: string; resolve: () => void }> = [];
  let nextId = 1;
  let buffered = '';

  fromBrowser.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nul: number;
    while ((nul = buffered.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffered.slice(0, nul)) as Message;
      buffered = buffered.slice(nul + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg);
      } else if (msg.method) {
        onEvent(msg.method, msg.params ?? {});
      }
    }
  });

  const onEvent = (method: string, params: Record<string, unknown>) => {
    if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
      const args = (params.args as Array<{ value?: unknown; description?: string }>) ?? [];
      visitResult.consoleErrors.push(args.map((a) => String(a.value ?? a.description ?? '')).join(' '));
    }
    if (method === 'Runtime.exceptionThrown') {
      const d = params.exceptionDetails as { text?: string; exception?: { description?: string } };
      visitResult.exceptions.push(`${d.text ?? ''} ${d.exception?.description ?? ''}`.trim());
    }
    if (method === 'Log.entryAdded') {
      const e = params.entry as { level: string; text: string; url?: string };
      if (e.level === 'error') visitResult.logErrors.push(`${e.text}${e.url ? ` (${e.url})` : ''}`);
    }
    if (method === 'Network.requestWillBeSent') visitResult.requests.push((params.request as { url: string }).url);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.method === method) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };

  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const waitFor = (method: string) => new Promise<void>((resolve) => waiters.push({ method, resolve }));

  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`chromium exited (code ${code}) before the visit ended: ${stderr.slice(-2000)}`))),
  );
  exited.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`chromium did not finish within ${timeoutMs} ms: ${stderr.slice(-2000)}`)), timeoutMs);
  });

  const run = async (): Promise<Visit<T>> => {
    const target = await send('Target.createTarget', { url: 'about:blank' });
    const attached = await send('Target.attachToTarget', { targetId: target.result!.targetId, flatten: true });
    const session = attached.result!.sessionId as string;
    for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`, {}, session);
    await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, session);
    const loaded = waitFor('Page.loadEventFired');
    await send('Page.navigate', { url: pathToFileURL(file).href }, session);
    await loaded;
    const images = await send(
      'Runtime.evaluate',
      {
        expression: 'JSON.stringify({ total: document.images.length, loaded: [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length })',
        returnByValue: true,
      },
      session,
    );
    const metrics = await send('Page.getLayoutMetrics', {}, session);
    const size = metrics.result!.cssContentSize as { width: number; height: number };
    const shot = await send(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height: Math.ceil(size.height), scale: 1 } },
      session,
    );
    const page: PageHandle = {
      async evaluate<V>(expression: string) {
        const r = await send('Runtime.evaluate', { expression: `(async () => JSON.stringify(await (${expression})))()`, awaitPromise: true, returnByValue: true }, session);
        const details = r.result!.exceptionDetails as { exception?: { description?: string } } | undefined;
        if (details) throw new Error(`in the page: ${details.exception?.description ?? 'exception'}`);
        const value = (r.result!.result as { value?: string }).value;
        return (value === undefined ? undefined : JSON.parse(value)) as V;
      },
      async mouse(type, x, y) {
        await send('Input.dispatchMouseEvent', { type, x, y, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: type === 'mouseMoved' ? 0 : 1 }, session);
      },
    };
    const interaction = (interact ? await interact(page) : undefined) as T;
    await send('Browser.close').catch(() => undefined);
    return {
      ...visitResult,
      images: JSON.parse((images.result!.result as { value: string }).value) as Visit['images'],
      screenshot: Buffer.from(shot.result!.data as string, 'base64'),
      interaction,
    };
  };

  try {
    return await Promise.race([run(), exited, timeout]);
  } finally {
    clearTimeout(timer);
    // Browser.close asked it to go; give it a moment to write its profile out, then insist.
    const running = () => child.exitCode === null && child.signalCode === null;
    if (running()) await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (running()) {
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
