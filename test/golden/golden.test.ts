import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MONTE_CARLO_CASES, SIMULATE_CASES } from './cases.js';
import { computeMonteCarloCase, computeSimulateCase } from './compute.js';
import type { Golden } from './digest.js';

// Results fixed before the simulator's insides were rebuilt (test/golden/results.json, written by
// test/golden/write.ts). A case that differs is a changed result: either a regression, or a
// deliberate fix that must say so and rewrite the file in the same commit.
const stored = JSON.parse(readFileSync(join(import.meta.dirname, 'results.json'), 'utf8')) as Record<string, Golden>;

describe('golden results', () => {
  it('has every case stored, and nothing else', () => {
    const names = [...SIMULATE_CASES.map((c) => `simulate: ${c.name}`), ...MONTE_CARLO_CASES.map((c) => `monte carlo: ${c.name}`)];
    expect(Object.keys(stored).sort()).toEqual(names.sort());
  });

  it.each(SIMULATE_CASES.map((c) => c.name))('simulate: %s', (name) => {
    const got = computeSimulateCase(name);
    const want = stored[`simulate: ${name}`]!;
    // Headline first: when the fingerprint changes, this says which figure moved.
    expect(got.headline).toEqual(want.headline);
    expect(got.sha256).toBe(want.sha256);
  });

  it.each(MONTE_CARLO_CASES.map((c) => c.name))('monte carlo: %s', async (name) => {
    const got = await computeMonteCarloCase(name);
    const want = stored[`monte carlo: ${name}`]!;
    expect(got.headline).toEqual(want.headline);
    expect(got.sha256).toBe(want.sha256);
  });
});
