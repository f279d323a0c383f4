// `svmig forecast`: the rest of a campaign predicted from its journal, P50 / P90 and the deadline
// odds, by a model fitted to the copies that ended (or a calibrated scenario). The work:
// app/commands/forecast.ts.

import type { ForecastFlags } from '../app/commands/forecast.js';
import { Command } from './commander.js';
import { examples } from './help.js';
import { timeScaleOption } from './options.js';

export function forecastCommand(): Command {
  return new Command('forecast')
    .description('predict the rest of a campaign from its journal: what is done, in flight and left, P50 / P90 and the deadline odds')
    .argument('<plan>', 'plan file made by svmig plan')
    .option('--journal <file>', 'journal of the plan’s runs (default: <plan>.journal.jsonl)')
    .option('--calibrated <scenario>', 'take the model from this calibrated scenario (svmig calibrate) instead of fitting it to the journal')
    .option('-n, --runs <n>', 'simulated runs of the rest', '200')
    .option('-s, --seed <n>', 'seed of the runs; default: the plan’s')
    .option('-d, --deadline <when>', 'deadline to meet, a duration from the campaign’s start (14d) or a date (2026-12-17T06:00): the share of runs that do; exit code 5 when fewer than nine in ten')
    .option('--replicates <n>', 'bootstrap replicates of the fit (each run takes one replicate’s values)', '100')
    .option('--json', 'print the forecast as JSON on stdout, and nothing else there')
    .addOption(timeScaleOption())
    .addHelpText(
      'after',
      examples([
        ['svmig forecast plan.json --journal plan.journal.jsonl', 'after a pilot (svmig run plan.json --pilot 10%): the rest predicted by a model fitted to the pilot'],
        ['svmig forecast plan.json --journal plan.journal.jsonl --calibrated site.calibrated.yaml --runs 500 --deadline 2026-12-17T06:00', 'the model of a calibrated scenario, and the odds of a deadline'],
        ['svmig forecast plan.json --json | jq .p90Seconds', 'the P90 of what is left, for a script'],
      ]) + '\n\nThe state is the journal’s as of its last record: VMs moved, operations in flight, VMs left, attempts so far.',
    )
    .action(async (plan: string, flags: ForecastFlags) => (await import('../app/commands/forecast.js')).forecastCommand(plan, flags));
}
