// Seeded random streams. Each stochastic factor of a run (rate jitter, faults, DRS, placement) draws
// from a stream of its own, derived from the run's seed and the factor's name: turning one factor
// on or off leaves the draws of the others unchanged, which keeps policy comparisons paired.

import seedrandom from 'seedrandom';

export type Random = () => number;

export function stream(seed: number, factor: string): Random {
  const prng = seedrandom.alea(`${seed}/${factor}`);
  return () => prng();
}

/** A uniform pick from a non-empty list. */
export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = Math.max(Number.MIN_VALUE, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
