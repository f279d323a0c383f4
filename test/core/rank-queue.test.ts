import { describe, expect, it } from 'vitest';
import { RankQueue } from '../../src/core/rank-queue.js';

describe('rank queue', () => {
  it('gives the smallest live rank, skipping dead ones lazily', () => {
    const q = new RankQueue([5, 3, 9, 1, 7]);
    const dead = new Set([1, 3]);
    expect(q.peek((r) => !dead.has(r))).toBe(5);
    dead.add(5);
    expect(q.peek((r) => !dead.has(r))).toBe(7);
  });

  it('finds the smallest live rank that passes a test, keeping the others', () => {
    const q = new RankQueue([4, 2, 8, 6]);
    expect(q.find(() => true, (r) => r > 5)).toBe(6);
    expect(q.peek(() => true)).toBe(2);
    expect(q.size).toBe(4);
  });

  it('orders many pushes like a sort', () => {
    const q = new RankQueue();
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    values.forEach((v) => q.push(v));
    const out: number[] = [];
    const taken = new Set<number>();
    for (;;) {
      const r = q.peek((x) => !taken.has(x));
      if (r === undefined) break;
      taken.add(r);
      out.push(r);
    }
    expect(out).toEqual([...new Set(values)].sort((a, b) => a - b));
  });

  it('starts from ranks in increasing order without changing them, and mixes in ranks pushed back', () => {
    const start = [1, 3, 5, 7, 9];
    const q = new RankQueue(start, true);
    const taken = new Set<number>();
    const live = (r: number) => !taken.has(r);
    // 1 and 3 go; 1 comes back (a retry), as does 4 (a VM moved onto the host) and 3 again twice.
    taken.add(1).add(3);
    expect(q.peek(live)).toBe(5);
    taken.delete(1);
    q.push(1);
    q.push(4);
    expect(q.peek(live)).toBe(1);
    expect(q.find(live, (r) => r > 4)).toBe(5);
    const out: number[] = [];
    for (let r = q.peek(live); r !== undefined; r = q.peek(live)) {
      out.push(r);
      taken.add(r);
    }
    expect(out).toEqual([1, 4, 5, 7, 9]);
    expect(start).toEqual([1, 3, 5, 7, 9]);
    expect(q.size).toBe(0);
  });
});
