// `svmig simulate`: one simulated campaign of a scenario under one policy, or with --runs N, a
// Monte Carlo of that policy (the same JSON shape as `svmig compare`).

import { Command } from 'commander';
import { simulate } from '../sim/simulate.js';
import { deadlineVerdict, renderSummary } from '../report/summary.js';
import { renderCompareTable } from '../report/compare-table.js';
import { writeReport } from '../report/write.js';
import { runMonteCarlo } from '../sim/montecarlo.js';
import { positiveOption, REPORT_BINS, runsOption } from './compare.js';
import { loadScenarioWithSettings, parseDeadline, setOption } from './options.js';
import { defaultResultPath } from './result-path.js';
import { checkOutputFile, parseIntegerOption, writeFileAtomic } from './io.js';
import { checkReportFolder } from '../report/write.js';
import { ProgressBar } from './progress.js';

interface SimulateFlags {
  policy?: string;
  seed?: string;
  out?: string;
  runs?: string;
  deadline?: string;
  workers?: string;
  report?: string;
  set?: string[];
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('simulate the campaign of a scenario and write the result JSON')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policy <spec>', 'concurrency policy (see svmig policies); default: the scenario’s')
    .option('-s, --seed <n>', 'seed of the run; default: the scenario’s')
    .option('-n, --runs <n>', 'Monte Carlo: this many seeded runs, summarised as P50 / P90 / P99')
    .option('-d, --deadline <when>', 'deadline to meet, a duration (14d) or a date (2026-12-17T06:00, needs campaign.start): says whether (or how often) it is met')
    .option('-w, --workers <n>', 'worker threads for --runs; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON (default: reports/<file>.<policy>.seed<seed>.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .addOption(setOption())
    .action(async (file: string, flags: SimulateFlags) => {
      // Where the output goes is checked first: a run that cannot be written is not worth running.
      if (flags.out !== undefined) checkOutputFile(flags.out);
      if (flags.report !== undefined) checkReportFolder(flags.report);
      const scenario = loadScenarioWithSettings(file, flags.set);
      const calendar = scenario.campaign.calendar;
      const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
      const deadlineSeconds = flags.deadline === undefined ? null : parseDeadline(flags.deadline, calendar);
      const policy = flags.policy ?? scenario.policy;
      const outOf = (p: string, runs: number | null) => defaultResultPath({ file, scenario, policies: [p], seed, runs, deadlineSeconds, command: 'simulate' });

      if (flags.runs !== undefined) {
        const runs = runsOption(flags.runs, 1);
        const workers = flags.workers === undefined ? undefined : positiveOption('--workers', flags.workers);
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
        const out = flags.out ?? outOf(result.policies[0]!.policy, runs);
        writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
        process.stdout.write(`${renderCompareTable(result, calendar)}\n\n  Result written to ${out}\n`);
        if (flags.report !== undefined) {
          const one = simulate(scenario, { policy, seed, timelineBins: REPORT_BINS });
          const written = await writeReport(flags.report, { compare: result, results: [one], result: one, deadlineSeconds, lowerBoundSeconds: result.lowerBoundSeconds });
          process.stdout.write(`  Report written to ${written[written.length - 1]}\n`);
        }
        return;
      }

      const result = simulate(scenario, { policy, seed, ...(flags.report !== undefined ? { timelineBins: REPORT_BINS } : {}) });
      const out = flags.out ?? outOf(result.policy, null);
      writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
      const verdict = deadlineSeconds === null ? '' : `\n  ${deadlineVerdict(deadlineSeconds, result.makespanSeconds, calendar)}`;
      process.stdout.write(`${renderSummary(result, 5, calendar)}${verdict}\n\n  Result written to ${out}\n`);
      if (flags.report !== undefined) {
        const written = await writeReport(flags.report, { result, deadlineSeconds });
        process.stdout.write(`  Report written to ${written[written.length - 1]}\n`);
      }
    });
}
