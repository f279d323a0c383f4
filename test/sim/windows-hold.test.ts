// Change windows hold: with allowOverrun false, no copy runs outside the window it started in,
// whatever the ordering, the in-flight limits, the pick, the pro-active vMotions, the retries, the
// faults, the jitter and DRS; copies that fit no window are named instead of started.

import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OperationRecord, SimulationResult } from '../../src/core/result.js';
import { dailyInterval, openIntervalAt, weeklySchedule, type WindowSchedule } from '../../src/domain/windows.js';
import { UserError } from '../../src/domain/errors.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { DEFAULT_CAMPAIGN, type CampaignSettings, type Scenario } from '../../src/scenario/scenario.js';
import { syntheticScenario } from '../../src/scenario/synthetic.js';
import { simulate } from '../../src/sim/simulate.js';

const H = 3600;
const DAY = 86400;

function scheduleOf(s: Scenario): WindowSchedule {
  const w = s.campaign.windows!;
  return weeklySchedule(w.open, w.startOffset, w.shifts);
}

/** The planner's copies that ran outside the open interval they started in. */
function overruns(r: SimulationResult, schedule: WindowSchedule): OperationRecord[] {
  return r.operations.filter((o) => {
    if (o.kind !== 'svmotion' || o.by !== undefined || o.startedAt === null || o.finishedAt === null) return false;
    const open = openIntervalAt(schedule, o.startedAt);
    return open === null || o.finishedAt > open.end + 1e-6;
  });
}

function withWindows(s: Scenario, open: Array<{ start: number; end: number }>, startOffset: number, campaign: Partial<CampaignSettings> = {}): Scenario {
  return { ...s, campaign: { ...DEFAULT_CAMPAIGN, ...campaign, windows: { open, startOffset, allowOverrun: false, text: 'test' } } };
}

