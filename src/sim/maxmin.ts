// Max-min fair sharing with per-flow bounds (progressive filling). Knows nothing of hosts or arrays:
// constraints are capacities, variables are flows, each flow uses a set of constraints and has an
// upper bound. The fabric model maps FC links and copies onto it (SimGrid's lmm, in miniature).
//
// The problem. Links l = 0..m-1 with capacity C_l ≥ 0; flows f = 0..n-1, each crossing the links
// L(f) and bounded by B_f > 0 (its own rate cap, possibly +∞). Find rates r_f with
//   Σ_{f : l ∈ L(f)} r_f ≤ C_l   for every link,      0 ≤ r_f ≤ B_f,
// that are max-min fair: no r_f can grow without shrinking some r_g ≤ r_f.
//
// Progressive filling: every unfrozen flow runs at the same level λ, raised from 0. λ stops at the
// first of: a link filling up (λ_l = λ + remaining_l / unfrozen_l) or a flow reaching its bound.
// Flows on a full link, and flows at their bound, freeze at λ; the rest keep rising. Each pass
// freezes at least one flow or one link, so there are at most n + m passes, each O(m) plus the
// adjacency of what it freezes.

/** Relative tolerance under which a link counts as full or a flow as at its bound. */
export const EPSILON = 1e-9;

export interface MaxMinInput {
  /** Capacity of each link (same unit as the rates). */
  capacities: ArrayLike<number>;
  /** For each flow, the indices of the links it crosses (no duplicates). */
  flowLinks: ReadonlyArray<ArrayLike<number>>;
  /** For each flow, its upper bound (Infinity for none). */
  bounds: ArrayLike<number>;
}

/** Returns the max-min fair rate of every flow. A flow with no link and no bound gets Infinity. */
export function solveMaxMin(input: MaxMinInput): Float64Array {
  const { capacities, flowLinks, bounds } = input;
  const n = flowLinks.length;
  const m = capacities.length;
  const rates = new Float64Array(n);
  if (n === 0) return rates;

  const remaining = Float64Array.from(capacities as ArrayLike<number>);
  const unfrozenOnLink = new Int32Array(m);
  const frozen = new Uint8Array(n);

  // Link → flows adjacency (CSR), to find the flows that a full link freezes.
  const start = new Int32Array(m + 1);
  for (let f = 0; f < n; f++) {
    const links = flowLinks[f]!;
    for (let k = 0; k < links.length; k++) start[links[k]! + 1]!++;
  }
  for (let l = 0; l < m; l++) start[l + 1]! += start[l]!;
  const fill = start.slice(0, m);
  const adjacency = new Int32Array(start[m]!);
  for (let f = 0; f < n; f++) {
    const links = flowLinks[f]!;
    for (let k = 0; k < links.length; k++) {
      const l = links[k]!;
      adjacency[fill[l]!++] = f;
      unfrozenOnLink[l]!++;
    }
  }

  // Flows in order of increasing bound: the next bound to be hit is always at the cursor.
  const byBound = Array.from({ length: n }, (_, f) => f).sort((a, b) => bounds[a]! - bounds[b]! || a - b);
  let cursor = 0;
  let level = 0;
  let unfrozen = n;

  const freeze = (f: number): void => {
    if (frozen[f]) return;
    frozen[f] = 1;
    rates[f] = level;
    unfrozen--;
    const links = flowLinks[f]!;
    for (let k = 0; k < links.length; k++) unfrozenOnLink[links[k]!]!--;
  };

  while (unfrozen > 0) {
    while (cursor < n && frozen[byBound[cursor]!]) cursor++;
    const nextBound = cursor < n ? bounds[byBound[cursor]!]! : Infinity;

    let step = nextBound - level;
    let tightest = -1;
    for (let l = 0; l < m; l++) {
      const users = unfrozenOnLink[l]!;
      if (users === 0) continue;
      const s = remaining[l]! / users;
      if (s < step) {
        step = s;
        tightest = l;
      }
    }
    if (!Number.isFinite(step)) {
      // Unbounded flows on no link: nothing limits them.
      for (let f = 0; f < n; f++) if (!frozen[f]) rates[f] = Infinity;
      break;
    }
    if (step < 0) step = 0;
    level += step;
    for (let l = 0; l < m; l++) {
      const users = unfrozenOnLink[l]!;
      if (users > 0) remaining[l]! -= step * users;
    }
    if (tightest >= 0) remaining[tightest] = 0;

    // Freeze flows at their bound…
    while (cursor < n) {
      const f = byBound[cursor]!;
      if (frozen[f]) {
        cursor++;
        continue;
      }
      const bound = bounds[f]!;
      if (bound === Infinity || bound - level > EPSILON * Math.max(1, bound)) break;
      freeze(f);
      cursor++;
    }
    // …and every flow that crosses a link now full.
    for (let l = 0; l < m; l++) {
      if (unfrozenOnLink[l]! === 0) continue;
      if (remaining[l]! > EPSILON * Math.max(1, capacities[l]!)) continue;
      remaining[l] = 0;
      for (let k = start[l]!; k < start[l + 1]!; k++) freeze(adjacency[k]!);
    }
  }
  return rates;
}
