// `npm run bench`: prints figures (wall time, events per second, peak memory); asserts nothing.
// Every case runs in a child process of its own, so that its peak memory is not another's.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchSeedEstate, benchSynthetic } from './simulate.js';

type Case = () => string[] | Promise<string[]>;

const CASES: Record<string, Case> = {
  'seed-estate': benchSeedEstate,
  'synthetic-5000': () => benchSynthetic(5_000),
  'synthetic-10000': () => benchSynthetic(10_000),
  'synthetic-20000': () => benchSynthetic(20_000),
  'synthetic-50000': () => benchSynthetic(50_000),
};

async function runCase(name: string): Promise<void> {
  const work = CASES[name];
  if (!work) throw new Error(`unknown benchmark ${name}`);
  for (const l of await work()) process.stdout.write(`${l}\n`);
}

function inChild(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [name], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const only = process.argv[2];
if (only !== undefined) {
  await runCase(only);
} else {
  process.stdout.write(`svmig benchmarks · Node ${process.version} · ${process.arch}\n`);
  let failed = 0;
  for (const name of Object.keys(CASES)) if ((await inChild(name)) !== 0) failed++;
  process.exitCode = failed === 0 ? 0 : 1;
}
