// The seeds of Monte Carlo runs, derived from one campaign seed.
//
// Run i gets the same seed whichever policy it runs under (common random numbers): every policy
// meets the same rate jitter, DRS moves and faults in run i, so a difference between policies is
// the policies' and not the dice's. Seeds are unsigned 32-bit integers, so that any generator of the
// simulator (seedrandom, or a 32-bit one) takes them as they are.
//
// Derivation: the campaign seed is folded to 32 bits and mixed; run i's seed is
//   fmix32(base + i · 0x9E3779B9  mod 2^32)
// (the golden-ratio increment of splitmix, and MurmurHash3's 32-bit finaliser). The increment is
// odd, so base + i·γ takes 2^32 distinct values for i < 2^32, and fmix32 is a bijection of the
// 32-bit integers: the seeds of one campaign are pairwise distinct for up to 2^32 runs.

const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: a bijection of the unsigned 32-bit integers that mixes every bit. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any finite number (negative, fractional, beyond 2^32) to a 32-bit base, deterministically. */
function base(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed ${seed} is not a finite number`);
  const integer = Math.trunc(seed);
  const low = integer >>> 0;
  // The bits above 32 (and the sign) change the base too: 2^32 + 1 and 1 are different campaigns.
  const high = Math.floor(integer / 2 ** 32) >>> 0;
  return fmix32(low ^ fmix32(high ^ 0x5bd1e995));
}

/** The seed of run `index` (0-based) of the campaign seeded with `seed`. */
export function runSeed(seed: number, index: number): number {
  return fmix32((base(seed) + Math.imul(index, GOLDEN)) >>> 0);
}

/** The seeds of runs 0 … runs-1. */
export function runSeeds(seed: number, runs: number): number[] {
  return Array.from({ length: runs }, (_, i) => runSeed(seed, i));
}
