// `svmig simulate`: one simulated campaign of a scenario under one policy.

import { Command } from 'commander';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { simulate } from '../sim/simulate.js';
import { renderSummary } from '../report/summary.js';
import { parseIntegerOption, writeFileAtomic } from './io.js';

interface SimulateFlags {
  policy?: string;
  seed?: string;
  out?: string;
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('simulate the campaign of a scenario and write the result JSON')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policy <spec>', 'concurrency policy (field, fixed:N); default: the scenario’s')
    .option('-s, --seed <n>', 'seed of the run; default: the scenario’s')
    .option('-o, --out <file>', 'where to write the result JSON (default: reports/<scenario>.<policy>.seed<seed>.json)')
    .action((file: string, flags: SimulateFlags) => {
      const scenario = loadScenario(file);
      const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
      const result = simulate(scenario, { policy: flags.policy ?? scenario.policy, seed });
      const out = flags.out ?? join('reports', `${scenario.name}.${result.policy.replace(/[^A-Za-z0-9_-]+/g, '-')}.seed${seed}.json`);
      writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
      process.stdout.write(`${renderSummary(result)}\n\n  Result written to ${out}\n`);
    });
}
