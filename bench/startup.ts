// Start-up: how long the CLI takes from exec to exit, as a ratio to a bare `node -e 0` measured in
// the same run, so that the machine's speed (and how busy it is) cancels out. The three commands
// take turns, several rounds, and each one's median counts (with the plain simulate once more from
// the compiled modules, past the bundle, to show what the bundle saves). A second part says where the time of
// a plain `simulate` goes: Node itself, loading svmig's code, reading the scenario, the simulation,
// writing the result.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { line } from './measure.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/svmig.js');
const ROUNDS = 15;

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * What a plain simulate spends its time on, measured inside one process (milliseconds since Node
 * started), with the compiler budget bin/svmig.js sets, loading the modules from dist/src/.
 */
const PHASES = `
const t = [performance.now()];
(await import('node:v8')).setFlagsFromString('--interrupt-budget=540672');
const { loadScenario } = await import('./dist/src/scenario/load.js');
const { simulate } = await import('./dist/src/sim/simulate.js');
await import('./dist/src/report/summary.js');
t.push(performance.now());
const scenario = loadScenario('scenarios/seed-estate.yaml');
t.push(performance.now());
const result = simulate(scenario, { policy: scenario.policy, seed: scenario.seed });
t.push(performance.now());
JSON.stringify(result, null, 1);
t.push(performance.now());
process.stdout.write(JSON.stringify(t));
`;

/** The CLI from dist/src/, past the bundle: `node --input-type=module -e MODULES <args>`. */
const MODULES = `const { main } = await import('./dist/src/cli/main.js');
process.exitCode = await main(['node', 'svmig', ...process.argv.slice(1)], '0.0.0');
`;

export function benchStartup(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'svmig-bench-startup-'));
  try {
    const simulateArgs = ['simulate', 'scenarios/seed-estate.yaml', '-o', join(dir, 'result.json')];
    const cases = {
      node: ['-e', '0'],
      version: [BIN, '--version'],
      simulate: [BIN, ...simulateArgs],
      // The same command as svmig ran it before: the compiled modules one by one, V8's default budget.
      modules: ['--input-type=module', '-e', MODULES, ...simulateArgs],
    };
    const times: Record<keyof typeof cases, number[]> = { node: [], version: [], simulate: [], modules: [] };
    // One round unmeasured: the file system cache and the CPU come up to speed.
    for (const args of Object.values(cases)) wallMs(args);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, args] of Object.entries(cases) as Array<[keyof typeof cases, string[]]>) times[name].push(wallMs(args));
    }
    const node = median(times.node);
    const version = median(times.version);
    const simulate = median(times.simulate);
    const modules = median(times.modules);

    const phases: number[][] = [];
    for (let round = 0; round < 5; round++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', PHASES], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`phases: ${r.stderr.slice(0, 500)}`);
      phases.push(JSON.parse(r.stdout) as number[]);
    }
    const phase = (i: number) => median(phases.map((t) => t[i + 1]! - t[i]!));
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    return [
      line('start-up: node -e 0', { median: ms(node), rounds: String(ROUNDS) }),
      line('start-up: svmig --version', { median: ms(version), ratio: `${(version / node).toFixed(2)}×`, target: '≤ 1.5×' }),
      line('start-up: svmig simulate seed-estate', { median: ms(simulate), ratio: `${(simulate / node).toFixed(2)}×`, target: '≤ 3×' }),
      line('start-up: the same, modules, V8 default budget', { median: ms(modules), ratio: `${(modules / node).toFixed(2)}×` }),
      line('  simulate, inside: to first line', { median: ms(median(phases.map((t) => t[0]!))) }),
      line('  simulate, inside: load svmig code (dist/src)', { median: ms(phase(0)) }),
      line('  simulate, inside: read scenario', { median: ms(phase(1)) }),
      line('  simulate, inside: simulation', { median: ms(phase(2)) }),
      line('  simulate, inside: result JSON', { median: ms(phase(3)) }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
