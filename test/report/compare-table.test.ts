import { describe, expect, it } from 'vitest';
import { renderCompareTable } from '../../src/report/compare-table.js';
import { deadlineVerdict } from '../../src/report/summary.js';
import type { CompareResult, PolicyStats } from '../../src/core/compare-result.js';
import { TiB } from '../../src/domain/units.js';

function stats(policy: string, p50: number, p90: number, p99: number, extra: Partial<PolicyStats> = {}): PolicyStats {
  return {
    policy,
    p50Seconds: p50,
    p90Seconds: p90,
    p99Seconds: p99,
    deadlineProbability: null,
    vmotions: 0,
    apiCalls: 100,
    bytesPerHour: 2 * TiB,
    ratioToLowerBound: p50 / 3600,
    meanSeconds: p50,
    bytesMoved: 0,
    queuedSeconds: 0,
    vmsFailed: 0,
    firstLegacyEmptyP50Seconds: 600,
    lastLegacyEmptyP50Seconds: p50,
    vmsMoved: 40,
    vmsSkipped: 0,
    vmsLeft: 0,
    legacyDatastores: 12,
    legacyDatastoresEmptiedP50: 12,
    allLegacyEmptyP50Seconds: p50,
    runs: [],
    ...extra,
  };
}

function result(policies: PolicyStats[], deadlineSeconds: number | null = null): CompareResult {
  return {
    scenario: 'lab',
    seed: 9,
    runs: 50,
    deadlineSeconds,
    lowerBoundSeconds: 3600,
    policies,
    scenarioFile: null,
    lowerBound: {
      seconds: 3600,
      binding: 'OLD front-end out',
      parts: [{ kind: 'legacy-array', name: 'OLD front-end out', seconds: 3600, explanation: '2.0 TiB must be read through OLD’s front-end ports.' }],
    },
    winner: null,
    percentileMethod: 'nearest-rank',
  };
}

describe('renderCompareTable', () => {
  it('prints one aligned row per policy, best first, the winner with why, and the binding part of the bound', () => {
    const text = renderCompareTable(
      result(
        [
          stats('field', 2 * 3600, 3 * 3600, 4 * 3600, { vmotions: 12.26, apiCalls: 1234.4, deadlineProbability: 0.95, queuedSeconds: 5400, vmsFailed: 2.5, vmsMoved: 37.5, vmsLeft: 2.5, legacyDatastoresEmptiedP50: 10, allLegacyEmptyP50Seconds: null }),
          stats('fixed:4', 5400, 9000, 9000, { deadlineProbability: 1, firstLegacyEmptyP50Seconds: null, lastLegacyEmptyP50Seconds: null }),
        ],
        86400,
      ),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('lab · 50 runs per policy · seed 9 · deadline 1d 00h 00m');
    const header = lines[2]!;
    expect(header.trim().split(/ {2,}/)).toEqual(['#', 'Policy', 'Moved', 'Failed', 'Left', 'P50', 'P90', 'P99', '≤ 1d 00h 00m', 'vCenter queue', 'DS emptied', 'First DS empty', 'All DS empty', 'TiB/h', 'vMotions', 'API calls', '× bound']);
    // fixed:4 leaves nothing behind: first, although field is listed first.
    const fixed = lines[3]!;
    expect(fixed.trim().split(/ {2,}/)).toEqual(['1', 'fixed:4', '40', '0', '0', '1h 30m', '2h 30m', '2h 30m', '100.0 %', '0s', '12 of 12', 'never', '1h 30m', '2.00', '0', '100', '1.50×']);
    const field = lines[4]!;
    expect(field.trim().split(/ {2,}/)).toEqual(['2', 'field', '37.5', '2.5', '2.5', '2h 00m', '3h 00m', '4h 00m', '95.0 %', '1h 30m', '10 of 12', '10m 00s', 'never', '2.00', '12.3', '1,234.4', '2.00×']);
    // Right-aligned: every row as long as the header.
    expect(field.length).toBe(header.length);
    expect(fixed.length).toBe(header.length);
    expect(text).toContain('Winner: fixed:4, P90 2h 30m, 2.50× the lower bound.');
    expect(text).toContain("fixed:4 wins on VMs left behind: 0 per run against field's 2.5.");
    expect(text).toContain('Legacy datastores never emptied (P50 run): field 2 of 12.');
    expect(text).not.toContain('Last DS empty');
    expect(text).toContain('Lower bound: 1h 00m, set by OLD front-end out: 2.0 TiB must be read through OLD’s front-end ports.');
  });

  it('has no deadline column without a deadline, and says what decided between policies that tie before it', () => {
    const text = renderCompareTable(result([stats('a', 4000, 5000, 6000), stats('b', 3000, 5000, 6000), stats('c', 3000, 5000, 7000)]));
    expect(text.split('\n')[0]).toBe('lab · 50 runs per policy · seed 9');
    expect(text).not.toContain('≤');
    // b and c tie on everything before P50 (and c = b on P50 too): b first as listed, then c, then a.
    expect(text.split('\n').slice(3, 6).map((l) => l.trim().split(/ {2,}/)[1])).toEqual(['b', 'c', 'a']);
    expect(text).toContain('b ties with c on every count and comes first as listed.');
  });
});

describe('renderCompareTable with a calendar', () => {
  // Saturday 24 Oct 2026 20:00 CEST = 18:00 UTC; Paris goes back to CET at 01:00 UTC on Sunday.
  const calendar = { startMs: Date.UTC(2026, 9, 24, 18), zone: 'Europe/Paris' };

  it('gives the start, the deadline and the winner’s P90 end as Paris dates with their durations', () => {
    const text = renderCompareTable(result([stats('fixed:4', 5400, 9 * 3600, 10 * 3600, { deadlineProbability: 1 })], 12 * 3600), calendar);
    const lines = text.split('\n');
    // Deadline 12 h after 18:00 UTC: 06:00 UTC, 07:00 CET. P90 9 h: 03:00 UTC, 04:00 CET.
    expect(lines[0]).toBe('lab · 50 runs per policy · seed 9 · starts Sat 24 Oct 2026 20:00 CEST · deadline Sun 25 Oct 2026 07:00 CET (12h 00m)');
    expect(text).toContain('  Winner: fixed:4, P90 ends Sun 25 Oct 2026 04:00 CET (9h 00m), 9.00× the lower bound.');
    // The P90 end of each policy as a date in the table.
    expect(lines[2]).toContain('P90 ends');
    expect(lines[3]).toContain('Sun 25 Oct 2026 04:00 CET');
  });
});

describe('deadlineVerdict', () => {
  it('says met or missed, by how much, with the deadline as a date when there is a calendar', () => {
    const calendar = { startMs: Date.UTC(2026, 11, 5, 19), zone: 'Europe/Paris' };
    // 17 Dec 06:00 CET is 11 days 10 hours after 5 Dec 20:00 CET.
    const deadline = 11 * 86400 + 10 * 3600;
    expect(deadlineVerdict(deadline, deadline - 48 * 60, calendar)).toBe('Deadline Thu 17 Dec 2026 06:00 CET (11d 10h 00m): met, with 48m 00s to spare');
    expect(deadlineVerdict(deadline, deadline + 3600, calendar)).toBe('Deadline Thu 17 Dec 2026 06:00 CET (11d 10h 00m): MISSED by 1h 00m');
    expect(deadlineVerdict(86400, 3600)).toBe('Deadline 1d 00h 00m: met, with 23h 00m to spare');
  });
});
