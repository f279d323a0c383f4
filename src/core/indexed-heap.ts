// A min-heap of entries named by small integers (a cluster's slot, a target's index, a link's
// number, a copy's slot), each with a key and a tie-break: smallest key first, then smallest
// tie-break. An entry's key is changed in place and an entry is taken out outright, so the heap
// holds one entry per name, never stale ones. Keys, tie-breaks and names sit in typed arrays in
// heap order (a sift reads neighbours, not entries scattered by name), each name's position beside.

export class IndexedHeap {
  private keys = new Float64Array(0);
  private ties = new Float64Array(0);
  private entries = new Int32Array(0);
  /** Each name's position in the heap, -1 when it is not in it. */
  private at = new Int32Array(0);
  private stack = new Int32Array(0);
  private n = 0;

  /** `names`: room for names 0 .. names - 1 from the start (the heap grows past it as needed). */
  constructor(names = 0) {
    this.reserve(names);
  }

  get size(): number {
    return this.n;
  }

  /** The name on top (smallest key, then tie-break); undefined when empty. */
  get top(): number | undefined {
    return this.n > 0 ? this.entries[0] : undefined;
  }

  /** The key on top (when the heap is not empty). */
  get topKey(): number {
    return this.keys[0]!;
  }

  /** Room for names 0 .. names - 1. */
  reserve(names: number): void {
    if (this.at.length >= names) return;
    const keys = new Float64Array(names);
    keys.set(this.keys);
    this.keys = keys;
    const ties = new Float64Array(names);
    ties.set(this.ties);
    this.ties = ties;
    const entries = new Int32Array(names);
    entries.set(this.entries);
    this.entries = entries;
    const at = new Int32Array(names).fill(-1);
    at.set(this.at);
    this.at = at;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.at[this.entries[i]!] = -1;
    this.n = 0;
  }

  /** Puts `name` in with `key` and `tie`, or moves it there. */
  set(name: number, key: number, tie: number): void {
    if (name >= this.at.length) this.reserve(Math.max(name + 1, 2 * this.at.length, 16));
    const i = this.at[name]!;
    if (i < 0) {
      this.up(this.n++, key, tie, name);
    } else if (this.keys[i] === key && this.ties[i] === tie) {
      return;
    } else if (less(key, tie, this.keys[i]!, this.ties[i]!)) {
      this.up(i, key, tie, name);
    } else {
      this.down(i, key, tie, name);
    }
  }

  remove(name: number): void {
    if (name >= this.at.length) return;
    const i = this.at[name]!;
    if (i < 0) return;
    this.at[name] = -1;
    const last = --this.n;
    if (i === last) return;
    const key = this.keys[last]!;
    const tie = this.ties[last]!;
    const moved = this.entries[last]!;
    const p = (i - 1) >> 1;
    if (i > 0 && less(key, tie, this.keys[p]!, this.ties[p]!)) this.up(i, key, tie, moved);
    else this.down(i, key, tie, moved);
  }

  /**
   * Writes into `out` every name whose key is at most `bound`, and returns how many: a walk from
   * the top that stops below any entry above the bound, so it looks at those entries and at most
   * twice as many more.
   */
  within(bound: number, out: Int32Array): number {
    const { keys, entries } = this;
    if (this.n === 0 || !(keys[0]! <= bound)) return 0;
    if (this.stack.length < this.n) this.stack = new Int32Array(this.at.length);
    const stack = this.stack;
    let found = 0;
    let depth = 0;
    stack[depth++] = 0;
    while (depth > 0) {
      const i = stack[--depth]!;
      out[found++] = entries[i]!;
      const c = 2 * i + 1;
      if (c < this.n && keys[c]! <= bound) stack[depth++] = c;
      if (c + 1 < this.n && keys[c + 1]! <= bound) stack[depth++] = c + 1;
    }
    return found;
  }

  private up(i: number, key: number, tie: number, name: number): void {
    const { keys, ties, entries, at } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(key, tie, keys[p]!, ties[p]!)) break;
      keys[i] = keys[p]!;
      ties[i] = ties[p]!;
      entries[i] = entries[p]!;
      at[entries[i]!] = i;
      i = p;
    }
    keys[i] = key;
    ties[i] = tie;
    entries[i] = name;
    at[name] = i;
  }

  private down(i: number, key: number, tie: number, name: number): void {
    const { keys, ties, entries, at } = this;
    const n = this.n;
    for (;;) {
      const a = 2 * i + 1;
      if (a >= n) break;
      const b = a + 1;
      const c = b < n && less(keys[b]!, ties[b]!, keys[a]!, ties[a]!) ? b : a;
      if (!less(keys[c]!, ties[c]!, key, tie)) break;
      keys[i] = keys[c]!;
      ties[i] = ties[c]!;
      entries[i] = entries[c]!;
      at[entries[i]!] = i;
      i = c;
    }
    keys[i] = key;
    ties[i] = tie;
    entries[i] = name;
    at[name] = i;
  }
}

/** Key then tie-break: the heap's order. */
function less(key: number, tie: number, otherKey: number, otherTie: number): boolean {
  return key < otherKey || (key === otherKey && tie < otherTie);
}
