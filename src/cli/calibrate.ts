// `svmig calibrate`: fits the model's uncertain parameters (per-copy rate, svMotion setup, the
// production load on each array) to migrations that happened, by replaying them through the
// simulator, and writes the scenario with those fields as distributions. The work:
// app/commands/calibrate.ts.

import type { CalibrateFlags } from '../app/commands/calibrate.js';
import { Command } from './commander.js';
import { addConnectOptions } from './connect.js';
import { examples } from './help.js';
import { setOption, timeScaleOption } from './options.js';

export function calibrateCommand(): Command {
  const command = new Command('calibrate')
    .description('fit the per-copy rate, the svMotion setup and the production load on each array to migrations that happened (a pilot), and write the calibrated scenario')
    .argument('<scenario>', 'the scenario to calibrate (the estate the migrations ran on)')
    .option('--from <journal>', 'the journal of svmig run (a pilot: svmig run <plan> --pilot 10%)')
    .option('--since <when>', 'with --vcenter: start of the history window, a date (2026-12-03T08:00) or a time ago (36h); default 24h')
    .option('--until <when>', 'with --vcenter: end of the window, a date or a time ago; default now')
    .option('-o, --out <file>', 'where to write the calibrated scenario, - for stdout (default: <scenario>.calibrated.yaml beside it)')
    .option('--replicates <n>', 'bootstrap replicates behind the intervals and distributions', '100')
    .option('-s, --seed <n>', 'seed of the bootstrap', '1')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addOption(timeScaleOption());
  return addConnectOptions(command)
    .addHelpText(
      'after',
      examples([
        ['svmig calibrate scenarios/site.yaml --from plan.journal.jsonl --out site.calibrated.yaml', 'fit to the pilot of svmig run: each parameter with its 90 % interval, and the calibrated scenario'],
        ['SVMIG_PASSWORD=… svmig calibrate scenarios/site.yaml --vcenter https://vc.example.com --user admin@vsphere.local --since 2026-12-01T20:00 --until 2026-12-02T06:00', 'fit to migrations another tool ran that night, read from vCenter’s task and event history'],
        ['svmig simulate site.calibrated.yaml --runs 500 --deadline 14d', 'Monte Carlo of the calibrated scenario: every run draws the fitted values from their distributions'],
        ['svmig calibrate scenarios/site.yaml --from plan.journal.jsonl --json | jq .parameters.perCopyRate', 'the fitted per-copy rate with its interval, for a script'],
      ]) +
        '\n\nThe fit replays every observed task through the simulator (same submission times, hosts and targets) and minimises\n' +
        'a robust loss of the copy times; intervals come from a moving-block bootstrap over the tasks. Exit code 2 when there\n' +
        'is nothing to fit (an empty pilot, a pilot whose copies all failed, a window without migrations, another estate).',
    )
    .action(async (file: string, flags: CalibrateFlags) => (await import('../app/commands/calibrate.js')).calibrate(file, flags));
}
