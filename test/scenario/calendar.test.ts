// campaign.start: a date, a time and a zone; change windows read in that zone's local time, through
// its daylight-saving changes. The simulated campaign is checked against the wall clock as Intl reads
// it for each instant, not against the window code it exercises.

import { describe, expect, it } from 'vitest';
import { wallClock } from '../../src/domain/calendar.js';
import { UserError } from '../../src/domain/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

const H = 3600;

function scenario(campaign: string[]): string {
  return [
    'name: dst',
    'policy: fixed:2',
    'fabric:',
    '  hosts: { hbaPorts: 2, portSpeed: 16Gb }',
    '  arrays:',
    '    - { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }',
    '    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }',
    '  perCopyRate: 10MB/s',
    'campaign:',
    ...campaign.map((l) => `  ${l}`),
    'estate:',
    '  synthetic:',
    '    vcenter: vc.test',
    '    clusters: [ { name: C1, hosts: 4 } ]',
    '    vms: 60',
    '    vmSize: { median: 200GiB, sigma: 0.5, min: 50GiB, max: 1TiB }',
    '    legacy: { array: OLD, datastoresPerCluster: 1 }',
    '    new: { array: NEW, capacity: 16TiB, fill: 70% }',
    '',
  ].join('\n');
}

function errorOf(text: string): string {
  try {
    parseScenario(text, 'scenarios/dst.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('the scenario was accepted');
}

const WEEKEND = ['windows:', '  open:', '    - { days: [sat], from: "08:00", to: "24:00" }', '    - { days: [sun] }', '    - { days: [mon], from: "00:00", to: "06:00" }'];

describe('campaign.start', () => {
  it('reads a date, a time and a zone into the calendar', () => {
    const s = parseScenario(scenario(['start: 2026-12-05T20:00 Europe/Paris']), 'dst.yaml');
    // 20:00 CET is 19:00 UTC.
    expect(s.campaign.calendar).toEqual({ startMs: Date.UTC(2026, 11, 5, 19), zone: 'Europe/Paris' });
  });

  it('leaves a scenario without it on durations alone, windows anchored as before', () => {
    const s = parseScenario(scenario(['windows:', '  start: 2026-12-04T20:00', ...WEEKEND.slice(1)]), 'dst.yaml');
    expect(s.campaign.calendar).toBeNull();
    // Friday 20:00 is 4 days 20 hours after Monday 00:00; no zone, no clock changes.
    expect(s.campaign.windows).toMatchObject({ startOffset: 4 * 86400 + 20 * H });
    expect(s.campaign.windows!.shifts).toBeUndefined();
  });

  it('names the field and the line of what is wrong', () => {
    expect(errorOf(scenario(['start: 2026-12-05T20:00']))).toBe(
      'scenarios/dst.yaml line 10: campaign.start: "2026-12-05T20:00" has no time zone (write it like 2026-12-05T20:00 Europe/Paris, or with an offset such as +01:00)',
    );
    expect(errorOf(scenario(['start: 2026-12-05T20:00 Mars/Olympus']))).toMatch(/^scenarios\/dst\.yaml line 10: campaign\.start: "Mars\/Olympus" is not a time zone known to this Node\.js/);
    expect(errorOf(scenario(['start: 2027-03-28T02:30 Europe/Paris']))).toMatch(/line 10: campaign\.start: "2027-03-28T02:30 Europe\/Paris" does not exist in Europe\/Paris/);
    expect(errorOf(scenario(['start: 2026-12-05T20:00 UTC', 'windows:', '  start: 2026-12-04T20:00', ...WEEKEND.slice(1)]))).toBe(
      'scenarios/dst.yaml line 12: campaign.windows.start: campaign.start already says when the campaign starts: remove windows.start',
    );
    expect(errorOf(scenario(WEEKEND))).toMatch(/^scenarios\/dst\.yaml line 10: campaign\.windows\.start: the windows need the campaign's start: set campaign\.start/);
  });
});

describe('a windowed campaign through the spring change of Europe/Paris (2027-03-28)', () => {
  // Friday 19 Mar 2027 12:00 CET. Weekend windows Saturday 08:00 – Monday 06:00: the second weekend
  // holds the change (Sunday 02:00 CET → 03:00 CEST), the third is all summer time. One legacy
  // datastore, so that every copy is one stream at the per-copy rate and the planner's prediction of
  // when a copy ends is exact: nothing overruns a window.
  const s = parseScenario(scenario(['start: 2027-03-19T12:00 Europe/Paris', ...WEEKEND]), 'dst.yaml');
  const r = simulate(s);
  const local = (seconds: number) => wallClock('Europe/Paris', s.campaign.calendar!.startMs + seconds * 1000);
  /** Minutes into the weekend window (Saturday 08:00 = 0, Monday 06:00 = 2760), or null outside it. */
  const intoWeekend = (seconds: number): number | null => {
    const w = local(seconds);
    const minutes = (w.weekday - 5) * 1440 + w.hour * 60 + w.minute - 8 * 60;
    if (w.weekday === 5 || w.weekday === 6) return minutes >= 0 ? minutes : null;
    if (w.weekday === 0) return w.hour * 60 + w.minute < 6 * 60 || (w.hour === 6 && w.minute === 0 && w.second === 0) ? 2 * 1440 - 8 * 60 + w.hour * 60 + w.minute : null;
    return null;
  };

  it('moves every VM, over weekends before, across and after the change', () => {
    expect(r.summary.vmsMoved).toBe(60);
    // The Saturday each copy was submitted in the weekend of: Monday is two days after it.
    const saturday = (seconds: number) => {
      const w = local(seconds - ((local(seconds).weekday + 2) % 7) * 86400);
      return `${w.month}-${w.day}`;
    };
    const weekends = new Set(r.operations.map((o) => saturday(o.submittedAt)));
    expect([...weekends]).toEqual(expect.arrayContaining(['3-20', '3-27', '4-3']));
  });

  it('starts and ends every copy inside a window, by the Paris wall clock', () => {
    for (const o of r.operations) {
      expect(intoWeekend(o.submittedAt), `${o.vm} submitted ${JSON.stringify(local(o.submittedAt))}`).not.toBeNull();
      expect(intoWeekend(o.finishedAt!), `${o.vm} finished ${JSON.stringify(local(o.finishedAt!))}`).not.toBeNull();
    }
  });

  it('opens the weekend after the change at 08:00 summer time, not an hour late', () => {
    const third = r.operations.filter((o) => local(o.submittedAt).month === 4).map((o) => o.submittedAt);
    const first = local(Math.min(...third));
    expect([first.day, first.hour, first.minute]).toEqual([3, 8, 0]);
  });
});
