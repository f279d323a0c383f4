// The simulator's safety net: a campaign that cannot progress ends with one sentence saying what is
// stuck, after its budget of events, instead of spinning for ever. (Loading refuses what is
// impossible on its face; these scenarios are built in code, past the loader, to reach the net.)

import { describe, expect, it } from 'vitest';
import { eventBudget } from '../../src/domain/limits.js';
import { DEFAULT_CAMPAIGN } from '../../src/scenario/scenario.js';
import { simulate } from '../../src/sim/simulate.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

describe('event budget of a simulation', () => {
  it('ends a campaign whose only window is too short for its copy: the VM is named and left, not waited for', () => {
    // One 1 TB VM at 250 MB/s needs 4,000 s; the window is open 60 s a week, and overrun is not
    // allowed. The planner names it among the copies that fit no window, and the campaign ends at
    // once instead of running through its event budget.
    const s = scenario(estate({ hosts: hosts('C', 1), vms: [vm('big', 'C-esx01', 'C', 1e12)] }), openFabric({ perCopyRate: 250e6 }));
    s.campaign = { ...DEFAULT_CAMPAIGN, windows: { open: [{ start: 0, end: 60 }], startOffset: 0, allowOverrun: false, text: 'mon 00:00–00:01' } };
    const r = simulate(s);
    expect(r.makespanSeconds).toBe(0);
    expect(r.summary.vmsSkipped).toBe(1);
    expect(r.windowMisfits).toEqual([{ vm: 'big', bytes: 1e12, needsSeconds: 4000, inFlight: 1, longestWindowSeconds: 60 }]);
  });

  it('grows with the estate: a million events and two thousand per VM', () => {
    expect(eventBudget(0)).toBe(1_000_000);
    expect(eventBudget(3000)).toBe(7_000_000);
  });

  it('leaves a campaign that finishes alone', () => {
    const s = scenario(estate({ hosts: hosts('C', 2), vms: [vm('a', 'C-esx01', 'C', 1e11), vm('b', 'C-esx02', 'C', 2e11)] }), openFabric({ perCopyRate: 250e6 }));
    // 2e11 bytes at 250 MB/s: 800 s, one copy at a time under fixed:1, after the 400 s one.
    expect(simulate(s).makespanSeconds).toBeCloseTo(1200, 6);
  });
});
