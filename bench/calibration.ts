// The calibration proof over many seeds (test/calibrate/proof.ts): for each seed, the harness draws
// its own copy factors and production-load curve; svmig runs a 10 % pilot, calibrates, forecasts
// the rest and runs it. Prints, per seed, the forecast (P10 / P50 / P90) against the observed end of
// the rest, in seconds of the harness's world, and the median absolute error of P50.
//
//   npm run bench -- calibration-lab calibration-500      (SVMIG_BENCH_SEEDS=3 for fewer than 10)

import { ESTATE_500, runProof, SMALL_LAB, type ProofCase } from '../test/calibrate/proof.js';

function seeds(): number[] {
  const n = Number(process.env['SVMIG_BENCH_SEEDS'] ?? 10);
  return Array.from({ length: Number.isInteger(n) && n > 0 ? n : 10 }, (_, i) => i + 1);
}

const pad = (s: string, n: number) => s.padStart(n);
const h = (s: number) => `${(s / 3600).toFixed(2)} h`;

async function proofOver(c: ProofCase): Promise<string[]> {
  const lines = [`calibration proof: ${c.name}, pilot ${c.pilot}, policy ${c.policy}, harness ${(c.relocate.bytesPerSecond! / 1e6).toFixed(0)} MB/s per stream, link ${((c.relocate.link?.bytesPerSecond ?? 0) / 1e6).toFixed(0)} MB/s, time × ${c.relocate.timeScale}`];
  lines.push(`${pad('seed', 4)} ${pad('pilot', 5)} ${pad('rate fit', 11)} ${pad('from history', 12)} ${pad('P10', 8)} ${pad('P50', 8)} ${pad('P90', 8)} ${pad('observed', 9)} ${pad('error', 7)} ${pad('in P10–P90', 10)} ${pad('wall', 6)}`);
  const errors: number[] = [];
  let inside = 0;
  for (const seed of seeds()) {
    try {
      const r = await runProof(c, seed);
      const rateOf = (x: Record<string, unknown>) => (x['parameters'] as { perCopyRate: { value: number } }).perCopyRate.value;
      const rate = rateOf(r.calibration);
      errors.push(Math.abs(r.error));
      if (r.withinP10P90) inside++;
      lines.push(
        `${pad(String(seed), 4)} ${pad(String(r.pilotVms), 5)} ${pad(`${(rate / 1e6).toFixed(1)} MB/s`, 11)} ${pad(`${(rateOf(r.historyCalibration) / 1e6).toFixed(1)} MB/s`, 12)} ${pad(h(r.forecast.p10Seconds), 8)} ${pad(h(r.forecast.p50Seconds), 8)} ${pad(h(r.forecast.p90Seconds), 8)} ${pad(h(r.observedSeconds), 9)} ${pad(`${(r.error * 100).toFixed(1)}%`, 7)} ${pad(r.withinP10P90 ? 'yes' : 'no', 10)} ${pad(`${r.wallSeconds.toFixed(0)}s`, 6)}`,
      );
    } catch (err) {
      // The first line only: a failed command's message carries all it printed.
      lines.push(`${pad(String(seed), 4)} failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300)}`);
    }
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
  const sorted = [...errors].sort((a, b) => a - b);
  const median = sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  lines.push(`median |error| of P50 ${(median * 100).toFixed(1)} %, max ${((sorted[sorted.length - 1] ?? NaN) * 100).toFixed(1)} %; observed end within P10–P90 in ${inside} of ${errors.length}`);
  return lines;
}

export const benchCalibrationLab = () => proofOver(SMALL_LAB);
export const benchCalibration500 = () => proofOver(ESTATE_500);
