// `svmig plan`: freezes what a live run needs into a plan file (see app/plan.ts). The work:
// app/commands/plan.ts.

import type { PlanFlags } from '../app/commands/plan.js';
import { Command } from './commander.js';
import { examples } from './help.js';
import { setOption } from './options.js';

export function planCommand(): Command {
  return new Command('plan')
    .description('freeze a scenario, a policy and the target of every VM into a plan for svmig run')
    .argument('<scenario>', 'scenario file (an imported or pulled estate, the fabric, the rules)')
    .option('-p, --policy <spec>', 'concurrency policy; default: the scenario’s')
    .option('-s, --seed <n>', 'seed; default: the scenario’s')
    .option('--runs <n>', 'simulated runs behind the predicted P50 / P90', '50')
    .option('-o, --out <file>', 'where to write the plan, - for stdout', 'plan.json')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addHelpText(
      'after',
      examples([
        ['svmig plan scenarios/small-lab.yaml --policy host-aware --out plan.json', 'a plan for svmig run, with the P50 / P90 predicted from 50 simulated runs'],
        ['svmig plan scenarios/site.yaml --policy adaptive --runs 200 --out plan.json', 'a scenario whose estate imports estate.json (svmig inventory import or pull)'],
        ['svmig plan scenarios/small-lab.yaml --json | jq .prediction', 'the prediction, for a script'],
      ]),
    )
    .action(async (file: string, flags: PlanFlags) => (await import('../app/commands/plan.js')).plan(file, flags));
}
