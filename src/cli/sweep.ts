// `svmig sweep`: Monte Carlo runs of policies over a grid of what-ifs, with common random numbers.
// The work: app/commands/sweep.ts.

import type { SweepFlags } from '../app/commands/sweep.js';
import { Command, Option } from './commander.js';
import { examples } from './help.js';
import { setOption } from './options.js';

/** Runs per point and policy: a sweep of 32 points of the seed estate stays within a minute on 2 cores (BENCHMARKS.md). */
export const DEFAULT_SWEEP_RUNS = 10;

export function sweepCommand(): Command {
  return new Command('sweep')
    .description('run policies over a grid of what-ifs (--vary), same seeds at every point: makespan P50/P90, deadline odds and VMs left per point')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .addOption(
      new Option(
        '--vary <path=values>',
        'an axis of the grid (repeatable; the grid is every combination): a scenario field as --set names it, or policy.<part> for a part of every policy ' +
          '(order, cluster, host, enclosure, global, adaptive, pick, vmotion, retries); values separated by commas, FROM..TO or FROM..TO:STEP for a range of numbers',
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .option('-p, --policies <list>', 'policies to run at every point, comma-separated; default: the scenario’s policy')
    .option('-n, --runs <n>', 'runs per point and policy', String(DEFAULT_SWEEP_RUNS))
    .option('-s, --seed <n>', 'seed from which every run’s seed is derived; default: the scenario’s')
    .option(
      '-d, --deadline <when>',
      'deadline to meet, a duration (14d, 36h) or a date (2026-12-17T06:00, needs campaign.start): report the share of runs that do; exit code 5 when no point and policy meets it nine runs in ten',
    )
    .option('-w, --workers <n>', 'worker threads; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON, - for stdout (default: reports/<file>.sweep.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report with the sweep chart (and its PNG when the renderer is installed), Markdown summary and sweep.csv into this folder')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addHelpText(
      'after',
      examples([
        ['svmig sweep scenarios/seed-estate.yaml --vary policy.cluster=1..32', `per-cluster concurrency 1 to 32 under the scenario's policy, ${DEFAULT_SWEEP_RUNS} runs per point: where more concurrency stops paying`],
        ['svmig sweep scenarios/seed-estate.yaml --vary policy.cluster=1..8,12,16,24,32 --policies field,host-aware --report reports/knee', 'two policies, a denser grid where it bends, and the chart in an HTML report'],
        ["svmig sweep scenarios/seed-estate.yaml --vary 'fabric.arrays[0].productionLoad=0..0.6:0.2' --deadline 2d", 'the legacy array 0 %, 20 %, 40 % and 60 % busy with production: makespan and the odds of 2 days'],
        ['svmig sweep scenarios/seed-estate.yaml --vary fabric.perCopyRate=150MB/s,250MB/s --vary policy.cluster=4,8,16 --runs 50', 'two axes, 6 points: each per-copy rate at each concurrency'],
        ['svmig sweep scenarios/seed-estate.yaml --vary policy.cluster=1..32 --json | jq .best', 'the best point for a script (none left before some, then deadline odds, then P90)'],
      ]),
    )
    .action(async (file: string, flags: SweepFlags) => (await import('../app/commands/sweep.js')).sweep(file, flags));
}
