// A min-heap of ranks with lazy deletion: entries whose VM is no longer waiting (dispatched,
// moved to another host) are dropped when they surface, so removal costs nothing up front.

export class RankQueue {
  private heap: number[] = [];

  /** A queue of `ranks`; given in increasing order (a heap already), they are taken as they are. */
  constructor(ranks: Iterable<number> = [], ascending = false) {
    if (ascending && Array.isArray(ranks)) this.heap = ranks.slice();
    else for (const r of ranks) this.push(r);
  }

  push(rank: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(rank);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= rank) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = rank;
  }

  /** The smallest live rank, dropping dead ones on the way; undefined when none is left. */
  peek(isLive: (rank: number) => boolean): number | undefined {
    while (this.heap.length > 0 && !isLive(this.heap[0]!)) this.pop();
    return this.heap[0];
  }

  /** The smallest live rank that also satisfies `accept`, without removing anything live. */
  find(isLive: (rank: number) => boolean, accept: (rank: number) => boolean): number | undefined {
    let put: number[] | null = null;
    let found: number | undefined;
    for (;;) {
      const r = this.peek(isLive);
      if (r === undefined) break;
      if (accept(r)) {
        found = r;
        break;
      }
      (put ??= []).push(this.pop()!);
    }
    if (put !== null) for (const r of put) this.push(r);
    return found;
  }

  get size(): number {
    return this.heap.length;
  }

  private pop(): number | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]! < h[l]! ? r : l;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
