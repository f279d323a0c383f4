// The proof of a calibration against vcsim (test/calibrate/proof.ts): a pilot of 10 % of the small
// lab, run by svmig against a harness that copies at 160 MB/s per stream (the scenario says 250)
// through a shared 700 MB/s link that production load eats 15 to 45 % of, then calibrate, forecast
// and the rest. Every figure is in seconds of the harness's world (task timestamps × timeScale),
// never wall time: the outcome does not depend on the machine's speed.

import { describe, expect, it } from 'vitest';
import { runProof, SMALL_LAB } from './proof.js';

describe('calibration proof against vcsim', () => {
  it('forecasts the rest of the small lab from a 10 % pilot: P50 within 10 % of the observed end, which falls within P10–P90', async () => {
    const r = await runProof(SMALL_LAB, 1);
    const figures = `forecast P10 ${r.forecast.p10Seconds.toFixed(0)} s, P50 ${r.forecast.p50Seconds.toFixed(0)} s, P90 ${r.forecast.p90Seconds.toFixed(0)} s; observed ${r.observedSeconds.toFixed(0)} s`;
    expect(r.pilotVms, figures).toBe(5);
    expect(r.restVms, figures).toBe(45);
    // The harness's copy rate is not the scenario's: the fit must have moved away from 250 MB/s.
    const rateOf = (c: Record<string, unknown>) => (c['parameters'] as { perCopyRate: { value: number } }).perCopyRate.value;
    const rate = rateOf(r.calibration);
    expect(rate, figures).toBeLessThan(220e6);
    // vCenter's task and event history tells the same pilot: the same five copies, a rate close to the journal's.
    expect((r.historyCalibration['observations'] as { succeeded: number }).succeeded, figures).toBe(5);
    expect(Math.abs(rateOf(r.historyCalibration) / rate - 1), figures).toBeLessThan(0.15);
    process.stdout.write(`calibration proof, small lab, seed 1: ${figures}; error ${(r.error * 100).toFixed(1)} %; per-copy rate ${(rate / 1e6).toFixed(1)} MB/s (journal), ${(rateOf(r.historyCalibration) / 1e6).toFixed(1)} MB/s (history)\n`);
    expect(Math.abs(r.error), figures).toBeLessThanOrEqual(0.1);
    expect(r.withinP10P90, figures).toBe(true);
    // The rest's own run forecast its end as it went, and journaled each forecast.
    expect(r.liveForecasts.length, figures).toBeGreaterThan(0);
  }, 900_000);
});
