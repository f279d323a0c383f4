// The fuzz harness: runs one generated case (files in a fresh folder, a command line) through the
// CLI in a long-lived child process (worker.mjs) and checks the invariants every run must keep, whatever the
// input:
//   - it exits 0, or 2 with a sentence, or 5 when it was given a --deadline (missed): nothing else
//     (1 is svmig's "internal error");
//   - it prints no stack trace (no --debug is ever given);
//   - it writes no output file unless it exits 0 or 5 (a missed deadline still writes the result);
//   - nothing already there that is not a regular file (a FIFO, a link, a device) is replaced;
//   - it ends within 10 s per MB of input (30 s at least: a busy machine is not a hang).
// A run that passes its time limit is killed with its process, and reported as a hang.

import { lstatSync, mkdtempSync, readdirSync, writeFileSync, symlinkSync, rmSync, type Stats } from 'node:fs';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hangLimitMs, STACK_LINE } from './cli.js';

/** Exit codes a run may end with: done, bad input, or a --deadline the simulated campaign missed. */
export const ALLOWED_EXIT_CODES: readonly number[] = [0, 2, 5];

/** A file of a case: its content, or a special file the run must leave as it is. */
export type FuzzFile = string | Uint8Array | { fifo: true } | { symlink: string } | { device: 'null' };

export interface FuzzCase {
  category: string;
  /** Files to lay out in the case's folder, by name. */
  files: Record<string, FuzzFile>;
  /** The command line; `@/` at the start of an argument stands for the case's folder. */
  argv: string[];
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  hung: boolean;
  /** Invariants broken, one sentence each; empty when the run behaved. */
  violations: string[];
}

const kindOf = (s: Stats) => (s.isFIFO() ? 'FIFO' : s.isSymbolicLink() ? 'symlink' : s.isCharacterDevice() ? 'device' : s.isDirectory() ? 'folder' : 'file');

/** Whether this machine lets the harness make a character device of its own (mknod needs root). */
let canMknod: boolean | null = null;
function mknodWorks(dir: string): boolean {
  if (canMknod === null) {
    try {
      execFileSync('mknod', [join(dir, '.probe'), 'c', '1', '3'], { stdio: 'ignore' });
      rmSync(join(dir, '.probe'));
      canMknod = true;
    } catch {
      canMknod = false;
    }
  }
  return canMknod;
}

export class FuzzRunner {
  private worker: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 0;
  private readonly root = mkdtempSync(join(tmpdir(), 'svmig-fuzz-'));

  private start(): Promise<void> {
    const worker = fork(new URL('./worker.mjs', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=2048'] });
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      const onReady = (m: { ready?: boolean }) => {
        if (m.ready) {
          worker.off('message', onReady);
          resolve();
        }
      };
      worker.on('message', onReady);
    });
    return this.ready;
  }

  async run(c: FuzzCase): Promise<Outcome> {
    if (this.worker === null) await this.start();
    else await this.ready;
    const dir = mkdtempSync(join(this.root, 'case-'));
    let inputBytes = 0;
    for (const [name, content] of Object.entries(c.files)) {
      const path = join(dir, name);
      if (typeof content === 'string' || content instanceof Uint8Array) {
        writeFileSync(path, content);
        inputBytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      } else if ('fifo' in content) execFileSync('mkfifo', [path]);
      else if ('symlink' in content) symlinkSync(content.symlink, path);
      else if (mknodWorks(dir)) execFileSync('mknod', [path, 'c', '1', '3']);
    }
    const before = new Map(readdirSync(dir).map((n) => [n, kindOf(lstatSync(join(dir, n)))]));
    const argv = c.argv.map((a) => (a.startsWith('@/') ? join(dir, a.slice(2)) : a));

    const id = this.nextId++;
    const worker = this.worker!;
    const limit = hangLimitMs(inputBytes);
    const reply = await new Promise<{ code: number; stdout: string; stderr: string } | null>((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        resolve(null);
      }, limit);
      const onMessage = (m: { id?: number; code: number; stdout: string; stderr: string }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.send({ id, argv, cwd: dir });
    });
    if (reply === null) {
      worker.kill('SIGKILL');
      this.worker = null;
      rmSync(dir, { recursive: true, force: true });
      return { code: null, stdout: '', stderr: '', hung: true, violations: [`it ran longer than ${limit / 1000} s (${inputBytes} bytes of input)`] };
    }

