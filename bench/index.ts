// `npm run bench`: prints figures (wall time, events per second, peak memory); asserts nothing.
// Every case runs in a child process of its own, so that its peak memory is not another's.
// `npm run bench -- <case> [<case> …]` runs only those cases.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchInventory } from './inventory.js';
import { benchLive, benchLiveHour, benchPull } from './live.js';
import { benchMonteCarloCompare, benchMonteCarloRuns } from './montecarlo.js';
import { benchReport } from './report.js';
import { benchSeedEstate, benchSynthetic } from './simulate.js';

type Case = () => string[] | void | Promise<string[] | void>;

const CASES: Record<string, Case> = {
  'seed-estate': benchSeedEstate,
  'synthetic-5000': () => benchSynthetic(5_000),
  'synthetic-10000': () => benchSynthetic(10_000),
  'synthetic-20000': () => benchSynthetic(20_000),
  'synthetic-50000': () => benchSynthetic(50_000),
  'montecarlo-1000': () => benchMonteCarloRuns(1000, 2),
  'compare-4x200': () => benchMonteCarloCompare(200, 2),
  report: benchReport,
  'inventory-50000': benchInventory,
  live: benchLive,
  'live-hour': benchLiveHour,
  'pull-5000': benchPull,
};

async function runCase(name: string): Promise<void> {
  const work = CASES[name];
  if (!work) throw new Error(`unknown benchmark ${name} (known: ${Object.keys(CASES).join(', ')})`);
  const lines = await work();
  for (const l of lines ?? []) process.stdout.write(`${l}\n`);
}

function inChild(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--case', name], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const args = process.argv.slice(2);
if (args[0] === '--case') {
  await runCase(args[1]!);
} else {
  const names = args.length > 0 ? args : Object.keys(CASES);
  process.stdout.write(`svmig benchmarks · Node ${process.version} · ${process.arch}\n`);
  let failed = 0;
  for (const name of names) if ((await inChild(name)) !== 0) failed++;
  process.exitCode = failed === 0 ? 0 : 1;
}
