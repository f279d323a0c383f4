// `npm run bench`: prints figures (wall time, events, bytes allocated, peak memory); asserts nothing.
// Every case runs in a child process of its own, so that its peak memory is not another's.
//
//   npm run bench -- [--baseline <git-ref>] [<case> …]
//
// calibration-lab and calibration-500 (bench/calibration.ts) run only when named.
//
// With --baseline, each simulation case also runs on the code of that ref (built in a temporary
// worktree, see baseline.ts), just before today's, and the table at the end gives today's figures
// as ratios to the baseline's measured in the same run.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildBaseline, type Baseline } from './baseline.js';
import { benchCalibration500, benchCalibrationLab } from './calibration.js';
import { benchInventory } from './inventory.js';
import { benchLive, benchLiveHour, benchPull } from './live.js';
import { benchReport } from './report.js';
import { benchMonteCarlo, benchPolled, benchSeedEstate, benchSeedEstateRuns, benchSynthetic, type Figures } from './simulate.js';
import { benchStartup } from './startup.js';
import { benchSweep } from './sweep.js';
import { loadSut, type Sut } from './sut.js';

interface SimCase {
  title: string;
  run: (sut: Sut) => Figures | Promise<Figures>;
  /** The figure the table compares. */
  key: string;
  /**
   * Fresh processes per side, in turns with the baseline's; the table compares the medians. A case
   * that is one cold run varies by about 10 % from process to process (when V8's compiler threads
   * finish, where the collector strikes): one process per side is not enough for a ratio.
   */
  rounds?: number;
}

const SIM_CASES: Record<string, SimCase> = {
  'seed-estate': { title: 'seed estate (3000 VMs), field, one run', run: benchSeedEstate, key: 'wall' },
  'seed-estate-runs': { title: 'seed estate, 200 summary runs, 1 thread', run: (s) => benchSeedEstateRuns(s, 200), key: 'perRun' },
  'synthetic-5000': { title: 'synthetic 5,000 VMs', run: benchSynthetic(5_000), key: 'wall' },
  'synthetic-10000': { title: 'synthetic 10,000 VMs', run: benchSynthetic(10_000), key: 'wall' },
  'synthetic-20000': { title: 'synthetic 20,000 VMs', run: benchSynthetic(20_000), key: 'wall', rounds: 5 },
  'poll-20000': { title: 'synthetic 20,000 VMs, poll:30s', run: benchPolled(20_000), key: 'wall', rounds: 5 },
  'synthetic-50000': { title: 'synthetic 50,000 VMs', run: benchSynthetic(50_000), key: 'wall', rounds: 5 },
  'montecarlo-1000': { title: 'seed estate, 1000 runs of field, 2 workers', run: benchMonteCarlo(['field'], 1000, 2), key: 'wall' },
  'compare-4x200': { title: 'seed estate, 4 policies × 200 runs, 2 workers', run: benchMonteCarlo(['field', 'fixed:4', 'fixed:8', 'fixed:16'], 200, 2), key: 'wall' },
};

type Case = () => string[] | void | Promise<string[] | void>;

const OTHER_CASES: Record<string, Case> = {
  startup: benchStartup,
  report: benchReport,
  'inventory-50000': benchInventory,
  live: benchLive,
  'live-hour': benchLiveHour,
  'pull-5000': benchPull,
  'sweep-cluster-32': benchSweep,
  'calibration-lab': benchCalibrationLab,
  'calibration-500': benchCalibration500,
};

const ON_REQUEST = new Set(['calibration-lab', 'calibration-500']);

/** This tree's build: bench/ is compiled to dist/bench/, the code under test to dist/src/. */
const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(HERE, '..');

async function runCase(name: string, root: string): Promise<void> {
  const sim = SIM_CASES[name];
  if (sim) {
    const figures = await sim.run(await loadSut(root));
    process.stdout.write(`FIGURES ${JSON.stringify(figures)}\n`);
    return;
  }
  const work = OTHER_CASES[name];
  if (!work) throw new Error(`unknown benchmark ${name} (known: ${[...Object.keys(SIM_CASES), ...Object.keys(OTHER_CASES)].join(', ')})`);
  const lines = await work();
  for (const l of lines ?? []) process.stdout.write(`${l}\n`);
}

/** Runs one case in a child process; resolves with its figures (simulation cases) or null. */
function inChild(name: string, root: string): Promise<{ code: number; figures: Figures | null }> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--case', name, '--root', root], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let figures: Figures | null = null;
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const l = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (l.startsWith('FIGURES ')) figures = JSON.parse(l.slice(8)) as Figures;
        else process.stdout.write(`${l}\n`);
      }
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, figures }));
  });
}

const MiB = 2 ** 20;