    const violations: string[] = [];
    if (!ALLOWED_EXIT_CODES.includes(reply.code)) violations.push(`it exited ${reply.code}`);
    if (STACK_LINE.test(reply.stderr)) violations.push('it printed a stack trace');
    if (/internal error/.test(reply.stderr)) violations.push('it reported an internal error');
    if (reply.code === 2 && reply.stderr.trim() === '') violations.push('it failed without a word');
    if (reply.code === 5 && !c.argv.includes('--deadline')) violations.push('it exited 5 (deadline missed) without a --deadline');
    for (const [name, kind] of before) {
      if (kind === 'file') continue;
      let now: string;
      try {
        now = kindOf(lstatSync(join(dir, name)));
      } catch {
        now = 'nothing';
      }
      if (now !== kind) violations.push(`${name} was a ${kind} and is now ${now === 'nothing' ? 'gone' : `a ${now}`}`);
    }
    if (reply.code !== 0 && reply.code !== 5) {
      const made = listAll(dir).filter((n) => !before.has(n));
      if (made.length > 0) violations.push(`it exited ${reply.code} but wrote ${made.slice(0, 3).join(', ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
    return { code: reply.code, stdout: reply.stdout, stderr: reply.stderr, hung: false, violations };
  }

  async close(): Promise<void> {
    this.worker?.kill();
    this.worker = null;
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Every path under `dir`, relative, folders included. */
function listAll(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    out.push(rel);
    if (e.isDirectory()) out.push(...listAll(dir, rel));
  }
  return out;
}

/** What a refusal was about, for the tally: the field or option it names first, else its first words. */
export function refusalKind(stderr: string): string {
  const line = (stderr.split('\n').find((l) => l.trim() !== '') ?? '').replace(/^svmig: /, '');
  const field = /line \d+: ([A-Za-z][\w.[\]"-]*):/.exec(line)?.[1];
  if (field) return field.replace(/\[\d+\]/g, '[]');
  const option = /^(--?[a-z-]+)/.exec(line)?.[1];
  if (option) return option;
  const cell = /tab (\w+), row \d+, column/.exec(line);
  if (cell) return `${cell[1]} cell`;
  return line.replace(/\/\S*\//g, '').replace(/"[^"]*"/g, '"…"').split(/[:(,]/)[0]!.slice(0, 50).trim();
}

/** Outcomes by category, for the summary a long run prints. */
export class Tally {
  readonly byCategory = new Map<string, { tried: number; exit0: number; exit2: number; findings: string[]; refusals: Record<string, number> }>();

  add(c: FuzzCase, o: Outcome): void {
    let t = this.byCategory.get(c.category);
    if (!t) this.byCategory.set(c.category, (t = { tried: 0, exit0: 0, exit2: 0, findings: [], refusals: {} }));
    t.tried++;
    if (o.code === 0) t.exit0++;
    else if (o.code === 2) {
      t.exit2++;
      const kind = refusalKind(o.stderr);
      t.refusals[kind] = (t.refusals[kind] ?? 0) + 1;
    }
    if (o.violations.length > 0) t.findings.push(`${o.violations.join('; ')}: svmig ${c.argv.join(' ')} (stderr: ${o.stderr.trim().slice(0, 200)})`);
  }

  table(): string {
    const rows = [...this.byCategory].map(([k, t]) => `${k.padEnd(14)} ${String(t.tried).padStart(7)} ${String(t.exit0).padStart(7)} ${String(t.exit2).padStart(7)} ${String(t.findings.length).padStart(9)}`);
    return [`${'category'.padEnd(14)} ${'tried'.padStart(7)} ${'exit 0'.padStart(7)} ${'exit 2'.padStart(7)} ${'findings'.padStart(9)}`, ...rows].join('\n');
  }
}
