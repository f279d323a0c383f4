// Systematic uncertainty: the figures of a scenario that are wrong by the same amount for every copy
// of a campaign (the data mover's per-copy rate, an svMotion's set-up, the share of an array's
// ports that production I/O keeps), drawn once per run.
//
// Each figure draws from a seeded stream of its own, named for it (and for the array): the policies
// of a comparison and the points of a sweep, which run the same seeds, see the same draws (common
// random numbers), and giving one figure a distribution leaves the draws of the others as they were.
// A draw is an inverse transform of one uniform number (domain/distribution.ts), so a wider spread
// moves a run's draw monotonically instead of reshuffling the runs.

import { draw, type Distribution } from '../domain/distribution.js';
import type { Fabric } from '../domain/fabric.js';
import { stream } from './random.js';

/** What one run drew: the per-copy rate (bytes/s), the set-up (s), and the load of each array with one. */
export interface Drawn {
  perCopyRate: number;
  svmotionSetup: number;
  /** Array name → share of its front-end capacity production takes, for the arrays that give one. */
  productionLoad: Record<string, number>;
}

/** Whether any figure of the fabric is drawn: a distribution, or a production load on some array. */
export function hasSystematic(fabric: Fabric): boolean {
  return fabric.uncertain !== undefined || fabric.arrays.some((a) => a.productionLoad !== undefined);
}

/** The draws of the run seeded `seed`. */
export function drawSystematic(fabric: Fabric, seed: number): Drawn {
  const once = (d: Distribution | undefined, name: string, plain: number): number => (d === undefined ? plain : draw(d, stream(seed, name)));
  const productionLoad: Record<string, number> = {};
  for (const a of fabric.arrays) if (a.productionLoad !== undefined) productionLoad[a.name] = draw(a.productionLoad, stream(seed, `productionLoad/${a.name}`));
  return {
    perCopyRate: once(fabric.uncertain?.perCopyRate, 'perCopyRate', fabric.perCopyRate),
    svmotionSetup: once(fabric.uncertain?.svmotionSetupSeconds, 'svmotionSetup', fabric.svmotionSetupSeconds),
    productionLoad,
  };
}

/**
 * The fabric as one run meets it: the drawn per-copy rate and set-up, and each array's ports with
 * what production leaves of them. Plain figures only (no distribution is left in it).
 */
export function fabricOfRun(fabric: Fabric, drawn: Drawn): Fabric {
  const { uncertain: _spread, ...plain } = fabric;
  return {
    ...plain,
    perCopyRate: drawn.perCopyRate,
    svmotionSetupSeconds: drawn.svmotionSetup,
    arrays: fabric.arrays.map(({ productionLoad: _load, ...a }) => ({ ...a, portRate: a.portRate * (1 - (drawn.productionLoad[a.name] ?? 0)) })),
  };
}

/**
 * The most favourable of several runs' draws, figure by figure: the fastest per-copy rate, the
 * shortest set-up, the lightest load of each array. A makespan only shrinks as a copy speeds up,
 * a set-up shortens or a load lightens, so a lower bound worked out for these figures holds for
 * every one of the runs.
 */
export function mostFavourable(draws: readonly Drawn[]): Drawn | null {
  if (draws.length === 0) return null;
  const out: Drawn = { perCopyRate: -Infinity, svmotionSetup: Infinity, productionLoad: {} };
  for (const d of draws) {
    out.perCopyRate = Math.max(out.perCopyRate, d.perCopyRate);
    out.svmotionSetup = Math.min(out.svmotionSetup, d.svmotionSetup);
    for (const [array, load] of Object.entries(d.productionLoad)) out.productionLoad[array] = Math.min(out.productionLoad[array] ?? Infinity, load);
  }
  return out;
}
