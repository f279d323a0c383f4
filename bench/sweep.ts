// Sweep benchmark: the command the target is set on, `svmig sweep scenarios/seed-estate.yaml --vary
// policy.cluster=1..32` with its default runs and one worker per CPU, run through the command line's
// own entry point in this process (its table swallowed), the result written to a temporary file.
// Wall time, CPU time of every thread (worker threads are this process's), and the load average
// around it: on a shared machine the wall time says as much about the others as about svmig.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { DEFAULT_SWEEP_RUNS } from '../src/cli/sweep.js';
import { line } from './measure.js';

export async function benchSweep(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'svmig-bench-sweep-'));
  const out = join(dir, 'sweep.json');
  const write = process.stdout.write.bind(process.stdout);
  const args = ['sweep', 'scenarios/seed-estate.yaml', '--vary', 'policy.cluster=1..32', '-o', out];
  const loadBefore = loadavg()[0]!;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let code: number;
  try {
    process.stdout.write = () => true;
    code = await main(['node', 'svmig', ...args]);
  } finally {
    process.stdout.write = write;
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`svmig ${args.join(' ')} exited ${code}`);
  const runs = 32 * DEFAULT_SWEEP_RUNS;
  return [
    line(`svmig ${args.slice(0, -2).join(' ')} (${DEFAULT_SWEEP_RUNS} runs × 32 points)`, {
      wall: `${seconds.toFixed(1)} s`,
      cpu: `${((used.user + used.system) / 1e6).toFixed(1)} s`,
      'cpu per run': `${((used.user + used.system) / 1e3 / runs).toFixed(1)} ms`,
      'load before/after': `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`,
    }),
  ];
}
