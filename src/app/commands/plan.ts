// The work of `svmig plan` (its options and help: cli/plan.ts).

import { parsePolicy } from '../../core/policy.js';
import { formatEnd } from '../../domain/calendar.js';
import { formatBytes, formatDuration } from '../../domain/units.js';
import { buildPlan } from '../plan.js';
import { planJson } from '../../report/json-summary.js';
import { formatCount } from '../../report/table.js';
import { runMonteCarlo } from '../../sim/montecarlo.js';
import { parseIntegerOption } from '../flags.js';
import { STDOUT, writeResult } from '../io.js';
import { CommandOutput } from '../output.js';
import { loadScenarioWithSettings } from '../scenario-input.js';

export interface PlanFlags {
  policy?: string;
  seed?: string;
  runs: string;
  out: string;
  json?: boolean;
  set?: string[];
}

export async function plan(file: string, flags: PlanFlags): Promise<void> {
  const output = new CommandOutput(flags);
  const scenario = loadScenarioWithSettings(file, flags.set);
  const policy = parsePolicy(flags.policy ?? scenario.policy).spec;
  const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
  const runs = parseIntegerOption('--runs', flags.runs);
  const mc = await runMonteCarlo({ scenario, policies: [policy], runs: Math.max(1, runs), seed, deadlineSeconds: null });
  const stats = mc.policies[0]!;
  const made = buildPlan(scenario, policy, seed, {
    p50Seconds: stats.p50Seconds,
    p90Seconds: stats.p90Seconds,
    runs: mc.runs,
    lowerBoundSeconds: mc.lowerBoundSeconds,
  });
  writeResult(flags.out, `${JSON.stringify(made)}\n`);
  const bytes = made.vms.reduce((s, v) => s + v.bytes, 0);
  output.say(
    [
      `${scenario.name} · policy ${policy} · seed ${seed}`,
      `  ${formatCount(made.vms.length)} VMs to move (${formatBytes(bytes)}), ${formatCount(made.skipped.length)} skipped`,
      `  predicted makespan: P50 ${formatEnd(scenario.campaign.calendar, stats.p50Seconds)}, P90 ${formatEnd(scenario.campaign.calendar, stats.p90Seconds)} (${mc.runs} runs; lower bound ${formatDuration(mc.lowerBoundSeconds)})`,
      ...(flags.out === STDOUT ? [] : [`  plan written to ${flags.out}`]),
      '',
    ].join('\n'),
  );
  output.summary(planJson(made, flags.out === STDOUT ? null : flags.out));
}
