import { describe, expect, it } from 'vitest';
import { dailyInterval, closingAfter, isOpen, weeklySchedule } from '../../src/domain/windows.js';
import { DEFAULT_CAMPAIGN, type CampaignSettings, type Scenario } from '../../src/scenario/scenario.js';
import type { OperationRecord } from '../../src/core/result.js';
import { simulate } from '../../src/sim/simulate.js';
import { NEW, OLD, datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

function withCampaign(s: Scenario, campaign: Partial<CampaignSettings>): Scenario {
  return { ...s, campaign: { ...DEFAULT_CAMPAIGN, ...campaign } };
}

/** `count` VMs of `bytes` round-robin over `hostCount` hosts of cluster C and `dsCount` legacy datastores. */
function spread(count: number, bytes: (i: number) => number, hostCount: number, dsCount = 1, newCount = 2) {
  const vms = Array.from({ length: count }, (_, i) =>
    vm(`vm${String(i).padStart(3, '0')}`, `C-esx${String((i % hostCount) + 1).padStart(2, '0')}`, 'C', bytes(i), `OLD-${String(i % dsCount).padStart(2, '0')}`),
  );
  const datastores = [
    ...Array.from({ length: dsCount }, (_, i) => datastore(`OLD-${String(i).padStart(2, '0')}`, 'legacy')),
    ...Array.from({ length: newCount }, (_, i) => datastore(`NEW-${String(i + 1).padStart(2, '0')}`, 'new')),
  ];
  return estate({ hosts: hosts('C', hostCount), vms, datastores });
}

describe('monitoring modes', () => {
  // fixed:1, five 100 GB copies one after the other at 100 MB/s: 1000 s each.
  const base = scenario(spread(5, () => 100 * GB, 2), openFabric({ perCopyRate: 100e6 }), 'fixed:1');

  it('push: the next copy starts the instant the last one ends (5 × 1000 s), 11 calls', () => {
    const r = simulate(base);
    expect(r.makespanSeconds).toBeCloseTo(5000, 6);
    // Calls: at t = 0 one submission and one update; at each of the 4 later hand-overs one update
    // (the end) and one submission (the start comes in the same update round); the last end: one.
    expect(r.summary.apiCalls).toBe(2 + 4 * 2 + 1);
  });

  it('poll:300s: each end is seen at the next poll, 200 s late here; 4 polls per copy', () => {
    // Copy 1 runs 0–1000 and is seen at 1200; copy 2 runs 1200–2200, seen 2400; … copy 5 runs
    // 4800–5800. Each copy is polled at 4 ticks (3 while running, 1 that sees its end): 5 × 4 polls
    // plus 5 submissions.
    const r = simulate(withCampaign(base, { monitoring: { mode: 'poll', intervalSeconds: 300 } }));
    expect(r.makespanSeconds).toBeCloseTo(5800, 6);
    expect(r.summary.apiCalls).toBe(25);
    const starts = r.operations.map((o) => o.submittedAt);
    expect(starts).toEqual([0, 1200, 2400, 3600, 4800]);
  });

  it('poll:P adds at most P per sequential copy, whatever P', () => {
    const push = simulate(base).makespanSeconds;
    for (const p of [7, 60, 333, 1000, 2500]) {
      const polled = simulate(withCampaign(base, { monitoring: { mode: 'poll', intervalSeconds: p } })).makespanSeconds;
      expect(polled).toBeGreaterThanOrEqual(push - 1e-6);
      expect(polled).toBeLessThanOrEqual(push + 5 * p + 1e-6);
    }
  });

  it('poll:P with a fractional P (12.3 s) still moves the clock on at every poll', () => {
    // A poll at n × 12.3 s computed back from the clock can round to the instant it fires at; the
    // next poll must still be later, or the campaign spins in place.
    const push = simulate(base).makespanSeconds;
    for (const p of [0.1, 12.3, 6.15 * 2]) {
      const polled = simulate(withCampaign(base, { monitoring: { mode: 'poll', intervalSeconds: p } })).makespanSeconds;
      expect(polled).toBeGreaterThanOrEqual(push - 1e-6);
      expect(polled).toBeLessThanOrEqual(push + 5 * p + 1e-6);
    }
  });

  it('vMotions stay pushed under polling (client-side tasks)', () => {
    const e = estate({ hosts: hosts('C', 6), vms: [vm('a', 'C-esx01', 'C', 300 * GB), vm('b', 'C-esx01', 'C', 200 * GB), vm('c', 'C-esx01', 'C', 100 * GB)] });
    const s = withCampaign(scenario(e, openFabric({ perCopyRate: 100e6, vmotionSetupSeconds: 10 }), 'field'), { monitoring: { mode: 'poll', intervalSeconds: 600 } });
    const r = simulate(s);
    const vmotion = r.operations.find((o) => o.kind === 'vmotion')!;
    const c = r.operations.find((o) => o.vm === 'c' && o.kind === 'svmotion')!;
    // The vMotion's end is known at once: c's svMotion is submitted when it ends, not at a poll tick.
    expect(c.submittedAt).toBe(vmotion.finishedAt);
    expect(c.submittedAt! % 600).not.toBe(0);
  });
});

describe('change windows', () => {
  // Open 20:00–06:00 every night; the campaign starts Monday 18:00.
  const H = 3600;
  const open = [0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, 20 * H, 6 * H));
  const windows = { open, startOffset: 18 * H, allowOverrun: false, text: 'nightly 20:00–06:00' };
  const schedule = weeklySchedule(open, 18 * H);
  // 60 VMs of 50–400 GB at 100 MB/s (500–4000 s each), 2 at a time: more than one night's work.
  const e = spread(60, (i) => (50 + ((i * 37) % 8) * 50) * GB, 2, 4);
  const s = withCampaign(scenario(e, openFabric({ perCopyRate: 100e6 }), 'fixed:2'), { windows });

  it('never starts an operation outside a window', () => {
    const r = simulate(s);
    expect(r.summary.vmsMoved).toBe(60);
    for (const o of r.operations) expect(isOpen(schedule, o.submittedAt), `${o.vm} at ${o.submittedAt}`).toBe(true);
    expect(r.operations[0]!.submittedAt).toBe(2 * H);
  });

  it('does not start a copy predicted to run past the window (the prediction is exact here)', () => {
    const r = simulate(s);
    for (const o of r.operations) expect(o.finishedAt!).toBeLessThanOrEqual(closingAfter(schedule, o.submittedAt) + 1e-6);
  });

  it('starts them anyway when overrun is allowed, and then some run past the close', () => {
    const r = simulate(withCampaign(s, { windows: { ...windows, allowOverrun: true } }));
    const overran = r.operations.filter((o) => o.finishedAt! > closingAfter(schedule, o.submittedAt) + 1e-6);
    expect(overran.length).toBeGreaterThan(0);
    expect(r.makespanSeconds).toBeLessThan(simulate(s).makespanSeconds);
  });
});

