// The work of `svmig plan` (its options and help: cli/plan.ts).

import { parsePolicy } from '../../core/policy.js';
import { formatEnd, formatInstant, type Calendar } from '../../domain/calendar.js';
import { formatBytes, formatDuration } from '../../domain/units.js';
import { buildPlan, type Plan } from '../plan.js';
import { planJson } from '../../report/json-summary.js';
import { copiesStarting } from '../../report/schedule.js';
import { formatCount, table } from '../../report/table.js';
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
      ...planDetails(made),
      ...scheduleLines(made, scenario.campaign.calendar),
      ...(flags.out === STDOUT ? [] : [`  plan written to ${flags.out}`]),
      '',
    ].join('\n'),
  );
  output.summary(planJson(made, flags.out === STDOUT ? null : flags.out));
}

/** The first windows of the schedule, as a change board reads them; the rest are in the plan file. */
function scheduleLines(p: Plan, calendar: Calendar | null): string[] {
  const windows = p.schedule ?? [];
  if (windows.length === 0) return [];
  const windowed = p.scenario.campaign.windows !== null;
  const at = (s: number) => (calendar === null ? formatDuration(s) : formatInstant(calendar, s));
  const rows = windows.slice(0, SCHEDULE_SHOWN).map((w) => [`${at(w.start)} – ${at(w.end)}`, copiesStarting(w.vms.length, w.retries?.length ?? 0, w.failed?.length ?? 0), formatBytes(w.bytes), at(w.expectedEnd)]);
  const more = windows.length > SCHEDULE_SHOWN ? [`    … and ${formatCount(windows.length - SCHEDULE_SHOWN)} more in the plan file (schedule)`] : [];
  return [
    `  schedule by ${windowed ? 'change window' : 'day'} (${formatCount(windows.length)}):`,
    table([[windowed ? 'Window' : 'Day', 'Copies starting', 'Bytes', 'Expected end'], ...rows], ['left', 'right', 'right', 'left'], '    '),
    ...more,
  ];
}

const SCHEDULE_SHOWN = 10;

/** What the plan does besides whole-VM copies: per-disk targets, remediation first, DRS overrides. */
function planDetails(p: Plan): string[] {
  const lines: string[] = [];
  const perDisk = p.vms.filter((v) => v.disks !== undefined);
  if (perDisk.length > 0) {
    const spread = perDisk.filter((v) => new Set(v.disks!.map((d) => d.target)).size > 1).length;
    lines.push(`  per-disk targets: ${formatCount(perDisk.length)} VMs (${formatCount(spread)} over several datastores)`);
  }
  const tasks = new Map<string, number>();
  for (const v of p.vms) for (const k of v.remediation ?? []) tasks.set(k, (tasks.get(k) ?? 0) + 1);
  if (tasks.size > 0) {
    const n = [...tasks.values()].reduce((a, b) => a + b, 0);
    const vms = p.vms.filter((v) => (v.remediation?.length ?? 0) > 0).length;
    lines.push(`  remediation first: ${formatCount(n)} tasks on ${formatCount(vms)} VMs (${[...tasks].sort().map(([k, c]) => `${k} ${formatCount(c)}`).join(', ')})`);
  }
  const guarded = p.vms.filter((v) => v.drsOverride === true).length;
  if (guarded > 0) lines.push(`  DRS overrides: ${formatCount(guarded)} VMs kept partially automated while copied, then put back`);
  return lines;
}
