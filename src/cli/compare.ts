// `svmig compare`: Monte Carlo runs of a scenario under several policies, side by side.

import { Command } from 'commander';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { renderCompareTable } from '../report/compare-table.js';
import type { CompareResult } from '../sim/compare-result.js';
import { runMonteCarlo } from '../sim/montecarlo.js';
import { runSeeds } from '../sim/run-seeds.js';
import { simulate } from '../sim/simulate.js';
import { writeReport } from '../report/write.js';
import { checkOutputFile, parseIntegerOption, writeFileAtomic } from './io.js';
import { loadScenarioWithSettings, parseDeadline, setOption } from './options.js';
import { defaultResultPath } from './result-path.js';
import { checkReportFolder } from '../report/write.js';
import { ProgressBar } from './progress.js';

export const DEFAULT_POLICIES = 'field,fixed:4,fixed:8,fixed:16';
export const DEFAULT_RUNS = 200;

interface CompareFlags {
  policies: string;
  runs: string;
  seed?: string;
  deadline?: string;
  workers?: string;
  out?: string;
  report?: string;
  set?: string[];
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare concurrency policies over many seeded runs: makespan percentiles, deadline odds, lower bound')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policies <list>', 'policies to compare, comma-separated', DEFAULT_POLICIES)
    .option('-n, --runs <n>', 'runs per policy', String(DEFAULT_RUNS))
    .option('-s, --seed <n>', 'seed from which every run’s seed is derived; default: the scenario’s')
    .option('-d, --deadline <when>', 'deadline to meet, a duration (14d, 36h) or a date (2026-12-17T06:00, needs campaign.start): report the share of runs that do')
    .option('-w, --workers <n>', 'worker threads; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON (default: reports/<file>.compare.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .addOption(setOption())
    .action(async (file: string, flags: CompareFlags) => {
      const policies = parsePolicies(flags.policies);
      const runs = runsOption(flags.runs, policies.length);
      const workers = flags.workers === undefined ? undefined : positiveOption('--workers', flags.workers);
      const seedOption = flags.seed === undefined ? undefined : parseIntegerOption('--seed', flags.seed);
      if (flags.out !== undefined) checkOutputFile(flags.out);
      if (flags.report !== undefined) checkReportFolder(flags.report);
      const scenario = loadScenarioWithSettings(file, flags.set);
      const calendar = scenario.campaign.calendar;
      const deadlineSeconds = flags.deadline === undefined ? null : parseDeadline(flags.deadline, calendar);
      const seed = seedOption ?? scenario.seed;

      const bar = process.stderr.isTTY ? new ProgressBar(process.stderr, 'Simulating') : null;
      let result: CompareResult;
      try {
        result = await runMonteCarlo({
          scenario,
          scenarioFile: file,
          policies,
          runs,
          seed,
          deadlineSeconds,
          ...(workers === undefined ? {} : { workers }),
          onProgress: (done, total) => bar?.update(done, total),
        });
      } finally {
        bar?.clear();
      }
      const out = flags.out ?? defaultResultPath({ file, scenario, policies: result.policies.map((p) => p.policy), seed, runs, deadlineSeconds, command: 'compare' });
      writeFileAtomic(out, `${JSON.stringify(result, null, 1)}\n`);
      process.stdout.write(`${renderCompareTable(result, calendar)}\n\n  Result written to ${out}\n`);
      if (flags.report !== undefined) {
        // One charted run per policy (the first run's seed) for the curves; the distributions come from all runs.
        const first = runSeeds(seed, 1)[0]!;
        const results = result.policies.map((p) => simulate(scenario, { policy: p.policy, seed: first, timelineBins: REPORT_BINS }));
        const written = await writeReport(flags.report, { compare: result, results, result: results[0]!, deadlineSeconds, lowerBoundSeconds: result.lowerBoundSeconds });
        process.stdout.write(`  Report written to ${written[written.length - 1]}\n`);
      }
    });
}

/** Bins of the time series behind a report's charts. */
export const REPORT_BINS = 200;

/** `field,fixed:4` → ['field', 'fixed:4']; the policies themselves are checked by the runner. */
export function parsePolicies(list: string): string[] {
  const specs = list.split(',').map((s) => s.trim());
  if (specs.some((s) => s === '')) throw new UserError(`--policies "${list}" has an empty entry: write policies separated by commas, like field,fixed:4.`);
  return specs;
}

/**
 * `--runs`: checked against svmig's limit before anything runs (every run's summary is kept for the
 * percentiles and the result file, so a billion runs would exhaust memory long before they ended).
 */
export function runsOption(value: string, policies: number): number {
  const runs = positiveOption('--runs', value);
  if (runs * policies > LIMITS.runs) {
    const per = policies > 1 ? ` × ${policies} policies` : '';
    throw new UserError(
      `--runs ${value.trim()} is more than svmig runs at once: at most ${LIMITS.runs.toLocaleString('en-US')} runs in all${per ? ` (${Math.floor(LIMITS.runs / policies).toLocaleString('en-US')} per policy for ${policies} policies)` : ''}, ` +
        'as every run is kept for the percentiles and the result file; percentiles settle long before that.',
    );
  }
  return runs;
}

export function positiveOption(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < 1) throw new UserError(`${name} must be a positive whole number, not "${value}".`);
  return Number(value);
}

/** `--deadline`, read the same way by every command: options.ts. */
export { parseDeadline } from './options.js';
