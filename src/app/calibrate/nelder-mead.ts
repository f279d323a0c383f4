// Nelder–Mead's downhill simplex: minimises a function of a few variables without derivatives,
// which is what a fit through a discrete-event replay needs (the loss moves in small steps where
// events reorder, so finite-difference gradients mislead). Written here because the packages that
// offer it are either unmaintained and pull in plotting code (fmin), or fit least squares with
// numerical gradients (ml-levenberg-marquardt), neither of which suits a robust loss over a
// simulation. The standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½), as in
// Lagarias et al., "Convergence properties of the Nelder–Mead simplex method in low dimensions"
// (SIAM J. Optim. 9, 1998), with the adaptive variant for more than a few dimensions left out.
//
// Bounds are the caller's: map the variables (logarithm, logistic) so that any point is valid.

export interface NelderMeadOptions {
  /** Size of the first simplex's steps, per variable (default 0.1 of the start, or 0.00025 at 0). */
  step?: readonly number[];
  /** Stop when the simplex's values differ by less than this (default 1e-8)… */
  fTolerance?: number;
  /** …and its points by less than this in every variable (default 1e-6). */
  xTolerance?: number;
  /** Evaluations at most (default 200 × variables). */
  maxEvaluations?: number;
}

export interface Minimum {
  x: number[];
  f: number;
  evaluations: number;
  /** The tolerances were met (else the budget of evaluations ran out). */
  converged: boolean;
}

export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): Minimum {
  const n = start.length;
  if (n === 0) return { x: [], f: f([]), evaluations: 1, converged: true };
  const fTol = options.fTolerance ?? 1e-8;
  const xTol = options.xTolerance ?? 1e-6;
  const max = options.maxEvaluations ?? 200 * n;
  let evaluations = 0;
  const value = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };

  const simplex: Array<{ x: number[]; f: number }> = [{ x: [...start], f: value([...start]) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    const step = options.step?.[i] ?? (x[i] !== 0 ? 0.1 * x[i]! : 0.00025);
    x[i] = x[i]! + step;
    simplex.push({ x, f: value(x) });
  }

  let converged = false;
  while (evaluations < max) {
    // Ties keep their order: the same inputs give the same path, bit for bit.
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    let spread = 0;
    for (const p of simplex) for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(p.x[i]! - best.x[i]!));
    if (Math.abs(worst.f - best.f) <= fTol && spread <= xTol) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i]! += simplex[k]!.x[i]! / n;
    const along = (t: number): number[] => centroid.map((c, i) => c + t * (worst.x[i]! - c));

    const reflected = along(-1);
    const fr = value(reflected);
    if (fr < best.f) {
      const expanded = along(-2);
      const fe = value(expanded);
      simplex[n] = fe < fr ? { x: expanded, f: fe } : { x: reflected, f: fr };
      continue;
    }
    if (fr < simplex[n - 1]!.f) {
      simplex[n] = { x: reflected, f: fr };
      continue;
    }
    // Contract: outside when the reflection improved on the worst, inside otherwise.
    const outside = fr < worst.f;
    const contracted = along(outside ? -0.5 : 0.5);
    const fc = value(contracted);
    if (fc < (outside ? fr : worst.f)) {
      simplex[n] = { x: contracted, f: fc };
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const x = simplex[k]!.x.map((v, i) => best.x[i]! + 0.5 * (v - best.x[i]!));
      simplex[k] = { x, f: value(x) };
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return { x: simplex[0]!.x, f: simplex[0]!.f, evaluations, converged };
}
