// The proof of a calibration, against VMware's vCenter simulator: the harness copies at a rate that
// is not the scenario's, each copy at its own (log-normal) factor, through one link whose capacity
// production load eats into, varying over time (test/vcsim: setRelocate's copy engine). svmig runs
// a pilot wave of the plan (`svmig run --pilot`), calibrates from its journal, forecasts the rest,
// runs the rest with the same journal, and the forecast is compared with the end that happened.
//
// The harness runs its world `timeScale` times faster than real time and stamps tasks in real
// time; svmig is told so (`--time-scale`), and every figure here is in seconds of that world.
// Everything is driven through svmig's command line, as a person would.
//
// Used by test/calibrate/proof.test.ts (one seed per estate) and by the benchmark that runs ten
// seeds (bench/calibration.ts).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/app/plan.js';
import { loadScenario } from '../../src/scenario/load.js';
import { estateToHarnessSpec, startVcsim, type HarnessRelocate } from '../vcsim/harness.js';

export interface ProofCase {
  name: string;
  /** The scenario file, from the repository's root. */
  scenarioFile: string;
  policy: string;
  pilot: string;
  /** The harness's copy engine: rate, setup, link and noise (its seed is the run's). */
  relocate: HarnessRelocate & { timeScale: number };
  /** Runs of the forecast. */
  runs?: number;
}

export interface ProofOutcome {
  seed: number;
  pilotVms: number;
  restVms: number;
  /** `svmig calibrate --json`, from the pilot's journal and from vCenter's task and event history. */
  calibration: Record<string, unknown>;
  historyCalibration: Record<string, unknown>;
  /** `svmig forecast --json` before the rest ran. */
  forecast: { p10Seconds: number; p50Seconds: number; p90Seconds: number; model: { parameters: Record<string, unknown> | null } };
  /** Seconds the rest took, from its first submission to its last end, in the harness's world. */
  observedSeconds: number;
  /** forecast P50 / observed − 1. */
  error: number;
  withinP10P90: boolean;
  /** The forecasts the rest's run journaled as it went. */
  liveForecasts: Array<Record<string, unknown>>;
  /** Real seconds the whole proof took. */
  wallSeconds: number;
}

const ROOT = join(import.meta.dirname, '..', '..');
// Compiled for the benchmark this module runs from dist/test/calibrate: the repository is further up.
const REPO = ROOT.endsWith(join('dist')) ? join(ROOT, '..') : ROOT;

interface Cli {
  code: number | null;
  stdout: string;
  stderr: string;
}

function svmig(args: string[], env: Record<string, string>): Promise<Cli> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/svmig.js'), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function records(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function must(r: Cli, what: string): Cli {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

export async function runProof(c: ProofCase, seed: number): Promise<ProofOutcome> {
  const wall = Date.now();
  const scenarioFile = join(REPO, c.scenarioFile);
  const scenario = loadScenario(scenarioFile);
  const relocate: HarnessRelocate = { maxPerHost: 2, maxPerDatastore: 8, ...c.relocate, ...(c.relocate.noise ? { noise: { ...c.relocate.noise, seed } } : {}) };
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate, { relocate }), { startTimeoutMs: 300_000 });
  const dir = mkdtempSync(join(tmpdir(), 'svmig-proof-'));
  try {
    const plan = buildPlan(scenario, c.policy, scenario.seed, { p50Seconds: 0, p90Seconds: 0, runs: 1, lowerBoundSeconds: null });
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify(plan));
    const journal = join(dir, 'journal.jsonl');
    const connection = ['--vcenter', sim.url, '--user', sim.username, '--thumbprint', sim.thumbprint];
    const env = { SVMIG_PASSWORD: sim.password };
    const scale = ['--time-scale', String(c.relocate.timeScale)];

    must(await svmig(['run', planPath, '--journal', journal, '--pilot', c.pilot, '--quiet', ...scale, ...connection], env), 'the pilot');
    const pilotVms = records(journal).filter((r) => r['type'] === 'ended' && r['outcome'] === 'success').length;
    const calibration = JSON.parse(must(await svmig(['calibrate', scenarioFile, '--from', journal, '--out', join(dir, 'calibrated.yaml'), '--json', ...scale], {}), 'calibrate').stdout) as Record<string, unknown>;
    // The same pilot as vCenter's own history tells it (as for migrations another tool ran): the
    // harness is fresh, so the last hour holds the pilot's tasks alone.
    const historyCalibration = JSON.parse(
      must(await svmig(['calibrate', scenarioFile, ...connection, '--since', '1h', '--out', join(dir, 'calibrated-history.yaml'), '--json', ...scale], env), 'calibrate from history').stdout,
    ) as Record<string, unknown>;
    const forecast = JSON.parse(must(await svmig(['forecast', planPath, '--journal', journal, '--runs', String(c.runs ?? 200), '--json', ...scale], {}), 'forecast').stdout) as ProofOutcome['forecast'];

    const before = records(journal).length;
    must(await svmig(['run', planPath, '--journal', journal, '--quiet', ...scale, ...connection], env), 'the rest');
    const rest = records(journal).slice(before);
    const ms = (r: Record<string, unknown>) => Date.parse(r['at'] as string);
    const firstIntent = rest.find((r) => r['type'] === 'intent');
    const ends = rest.filter((r) => r['type'] === 'ended');
    if (!firstIntent || ends.length === 0) throw new Error('the rest ran nothing');
    const observedSeconds = ((Math.max(...ends.map(ms)) - ms(firstIntent)) / 1000) * c.relocate.timeScale;
    return {
      seed,
      pilotVms,
      restVms: ends.filter((r) => r['outcome'] === 'success').length,
      calibration,
      historyCalibration,
      forecast,
      observedSeconds,
      error: forecast.p50Seconds / observedSeconds - 1,
      withinP10P90: forecast.p10Seconds <= observedSeconds && observedSeconds <= forecast.p90Seconds,
      liveForecasts: rest.filter((r) => r['type'] === 'forecast'),
      wallSeconds: (Date.now() - wall) / 1000,
    };
  } finally {
    await sim.stop();
    // SVMIG_PROOF_KEEP=1 keeps the plan, journal and calibrated scenario for a look afterwards.
    if (process.env['SVMIG_PROOF_KEEP']) process.stderr.write(`proof files kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The small lab: 50 VMs, one cluster of 4 hosts; the harness slower per copy than the scenario says, and a shared link. */
export const SMALL_LAB: ProofCase = {
  name: 'small lab (50 VMs)',
  scenarioFile: 'scenarios/small-lab.yaml',
  policy: 'fixed:4',
  pilot: '10%',
  relocate: {
    fixedMs: 30_000,
    bytesPerSecond: 160e6,
    progressIntervalMs: -1,
    timeScale: 300,
    link: { bytesPerSecond: 700e6 },
    noise: { seed: 1, perCopySpread: 0.15, load: { mean: 0.3, amplitude: 0.15, periodSeconds: 600 } },
  },
};

/** A generated estate of 500 VMs on two clusters of 8 hosts: a pilot of 50 copies. */
export const ESTATE_500: ProofCase = {
  name: 'generated estate (500 VMs)',
  scenarioFile: 'test/calibrate/estate-500.yaml',
  policy: 'fixed:6',
  pilot: '10%',
  relocate: {
    fixedMs: 25_000,
    bytesPerSecond: 150e6,
    progressIntervalMs: -1,
    timeScale: 300,
    link: { bytesPerSecond: 1200e6 },
    noise: { seed: 1, perCopySpread: 0.15, load: { mean: 0.3, amplitude: 0.15, periodSeconds: 600 } },
  },
};
