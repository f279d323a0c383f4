// `svmig simulate`: one simulated campaign of a scenario under one policy, or with --runs N, a
// Monte Carlo of that policy (the same JSON shape as `svmig compare`). The work: app/commands/simulate.ts.

import type { SimulateFlags } from '../app/commands/simulate.js';
import { Command } from './commander.js';
import { examples } from './help.js';
import { setOption } from './options.js';

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('simulate the campaign of a scenario and write the result JSON')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policy <spec>', 'concurrency policy (see svmig policies); default: the scenario’s')
    .option('-s, --seed <n>', 'seed of the run; default: the scenario’s')
    .option('-n, --runs <n>', 'Monte Carlo: this many seeded runs, summarised as P50 / P90 / P99')
    .option(
      '-d, --deadline <when>',
      'deadline to meet, a duration (14d) or a date (2026-12-17T06:00, needs campaign.start): says whether (or how often) it is met; exit code 5 when missed',
    )
    .option('-w, --workers <n>', 'worker threads for --runs; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON, - for stdout (default: reports/<file>.<policy>.seed<seed>.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addHelpText(
      'after',
      examples([
        ['svmig simulate scenarios/seed-estate.yaml', 'one run of the scenario’s own policy: a summary, and the result JSON under reports/'],
        ['svmig simulate scenarios/seed-estate.yaml --policy adaptive --deadline 1d', 'another policy, judged against a deadline (exit code 5 if it is missed)'],
        ['svmig simulate scenarios/seed-estate.yaml --set fabric.perCopyRate=120MB/s', 'what if each copy were slower: one field changed as if the file said so'],
        ['svmig simulate scenarios/seed-estate.yaml --runs 500 --deadline 14d', '500 seeded runs: P50 / P90 / P99 and the share of runs within 14 days'],
        ['svmig simulate scenarios/seed-estate.yaml --report reports/seed', 'also the HTML report with its charts, the Markdown summary and the CSV'],
        ['svmig simulate scenarios/seed-estate.yaml --json | jq .makespanSeconds', 'the summary for a script'],
        ['svmig simulate scenarios/seed-estate.yaml -o - | jq \'.operations | length\'', 'the whole result JSON on stdout (the summary goes to stderr)'],
      ]),
    )
    .action(async (file: string, flags: SimulateFlags) => (await import('../app/commands/simulate.js')).simulate(file, flags));
}
