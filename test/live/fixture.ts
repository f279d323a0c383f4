// Live-world tests: the small lab in VMware's vCenter simulator (vcsim, through the harness in
// test/vcsim), a plan made from the same scenario, and svmig's own CLI run against it as a user
// would run it (a child process, the password in the environment).
//
// Whatever a test does to a run in the middle (Ctrl-C, a kill, a vCenter restart) it does when the
// run has written something (the Nth journal record of a type, a line of output), never after a
// delay: a command may take seconds to start on a busy machine, and the tests must not care.

import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { OperationKind } from '../../src/core/port.js';
import type { Estate } from '../../src/domain/estate.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { buildPlan, type Plan } from '../../src/app/plan.js';
import { runPlan, type RunOptions, type RunSummary } from '../../src/app/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { readInventory } from '../../src/vsphere/inventory.js';
import type { TaskInfo } from '../../src/vsphere/types.js';
import { estateToHarnessSpec, startVcsim, type EstateToSpecOptions, type HarnessRelocate, type Vcsim } from '../vcsim/harness.js';

const ROOT = join(import.meta.dirname, '../..');

export interface Lab {
  sim: Vcsim;
  scenario: Scenario;
  dir: string;
  /** Writes a plan for `policy` and returns its path. */
  plan(policy: string, edit?: (p: Plan) => void): string;
  /**
   * Runs `svmig <args>` against the lab. `signals` are sent in order, each once its trigger is met
   * (and the one before it was sent). A run still going after `hangMs` is killed, so that a test
   * that hangs shows what the run printed instead of timing out.
   */
  svmig(args: string[], options?: { env?: Record<string, string>; withConnection?: boolean; signals?: SignalAt[]; hangMs?: number }): Promise<CliResult>;
  /** Resolves once the journal holds `count` records of `type` (all runs' records count). */
  until(journal: string, type: JournalType, count: number): Promise<void>;
  /** The estate as a fresh session reads it now: an independent look at vcsim's state. */
  estate(): Promise<Estate>;
  /** The journal's records, all or of one type. */
  journal(path: string, type?: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export type JournalType = 'open' | 'intent' | 'submitted' | 'queued' | 'started' | 'rejected' | 'ended' | 'void' | 'close';

/** What a run has written when a trigger is met. */
export type Trigger =
  /**
   * The run itself has written `count` records of `type` to the journal (records of earlier runs do
   * not count); with `kind`, only records of operations of that kind (by their intent).
   */
  | { journal: string; type: JournalType; count: number; kind?: string }
  /** The run's standard output has a line matching. */
  | { stdout: RegExp }
  /** Something the test did (to vCenter, say) once the run had written what it waited for. */
  | { test: () => boolean };

export interface SignalAt {
  when: Trigger;
  send: NodeJS.Signals;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The lab runs `scenario`: a file (relative to the repository) or a scenario built in code. */
export async function startLab(relocate: HarnessRelocate = { fixedMs: 200 }, scenarioFile: string | Scenario = 'scenarios/small-lab.yaml', extra: Omit<EstateToSpecOptions, 'relocate'> = {}): Promise<Lab> {
  const scenario = typeof scenarioFile === 'string' ? loadScenario(join(ROOT, scenarioFile)) : scenarioFile;
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate, { ...extra, relocate: { maxPerHost: 2, maxPerDatastore: 8, ...relocate } }));
  const dir = mkdtempSync(join(tmpdir(), 'svmig-live-'));
  const roles = new Map(scenario.estate.datastores.map((d) => [d.name, d.role]));
  return {
    sim,
    scenario,
    dir,
    plan(policy, edit) {
      const plan = buildPlan(scenario, policy, 1, { p50Seconds: 0, p90Seconds: 0, runs: 1, lowerBoundSeconds: null });
      edit?.(plan);
      const path = join(dir, `plan-${policy.replace(/[^a-z0-9]+/gi, '-')}.json`);
      writeFileSync(path, JSON.stringify(plan));
      return path;
    },
    svmig(args, options = {}) {
      const connection = options.withConnection === false ? [] : ['--vcenter', sim.url, '--user', sim.username, '--thumbprint', sim.thumbprint];
      // A run that hangs is killed, so that the test sees what it printed instead of timing out.
      return runCli([...args, ...connection], { SVMIG_PASSWORD: sim.password, ...options.env }, options.signals, options.hangMs);
    },
    until(journal, type, count) {
      return new Promise((resolve) => {
        const stop = watchFile(journal, () => {
          if (recordTypes(journal).filter((t) => t === type).length < count) return;
          stop();
          resolve();
        });
      });
    },
    async estate() {
      const client = await connectAndLogin({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
      try {
        return await readInventory(client, { classify: (ds) => roles.get(ds.name) ?? 'other' });
      } finally {
        await client.close();
      }
    },
    journal(path, type) {
      return readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        })
        .filter((r) => type === undefined || r['type'] === type);
    },
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function runCli(args: string[], env: Record<string, string>, signals: SignalAt[] = [], hangMs = 90_000): Promise<CliResult> {
  return new Promise((resolve) => {
    // Journal records already there belong to earlier runs: a trigger counts this run's only.
    const before = new Map<string, number>();
    for (const { when } of signals) if ('journal' in when && !before.has(when.journal)) before.set(when.journal, journalRecords(when.journal).length);
    const child = spawn(process.execPath, [join(ROOT, 'bin/svmig.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let next = 0;
    const met = (t: Trigger): boolean => {
      if ('stdout' in t) return stdout.split('\n').some((l) => t.stdout.test(l));
      if ('test' in t) return t.test();
      const all = journalRecords(t.journal);
      const kinds = new Map(all.filter((r) => r.type === 'intent').map((r) => [r.op, r.kind]));
      const written = all.slice(before.get(t.journal)!);
      return written.filter((r) => r.type === t.type && (t.kind === undefined || kinds.get(r.op) === t.kind)).length >= t.count;
    };
    // Sends every signal whose turn it is and whose trigger is met; later ones wait for earlier ones.
    const check = () => {
      while (next < signals.length && child.exitCode === null && child.signalCode === null && met(signals[next]!.when)) child.kill(signals[next++]!.send);
    };
    const journals = [...before.keys()].map((j) => watchFile(j, check));
    // What a test does is seen by looking again now and then (it decides nothing: the test does).
    const tests = signals.some(({ when }) => 'test' in when) ? setInterval(check, 50) : undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const hung = setTimeout(() => child.kill('SIGKILL'), hangMs);
    child.on('exit', (code, signal) => {
      clearTimeout(hung);
      clearInterval(tests);
      journals.forEach((stop) => stop());
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The types of a journal's records, in order (none if it does not exist yet; a torn last line is left out). */
function recordTypes(path: string): JournalType[] {
  return journalRecords(path).map((r) => r.type);
}

/** A journal's records as far as triggers read them: type, operation and (intents) kind. */
function journalRecords(path: string): Array<{ type: JournalType; op?: number; kind?: string }> {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { type: JournalType; op?: number; kind?: string }];
      } catch {
        return [];
      }
    });
}

/**
 * Calls `onChange` whenever the file may have changed (it may not exist yet), and once at the
 * start; returns the function that stops watching. Directory events come from the kernel; a
 * short poll beside them only bounds how late a change is noticed, it decides nothing.
 */
function watchFile(path: string, onChange: () => void): () => void {
  const watcher = watch(dirname(path), (_event, name) => {
    if (name === null || name === basename(path)) onChange();
  });
  const poll = setInterval(onChange, 50);
  queueMicrotask(onChange);
  return () => {
    watcher.close();
    clearInterval(poll);
  };
}

/** The VMs whose disks (every one) are on a datastore of the given role. */
export function vmsAllOn(estate: Estate, role: 'legacy' | 'new'): string[] {
  const roleOf = new Map(estate.datastores.map((d) => [d.name, d.role]));
  return estate.vms.filter((v) => v.disks.length > 0 && v.disks.every((d) => d.datastore !== null && roleOf.get(d.datastore) === role)).map((v) => v.name).sort();
}

/**
 * A run of a plan in this process, as the tests drive one: estate changes not accepted, never
 * stopped from outside, nothing shown unless the test gives a view of its own.
 */
export function runInProcess(options: Omit<RunOptions, 'acceptChanges' | 'control' | 'view'> & Partial<Pick<RunOptions, 'view'>>): Promise<RunSummary> {
  return runPlan({
    acceptChanges: false,
    control: { stopping: false, abandoned: false, onChange: () => undefined },
    view: { event: () => undefined, status: () => undefined },
    ...options,
  });
}

/**
 * A plan run in process on `vcenter` to its end, which must be finished (the test fails showing the
 * run's lines otherwise); the vCenter and its client are closed after, whatever happened. Returns
 * the run's event lines.
 */
export async function runToFinish(options: Pick<RunOptions, 'plan' | 'planHash' | 'journalPath' | 'vcenter'> & { client: { close(): Promise<void> } }): Promise<string[]> {
  const { client, ...run } = options;
  const events: string[] = [];
  try {
    const summary = await runInProcess({ ...run, view: { event: (line) => events.push(line), status: () => undefined } });
    expect(summary.outcome, events.join('\n')).toBe('finished');
  } finally {
    await run.vcenter.close();
    await client.close();
  }
  return events;
}

/**
 * The live vCenter with its task history as it is (`history`), or with a history that lost every
 * task too (vCenter keeps 30 days of it by default, or its database was reset): a restart must
 * then settle what the journal left open from the objects themselves.
 */
export function vcenterWithHistory(history: boolean): typeof LiveVcenter {
  return class extends LiveVcenter {
    override async pastTasksOf(name: string, kind: OperationKind, since: Date): Promise<TaskInfo[]> {
      return history ? super.pastTasksOf(name, kind, since) : [];
    }
  };
}
