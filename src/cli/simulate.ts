// `svmig simulate`: one simulated campaign of a scenario under one policy, or with --runs N, a
// Monte Carlo of that policy (the same JSON shape as `svmig compare`).

import { Command } from 'commander';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { simulate } from '../sim/simulate.js';
import { renderSummary } from '../report/summary.js';
import { renderCompareTable } from '../report/compare-table.js';
import { writeReport } from '../report/write.js';
import { runMonteCarlo } from '../sim/montecarlo.js';
import { formatDuration } from '../domain/units.js';
import { parseDeadline, positiveOption, REPORT_BINS, runsOption } from './compare.js';
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
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('simulate the campaign of a scenario and write the result JSON')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policy <spec>', 'concurrency policy (see svmig policies); default: the scenario’s')
    .option('-s, --seed <n>', 'seed of the run; default: the scenario’s')
    .option('-n, --runs <n>', 'Monte Carlo: this many seeded runs, summarised as P50 / P90 / P99')
    .option('-d, --deadline <duration>', 'deadline to meet, e.g. 14d: says whether (or how often) it is met')
    .option('-w, --workers <n>', 'worker threads for --runs; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON (default: reports/<scenario>.<policy>.seed<seed>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .action(async (file: string, flags: SimulateFlags) => {
      // Where the output goes is checked first: a run that cannot be written is not worth running.
      if (flags.out !== undefined) checkOutputFile(flags.out);
      if (flags.report !== undefined) checkReportFolder(flags.report);
      const scenario = loadScenario(file);
      const seed = flags.seed === undefined ? scenario.seed : parseIntegerOption('--seed', flags.seed);
      const deadlineSeconds = flags.deadline === undefined ? null : parseDeadline(flags.deadline);
      const policy = flags.policy ?? scenario.policy;
      const stem = (p: string) => join('reports', `${scenario.name}.${p.replace(/[^A-Za-z0-9_-]+/g, '-')}`);

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
        const out = flags.out ?? `${stem(result.policies[0]!.policy)}.runs${runs}.seed${seed}.json`;
        writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
        process.stdout.write(`${renderCompareTable(result)}\n\n  Result written to ${out}\n`);
        if (flags.report !== undefined) {
          const one = simulate(scenario, { policy, seed, timelineBins: REPORT_BINS });
          const written = await writeReport(flags.report, { compare: result, results: [one], result: one, deadlineSeconds, lowerBoundSeconds: result.lowerBoundSeconds });
          process.stdout.write(`  Report written to ${written[written.length - 1]}\n`);
        }
        return;
      }

      const result = simulate(scenario, { policy, seed, ...(flags.report !== undefined ? { timelineBins: REPORT_BINS } : {}) });
      const out = flags.out ?? `${stem(result.policy)}.seed${seed}.json`;
      writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
      const verdict =
        deadlineSeconds === null
          ? ''
          : result.makespanSeconds <= deadlineSeconds
            ? `\n  Deadline ${formatDuration(deadlineSeconds)}: met, with ${formatDuration(deadlineSeconds - result.makespanSeconds)} to spare`
            : `\n  Deadline ${formatDuration(deadlineSeconds)}: MISSED by ${formatDuration(result.makespanSeconds - deadlineSeconds)}`;
      process.stdout.write(`${renderSummary(result)}${verdict}\n\n  Result written to ${out}\n`);
      if (flags.report !== undefined) {
        const written = await writeReport(flags.report, { result, deadlineSeconds });
        process.stdout.write(`  Report written to ${written[written.length - 1]}\n`);
      }
    });
}
