// Live-world tests: the small lab in VMware's vCenter simulator (vcsim, through the harness in
// test/vcsim), a plan made from the same scenario, and svmig's own CLI run against it as a user
// would run it (a child process, the password in the environment).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Estate } from '../../src/domain/estate.js';
import { buildPlan, type Plan } from '../../src/app/plan.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { readInventory } from '../../src/vsphere/inventory.js';
import { estateToHarnessSpec, startVcsim, type HarnessRelocate, type Vcsim } from '../vcsim/harness.js';

const ROOT = join(import.meta.dirname, '../..');

export interface Lab {
  sim: Vcsim;
  scenario: Scenario;
  dir: string;
  /** Writes a plan for `policy` and returns its path. */
  plan(policy: string, edit?: (p: Plan) => void): string;
  /** Runs `svmig <args>` against the lab; `killAfterMs` SIGKILLs it then. */
  svmig(args: string[], options?: { killAfterMs?: number; env?: Record<string, string>; withConnection?: boolean; signals?: Array<[number, NodeJS.Signals]> }): Promise<CliResult>;
  /** The estate as a fresh session reads it now: an independent look at vcsim's state. */
  estate(): Promise<Estate>;
  /** The journal's records, all or of one type. */
  journal(path: string, type?: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function startLab(relocate: HarnessRelocate = { fixedMs: 200 }, scenarioFile = 'scenarios/small-lab.yaml'): Promise<Lab> {
  const scenario = loadScenario(join(ROOT, scenarioFile));
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate, { relocate: { maxPerHost: 2, maxPerDatastore: 8, ...relocate } }));
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
      return runCli([...args, ...connection], { SVMIG_PASSWORD: sim.password, ...options.env }, options.killAfterMs ?? 90_000, options.signals);
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

export function runCli(args: string[], env: Record<string, string>, killAfterMs?: number, signals: Array<[number, NodeJS.Signals]> = []): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/svmig.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const sent = signals.map(([at, signal]) => setTimeout(() => child.kill(signal), at));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      sent.forEach(clearTimeout);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The VMs whose disks (every one) are on a datastore of the given role. */
export function vmsAllOn(estate: Estate, role: 'legacy' | 'new'): string[] {
  const roleOf = new Map(estate.datastores.map((d) => [d.name, d.role]));
  return estate.vms.filter((v) => v.disks.length > 0 && v.disks.every((d) => d.datastore !== null && roleOf.get(d.datastore) === role)).map((v) => v.name).sort();
}
