// A sweep made up for report tests: two axes (a per-copy rate with units, per-cluster concurrency),
// two policies, makespans chosen so that every cell can be told apart.

import type { RunSummary } from '../../src/core/compare-result.js';
import type { SweepCell, SweepResult } from '../../src/core/sweep-result.js';

function run(seed: number, makespanSeconds: number): RunSummary {
  return { seed, makespanSeconds, bytesMoved: 1, vmotions: 0, apiCalls: 1, queuedSeconds: 0, vmsFailed: 0, firstLegacyEmptySeconds: null, lastLegacyEmptySeconds: null, vmsSkipped: 0, retries: 0, drsMoves: 0 };
}

function cell(policy: string, spec: string, p50: number, p90: number, extra: Partial<SweepCell> = {}): SweepCell {
  return {
    policy,
    spec,
    p50Seconds: p50,
    p90Seconds: p90,
    p99Seconds: p90,
    deadlineProbability: null,
    vmotions: 0,
    apiCalls: 1,
    bytesPerHour: 1,
    ratioToLowerBound: p50 / 100,
    meanSeconds: p50,
    bytesMoved: 1,
    queuedSeconds: 0,
    vmsFailed: 0,
    firstLegacyEmptyP50Seconds: null,
    lastLegacyEmptyP50Seconds: null,
    runs: [run(1, p50), run(2, p90)],
    vmsMoved: null,
    vmsSkipped: 0,
    vmsLeft: 0,
    legacyDatastores: null,
    legacyDatastoresEmptiedP50: null,
    allLegacyEmptyP50Seconds: null,
    ...extra,
  };
}

/** Two axes (rate × concurrency), two policies: 2 × 3 points, makespans made up to tell apart. */
export function twoAxes(): SweepResult {
  const rates = ['150MB/s', '250MB/s'];
  const clusters = ['2', '4', '8'];
  return {
    kind: 'sweep',
    scenario: 'lab',
    scenarioFile: 'lab.yaml',
    seed: 1,
    runs: 2,
    deadlineSeconds: null,
    axes: [
      { path: 'fabric.perCopyRate', kind: 'scenario', values: rates },
      { path: 'policy.cluster', kind: 'policy', values: clusters },
    ],
    policies: ['field', 'fixed:4'],
    points: rates.flatMap((rate, i) =>
      clusters.map((c, j) => ({
        values: [rate, c],
        lowerBoundSeconds: 100,
        cells: [cell('field', `field+cluster:${c}`, 1000 * (i + 1) + 10 * j, 1000 * (i + 1) + 10 * j + 5), cell('fixed:4', `fixed:4+cluster:${c}`, 2000 * (i + 1) + 10 * j, 2000 * (i + 1) + 10 * j + 5)],
      })),
    ),
    percentileMethod: 'nearest-rank',
  };
}

