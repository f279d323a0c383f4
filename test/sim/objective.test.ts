// A comparison ranks what a campaign is for first: a policy that leaves VMs on legacy storage does not
// win because it is fast, and the table shows what each left behind, how long vCenter kept operations
// waiting, and how many legacy datastores were actually emptied.

import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { syntheticScenario } from '../../src/scenario/synthetic.js';
import { renderCompareTable } from '../../src/report/compare-table.js';
import { comparisonJson } from '../../src/report/json-summary.js';
import { runMonteCarlo } from '../../src/sim/montecarlo.js';

/** 160 VMs on two clusters, 8 % of svMotions failing, all transiently (worth a retry). */
function failing() {
  const s = syntheticScenario({ vms: 160, seed: 4, clusters: [6, 4] });
  return { ...s, name: 'failing', campaign: { ...DEFAULT_CAMPAIGN, faults: { ...DEFAULT_CAMPAIGN.faults, svmotion: { probability: 0.08, transientShare: 1 } } } };
}

describe('the objective of a comparison', () => {
  it('does not crown a fast policy that leaves VMs behind, and says what each left', async () => {
    // fixed:4 never retries: every failed copy leaves its VM on legacy storage, and the campaign
    // ends sooner for it. fixed:4+retries:3 retries each failure up to three times (at 8 % a VM
    // fails four times in a row once in 24,000): it leaves nothing behind.
    const c = await runMonteCarlo({ scenario: failing(), policies: ['fixed:4', 'fixed:4+retries:3'], runs: 6, seed: 2, deadlineSeconds: 30 * 86400, workers: 1 });
    const [fast, careful] = c.policies;
    // The premise: the policy without retries is at least as fast, and leaves VMs behind.
    expect(fast!.p90Seconds).toBeLessThanOrEqual(careful!.p90Seconds);
    expect(fast!.vmsFailed).toBeGreaterThan(0);
    expect(careful!.vmsFailed).toBe(0);
    expect(c.winner).toBe('fixed:4+retries:3');
    // Left is per run failed + skipped, as a mean over the runs, worked from the runs themselves.
    const left = fast!.runs.reduce((s, r) => s + r.vmsFailed + r.vmsSkipped, 0) / fast!.runs.length;
    expect(fast!.vmsLeft).toBeCloseTo(left, 12);
    expect(fast!.vmsMoved! + fast!.vmsLeft).toBeCloseTo(160, 9);

    expect(c.ranking).toEqual(['fixed:4+retries:3', 'fixed:4']);
    expect(c.verdict).toMatch(/^fixed:4\+retries:3 wins on VMs left behind: 0 per run against fixed:4's [\d.]+\./);
    expect(c.verdict).toContain(`fixed:4 ${fast!.vmsLeft.toFixed(1).replace(/\.0$/, '')} VM`);

    const text = renderCompareTable(c);
    const lines = text.split('\n');
    const header = lines[2]!;
    for (const column of ['Moved', 'Failed', 'Left', 'vCenter queue', 'DS emptied', 'All DS empty']) expect(header).toContain(column);
    expect(header).not.toContain('Last DS empty');
    // Best first: the careful policy's row comes first.
    expect(lines[3]!.trim().split(/ {2,}/).slice(0, 5)).toEqual(['1', 'fixed:4+retries:3', '160', '0', '0']);
    const row = lines[4]!.trim().split(/ {2,}/);
    expect(row.slice(0, 2)).toEqual(['2', 'fixed:4']);
    // A datastore holding a VM that was never moved is never empty: fixed:4's "all empty" is never,
    // and the table says how many of its datastores stayed.
    const allEmpty = header.trim().split(/ {2,}/).indexOf('All DS empty');
    expect(row[allEmpty]).toBe('never');
    expect(text).toMatch(/Legacy datastores never emptied \(P50 run\): fixed:4 \d+ of \d+\./);
    expect(text).toMatch(/Winner: fixed:4\+retries:3/);

    const json = comparisonJson(c, {});
    expect(json.winner).toBe('fixed:4+retries:3');
    expect(json.policies.find((p) => p.policy === 'fixed:4')).toMatchObject({ rank: 2, vmsLeft: fast!.vmsLeft, allLegacyEmptyP50Seconds: null });
  });
});