describe('faults and retries', () => {
  const e = spread(12, (i) => (20 + i) * GB, 4, 3);

  it('ends a run in which every attempt of one VM fails: retried as the policy says, then reported', () => {
    const s = withCampaign(scenario(e, openFabric({ perCopyRate: 100e6 }), 'host-aware'), { faults: { ...DEFAULT_CAMPAIGN.faults, vms: ['vm005'] } });
    const r = simulate(s);
    const attempts = r.operations.filter((o) => o.vm === 'vm005');
    // host-aware retries twice: 3 attempts, all failed.
    expect(attempts).toHaveLength(3);
    expect(attempts.every((o) => o.outcome === 'failed')).toBe(true);
    expect(r.summary.vmsFailed).toBe(1);
    expect(r.summary.vmsMoved).toBe(11);
    // Back-off 5 min, then 10 min, after each failure.
    expect(attempts[1]!.submittedAt - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(300 - 1e-6);
    expect(attempts[2]!.submittedAt - attempts[1]!.finishedAt!).toBeGreaterThanOrEqual(600 - 1e-6);
    // Its datastore can never be emptied.
    const ds = attempts[0]!.sourceDatastores[0]!;
    expect(r.datastoresEmptied.find((d) => d.name === ds)!.at).toBeNull();
  });

  it('ends a run in which every operation fails, without retrying permanent faults', () => {
    const s = withCampaign(scenario(e, openFabric({ perCopyRate: 100e6 }), 'host-aware'), {
      faults: { ...DEFAULT_CAMPAIGN.faults, svmotion: { probability: 1, transientShare: 0 } },
    });
    const r = simulate(s);
    expect(r.operations).toHaveLength(12);
    expect(r.summary.vmsFailed).toBe(12);
    expect(r.bytesMoved).toBe(0);
  });

  it('aborts the copies of a host that fails, and the policy retries them elsewhere', () => {
    const s = withCampaign(scenario(e, openFabric({ perCopyRate: 100e6 }), 'host-aware'), {
      faults: { ...DEFAULT_CAMPAIGN.faults, hosts: [{ host: 'C-esx04', atSeconds: 100, downSeconds: 3600 }] },
    });
    const r = simulate(s);
    const aborted = r.operations.filter((o) => o.outcome === 'failed');
    expect(aborted.length).toBeGreaterThan(0);
    for (const o of aborted) {
      expect(o.reason).toMatch(/C-esx04/);
      expect(o.finishedAt).toBe(100);
    }
    expect(r.summary.vmsMoved).toBe(12);
    expect(r.summary.hostFailures).toBe(1);
    // Nothing runs on the failed host while it is down.
    // (host-aware copies the two largest first: vm011 on esx04 and vm010 on esx03.)
    for (const o of r.operations) if (o.host === 'C-esx04' && o.startedAt !== null) expect(o.startedAt < 100 || o.startedAt >= 3700).toBe(true);
  });
});

/** Peak cost charged to any host, from the records (svMotion 8; vMotion 2 on both hosts). */
function peakHostCost(records: OperationRecord[]): number {
  const edges: Array<[number, string, number]> = [];
  for (const r of records) {
    if (r.startedAt === null || r.finishedAt === null) continue;
    const charges: Array<[string, number]> = r.kind === 'svmotion' ? [[r.host, 8]] : [[r.host, 2], [r.toHost!, 2]];
    for (const [h, c] of charges) edges.push([r.startedAt, h, c], [r.finishedAt, h, -c]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  const used = new Map<string, number>();
  let peak = 0;
  for (const [, h, c] of edges) {
    used.set(h, (used.get(h) ?? 0) + c);
    peak = Math.max(peak, used.get(h)!);
  }
  return peak;
}

describe('DRS and randomness', () => {
  const e = spread(60, (i) => (30 + ((i * 13) % 11) * 20) * GB, 6, 6);
  // Most VMs start on one host so that the field policy's pro-active vMotions pile memory elsewhere.
  const skewed = { ...e, vms: e.vms.map((v, i) => (i % 3 === 0 ? v : { ...v, host: 'C-esx01' })) };
  const fabric = openFabric({ perCopyRate: 100e6, vmotionSetupSeconds: 5 });
  const drs = (level: CampaignSettings['drs']['level']) => ({ ...DEFAULT_CAMPAIGN.drs, level, intervalSeconds: 60, driftProbability: 0.3 });

  it('fully automated DRS moves VMs during the campaign, within vCenter’s host costs', () => {
    const r = simulate(withCampaign(scenario(skewed, fabric, 'field'), { drs: drs('fully-automated') }));
    expect(r.summary.drsMoves).toBeGreaterThan(0);
    expect(r.operations.filter((o) => o.by === 'drs' && o.outcome === 'success')).toHaveLength(r.summary.drsMoves);
    expect(peakHostCost(r.operations)).toBeLessThanOrEqual(16);
    expect(r.summary.vmsMoved).toBe(60);
  });

  it('partially automated DRS moves nothing by itself', () => {
    const r = simulate(withCampaign(scenario(skewed, fabric, 'field'), { drs: drs('partially-automated') }));
    expect(r.summary.drsMoves).toBe(0);
  });

  it('gives the same result for the same seed and another for another seed, with every random factor on', () => {
    const s = withCampaign(scenario(skewed, fabric, 'field+retries:2'), {
      drs: drs('fully-automated'),
      jitter: 0.3,
      placement: 'random',
      faults: { ...DEFAULT_CAMPAIGN.faults, svmotion: { probability: 0.1, transientShare: 0.8 } },
    });
    const a = JSON.stringify(simulate(s, { seed: 11 }));
    expect(JSON.stringify(simulate(s, { seed: 11 }))).toBe(a);
    expect(JSON.stringify(simulate(s, { seed: 12 }))).not.toBe(a);
  });

  it('without random factors, the seed changes nothing', () => {
    const s = scenario(skewed, fabric, 'field');
    expect(simulate(s, { seed: 1 }).makespanSeconds).toBe(simulate(s, { seed: 2 }).makespanSeconds);
  });
});

describe('adaptive concurrency', () => {
  it('settles near the knee of a single bottleneck and gets within 10 % of its bound', () => {
    // 2,000 MB/s of legacy array, 100 MB/s per copy: 20 copies fill it. 16 hosts (32 slots), 16
    // legacy and 4 new datastores (8 copies each) so that vCenter's limits are not what binds.
    // 400 VMs of 100 GB: 40 TB take at least 40e12 / 2e9 = 20,000 s.
    const e = spread(400, () => 100 * GB, 16, 16, 4);
    const fabric = openFabric({ perCopyRate: 100e6, arrays: [{ name: OLD, ports: 1, portRate: 2000e6 }, { name: NEW, ports: 1, portRate: 1e12 }] });
    const r = simulate(scenario(e, fabric, 'adaptive:4:64:10m'));
    expect(r.makespanSeconds).toBeLessThan(20000 * 1.1);
    expect(r.summary.peakConcurrentCopies).toBeLessThanOrEqual(32);
    // Half-way through, the array runs full.
    const at = (t: number) => [...r.throughput].reverse().find(([s]) => s <= t)![1];
    expect(at(10000)).toBeGreaterThan(0.95 * 2000e6);
    // Past the start, the limit stays at or above the knee (20) and within vCenter's 32.
    const settled = r.adaptive!.filter((h) => h.at >= 3600 && h.at <= 18000);
    expect(settled.length).toBeGreaterThan(10);
    for (const h of settled) expect(h.limit).toBeGreaterThanOrEqual(20);
  });
});
