// The work of `svmig sweep` (its options and help: cli/sweep.ts): every grid point is read and
// validated before anything runs, then the whole grid runs as one Monte Carlo with common random
// numbers (sim/sweep.ts).

import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { parsePolicy } from '../../core/policy.js';
import type { SweepResult } from '../../core/sweep-result.js';
import { UserError } from '../../domain/errors.js';
import { readTextInputSync } from '../../domain/input-file.js';
import { LIMITS } from '../../domain/limits.js';
import { renderSweepTable } from '../../report/sweep-table.js';
import { sweepJson } from '../../report/sweep-summary.js';
import { MAX_SCENARIO_BYTES, parseScenario } from '../../scenario/load.js';
import { parseSetting, type Setting } from '../../scenario/overrides.js';
import type { Scenario } from '../../scenario/scenario.js';
import { gridPoints, parseAxes, pointPolicy, pointSettings, pointValues, type Axis } from '../../scenario/sweep-grid.js';
import { checkPolicies, runSweep, type SweepPointInput } from '../../sim/sweep.js';
import { parsePolicies, positiveOption } from '../flags.js';
import { EXIT_DEADLINE_MISSED } from '../exit-codes.js';
import { STDOUT, writeResult } from '../io.js';
import { deadlineOption, readMonteCarloFlags, type MonteCarloFlags } from '../monte-carlo-flags.js';
import { CommandOutput, writeReportFolder } from '../output.js';
import { withProgressBar } from '../progress-bar.js';
import { onPointCalendars } from '../sweep-dates.js';

export interface SweepFlags extends MonteCarloFlags {
  vary?: string[];
  policies?: string;
  runs: string;
  json?: boolean;
  set?: string[];
}

export async function sweep(file: string, flags: SweepFlags): Promise<void> {
  const output = new CommandOutput(flags);
  const axes = parseAxes(flags.vary ?? []);
  const runs = positiveOption('--runs', flags.runs);
  const explicitPolicies = flags.policies === undefined ? null : parsePolicies(flags.policies);
  const options = await readMonteCarloFlags(flags);

  const text = readTextInputSync(file, { what: 'the scenario file', maxBytes: MAX_SCENARIO_BYTES });
  const settings = (flags.set ?? []).map(parseSetting);
  // The file as it is (with --set) first: its own faults are the file's, not a grid point's.
  const base = parseScenario(text, file, { settings });
  const policies = explicitPolicies ?? [base.policy];
  checkPolicies(policies);
  const points = gridPoints(axes);
  const total = points.length * policies.length * runs;
  if (total > LIMITS.runs) {
    throw new UserError(
      `--runs ${runs} at ${points.length.toLocaleString('en-US')} grid points × ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} makes ${total.toLocaleString('en-US')} runs, ` +
        `more than svmig's limit of ${LIMITS.runs.toLocaleString('en-US')} (at most ${Math.max(1, Math.floor(LIMITS.runs / (points.length * policies.length))).toLocaleString('en-US')} runs here).`,
    );
  }
  const { scenarios, inputs } = gridScenarios(text, file, base, settings, axes, policies);
  const calendar = base.campaign.calendar;
  const deadlineSeconds = deadlineOption(flags, calendar);
  const seed = options.seedOr(base.seed);

  const ran: SweepResult = await withProgressBar('Sweeping', (onProgress) =>
    runSweep({
      scenarios,
      scenarioFile: file,
      axes: axes.map((a) => ({ path: a.pathText, kind: a.kind, values: a.values })),
      policies: policies.map((p) => p.trim()),
      points: inputs,
      runs,
      seed,
      deadlineSeconds,
      ...options.workers,
      onProgress,
    }),
  );
  // Each point's dates from its own start: a sweep of campaign.start starts every point elsewhere.
  const result = onPointCalendars(ran, inputs.map((p) => scenarios[p.scenario]!.campaign.calendar), flags.deadline);
  const out = flags.out ?? defaultSweepPath(file, base, result);
  writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
  output.say(`${renderSweepTable(result, calendar)}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
  let report: string | null = null;
  if (flags.report !== undefined) {
    report = await writeReportFolder(flags.report, { sweep: result, deadlineSeconds }, output);
    output.say(`  Report written to ${report}\n`);
  }
  const summary = sweepJson(result, { result: out === STDOUT ? null : out, report });
  output.summary(summary);
  if (summary.deadline?.met === false) process.exitCode = EXIT_DEADLINE_MISSED;
}

/**
 * Each grid point's scenario, read from the file with the point's --vary values as if set with
 * --set, and validated like the file: a bad value is refused, naming it, before anything runs.
 * Points with the same scenario values (a sweep of policy parts has one scenario) share it.
 */
function gridScenarios(text: string, file: string, base: Scenario, settings: readonly Setting[], axes: readonly Axis[], policies: readonly string[]): { scenarios: Scenario[]; inputs: SweepPointInput[] } {
  const scenarios: Scenario[] = [];
  const byKey = new Map<string, number>();
  const inputs = gridPoints(axes).map((point) => {
    const changes = pointSettings(axes, point);
    const key = changes.map((s) => s.valueText).join('\u0000');
    let index = byKey.get(key);
    if (index === undefined) {
      index = scenarios.length;
      scenarios.push(changes.length === 0 ? base : parseScenario(text, file, { settings: [...settings, ...changes] }));
      byKey.set(key, index);
    }
    const specs = policies.map((policy) => {
      const spec = pointPolicy(axes, point, policy);
      try {
        parsePolicy(spec);
      } catch (err) {
        if (err instanceof UserError) throw new UserError(`--vary: at ${pointValues(axes, point).map((v, k) => `${axes[k]!.pathText}=${v}`).join(', ')}, ${err.message}`);
        throw err;
      }
      return spec;
    });
    return { values: pointValues(axes, point), scenario: index, specs };
  });
  return { scenarios, inputs };
}

/**
 * reports/<file>.sweep.<fingerprint>.json: as result-path.ts names other results, by a fingerprint
 * of everything the result depends on (the scenario as read with --set, the grid, the policies,
 * runs, seed and deadline), so that different sweeps never replace each other.
 */
function defaultSweepPath(file: string, base: Scenario, r: SweepResult): string {
  const { file: _path, ...scenario } = base;
  const canonical = JSON.stringify({ command: 'sweep', scenario, axes: r.axes, policies: r.policies, seed: r.seed, runs: r.runs, deadlineSeconds: r.deadlineSeconds });
  const fingerprint = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  return join('reports', `${basename(file, extname(file)).replace(/[^A-Za-z0-9_-]+/g, '-')}.sweep.${fingerprint}.json`);
}
