// The work of `svmig compare` (its options and help: cli/compare.ts).

import { renderCompareTable } from '../../report/compare-table.js';
import { renderExplanations } from '../../report/explain.js';
import { comparisonJson } from '../../report/json-summary.js';
import type { CompareResult } from '../../core/compare-result.js';
import { runMonteCarlo } from '../../sim/montecarlo.js';
import { runSeeds } from '../../sim/run-seeds.js';
import { simulate } from '../../sim/simulate.js';
import { parsePolicies, runsOption } from '../flags.js';
import { EXIT_DEADLINE_MISSED } from '../exit-codes.js';
import { STDOUT, writeResult } from '../io.js';
import { deadlineOption, readMonteCarloFlags, type MonteCarloFlags } from '../monte-carlo-flags.js';
import { CommandOutput, REPORT_BINS, writeReportFolder } from '../output.js';
import { withProgressBar } from '../progress-bar.js';
import { defaultResultPath } from '../result-path.js';
import { loadScenarioWithSettings } from '../scenario-input.js';

export interface CompareFlags extends MonteCarloFlags {
  policies: string;
  runs: string;
  json?: boolean;
  set?: string[];
}

export async function compare(file: string, flags: CompareFlags): Promise<void> {
  const output = new CommandOutput(flags);
  const policies = parsePolicies(flags.policies);
  const runs = runsOption(flags.runs, policies.length);
  const options = await readMonteCarloFlags(flags);
  const scenario = loadScenarioWithSettings(file, flags.set);
  const calendar = scenario.campaign.calendar;
  const deadlineSeconds = deadlineOption(flags, calendar);
  const seed = options.seedOr(scenario.seed);

  const result: CompareResult = await withProgressBar('Simulating', (onProgress) =>
    runMonteCarlo({ scenario, scenarioFile: file, policies, runs, seed, deadlineSeconds, ...options.workers, onProgress }),
  );
  const out = flags.out ?? defaultResultPath({ file, scenario, policies: result.policies.map((p) => p.policy), seed, runs, deadlineSeconds, command: 'compare' });
  writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
  // One full run per policy (the first run's seed): what bound each, and the report's curves; the
  // distributions come from all runs.
  const first = runSeeds(seed, 1)[0]!;
  const results = result.policies.map((p) => simulate(scenario, { policy: p.policy, seed: first, ...(flags.report === undefined ? {} : { timelineBins: REPORT_BINS }) }));
  const ranking = result.ranking ?? result.policies.map((p) => p.policy);
  output.say(`${renderCompareTable(result, calendar)}\n\n${renderExplanations(results, ranking)}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
  let report: string | null = null;
  if (flags.report !== undefined) {
    // The run told in detail is the winner's: the policy the page recommends.
    const detailed = results.find((r) => r.policy === result.winner) ?? results[0]!;
    report = await writeReportFolder(flags.report, { compare: result, results, result: detailed, deadlineSeconds, lowerBoundSeconds: result.lowerBoundSeconds }, output);
    output.say(`  Report written to ${report}\n`);
  }
  const summary = comparisonJson(result, { result: out === STDOUT ? null : out, report }, results);
  output.summary(summary);
  if (summary.deadline?.met === false) process.exitCode = EXIT_DEADLINE_MISSED;
}
