// `svmig compare`: Monte Carlo runs of a scenario under several policies, side by side. The work:
// app/commands/compare.ts.

import type { CompareFlags } from '../app/commands/compare.js';
import { Command } from './commander.js';
import { examples } from './help.js';
import { setOption } from './options.js';

export const DEFAULT_POLICIES = 'field,fixed:4,fixed:8,fixed:16';
export const DEFAULT_RUNS = 200;

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare concurrency policies over many seeded runs: makespan percentiles, deadline odds, lower bound')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policies <list>', 'policies to compare, comma-separated', DEFAULT_POLICIES)
    .option('-n, --runs <n>', 'runs per policy', String(DEFAULT_RUNS))
    .option('-s, --seed <n>', 'seed from which every run’s seed is derived; default: the scenario’s')
    .option(
      '-d, --deadline <when>',
      'deadline to meet, a duration (14d, 36h) or a date (2026-12-17T06:00, needs campaign.start): report the share of runs that do; exit code 5 when no policy meets it nine runs in ten',
    )
    .option('-w, --workers <n>', 'worker threads; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON, - for stdout (default: reports/<file>.compare.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addHelpText(
      'after',
      examples([
        ['svmig compare scenarios/seed-estate.yaml', `the default policies (${DEFAULT_POLICIES}), ${DEFAULT_RUNS} runs each`],
        ['svmig compare scenarios/seed-estate.yaml --policies field,host-aware,adaptive --runs 100 --deadline 1d', 'three policies against a deadline: P50 / P90 / P99, the share of runs within it, the lower bound'],
        ['svmig compare scenarios/seed-estate.yaml --runs 50 --report reports/compare', 'also the HTML report: makespan distributions and one charted run per policy'],
        ['svmig compare scenarios/seed-estate.yaml --runs 50 --json | jq -r .winner', 'the policy with the best P90, for a script'],
      ]),
    )
    .action(async (file: string, flags: CompareFlags) => (await import('../app/commands/compare.js')).compare(file, flags));
}
