import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import type { RunSummary } from '../../src/core/compare-result.js';
import { lowerBound } from '../../src/sim/lower-bound.js';
import { runJob, type WorkerReply } from '../../src/sim/montecarlo-job.js';
import { percentile, percentileOrNever, policyStats, rank, rankPolicies, summariseRun, verdictOf, winnerOf } from '../../src/core/run-stats.js';
import { PreparedScenario } from '../../src/sim/prepared.js';
import { SIMULATE_CASES } from '../golden/cases.js';
import { runMonteCarlo } from '../../src/sim/montecarlo.js';
import { compiledWorker } from '../../src/sim/worker-pool.js';
import { fmix32, runSeed, runSeeds } from '../../src/sim/run-seeds.js';
import { simulate } from '../../src/sim/simulate.js';
import { loadScenario } from '../../src/scenario/load.js';
import { datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

/** A small scenario whose runs differ by seed: 30 % per-copy rate jitter, DRS moving VMs around. */
function jittery() {
  const vms = Array.from({ length: 24 }, (_, i) => vm(`v${String(i).padStart(2, '0')}`, `C-esx0${(i % 4) + 1}`, 'C', (20 + ((i * 37) % 90)) * GB, `OLD-0${(i % 3) + 1}`));
  const e = estate({
    hosts: hosts('C', 4),
    vms,
    datastores: [datastore('OLD-01', 'legacy'), datastore('OLD-02', 'legacy'), datastore('OLD-03', 'legacy'), datastore('NEW-01', 'new'), datastore('NEW-02', 'new')],
  });
  const s = scenario(e, openFabric({ perCopyRate: 100e6, svmotionSetupSeconds: 20, vmotionSetupSeconds: 10 }), 'field');
  return { ...s, campaign: { ...s.campaign, jitter: 0.3 } };
}

function run(seed: number, makespanSeconds: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    seed,
    makespanSeconds,
    bytesMoved: 1000,
    vmotions: 0,
    apiCalls: 10,
    queuedSeconds: 0,
    vmsFailed: 0,
    firstLegacyEmptySeconds: null,
    lastLegacyEmptySeconds: null,
    vmsSkipped: 0,
    retries: 0,
    drsMoves: 0,
    ...extra,
  };
}

describe('percentiles (nearest rank)', () => {
  it('takes the value of rank ⌈p/100 · n⌉', () => {
    // The textbook list: 15 20 35 40 50. P5 → rank ⌈0.25⌉ = 1; P30 → ⌈1.5⌉ = 2; P40 → ⌈2⌉ = 2;
    // P50 → ⌈2.5⌉ = 3; P100 → 5.
    const xs = [40, 15, 50, 35, 20];
    expect(percentile(xs, 5)).toBe(15);
    expect(percentile(xs, 30)).toBe(20);
    expect(percentile(xs, 40)).toBe(20);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 0)).toBe(15);
  });

  it('is exact at whole ranks: with 200 runs P90 is the 180th value and P99 the 198th', () => {
    const xs = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 … 1
    expect(rank(99, 200)).toBe(198);
    expect(percentile(xs, 99)).toBe(198);
    expect(percentile(xs, 90)).toBe(180);
    expect(percentile(xs, 50)).toBe(100);
    // 10 runs: P90 is the 9th, P99 the 10th.
    expect(percentile([3, 9, 1, 10, 5, 7, 2, 8, 6, 4], 90)).toBe(9);
    expect(percentile([3, 9, 1, 10, 5, 7, 2, 8, 6, 4], 99)).toBe(10);
  });

  it('counts a datastore never emptied as later than any time', () => {
    expect(percentileOrNever([null, 10, 20], 50)).toBe(20);
    expect(percentileOrNever([null, null, 10], 50)).toBeNull();
    expect(percentileOrNever([], 50)).toBeNull();
  });
});

describe('summariseRun', () => {
  it('takes when the first and the last legacy datastore emptied from the run', () => {
    // OLD-01 holds 100 GB, OLD-02 300 GB, copied side by side at 100 MB/s: 1000 s and 3000 s.
    const e = estate({
      hosts: hosts('C', 2),
      vms: [vm('a', 'C-esx01', 'C', 100 * GB, 'OLD-01'), vm('b', 'C-esx02', 'C', 300 * GB, 'OLD-02')],
      datastores: [datastore('OLD-01', 'legacy'), datastore('OLD-02', 'legacy'), datastore('NEW-01', 'new')],
    });
    const result = simulate(scenario(e, openFabric({ perCopyRate: 100e6 }), 'fixed:2'), { seed: 5 });
    const r = summariseRun(result, 5);
    expect(r.seed).toBe(5);
    expect(r.makespanSeconds).toBeCloseTo(3000, 6);
    expect(r.firstLegacyEmptySeconds).toBeCloseTo(1000, 6);
    expect(r.lastLegacyEmptySeconds).toBeCloseTo(3000, 6);
    expect(r.bytesMoved).toBe(400 * GB);
    expect(r.apiCalls).toBe(result.summary.apiCalls);
    expect(r.vmsFailed).toBe(0);
  });
});