/** The round whose `key` is the median (the lower of the two middle ones for an even count), or null for none. */
function median(rounds: readonly Figures[], key: string): Figures | null {
  if (rounds.length === 0) return null;
  const sorted = [...rounds].sort((a, b) => a[key]! - b[key]!);
  return sorted[(sorted.length - 1) >> 1]!;
}

function describe(f: Figures): string {
  const parts: string[] = [];
  if (f['perRun'] !== undefined) parts.push(`${(f['perRun'] * 1000).toFixed(1)} ms/run`);
  if (f['wall'] !== undefined) parts.push(`wall ${f['wall'] < 1 ? `${(f['wall'] * 1000).toFixed(1)} ms` : `${f['wall'].toFixed(2)} s`}`);
  if (f['events'] !== undefined) parts.push(`${Math.round(f['events']).toLocaleString('en-US')} events`);
  if (f['runsPerSecond'] !== undefined) parts.push(`${f['runsPerSecond'].toFixed(1)} runs/s`);
  if (f['allocated'] !== undefined) parts.push(`allocated ${(f['allocated'] / MiB).toFixed(1)} MiB`);
  if (f['allocatedPerRun'] !== undefined) parts.push(`allocated ${(f['allocatedPerRun'] / MiB).toFixed(2)} MiB/run`);
  if (f['peakRss'] !== undefined) parts.push(`peak RSS ${Math.round(f['peakRss'] / MiB)} MiB`);
  return parts.join('   ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case') {
    await runCase(args[1]!, args[3] ?? HERE);
    return;
  }
  let ref: string | null = null;
  const at = args.indexOf('--baseline');
  if (at >= 0) {
    ref = args[at + 1] ?? null;
    if (ref === null) throw new Error('--baseline needs a git ref (a commit, a branch, a tag)');
    args.splice(at, 2);
  }
  // The calibration proofs take most of an hour over ten seeds: run when named only.
  const names = args.length > 0 ? args : [...Object.keys(SIM_CASES), ...Object.keys(OTHER_CASES)].filter((n) => !ON_REQUEST.has(n));
  process.stdout.write(`svmig benchmarks · Node ${process.version} · ${process.arch}\n`);
  let baseline: Baseline | null = null;
  const removeBaseline = () => baseline?.remove();
  process.once('SIGINT', () => {
    removeBaseline();
    process.exit(130);
  });
  let failed = 0;
  const rows: Array<{ name: string; key: string; before: Figures | null; after: Figures | null }> = [];
  try {
    if (ref !== null) {
      process.stdout.write(`building the baseline ${ref} …\n`);
      baseline = buildBaseline(REPO, ref);
    }
    for (const name of names) {
      const sim = SIM_CASES[name];
      if (!sim) {
        if ((await inChild(name, HERE)).code !== 0) failed++;
        continue;
      }
      const befores: Figures[] = [];
      const afters: Figures[] = [];
      for (let round = 0; round < (sim.rounds ?? 1); round++) {
        if (baseline) {
          const b = await inChild(name, baseline.root);
          if (b.code !== 0) failed++;
          if (b.figures) befores.push(b.figures);
          if (b.figures) process.stdout.write(`${sim.title.padEnd(44)} baseline  ${describe(b.figures)}\n`);
        }
        const a = await inChild(name, HERE);
        if (a.code !== 0) failed++;
        if (a.figures) afters.push(a.figures);
        if (a.figures) process.stdout.write(`${sim.title.padEnd(44)} ${baseline ? 'today     ' : ''}${describe(a.figures)}\n`);
      }
      const before = median(befores, sim.key);
      const after = median(afters, sim.key);
      if ((sim.rounds ?? 1) > 1 && after) {
        process.stdout.write(`${sim.title.padEnd(44)} medians of ${sim.rounds}: ${before ? `baseline ${describe(before)}, ` : ''}today ${describe(after)}\n`);
      }
      rows.push({ name, key: sim.key, before, after });
    }
  } finally {
    removeBaseline();
  }
  if (baseline) {
    process.stdout.write(`\nToday's code against ${baseline.ref}, measured in this run (× faster: baseline / today):\n`);
    for (const r of rows) {
      if (!r.before || !r.after) continue;
      const speed = r.before[r.key]! / r.after[r.key]!;
      const alloc = r.before['allocated'] ?? r.before['allocatedPerRun'];
      const allocNow = r.after['allocated'] ?? r.after['allocatedPerRun'];
      const memory = alloc !== undefined && allocNow !== undefined ? `   allocations ÷ ${(alloc / allocNow).toFixed(1)}` : '';
      process.stdout.write(`  ${r.name.padEnd(18)} ${speed.toFixed(2)}× faster${memory}\n`);
    }
  }
  const poll = rows.find((r) => r.name === 'poll-20000')?.after;
  const push = rows.find((r) => r.name === 'synthetic-20000')?.after;
  if (poll && push) process.stdout.write(`\n20,000 VMs, poll:30s against push: ${(poll['wall']! / push['wall']!).toFixed(2)}× the time\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
