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
// freezes at least one flow or one link, so there are at most n + m passes, each O(n + m) plus
// the adjacency of what it freezes. In practice a shared array port or the copies' common cap
// freezes nearly everything in the first pass or two.

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
  const n = input.flowLinks.length;
  const flowStart = new Int32Array(n + 1);
  for (let f = 0; f < n; f++) flowStart[f + 1] = flowStart[f]! + input.flowLinks[f]!.length;
  const flowLinks = new Int32Array(flowStart[n]!);
  for (let f = 0; f < n; f++) flowLinks.set(Array.from(input.flowLinks[f]!), flowStart[f]!);
  const rates = new Float64Array(n);
  new MaxMinSolver().solve(Float64Array.from(input.capacities), input.capacities.length, flowStart, flowLinks, Float64Array.from(input.bounds), n, rates);
  return rates;
}

/**
 * The same solver over compressed arrays, keeping its scratch space between calls: the fabric
 * re-solves after every instant in which copies start or end, thousands of times a run.
 * Flow f crosses links flowLinks[flowStart[f] .. flowStart[f+1]).
 */
export class MaxMinSolver {
  private remaining = new Float64Array(0);
  private unfrozenOnLink = new Int32Array(0);
  private linkStart = new Int32Array(0);
  private fill = new Int32Array(0);
  private adjacency = new Int32Array(0);
  private frozen = new Uint8Array(0);
  private liveFlows = new Int32Array(0);
  private liveLinks = new Int32Array(0);

  solve(capacities: Float64Array, m: number, flowStart: Int32Array, flowLinks: Int32Array, bounds: Float64Array, n: number, rates: Float64Array): void {
    if (n === 0) return;
    this.reserve(m, n, flowStart[n]!);
    const { remaining, unfrozenOnLink, linkStart, fill, adjacency, frozen } = this;
    remaining.set(capacities.subarray(0, m));
    unfrozenOnLink.fill(0, 0, m);
    frozen.fill(0, 0, n);
    linkStart.fill(0, 0, m + 1);

    // Link → flows adjacency (CSR), to find the flows that a full link freezes.
    for (let k = 0; k < flowStart[n]!; k++) linkStart[flowLinks[k]! + 1]!++;
    for (let l = 0; l < m; l++) linkStart[l + 1]! += linkStart[l]!;
    fill.set(linkStart.subarray(0, m));
    for (let f = 0; f < n; f++) {
      for (let k = flowStart[f]!; k < flowStart[f + 1]!; k++) {
        const l = flowLinks[k]!;
        adjacency[fill[l]!++] = f;
        unfrozenOnLink[l]!++;
      }
    }

    // The flows not yet frozen and the links some of them cross, each kept in increasing order and
    // compacted after every pass: a solve takes a pass per distinct cap or full link it meets, and
    // later passes need not look at what earlier ones settled. In increasing order, so that ties
    // (the tightest link) fall as a scan of every link would decide them.
    const liveFlows = this.liveFlows;
    const liveLinks = this.liveLinks;
    let flowsLeft = 0;
    for (let f = 0; f < n; f++) liveFlows[flowsLeft++] = f;
    let linksLeft = 0;
    for (let l = 0; l < m; l++) if (unfrozenOnLink[l]! > 0) liveLinks[linksLeft++] = l;

    let level = 0;
    let unfrozen = n;
    while (unfrozen > 0) {
      // The next bound to be hit: a scan, not a sort, as a solve takes only a few passes.
      let nextBound = Infinity;
      for (let i = 0; i < flowsLeft; i++) {
        const b = bounds[liveFlows[i]!]!;
        if (b < nextBound) nextBound = b;
      }

      let step = nextBound - level;
      let tightest = -1;
      for (let i = 0; i < linksLeft; i++) {
        const l = liveLinks[i]!;
        const s = remaining[l]! / unfrozenOnLink[l]!;
        if (s < step) {
          step = s;
          tightest = l;
        }
      }
      if (!Number.isFinite(step)) {
        // Unbounded flows on no link: nothing limits them.
        for (let i = 0; i < flowsLeft; i++) rates[liveFlows[i]!] = Infinity;
        break;
      }
      if (step < 0) step = 0;
      level += step;
      for (let i = 0; i < linksLeft; i++) {
        const l = liveLinks[i]!;
        remaining[l]! -= step * unfrozenOnLink[l]!;
      }
      if (tightest >= 0) remaining[tightest] = 0;

      // Freeze flows at their bound…
      for (let i = 0; i < flowsLeft; i++) {
        const f = liveFlows[i]!;
        const bound = bounds[f]!;
        if (bound !== Infinity && bound - level <= EPSILON * Math.max(1, bound)) unfrozen -= this.freeze(f, level, flowStart, flowLinks, rates);
      }
      // …and every flow that crosses a link now full.
      for (let i = 0; i < linksLeft; i++) {
        const l = liveLinks[i]!;
        if (unfrozenOnLink[l]! === 0) continue;
        if (remaining[l]! > EPSILON * Math.max(1, capacities[l]!)) continue;
        remaining[l] = 0;
        for (let k = linkStart[l]!; k < linkStart[l + 1]!; k++) unfrozen -= this.freeze(adjacency[k]!, level, flowStart, flowLinks, rates);
      }
      let kept = 0;
      for (let i = 0; i < flowsLeft; i++) if (!frozen[liveFlows[i]!]) liveFlows[kept++] = liveFlows[i]!;
      flowsLeft = kept;
      kept = 0;
      for (let i = 0; i < linksLeft; i++) if (unfrozenOnLink[liveLinks[i]!]! > 0) liveLinks[kept++] = liveLinks[i]!;
      linksLeft = kept;
    }
  }

  /** Freezes flow f at `level`; returns 1 if it was not frozen yet, else 0. */
  private freeze(f: number, level: number, flowStart: Int32Array, flowLinks: Int32Array, rates: Float64Array): number {
    if (this.frozen[f]) return 0;
    this.frozen[f] = 1;
    rates[f] = level;
    const unfrozenOnLink = this.unfrozenOnLink;
    for (let k = flowStart[f]!; k < flowStart[f + 1]!; k++) unfrozenOnLink[flowLinks[k]!]!--;
    return 1;
  }

  private reserve(m: number, n: number, nnz: number): void {
    if (this.remaining.length < m) {
      const size = Math.max(m, 2 * this.remaining.length);
      this.remaining = new Float64Array(size);
      this.unfrozenOnLink = new Int32Array(size);
      this.linkStart = new Int32Array(size + 1);
      this.fill = new Int32Array(size);
      this.liveLinks = new Int32Array(size);
    }
    if (this.frozen.length < n) {
      const size = Math.max(n, 2 * this.frozen.length);
      this.frozen = new Uint8Array(size);
      this.liveFlows = new Int32Array(size);
    }
    if (this.adjacency.length < nnz) this.adjacency = new Int32Array(Math.max(nnz, 2 * this.adjacency.length));
  }
}