describe('change windows hold', () => {
  it('drain and every other preset on the seed estate in weeknight and weekend windows: no copy runs past its window', () => {
    // Starts Monday 20:00 in Paris; the largest VMs take longer than a 10-hour weeknight at the
    // rate the saturated legacy array leaves them (drain once started a 4.4 TiB copy at 20:10 that
    // ran to the next afternoon).
    const s = loadScenario(join(import.meta.dirname, '../../scenarios/seed-estate-windowed.yaml'));
    const schedule = scheduleOf(s);
    for (const policy of ['drain', 'fixed:16']) {
      const r = simulate(s, { policy });
      expect(overruns(r, schedule).map((o) => o.vm)).toEqual([]);
      expect(r.summary.vmsMoved + r.summary.vmsFailed + r.summary.vmsSkipped).toBe(r.vmCount);
    }
  });

  it('fixed:2 in a Saturday window: a VM whose disks share one datastore is predicted at its own rate, not the mean of others', () => {
    // 120 VMs, 100 MB/s per copy stream; one window, Saturday 08:00–20:00, from a Friday 20:00
    // start. A VM on one datastore copies one stream at a time: the mean rate of VMs copying four
    // streams made its copy look four times as fast, and copies started near 20:00 ran past it.
    const base = syntheticScenario({ vms: 120, seed: 2, clusters: [4, 2], fabric: { perCopyRate: 100e6 } });
    const s = withWindows(base, [{ start: 5 * DAY + 8 * H, end: 5 * DAY + 20 * H }], 4 * DAY + 20 * H);
    const r = simulate(s, { policy: 'fixed:2' });
    expect(overruns(r, scheduleOf(s))).toEqual([]);
    expect(r.summary.vmsMoved).toBe(120);
  });

  it('names the copies that fit no window, with their size and the window they would need', () => {
    // One VM of 2 TB on one disk, a lone copy stream of 100 MB/s and 20 s of set-up: 20,020 s
    // (5 h 33 m 40 s) at the least; the only window lasts 4 h every day. fixed:2 on a cluster of 2
    // hosts runs 2 copies at most; their fair share of the 6.4 GB/s legacy array (3.2 GB/s each)
    // is far above a copy's 100 MB/s, so with 2 in flight it needs as long. A 100 GB VM fits
    // (1,020 s).
    const base = syntheticScenario({ vms: 2, seed: 1, clusters: [2], fabric: { perCopyRate: 100e6, svmotionSetupSeconds: 20 } });
    const [big, small] = base.estate.vms;
    const one = (name: string, bytes: number) => ({ ...base.estate.vms.find((v) => v.name === name)!, disks: [{ label: 'Hard disk 1', capacityBytes: bytes, allocatedBytes: bytes, thin: false, datastore: big!.disks[0]!.datastore }] });
    const estate = { ...base.estate, vms: [one(big!.name, 2e12), one(small!.name, 100e9)] };
    const open = [0, 1, 2, 3, 4, 5, 6].map((d) => dailyInterval(d, 22 * H, 2 * H));
    const s = withWindows({ ...base, estate }, open, 21 * H);
    const r = simulate(s, { policy: 'fixed:2' });
    expect(r.windowMisfits).toEqual([{ vm: big!.name, bytes: 2e12, needsSeconds: 20 + 2e12 / 100e6, inFlight: 2, longestWindowSeconds: 4 * H }]);
    const skipped = r.operations.find((o) => o.vm === big!.name)!;
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.reason).toBe('its copy fits no change window: 1.8 TiB needs a window of 5h 33m with 2 copies in flight, and the longest lasts 4h 00m');
    expect(r.summary.vmsMoved).toBe(1);
  });

  it('refuses a scenario whose longest copy fits no window even alone, counting its copy streams', () => {
    // 1 TB at 250 MB/s per stream: one disk, one stream, 4,000 s + 20 s of set-up, longer than the
    // one-hour window; the same bytes on four disks on four legacy datastores copy in four
    // streams, 1,000 s + 20 s: they fit.
    const yaml = (disks: string) =>
      [
        'fabric:',
        '  hosts: { hbaPorts: 2, portSpeed: 32Gb }',
        '  arrays: [ { name: OLD, frontEndPorts: 8, portSpeed: 32Gb }, { name: NEW, frontEndPorts: 8, portSpeed: 32Gb } ]',
        '  perCopyRate: 250MB/s',
        'campaign:',
        '  start: 2026-12-07T00:00 UTC',
        '  windows: { open: [ { days: [mon, tue, wed, thu, fri, sat, sun], from: "01:00", to: "02:00" } ] }',
        'estate:',
        '  vcenter: vc.test',
        '  arrays: { legacy: [OLD], new: [NEW] }',
        '  clusters: [ { name: LAB, hosts: [ { name: esx01 } ] } ]',
        '  datastores:',
        ...[1, 2, 3, 4].map((i) => `    - { name: OLD-0${i}, array: OLD, capacity: 4TB }`),
        '    - { name: NEW-01, array: NEW, capacity: 8TB }',
        `  vms: [ { name: big, host: esx01, memory: 8GiB, disks: [ ${disks} ] } ]`,
        '',
      ].join('\n');
    let message = '';
    try {
      parseScenario(yaml('{ size: 1TB, datastore: OLD-01 }'), 'w.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      message = (err as UserError).message;
    }
    expect(message).toBe(
      'w.yaml line 7: campaign.windows.open: the longest window lasts 1h 00m, but copying VM "big" (931.3 GiB in one copy stream at fabric.perCopyRate 238.4 MiB/s each, after 20s of set-up) takes 1h 07m at the least: no copy of it could ever start; open a longer window or set allowOverrun: true',
    );
    const four = parseScenario(yaml([1, 2, 3, 4].map((i) => `{ size: 250GB, datastore: OLD-0${i} }`).join(', ')), 'w.yaml');
    expect(four.estate.vms).toHaveLength(1);
  });

  it('holds for random windows, orderings and policy parts (property)', () => {
    const policy = fc
      .record({
        order: fc.constantFrom('largest-first', 'smallest-first', 'drain-datastore', 'priority'),
        limit: fc.oneof(
          fc.integer({ min: 1, max: 10 }).map((n) => `cluster:${n}`),
          fc.constant('cluster:half'),
          fc.integer({ min: 2, max: 40 }).map((n) => `global:${n}`),
          fc.integer({ min: 1, max: 2 }).map((k) => `host:${k}`),
          fc.integer({ min: 1, max: 12 }).map((n) => `adaptive:${n}`),
        ),
        pick: fc.constantFrom('in-order', 'host-aware'),
        vmotion: fc.constantFrom('off', 'least-busy'),
        retries: fc.integer({ min: 0, max: 2 }),
      })
      .map((p) => `order:${p.order}+${p.limit}+pick:${p.pick}+vmotion:${p.vmotion}+retries:${p.retries}:10m`);
    const window = fc.record({ day: fc.integer({ min: 0, max: 6 }), from: fc.integer({ min: 0, max: 23 }), hours: fc.integer({ min: 3, max: 60 }) });
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1000 }),
          vms: fc.integer({ min: 20, max: 90 }),
          clusters: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
          legacyPorts: fc.integer({ min: 1, max: 4 }),
          perCopy: fc.integer({ min: 40, max: 400 }),
          windows: fc.array(window, { minLength: 1, maxLength: 3 }),
          start: fc.integer({ min: 0, max: 7 * 24 - 1 }),
          policy,
          faults: fc.constantFrom(0, 0.05),
          jitter: fc.constantFrom(0, 0.2),
          drs: fc.boolean(),
        }),
        (c) => {
          const base = syntheticScenario({
            vms: c.vms,
            seed: c.seed,
            clusters: c.clusters,
            fabric: { perCopyRate: c.perCopy * 1e6, arrays: [{ name: 'VNX-LEGACY', ports: c.legacyPorts, portRate: 400e6 }, { name: 'PURE-NEW', ports: 8, portRate: 1600e6 }] },
          });
          const open = c.windows.map((w) => ({ start: w.day * DAY + w.from * H, end: w.day * DAY + (w.from + w.hours) * H }));
          const s = withWindows(base, open, c.start * H, {
            jitter: c.jitter,
            priority: ['/vm00[0-9]/'],
            faults: { ...DEFAULT_CAMPAIGN.faults, svmotion: { probability: c.faults, transientShare: 0.8 } },
            drs: c.drs ? { level: 'fully-automated', intervalSeconds: 300, maxMovesPerPass: 2, imbalanceThreshold: 0.15, driftProbability: 0.2 } : DEFAULT_CAMPAIGN.drs,
          });
          const r = simulate(s, { policy: c.policy, seed: c.seed });
          expect(overruns(r, scheduleOf(s)).map((o) => `${o.vm} ${o.startedAt}→${o.finishedAt}`)).toEqual([]);
          // Every VM is accounted for: moved, given up on, or skipped (a misfit named as such).
          expect(r.summary.vmsMoved + r.summary.vmsFailed + r.summary.vmsSkipped).toBe(r.vmCount);
          for (const m of r.windowMisfits ?? []) expect(m.needsSeconds).toBeGreaterThan(m.longestWindowSeconds);
        },
      ),
      { numRuns: 60, seed: 20261201 },
    );
  });
});
