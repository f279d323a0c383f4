// `svmig compare`: Monte Carlo runs of a scenario under several policies, side by side. The work:
// actions/compare.ts. The option parsers here serve `simulate` too.

import { Command } from './commander.js';
import { UserError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { examples } from './help.js';
import { setOption } from './options.js';

export const DEFAULT_POLICIES = 'field,fixed:4,fixed:8,fixed:16';
export const DEFAULT_RUNS = 200;

export interface CompareFlags {
  policies: string;
  runs: string;
  seed?: string;
  deadline?: string;
  workers?: string;
  out?: string;
  report?: string;
  json?: boolean;
  set?: string[];
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare concurrency policies over many seeded runs: makespan percentiles, deadline odds, lower bound')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-p, --policies <list>', 'policies to compare, comma-separated', DEFAULT_POLICIES)
    .option('-n, --runs <n>', 'runs per policy', String(DEFAULT_RUNS))
    .option('-s, --seed <n>', 'seed from which every run’s seed is derived; default: the scenario’s')
    .option(
      '-d, --deadline <when>',
      'deadline to meet, a duration (14d, 36h) or a date (2026-12-17T06:00, needs campaign.start): report the share of runs that do; exit code 5 when no policy meets it nine runs in ten',
    )
    .option('-w, --workers <n>', 'worker threads; default: one per CPU')
    .option('-o, --out <file>', 'where to write the result JSON, - for stdout (default: reports/<file>.compare.<fingerprint of the inputs>.json)')
    .option('-r, --report <dir>', 'also write the HTML report, charts, Markdown summary and CSV into this folder')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addOption(setOption())
    .addHelpText(
      'after',
      examples([
        ['svmig compare scenarios/seed-estate.yaml', `the default policies (${DEFAULT_POLICIES}), ${DEFAULT_RUNS} runs each`],
        ['svmig compare scenarios/seed-estate.yaml --policies field,host-aware,adaptive --runs 100 --deadline 1d', 'three policies against a deadline: P50 / P90 / P99, the share of runs within it, the lower bound'],
        ['svmig compare scenarios/seed-estate.yaml --runs 50 --report reports/compare', 'also the HTML report: makespan distributions and one charted run per policy'],
        ['svmig compare scenarios/seed-estate.yaml --runs 50 --json | jq -r .winner', 'the policy with the best P90, for a script'],
      ]),
    )
    .action(async (file: string, flags: CompareFlags) => (await import('./actions/compare.js')).compare(file, flags));
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
