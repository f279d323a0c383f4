import { describe, expect, it } from 'vitest';
import { DistributionError, draw, formatDistribution, mean, parseDistribution, quantile, type Distribution, type QuantitySpec } from '../../src/domain/distribution.js';
import { parseRate } from '../../src/domain/units.js';

const factor: QuantitySpec = { value: (t) => Number(t) };
const fraction: QuantitySpec = { value: (t) => Number(t), min: 0, max: 1 };
const anyReal: QuantitySpec = { value: (t) => Number(t), min: -Infinity };

// Expected values below were worked out by hand from the closed forms, or, for the normal ones,
// with Python's statistics.NormalDist (an implementation independent of this module).

describe('quantiles', () => {
  it('triangular: both branches of the inverse CDF', () => {
    const d = parseDistribution('triangular(0.1, 0.2, 0.4)', factor);
    // F(mode) = (0.2 − 0.1) / (0.4 − 0.1) = 1/3.
    // u = 1/6 < 1/3: a + √(u (b − a)(c − a)) = 0.1 + √(1/6 · 0.3 · 0.1) = 0.1 + √0.005
    expect(quantile(d, 1 / 6)).toBeCloseTo(0.1 + Math.sqrt(0.005), 12);
    // u = 0.5 > 1/3: b − √((1 − u)(b − a)(b − c)) = 0.4 − √(0.5 · 0.3 · 0.2) = 0.4 − √0.03
    expect(quantile(d, 0.5)).toBeCloseTo(0.2267949192431123, 12);
    expect(quantile(d, 1 / 3)).toBeCloseTo(0.2, 12);
    expect(quantile(d, 0)).toBe(0.1);
    expect(quantile(d, 1)).toBeCloseTo(0.4, 12);
    expect(mean(d)).toBeCloseTo(0.7 / 3, 12);
  });

  it('uniform and fixed', () => {
    expect(quantile(parseDistribution('uniform(0.8, 1.2)', factor), 0.25)).toBeCloseTo(0.9, 12);
    expect(quantile(parseDistribution('0.25', fraction), 0.9)).toBe(0.25);
    expect(quantile(parseDistribution(0.25, fraction), 0.1)).toBe(0.25);
    expect(parseDistribution('fixed(2)', factor)).toEqual({ kind: 'fixed', value: 2 });
  });

  it('normal, untruncated, matches Φ⁻¹ to 1e-7', () => {
    const d = parseDistribution('normal(0, 1)', anyReal);
    expect(quantile(d, 0.975)).toBeCloseTo(1.9599639845400536, 7);
    expect(quantile(d, 0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(quantile(d, 0.3)).toBeCloseTo(-0.5244005127080407, 7);
    expect(quantile(d, 0.5)).toBeCloseTo(0, 9);
  });

  it('normal is truncated to the domain: normal(1, 0.5) on [0, ∞)', () => {
    const d = parseDistribution('normal(1, 0.5)', factor);
    // The median of the truncated law: Φ⁻¹(Φ(−2) + 0.5 (1 − Φ(−2))) · 0.5 + 1.
    expect(quantile(d, 0.5)).toBeCloseTo(1.0142584632954588, 6);
    expect(quantile(d, 0)).toBe(0);
    // Mean of a normal truncated below at α = −2: μ + σ φ(α) / (1 − Φ(α)).
    expect(mean(d)).toBeCloseTo(1.027623931339495, 5);
  });

  it('lognormal by median and sigma, truncated to the domain', () => {
    const d = parseDistribution('lognormal(1, 0.2)', factor);
    expect(quantile(d, 0.5)).toBeCloseTo(1, 9);
    // The 90th percentile: exp(0.2 · Φ⁻¹(0.9)).
    expect(quantile(d, 0.9)).toBeCloseTo(1.292153637945265, 6);
    // lognormal(100, 0.5) on [0, 150]: median exp(ln 100 + 0.5 Φ⁻¹(0.5 Φ(ln 1.5 / 0.5))).
    const capped = parseDistribution('lognormal(100, 0.5)', { value: Number, max: 150 });
    expect(quantile(capped, 0.5)).toBeCloseTo(87.60664804643945, 4);
    expect(quantile(capped, 0.999999)).toBeLessThanOrEqual(150);
  });

  it('every kind is non-decreasing in u, so common random numbers keep draws in order', () => {
    const kinds = ['triangular(0.1, 0.2, 0.4)', 'uniform(0.8, 1.2)', 'normal(1, 0.3)', 'lognormal(1, 0.4)', 'fixed(1)'];
    for (const text of kinds) {
      const d = parseDistribution(text, factor);
      let last = -Infinity;
      for (let i = 0; i <= 1000; i++) {
        const q = quantile(d, i / 1000);
        expect(q, `${text} at ${i / 1000}`).toBeGreaterThanOrEqual(last);
        last = q;
      }
    }
  });

  it('a wider spread moves each quantile away from the mode, not elsewhere (paired draws)', () => {
    const narrow = parseDistribution('triangular(0.15, 0.2, 0.3)', fraction);
    const wide = parseDistribution('triangular(0.1, 0.2, 0.4)', fraction);
    expect(quantile(wide, 0.95)).toBeGreaterThan(quantile(narrow, 0.95));
    expect(quantile(wide, 0.02)).toBeLessThan(quantile(narrow, 0.02));
  });
});

describe('draws', () => {
  it('take exactly one uniform number each', () => {
    let calls = 0;
    const random = () => {
      calls++;
      return 0.5;
    };
    for (const text of ['triangular(0.1, 0.2, 0.4)', 'normal(1, 0.3)', 'lognormal(1, 0.4)', 'uniform(0, 1)', '1']) draw(parseDistribution(text, factor), random);
    expect(calls).toBe(5);
  });

  it('sample means approach the analytic mean (second method: Monte Carlo)', () => {
    // mulberry32: a small generator independent of seedrandom and of the code under test.
    let state = 12345;
    const lcg = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    const d = parseDistribution('triangular(0.1, 0.2, 0.4)', fraction);
    let s = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) s += draw(d, lcg);
    // The law's sd is √((a² + b² + c² − ab − ac − bc) / 18) = √(0.07 / 18) ≈ 0.062, so the mean of
    // 200,000 draws has a standard error of 0.00014: ±0.0005 is 3.5 of them.
    expect(Math.abs(s / n - 0.7 / 3)).toBeLessThan(0.0005);
  });
});

describe('reading and writing', () => {
  it('reads values through the field’s unit parser', () => {
    const d = parseDistribution('triangular(80MB/s, 100 MB/s, 0.12GB/s)', { value: parseRate });
    expect(d).toEqual({ kind: 'triangular', low: 80e6, mode: 100e6, high: 120e6 });
  });

  it('writes what it reads', () => {
    const all: Distribution[] = [
      { kind: 'fixed', value: 0.3 },
      { kind: 'uniform', low: 0.1, high: 0.2 },
      { kind: 'triangular', low: 0.1, mode: 0.2, high: 0.4 },
      { kind: 'normal', mean: 0.5, sd: 0.1, low: 0, high: 1 },
      { kind: 'lognormal', median: 0.5, sigma: 0.3, low: 0, high: 1 },
    ];
    for (const d of all) expect(parseDistribution(formatDistribution(d), fraction)).toEqual(d);
  });

  it.each([
    ['triangular(0.4, 0.2, 0.1)', /low ≤ mode ≤ high/],
    ['triangular(0.1, 0.2)', /takes 3 arguments \(low, mode, high\).*got 2/],
    ['gamma(1, 2)', /unknown distribution "gamma" \(known: fixed, uniform, triangular, normal, lognormal/],
    ['triangular(0.1, 0.2, 1.4)', /triangular's high 1.4 lies outside \[0, 1\]/],
    ['uniform(0.5, 0.5)', /low \(0.5\) must be below its high/],
    ['normal(0.5, 0)', /sd must be more than 0/],
    ['normal(1.5, 0.1)', /mean 1.5 lies outside \[0, 1\]/],
    ['lognormal(0.5, x)', /sigma "x" is not a plain number/],
    ['triangular(0.1, abc, 0.3)', /triangular's mode "abc" is not a valid value/],
    ['1.5', /the value 1.5 lies outside \[0, 1\]/],
  ])('refuses %s with a sentence naming the part at fault', (text, message) => {
    expect(() => parseDistribution(text, { value: strictNumber, min: 0, max: 1 })).toThrow(DistributionError);
    expect(() => parseDistribution(text, { value: strictNumber, min: 0, max: 1 })).toThrow(message);
  });
});

function strictNumber(t: string): number {
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) throw new Error('expected a number');
  return v;
}
