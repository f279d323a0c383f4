import { describe, expect, it } from 'vitest';
import { solveMaxMin } from '../../src/sim/models/maxmin.js';
import { lcg } from '../helpers/lcg.js';

// Each expected rate is worked out by hand in the comment above it.
const close = (actual: Float64Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 9));
};

describe('max-min fair sharing', () => {
  it('splits one shared link equally', () => {
    // Two unbounded flows on a link of 10: 5 each.
    close(solveMaxMin({ capacities: [10], flowLinks: [[0], [0]], bounds: [Infinity, Infinity] }), [5, 5]);
  });

  it('gives a capped flow its cap and the rest to the others', () => {
    // Link 10, flow A capped at 2: A = 2, B takes the remaining 8.
    close(solveMaxMin({ capacities: [10], flowLinks: [[0], [0]], bounds: [2, Infinity] }), [2, 8]);
  });

  it('freezes flows at the first bottleneck and lets the others rise (two bottlenecks)', () => {
    // L0 = 10 carries A and B; L1 = 4 carries A and C. L1 fills first at 2 each (A, C);
    // B then takes what A leaves on L0: 10 - 2 = 8.
    close(solveMaxMin({ capacities: [10, 4], flowLinks: [[0, 1], [0], [1]], bounds: [Infinity, Infinity, Infinity] }), [2, 8, 2]);
  });

  it('shares a parking lot equally', () => {
    // L0 = L1 = 1; flow 0 crosses both, flow 1 only L0, flow 2 only L1: every link fills at 1/2.
    close(solveMaxMin({ capacities: [1, 1], flowLinks: [[0, 1], [0], [1]], bounds: [Infinity, Infinity, Infinity] }), [0.5, 0.5, 0.5]);
  });

  it('leaves capacity unused when every flow is capped below it', () => {
    // Caps 3 and 4 on a link of 100: both at their caps.
    close(solveMaxMin({ capacities: [100], flowLinks: [[0], [0]], bounds: [3, 4] }), [3, 4]);
  });

  it('handles many flows with different caps on one link', () => {
    // Link 10, caps 1, 2, 100, 100: the two small ones at their caps, the two others share 10 - 3 = 7.
    close(solveMaxMin({ capacities: [10], flowLinks: [[0], [0], [0], [0]], bounds: [1, 2, 100, 100] }), [1, 2, 3.5, 3.5]);
  });

  it('gives zero to flows on a link with no capacity', () => {
    close(solveMaxMin({ capacities: [0, 10], flowLinks: [[0, 1], [1]], bounds: [Infinity, Infinity] }), [0, 10]);
  });

  it('never exceeds a link capacity on a random system (feasibility and saturation)', () => {
    // A second method: every flow must be limited either by its bound or by a full link on which
    // it has the largest rate (the max-min optimality condition).
    const rand = lcg(7);
    for (let round = 0; round < 50; round++) {
      const m = 1 + Math.floor(rand() * 8);
      const n = 1 + Math.floor(rand() * 20);
      const capacities = Array.from({ length: m }, () => 1 + rand() * 100);
      const flowLinks = Array.from({ length: n }, () => {
        const links = new Set<number>();
        const k = 1 + Math.floor(rand() * m);
        for (let i = 0; i < k; i++) links.add(Math.floor(rand() * m));
        return [...links];
      });
      const bounds = Array.from({ length: n }, () => (rand() < 0.3 ? 1 + rand() * 30 : Infinity));
      const rates = solveMaxMin({ capacities, flowLinks, bounds });
      const load = new Array<number>(m).fill(0);
      flowLinks.forEach((links, f) => links.forEach((l) => (load[l]! += rates[f]!)));
      load.forEach((x, l) => expect(x).toBeLessThanOrEqual(capacities[l]! * (1 + 1e-9)));
      flowLinks.forEach((links, f) => {
        const atBound = Math.abs(rates[f]! - bounds[f]!) <= 1e-9 * bounds[f]!;
        const bottleneck = links.some(
          (l) => load[l]! >= capacities[l]! * (1 - 1e-9) && flowLinks.every((other, g) => !other.includes(l) || rates[g]! <= rates[f]! * (1 + 1e-9)),
        );
        expect(atBound || bottleneck).toBe(true);
      });
    }
  });
});
