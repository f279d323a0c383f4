// A tiny linear congruential generator for tests that drive a model through many random steps:
// the same sequence on every machine, with no dependence on svmig's own random streams.

/** Numbers in [0, 1) from `seed`, the same sequence for the same seed. */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
