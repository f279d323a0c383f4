// Running the compiled CLI (dist/, built by `npm test` before vitest) in a child process, so that a
// hang or an out-of-memory abort is seen as such (a timeout, a signal) and cannot stop the suite.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/svmig.js', import.meta.url));

/**
 * How long a run may take before it counts as hung. Every run here ends in well under a second when
 * svmig behaves; the limit is that of the issue ("10 s per MB of input") with a floor of 30 s, so a
 * busy machine does not turn a slow start into a failure.
 */
export function hangLimitMs(inputBytes = 0): number {
  return Math.max(30_000, Math.ceil(inputBytes / 1e6) * 10_000);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the run was killed for taking longer than its limit. */
  hung: boolean;
}

export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=2048', BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? hangLimitMs());
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** A fresh folder holding `files` (name → text or bytes). */
export function workDir(files: Record<string, string | Uint8Array> = {}, prefix = 'svmig-fuzz-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A stack trace line as Node prints them. */
export const STACK_LINE = /^\s+at .+(\(|:\d+:\d+)/m;
