// A min-queue of ranks with lazy deletion: entries whose VM is no longer waiting (dispatched,
// moved to another host) are dropped when they surface, so removal costs nothing up front.
//
// A queue starts with the ranks of its VMs in increasing order, and most of them leave from the
// front, one dispatch after another. Those are read from the front of that list, shared and never
// changed (every planner of a Monte Carlo worker starts from the same lists); only ranks that come
// back (a retry, a VM moved onto a host) go into a heap beside it. The queue's smallest rank is the
// smaller of the two fronts.

export class RankQueue {
  /** The ranks it started with, in increasing order: those from `head` on are still in the queue. */
  private readonly sorted: readonly number[];
  private head = 0;
  /** Ranks pushed since: a binary min-heap. */
  private readonly heap: number[] = [];

  /** A queue of `ranks`; given in increasing order (`ascending`), they are taken as they are, not copied. */
  constructor(ranks: Iterable<number> = [], ascending = false) {
    if (ascending && Array.isArray(ranks)) {
      this.sorted = ranks;
    } else {
      this.sorted = [];
      for (const r of ranks) this.push(r);
    }
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
    for (;;) {
      const r = this.front();
      if (r === undefined || isLive(r)) return r;
      this.pop();
    }
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
    return this.sorted.length - this.head + this.heap.length;
  }

  /** The smallest rank in the queue, live or not. */
  private front(): number | undefined {
    const s = this.head < this.sorted.length ? this.sorted[this.head]! : undefined;
    const h = this.heap.length > 0 ? this.heap[0]! : undefined;
    if (h === undefined) return s;
    return s === undefined || h < s ? h : s;
  }

  /** Takes the smallest rank out. */
  private pop(): number | undefined {
    const h = this.heap;
    if (this.head < this.sorted.length && (h.length === 0 || this.sorted[this.head]! <= h[0]!)) return this.sorted[this.head++];
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
