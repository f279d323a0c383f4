// The plan's schedule: what starts in which change window, as the simulated run started it, with
// its instants when the campaign has a start. On the lab (test/report/fixtures.ts), worked out by hand.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, readPlan } from '../../src/app/plan.js';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { GB, labScenario } from '../report/fixtures.js';

const H = 3600;
const PREDICTION = { p50Seconds: 1, p90Seconds: 1, runs: 1, lowerBoundSeconds: null };

describe('the plan’s schedule', () => {
  it('lists the VMs starting in each window, their bytes and the expected end, with instants in UTC', () => {
    // From Monday 7 December 2026 20:00 UTC, windows 20:00–21:00 and 22:00–Tuesday 08:00, overrun
    // allowed: big600, big500, small150 and small50 start at 0, big600 ends last at 6000 s (21:40);
    // big400 and big300 start at 22:00, big200 at 10 200 s, big100 at 11 200 s, the last ending
    // at 12 200 s (23:23:20). Largest first within a cluster, two at a time.
    const s = labScenario();
    const scenario = {
      ...s,
      campaign: {
        ...DEFAULT_CAMPAIGN,
        calendar: { startMs: Date.UTC(2026, 11, 7, 20, 0), zone: 'UTC' },
        windows: { open: [{ start: 20 * H, end: 21 * H }, { start: 22 * H, end: 32 * H }], startOffset: 20 * H, allowOverrun: true, text: 'test' },
      },
    };
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

  it('without windows or a start: by day, in seconds only', () => {
    const plan = buildPlan(labScenario(), 'fixed:2', 1, PREDICTION);
    expect(plan.schedule).toEqual([{ start: 0, end: 86_400, vms: expect.any(Array), bytes: 2300 * GB, expectedEnd: 11_000 }]);
    expect(plan.schedule![0]!.vms).toHaveLength(8);
  });
});
