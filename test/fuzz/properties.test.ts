// Property-based fuzzing of svmig's inputs (fast-check, arbitraries.ts), checked against the
// invariants of harness.ts: exit 0, 2 or (with --deadline) 5 only, no stack trace, no output file unless exit 0 or 5, nothing
// replaced that was not a regular file, no run longer than 10 s per MB of input.
//
// `npm test` runs a short pass (SVMIG_FUZZ_RUNS cases per category, 30 by default, a fixed seed so a
// failure reproduces); `npm run fuzz` a long one with random seeds, printing the tally by category
// (SVMIG_FUZZ_REPORT=file also writes it as JSON). Failing cases are listed with their command lines.

import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runMonteCarlo } from '../../src/sim/montecarlo.js';
import { runSweep } from '../../src/sim/sweep.js';
import { simulate } from '../../src/sim/simulate.js';
import { csvCase, flagsCase, savedCase, scenarioCase, xlsxCase } from './arbitraries.js';
import { FuzzRunner, Tally, type FuzzCase } from './harness.js';

const RUNS = Number(process.env['SVMIG_FUZZ_RUNS'] ?? 30);
const LONG = process.env['SVMIG_FUZZ_RUNS'] !== undefined;
const SEED = process.env['SVMIG_FUZZ_SEED'] === undefined ? (LONG ? Date.now() : 20261201) : Number(process.env['SVMIG_FUZZ_SEED']);

const runner = new FuzzRunner();
const tally = new Tally();

afterAll(async () => {
  await runner.close();
  if (LONG) {
    process.stdout.write(`\nsvmig fuzz: seed ${SEED}, ${RUNS} cases per category\n${tally.table()}\n`);
    for (const [k, t] of tally.byCategory) {
      const top = Object.entries(t.refusals).sort((a, b) => b[1] - a[1]).slice(0, 8);
      process.stdout.write(`  ${k}, most refused: ${top.map(([r, n]) => `${r} ×${n}`).join(', ')}\n`);
      for (const f of t.findings.slice(0, 10)) process.stdout.write(`  ${k} FINDING: ${f.slice(0, 400)}\n`);
    }
    const file = process.env['SVMIG_FUZZ_REPORT'];
    if (file) writeFileSync(file, `${JSON.stringify({ seed: SEED, runsPerCategory: RUNS, categories: Object.fromEntries(tally.byCategory) }, null, 1)}\n`);
  }
});

/**
 * Runs every case of `arbitrary` and then fails with the list of those that broke an invariant. A
 * failing case does not stop the run (nor is it shrunk): a long run counts every finding, by
 * category, and each is listed with its command line to replay it.
 */
async function check(category: string, arbitrary: fc.Arbitrary<FuzzCase>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (c) => {
      tally.add(c, await runner.run(c));
    }),
    { numRuns: RUNS, seed: SEED },
  );
  expect(tally.byCategory.get(category)?.findings ?? []).toEqual([]);
}

const LIMIT_MS = 10 * 60_000;

/** A saved sweep of two points, each on its own calendar (a sweep of campaign.start) with a deadline of its own. */
async function savedSweepBase(scenario: Parameters<typeof simulate>[0]): Promise<unknown> {
  const r = await runSweep({
    scenarios: [scenario],
    scenarioFile: 'base.yaml',
    axes: [{ path: 'policy.cluster', kind: 'policy', values: ['1', '2'] }],
    policies: ['fixed:2'],
    points: ['1', '2'].map((c) => ({ values: [c], scenario: 0, specs: [`fixed:2+cluster:${c}`] })),
    runs: 2,
    seed: 1,
    deadlineSeconds: 7200,
    workers: 1,
  });
  const calendars = [Date.parse('2026-12-05T19:00:00Z'), Date.parse('2026-12-12T19:00:00Z')].map((startMs) => ({ start: new Date(startMs).toISOString(), startMs, zone: 'Europe/Paris' }));
  return JSON.parse(JSON.stringify({ ...r, points: r.points.map((p, i) => ({ ...p, calendar: calendars[i], deadlineSeconds: 7200 - i * 604_800 })) }));
}

describe('fuzz', () => {
  let bases: { result: unknown; compare: unknown; sweep: unknown };
  beforeAll(async () => {
    const scenario = parseScenario(
      `name: base
fabric:
  hosts: { hbaPorts: 2, portSpeed: 16Gb }
  arrays: [ { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 8, portSpeed: 16Gb } ]
  perCopyRate: 250MB/s
campaign: { faults: { svmotion: { probability: 20% } } }
estate:
  synthetic: { vcenter: vc, clusters: [ { name: C1, hosts: 4 } ], vms: 12, vmSize: { median: 80GiB, sigma: 1, min: 20GiB, max: 2TiB }, legacy: { array: OLD, capacity: 8TiB }, new: { array: NEW, capacity: 32TiB, fill: 70% } }
`,
      'base.yaml',
    );
    bases = {
      result: JSON.parse(JSON.stringify(simulate(scenario, { policy: 'fixed:2+retries:1', timelineBins: 20 }))),
      compare: JSON.parse(JSON.stringify(await runMonteCarlo({ scenario, policies: ['fixed:2', 'field'], runs: 3, seed: 1, deadlineSeconds: 7200, workers: 1 }))),
      sweep: await savedSweepBase(scenario),
    };
  });

  it('scenario files', () => check('scenario', scenarioCase), LIMIT_MS);
  it('RVTools CSV folders', () => check('rvtools-csv', csvCase), LIMIT_MS);
  it('RVTools XLSX workbooks', () => check('rvtools-xlsx', xlsxCase), LIMIT_MS);
  it('saved results', () => check('saved-result', savedCase(bases)), LIMIT_MS);
  it('command lines', () => check('command-line', flagsCase), LIMIT_MS);

  it('ran every case it was asked to', () => {
    for (const k of ['scenario', 'rvtools-csv', 'rvtools-xlsx', 'saved-result', 'command-line']) expect(tally.byCategory.get(k)?.tried ?? 0).toBe(RUNS);
  });
});
