// A result's fingerprint for the golden files: the SHA-256 of its canonical JSON (object keys
// sorted at every level), and a few headline figures to tell at a glance what moved when the
// fingerprint changes.
//
// `summary.events` is left out of the fingerprint: it counts the engine's own steps, a measure of
// how the simulator is built (which timers exist, how often a model wakes), not of the campaign it
// simulates. Every other field, every operation record, link and time series, is in.

import { createHash } from 'node:crypto';
import type { CompareResult } from '../../src/core/compare-result.js';
import type { SimulationResult } from '../../src/core/result.js';

export interface Golden {
  sha256: string;
  headline: Record<string, number | string | null>;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function simulationGolden(r: SimulationResult): Golden {
  const { events: _events, ...summary } = r.summary;
  const s = r.summary;
  return {
    sha256: sha256(canonicalJson({ ...r, summary })),
    headline: {
      makespanSeconds: r.makespanSeconds,
      bytesMoved: r.bytesMoved,
      operations: r.operations.length,
      svmotions: s.svmotions,
      vmotions: s.vmotions,
      retries: s.retries,
      drsMoves: s.drsMoves,
      apiCalls: s.apiCalls,
      vmsFailed: s.vmsFailed,
      vmsSkipped: s.vmsSkipped,
      hostFailures: s.hostFailures,
      queuedOperations: s.queuedOperations,
    },
  };
}

export function monteCarloGolden(r: CompareResult): Golden {
  const headline: Golden['headline'] = { winner: r.winner, lowerBoundSeconds: r.lowerBoundSeconds };
  for (const p of r.policies) {
    headline[`${p.policy} p50`] = p.p50Seconds;
    headline[`${p.policy} p90`] = p.p90Seconds;
  }
  return { sha256: sha256(canonicalJson(r)), headline };
}
