// The work of `svmig simulate` (its options and help: ../simulate.ts). Monte Carlo and the report
// load only when --runs or --report ask for them.

import { join } from 'node:path';
import { formatDuration } from '../../domain/units.js';
import { renderCompareTable } from '../../report/compare-table.js';
import { comparisonJson, runJson } from '../../report/json-summary.js';
import { renderSummary } from '../../report/summary.js';
import { loadScenario } from '../../scenario/load.js';
import { simulate as simulateRun } from '../../sim/simulate.js';
import { parseDeadline, positiveOption, REPORT_BINS, runsOption } from '../compare.js';
import { EXIT_DEADLINE_MISSED } from '../exit-codes.js';
import { checkOutputFile, parseIntegerOption, STDOUT, writeResult } from '../io.js';
import { CommandOutput, writeReportFolder } from '../output.js';
import { ProgressBar } from '../progress.js';
import type { SimulateFlags } from '../simulate.js';

export async function simulate(file: string, flags: SimulateFlags): Promise<void> {
  const output = new CommandOutput(flags);
  // Where the output goes is checked first: a run that cannot be written is not worth running.
  // (The report code loads only when a report is asked for.)
  if (flags.out !== undefined) checkOutputFile(flags.out);
  if (flags.report !== undefined) (await import('../../report/write.js')).checkReportFolder(flags.report);
  const scenario = loadScenario(file);
  const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
  const deadlineSeconds = flags.deadline === undefined ? null : parseDeadline(flags.deadline);
  const policy = flags.policy ?? scenario.policy;
  const stem = (p: string) => join('reports', `${scenario.name}.${p.replace(/[^A-Za-z0-9_-]+/g, '-')}`);
  const written = (out: string) => (out === STDOUT ? null : out);

  if (flags.runs !== undefined) {
    const runs = runsOption(flags.runs, 1);
    const workers = flags.workers === undefined ? undefined : positiveOption('--workers', flags.workers);
    const { runMonteCarlo } = await import('../../sim/montecarlo.js');
    const bar = process.stderr.isTTY ? new ProgressBar(process.stderr, 'Simulating') : null;
    const result = await runMonteCarlo({
      scenario,
      scenarioFile: file,
      policies: [policy],
      runs,
      seed,
      deadlineSeconds,
      ...(workers === undefined ? {} : { workers }),
      onProgress: (done, total) => bar?.update(done, total),
    }).finally(() => bar?.clear());
    const out = flags.out ?? `${stem(result.policies[0]!.policy)}.runs${runs}.seed${seed}.json`;
    writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
    output.say(`${renderCompareTable(result)}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
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
  const out = flags.out ?? `${stem(result.policy)}.seed${seed}.json`;
  writeResult(out, `${JSON.stringify(result, null, 1)}\n`);
  const verdict =
    deadlineSeconds === null
      ? ''
      : result.makespanSeconds <= deadlineSeconds
        ? `\n  Deadline ${formatDuration(deadlineSeconds)}: met, with ${formatDuration(deadlineSeconds - result.makespanSeconds)} to spare`
        : `\n  Deadline ${formatDuration(deadlineSeconds)}: MISSED by ${formatDuration(result.makespanSeconds - deadlineSeconds)}`;
  output.say(`${renderSummary(result)}${verdict}\n${out === STDOUT ? '' : `\n  Result written to ${out}\n`}`);
  let report: string | null = null;
  if (flags.report !== undefined) {
    report = await writeReportFolder(flags.report, { result, deadlineSeconds }, output);
    output.say(`  Report written to ${report}\n`);
  }
  const summary = runJson(result, deadlineSeconds, { result: written(out), report });
  output.summary(summary);
  if (summary.deadline?.met === false) process.exitCode = EXIT_DEADLINE_MISSED;
}
