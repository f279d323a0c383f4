// The work of `svmig simulate` (its options and help: cli/simulate.ts). Monte Carlo and the report
// load only when --runs or --report ask for them.

import { renderCompareTable } from '../../report/compare-table.js';
import { comparisonJson, runJson } from '../../report/json-summary.js';
import { deadlineVerdict, renderSummary } from '../../report/summary.js';
import { simulate as simulateRun } from '../../sim/simulate.js';
import { parseDeadline, parseIntegerOption, positiveOption, runsOption } from '../flags.js';
import { EXIT_DEADLINE_MISSED } from '../exit-codes.js';
import { checkOutputFile, STDOUT, writeResult } from '../io.js';
import { CommandOutput, REPORT_BINS, writeReportFolder } from '../output.js';
import { withProgressBar } from '../progress-bar.js';
import { defaultResultPath } from '../result-path.js';
import { loadScenarioWithSettings } from '../scenario-input.js';

export interface SimulateFlags {
  policy?: string;
  seed?: string;
  out?: string;
  runs?: string;
  deadline?: string;
  workers?: string;
  report?: string;
  json?: boolean;
  set?: string[];
}

export async function simulate(file: string, flags: SimulateFlags): Promise<void> {
  const output = new CommandOutput(flags);
  // Where the output goes is checked first: a run that cannot be written is not worth running.
  // (The report code loads only when a report is asked for.)
  if (flags.out !== undefined) checkOutputFile(flags.out);
  if (flags.report !== undefined) (await import('../../report/write.js')).checkReportFolder(flags.report);
  const scenario = loadScenarioWithSettings(file, flags.set);
  const calendar = scenario.campaign.calendar;
  const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
  const deadlineSeconds = flags.deadline === undefined ? null : parseDeadline(flags.deadline, calendar);
  const policy = flags.policy ?? scenario.policy;
  const outOf = (p: string, runs: number | null) => defaultResultPath({ file, scenario, policies: [p], seed, runs, deadlineSeconds, command: 'simulate' });
  const written = (out: string) => (out === STDOUT ? null : out);

  if (flags.runs !== undefined) {
    const runs = runsOption(flags.runs, 1);
    const workers = flags.workers === undefined ? undefined : positiveOption('--workers', flags.workers);
    const { runMonteCarlo } = await import('../../sim/montecarlo.js');
    const result = await withProgressBar('Simulating', (onProgress) => runMonteCarlo({
      scenario,
      scenarioFile: file,
      policies: [policy],
      runs,
      seed,
      deadlineSeconds,
      ...(workers === undefined ? {} : { workers }),
      onProgress,
    }));
    const out = flags.out ?? outOf(result.policies[0]!.policy, runs);
    writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
    output.say(`${renderCompareTable(result, calendar)}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
    let report: string | null = null;
    if (flags.report !== undefined) {
      const one = simulateRun(scenario, { policy, seed, timelineBins: REPORT_BINS });
      report = await writeReportFolder(flags.report, { compare: result, results: [one], result: one, deadlineSeconds, lowerBoundSeconds: result.lowerBoundSeconds }, output);
      output.say(`  Report written to ${report}\n`);
    }
    const summary = comparisonJson(result, { result: written(out), report });
    output.summary(summary);
    if (summary.deadline?.met === false) process.exitCode = EXIT_DEADLINE_MISSED;
    return;
  }

  const result = simulateRun(scenario, { policy, seed, ...(flags.report !== undefined ? { timelineBins: REPORT_BINS } : {}) });
  const out = flags.out ?? outOf(result.policy, null);
  writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
  const verdict = deadlineSeconds === null ? '' : `\n  ${deadlineVerdict(deadlineSeconds, result.makespanSeconds, calendar)}`;
  output.say(`${renderSummary(result, 5, calendar)}${verdict}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
  let report: string | null = null;
  if (flags.report !== undefined) {
    report = await writeReportFolder(flags.report, { result, deadlineSeconds }, output);
    output.say(`  Report written to ${report}\n`);
  }
  const summary = runJson(result, deadlineSeconds, { result: written(out), report });
  output.summary(summary);
  if (summary.deadline?.met === false) process.exitCode = EXIT_DEADLINE_MISSED;
}
