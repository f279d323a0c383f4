// The plan's schedule: what starts in which change window, as the simulated run started it, with
// its instants when the campaign has a start. On the lab (test/report/fixtures.ts), worked out by hand.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, readPlan } from '../../src/app/plan.js';
import { parsePolicy } from '../../src/core/policy.js';
import { scheduleCsv, scheduleRows } from '../../src/report/schedule.js';
import { simulate } from '../../src/sim/simulate.js';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { GB, labScenario } from '../report/fixtures.js';

const H = 3600;
const PREDICTION = { p50Seconds: 1, p90Seconds: 1, runs: 1, lowerBoundSeconds: null };

/** The lab from Monday 7 December 2026 20:00 UTC, windows 20:00–21:00 and 22:00–08:00, overrun allowed; `failing` VMs' svMotions fail. */
function inTwoWindows(failing: string[] = []) {
  return {
    ...labScenario(),
    campaign: {
      ...DEFAULT_CAMPAIGN,
      calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
      windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 22 * H, end: 32 * H }], startOffset: 20 * H, allowOverrun: true, text: 'test' },
      faults: { ...DEFAULT_CAMPAIGN.faults, vms: failing },
    },
  };
}

describe('the plan’s schedule', () => {
  it('lists the VMs starting in each window, their bytes and the expected end, with instants in UTC', () => {
    // From Monday 7 December 2026 20:00 UTC, windows 20:00–21:00 and 22:00–Tuesday 08:00, overrun
    // allowed: big600, big500, small150 and small50 start at 0, big600 ends last at 6000 s (21:40);
    // big400 and big300 start at 22:00, big200 at 10 200 s, big100 at 11 200 s, the last ending
    // at 12 200 s (23:23:20). Largest first within a cluster, two at a time.
    const scenario = inTwoWindows();
    const plan = buildPlan(scenario, 'fixed:2', 1, PREDICTION);
    expect(plan.schedule).toEqual([
      {
        start: 0,
        end: H,
        startsAt: '2026-12-07T20:00:00.000Z',
        endsAt: '2026-12-07T21:00:00.000Z',
        vms: expect.arrayContaining(['big600', 'big500', 'small150', 'small50']),
        bytes: 1300 * GB,
        expectedEnd: 6000,
        expectedEndAt: '2026-12-07T21:40:00.000Z',
      },
      {
        start: 2 * H,
        end: 12 * H,
        startsAt: '2026-12-07T22:00:00.000Z',
        endsAt: '2026-12-08T08:00:00.000Z',
        vms: ['big300', 'big400', 'big200', 'big100'],
        bytes: 1000 * GB,
        expectedEnd: expect.closeTo(12_200, 3),
        expectedEndAt: '2026-12-07T23:23:20.000Z',
      },
    ]);
    // Through the file and back: run reads a plan with a schedule.
    const file = join(mkdtempSync(join(tmpdir(), 'svmig-plan-')), 'plan.json');
    writeFileSync(file, JSON.stringify(plan));
    expect(readPlan(file).schedule).toHaveLength(2);
  });

  it('lists a VM retried in a later window in each window it tries in: the retry and the failure marked', () => {
    // The same lab and windows; every svMotion of small50 fails half way (transiently), and the
    // policy tries it twice, two hours apart. small50 (50 GB at 100 MB/s: 500 s) starts at 0 in
    // the first window and fails at 250 s; its retry cannot start before 250 + 7,200 = 7,450 s,
    // inside the second window (22:00, 7,200 s – 08:00), where it fails again.
    const scenario = inTwoWindows(['small50']);
    const plan = buildPlan(scenario, 'fixed:2+retries:1:2h', 1, PREDICTION);
    const [first, second, ...rest] = plan.schedule!;
    expect(rest).toEqual([]);
    expect(first!.start).toBe(0);
    expect(second!.start).toBe(2 * H);
    expect(first!.vms).toContain('small50');
    expect(first!.failed).toEqual(['small50']);
    expect(first!.retries).toBeUndefined();
    // Listed again where its second attempt ran: a retry, failed too; its bytes are copied again there.
    expect(second!.vms).toContain('small50');
    expect(second!.retries).toEqual(['small50']);
    expect(second!.failed).toEqual(['small50']);
    expect(first!.bytes).toBe(1300 * GB);
    expect(second!.bytes).toBe(1050 * GB);
    // The report's table and schedule.csv say the same of the same run.
    const result = simulate(scenario, { policy: parsePolicy('fixed:2+retries:1:2h').spec, seed: 1 });
    expect(scheduleRows(result).map((r) => r[1])).toEqual(['4 (1 failed)', '5 (1 retry, 1 failed)']);
    const csv = scheduleCsv(result).split('\r\n').map((l) => l.split(','));
    const col = (name: string) => csv[0]!.indexOf(name);
    expect(csv.filter((r) => r[col('vm')] === 'small50').map((r) => [r[col('window_start_s')], r[col('attempt')], r[col('outcome')]])).toEqual([
      ['0', '1', 'failed'],
      [String(2 * H), '2', 'failed'],
    ]);
  });

  it('without windows or a start: by day, in seconds only', () => {
    const plan = buildPlan(labScenario(), 'fixed:2', 1, PREDICTION);
    expect(plan.schedule).toEqual([{ start: 0, end: 86_400, vms: expect.any(Array), bytes: 2300 * GB, expectedEnd: 11_000 }]);
    expect(plan.schedule![0]!.vms).toHaveLength(8);
  });
});