describe('policyStats', () => {
  it('summarises runs: percentiles, deadline odds, throughput over all time, ratio to the bound', () => {
    // Makespans 100 … 1000 s; each run moves 3600 bytes. Deadline 650 s: 6 of 10 runs meet it.
    // Throughput: 10 · 3600 B over 5500 s → 36000 / 5500 · 3600 B/h. Bound 250 s: P50 = 500 → 2.
    const runs = Array.from({ length: 10 }, (_, i) =>
      run(i, (i + 1) * 100, { bytesMoved: 3600, vmotions: i % 2, apiCalls: 10 + i, firstLegacyEmptySeconds: i < 4 ? null : 50 + i }),
    );
    const s = policyStats('fixed:4', runs, 650, 250);
    expect(s).toMatchObject({ policy: 'fixed:4', p50Seconds: 500, p90Seconds: 900, p99Seconds: 1000, deadlineProbability: 0.6 });
    expect(s.bytesPerHour).toBeCloseTo((36000 / 5500) * 3600, 9);
    expect(s.ratioToLowerBound).toBe(2);
    expect(s.vmotions).toBe(0.5);
    expect(s.apiCalls).toBe(14.5);
    expect(s.meanSeconds).toBe(550);
    // First emptied: 4 never, then 54 … 59: sorted 54 55 56 57 58 59 ∞ ∞ ∞ ∞, rank 5 → 58.
    expect(s.firstLegacyEmptyP50Seconds).toBe(58);
    expect(s.lastLegacyEmptyP50Seconds).toBeNull();
    expect(s.runs).toBe(runs);
  });

  it('has no deadline odds without a deadline', () => {
    expect(policyStats('field', [run(1, 10)], null, 5).deadlineProbability).toBeNull();
  });

  it('ranks on P90, then P50, then the order listed, when nothing else tells policies apart', () => {
    const a = policyStats('a', [run(1, 300), run(2, 500)], null, 1); // P50 300, P90 500
    const b = policyStats('b', [run(1, 200), run(2, 500)], null, 1); // P50 200, P90 500
    const c = policyStats('c', [run(1, 100), run(2, 600)], null, 1); // P50 100, P90 600
    const d = policyStats('d', [run(1, 200), run(2, 500)], null, 1); // same as b
    expect(rankPolicies([a, b, c, d]).map((p) => p.policy)).toEqual(['b', 'd', 'a', 'c']);
    expect(winnerOf([c, a])).toBe('a');
    expect(winnerOf([])).toBeNull();
    // A few ulps are no win: 13333.880449024 vs 13333.880449023998 tie, the lower P50 wins.
    const e = policyStats('e', [run(1, 13333.880449024)], null, 1);
    const f = policyStats('f', [run(1, 13333.880449023998)], null, 1);
    expect(winnerOf([e, f])).toBe('e');
    const g = policyStats('g', [run(1, 100), run(2, 13333.880449023998)], null, 1);
    expect(winnerOf([e, g])).toBe('g');
  });

  it('ranks lexicographically: VMs left behind, then deadline odds, then P90, then vCenter queue time', () => {
    // fast: 2 runs of 100 s, one VM failed in each (left 1 per run); slow: 2 runs of 900 s, none left,
    // neither run within the deadline of 500 s.
    const fast = policyStats('fast', [run(1, 100, { vmsFailed: 1 }), run(2, 100, { vmsFailed: 1 })], 500, 1);
    const slow = policyStats('slow', [run(1, 900), run(2, 900)], 500, 1);
    // Left: fast 1, slow 0 → slow first although fast meets the deadline every time and slow never.
    expect(fast.vmsLeft).toBe(1);
    expect(rankPolicies([fast, slow]).map((p) => p.policy)).toEqual(['slow', 'fast']);
    // Equal on VMs left: the deadline odds decide (sure: 2 of 2 by 500 s; late: 1 of 2), before P90.
    const sure = policyStats('sure', [run(1, 400), run(2, 450)], 500, 1); // P90 450
    const late = policyStats('late', [run(1, 100), run(2, 600)], 500, 1); // P90 600, 50 %
    const early = policyStats('early', [run(1, 300), run(2, 420)], 500, 1); // P90 420, 100 %
    expect(rankPolicies([late, sure, early]).map((p) => p.policy)).toEqual(['early', 'sure', 'late']);
    // Equal up to P90: the time operations waited in vCenter's queue decides (means 30 s and 10 s).
    const queued = policyStats('queued', [run(1, 400, { queuedSeconds: 20 }), run(2, 450, { queuedSeconds: 40 })], 500, 1);
    expect(rankPolicies([queued, sure]).map((p) => p.policy)).toEqual(['sure', 'queued']);
    expect(verdictOf([queued, sure])).toBe("sure wins on vCenter queue time: 0s per run against queued's 30s, tying with it on VMs left behind, deadline odds and P90.");
    // Skipped VMs count as left too, and the verdict names what each left, the winner included.
    const skips = policyStats('skips', [run(1, 50, { vmsSkipped: 3 }), run(2, 50, { vmsSkipped: 2 })], null, 1);
    const fails = policyStats('fails', [run(1, 50, { vmsFailed: 4 }), run(2, 50, { vmsFailed: 4 })], null, 1);
    expect(skips.vmsLeft).toBe(2.5);
    expect(verdictOf([fails, skips])).toBe(
      "skips wins on VMs left behind: 2.5 per run against fails's 4. Left on legacy storage per run (failed for good or never attempted): skips itself leaves 2.5 VMs behind per run; fails 4 VMs.",
    );
  });

  it('takes VMs left that the table shows as equal for a tie: the next criterion decides, and the verdict never reads "3.0 against 3.0"', () => {
    // 20 runs each. even: 3 left in every run (3.00 per run). odd: 3 left in 19 runs and 2 in one
    // (59 / 20 = 2.95 per run), both shown as 3.0; odd's P90 is worse (nearest rank 18 of 20: its
    // runs take 200 s, even's 100 s). Once, odd won on 2.95 against 3.00 and the verdict said
    // "odd wins on VMs left behind: 3.0 per run against even's 3.0".
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const even = policyStats('even', seeds.map((s) => run(s, 100, { vmsFailed: 3 })), null, 1);
    const odd = policyStats('odd', seeds.map((s) => run(s, 200, { vmsFailed: s === 1 ? 2 : 3 })), null, 1);
    expect([even.vmsLeft, odd.vmsLeft]).toEqual([3, 2.95]);
    expect(rankPolicies([odd, even]).map((p) => p.policy)).toEqual(['even', 'odd']);
    expect(verdictOf([odd, even])).toMatch(/^even wins on P90: 1m 40s against odd's 3m 20s, tying with it on VMs left behind\./);
    // A tenth of a VM per run shows, and decides.
    const fewer = policyStats('fewer', seeds.map((s) => run(s, 200, { vmsFailed: s <= 2 ? 2 : 3 })), null, 1); // 2.9
    expect(winnerOf([even, fewer])).toBe('fewer');
  });
});

describe('run seeds', () => {
  it('mixes with MurmurHash3’s finaliser (known values)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('are derived deterministically, distinct, and 32-bit', () => {
    const a = runSeeds(42, 10_000);
    expect(runSeeds(42, 10_000)).toEqual(a);
    expect(new Set(a).size).toBe(10_000);
    expect(a.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    // The first runs of a longer campaign are those of a shorter one.
    expect(runSeeds(42, 5)).toEqual(a.slice(0, 5));
    expect(runSeed(42, 7)).toBe(a[7]);
  });

  it('differ from one campaign seed to another, including beyond 32 bits', () => {
    const one = runSeeds(1, 100);
    for (const other of [2, 2 ** 32 + 1, -1]) {
      const seeds = runSeeds(other, 100);
      expect(seeds.filter((s) => one.includes(s)).length).toBeLessThanOrEqual(1);
    }
  });
});

describe('runMonteCarlo', () => {
  it('runs every policy on the same seeds (common random numbers), each run reproducible alone', async () => {
    const s = jittery();
    const result = await runMonteCarlo({ scenario: s, policies: ['field', 'fixed:2'], runs: 8, seed: 7, deadlineSeconds: null, workers: 1 });
    const seeds = runSeeds(7, 8);
    expect(result.policies.map((p) => p.policy)).toEqual(['field', 'fixed:2']);
    for (const p of result.policies) {
      expect(p.runs.map((r) => r.seed)).toEqual(seeds);
      expect(p.runs).toHaveLength(8);
    }
    // Run 3 of fixed:2 is simulate(fixed:2, seed of run 3): replaying it gives the same makespan.
    const replay = simulate(s, { policy: 'fixed:2', seed: seeds[3]! });
    expect(result.policies[1]!.runs[3]!.makespanSeconds).toBe(replay.makespanSeconds);
    expect(result.policies[1]!.runs[3]!.apiCalls).toBe(replay.summary.apiCalls);
    // With jitter, the seeds matter: not all runs of a policy take the same time.
    expect(new Set(result.policies[0]!.runs.map((r) => r.makespanSeconds)).size).toBeGreaterThan(1);
    expect(result.lowerBoundSeconds).toBe(lowerBound(s).seconds);
    expect(result.lowerBound.binding).toBe(lowerBound(s).binding);
    for (const p of result.policies) for (const r of p.runs) expect(r.makespanSeconds).toBeGreaterThanOrEqual(result.lowerBoundSeconds);
  });

  it('gives the same JSON with 1 and 2 workers', async () => {
    const s = jittery();
    const options = { scenario: s, policies: ['field', 'fixed:1', 'fixed:3'], runs: 7, seed: 3, deadlineSeconds: 3000 };
    const one = await runMonteCarlo({ ...options, workers: 1 });
    const two = await runMonteCarlo({ ...options, workers: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.runs).toBe(7);
    expect(one.policies.flatMap((p) => p.runs)).toHaveLength(21);
  });

  it('reports progress once per run, up to the total', async () => {
    const calls: Array<[number, number]> = [];
    await runMonteCarlo({ scenario: jittery(), policies: ['field', 'fixed:2'], runs: 3, seed: 1, deadlineSeconds: null, workers: 2, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[1, 6], [2, 6], [3, 6], [4, 6], [5, 6], [6, 6]]);
  });

  it('refuses unknown and repeated policies and a run count that is not a positive whole number', async () => {
    const base = { scenario: jittery(), runs: 2, seed: 1, deadlineSeconds: null, workers: 1 };
    await expect(runMonteCarlo({ ...base, policies: ['nonsense'] })).rejects.toBeInstanceOf(UserError);
    await expect(runMonteCarlo({ ...base, policies: ['fixed:4', ' fixed:4'] })).rejects.toThrow(/listed twice/);
    await expect(runMonteCarlo({ ...base, policies: [] })).rejects.toBeInstanceOf(UserError);
    await expect(runMonteCarlo({ ...base, policies: ['field'], runs: 0 })).rejects.toThrow(RangeError);
    await expect(runMonteCarlo({ ...base, policies: ['field'], runs: 1.5 })).rejects.toThrow(RangeError);
  });

  it('passes a failure inside a worker thread back to the caller', async () => {
    // A legacy datastore on no known array: the simulator cannot route the copy and throws.
    const s = jittery();
    const broken = { ...s, estate: { ...s.estate, datastores: s.estate.datastores.map((d) => (d.name === 'OLD-02' ? { ...d, array: null } : d)) } };
    const err = await runMonteCarlo({ scenario: broken, policies: ['fixed:2'], runs: 4, seed: 1, deadlineSeconds: null, workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/not on a known array/);
    expect((err as Error).stack).toContain('in a worker thread');
  });
});

describe('summary-only runs', () => {
  it('give exactly the summary of the full result, run after run on one prepared scenario', () => {
    // Two ways to the same figures: the Monte Carlo's summary from the run's log, and summariseRun
    // over the full result JSON. Scenarios with DRS, faults, retries, windows and skipped VMs.
    for (const c of SIMULATE_CASES.filter((x) => /^(busy|failing|windowed|cramped|poll:30s) /.test(x.name))) {
      const scenario = c.scenario();
      const prepared = new PreparedScenario(scenario);
      for (const seed of [1, 2]) {
        const policy = c.options.policy!;
        expect(prepared.summaryRun(policy, seed), `${c.name} seed ${seed}`).toEqual(summariseRun(simulate(scenario, { policy, seed }), seed));
      }
    }
  });
});

describe('the compiled worker', () => {
  it('exists and answers jobs from a real thread with what the job gives in-process', async () => {
    const script = compiledWorker('montecarlo-worker');
    expect(script).not.toBeNull();
    expect(existsSync(fileURLToPath(script!))).toBe(true);
    const s = loadScenario('scenarios/small-lab.yaml');
    const worker = new Worker(script!, { workerData: { scenario: s } });
    try {
      const job = { index: 5, policy: 'fixed:4', seed: 99 };
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(job);
      });
      expect(reply).toEqual({ index: 5, summary: runJob(new PreparedScenario(s), job) });
    } finally {
      await worker.terminate();
    }
  });
});
