// `svmig plan`: freezes what a live run needs into a plan file (see live/plan.ts).

import { Command } from 'commander';
import { parsePolicy } from '../core/policy.js';
import { formatEnd } from '../domain/calendar.js';
import { formatBytes, formatDuration } from '../domain/units.js';
import { buildPlan } from '../live/plan.js';
import { lowerBound } from '../sim/lower-bound.js';
import { runMonteCarlo } from '../sim/montecarlo.js';
import { formatCount } from '../report/table.js';
import { parseIntegerOption, writeFileAtomic } from './io.js';
import { loadScenarioWithSettings, setOption } from './options.js';

interface PlanFlags {
  policy?: string;
  seed?: string;
  runs: string;
  out: string;
  set?: string[];
}

export function planCommand(): Command {
  return new Command('plan')
    .description('freeze a scenario, a policy and the target of every VM into a plan for svmig run')
    .argument('<scenario>', 'scenario file (an imported or pulled estate, the fabric, the rules)')
    .option('-p, --policy <spec>', 'concurrency policy; default: the scenario’s')
    .option('-s, --seed <n>', 'seed; default: the scenario’s')
    .option('--runs <n>', 'simulated runs behind the predicted P50 / P90', '50')
    .option('-o, --out <file>', 'where to write the plan', 'plan.json')
    .addOption(setOption())
    .action(async (file: string, flags: PlanFlags) => {
      const scenario = loadScenarioWithSettings(file, flags.set);
      const policy = parsePolicy(flags.policy ?? scenario.policy).spec;
      const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
      const runs = parseIntegerOption('--runs', flags.runs);
      const mc = await runMonteCarlo({ scenario, policies: [policy], runs: Math.max(1, runs), seed, deadlineSeconds: null });
      const stats = mc.policies[0]!;
      const plan = buildPlan(scenario, policy, seed, {
        p50Seconds: stats.p50Seconds,
        p90Seconds: stats.p90Seconds,
        runs: mc.runs,
        lowerBoundSeconds: lowerBound(scenario).seconds,
      });
      writeFileAtomic(flags.out, `${JSON.stringify(plan)}\n`);
      const bytes = plan.vms.reduce((s, v) => s + v.bytes, 0);
      process.stdout.write(
        [
          `${scenario.name} · policy ${policy} · seed ${seed}`,
          `  ${formatCount(plan.vms.length)} VMs to move (${formatBytes(bytes)}), ${formatCount(plan.skipped.length)} skipped`,
          `  predicted makespan: P50 ${formatEnd(scenario.campaign.calendar, stats.p50Seconds)}, P90 ${formatEnd(scenario.campaign.calendar, stats.p90Seconds)} (${mc.runs} runs; lower bound ${formatDuration(mc.lowerBoundSeconds)})`,
          `  plan written to ${flags.out}`,
          '',
        ].join('\n'),
      );
    });
}
