// The indexed heap against a second method: a plain map of names to (key, tie-break), whose
// smallest entry and entries under a bound are found by scanning it.

import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../src/core/indexed-heap.js';
import { lcg } from '../helpers/lcg.js';

describe('IndexedHeap', () => {
  it('gives the smallest key, then the smallest tie-break, and every entry under a bound, through random sets and removals', () => {
    const rand = lcg(11);
    // Starts with room for 4 names and is given up to 200: set() must grow it.
    const heap = new IndexedHeap(4);
    const model = new Map<number, [number, number]>();
    const out = new Int32Array(200);
    for (let step = 0; step < 5000; step++) {
      const name = Math.floor(rand() * 200);
      const r = rand();
      if (r < 0.6) {
        // Few distinct keys, so that ties are common and the tie-break decides.
        const key = Math.floor(rand() * 20);
        const tie = Math.floor(rand() * 5);
        heap.set(name, key, tie);
        model.set(name, [key, tie]);
      } else if (r < 0.9) {
        heap.remove(name);
        model.delete(name);
      } else if (r < 0.92) {
        heap.clear();
        model.clear();
      }
      expect(heap.size).toBe(model.size);
      let best: number | undefined;
      for (const [n, [k, t]] of model) {
        const [bk, bt] = best === undefined ? [Infinity, Infinity] : model.get(best)!;
        if (k < bk || (k === bk && t < bt)) best = n;
      }
      if (best === undefined) {
        expect(heap.top).toBeUndefined();
      } else {
        // Names are unique but (key, tie) pairs may repeat: the top is one of the smallest pairs.
        const [bk, bt] = model.get(best)!;
        expect(model.get(heap.top!)).toEqual([bk, bt]);
        expect(heap.topKey).toBe(bk);
      }
      const bound = Math.floor(rand() * 20);
      const found = [...out.subarray(0, heap.within(bound, out))].sort((a, b) => a - b);
      const under = [...model].filter(([, [k]]) => k <= bound).map(([n]) => n).sort((a, b) => a - b);
      expect(found).toEqual(under);
    }
  });

  it('takes out a name it does not hold, or never had room for, without harm', () => {
    const heap = new IndexedHeap();
    heap.remove(7);
    heap.set(3, 1, 0);
    heap.remove(1000);
    expect(heap.size).toBe(1);
    expect(heap.top).toBe(3);
  });
});
