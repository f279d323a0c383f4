// A min-heap of entries named by small integers (a link's number, a copy's slot), each with a key
// and a tie-breaking value: smallest key first, then smallest value. An entry's key is changed in
// place, and an entry is removed outright, so the heap holds one entry per name, never stale ones.

export class IndexedHeap {
  /** Names in heap order. */
  private heap: number[] = [];
  /** Position of each name in `heap`, or -1. */
  private at: Int32Array = new Int32Array(0).fill(-1);
  private keys: Float64Array = new Float64Array(0);
  private values: Float64Array = new Float64Array(0);

  get size(): number {
    return this.heap.length;
  }

  /** The name on top (smallest key, then value); undefined when empty. */
  get top(): number | undefined {
    return this.heap[0];
  }

  get topKey(): number {
    return this.keys[this.heap[0]!]!;
  }

  has(name: number): boolean {
    return name < this.at.length && this.at[name]! >= 0;
  }

  key(name: number): number {
    return this.keys[name]!;
  }

  /** Puts `name` in with `key` and `value`, or moves it to them. */
  set(name: number, key: number, value: number): void {
    this.reserve(name);
    this.keys[name] = key;
    this.values[name] = value;
    const i = this.at[name]!;
    if (i < 0) {
      this.heap.push(name);
      this.at[name] = this.heap.length - 1;
      this.up(this.heap.length - 1);
    } else {
      this.up(i);
      this.down(this.at[name]!);
    }
  }

  remove(name: number): void {
    if (!this.has(name)) return;
    const i = this.at[name]!;
    const last = this.heap.pop()!;
    this.at[name] = -1;
    if (last === name) return;
    this.heap[i] = last;
    this.at[last] = i;
    this.up(i);
    this.down(this.at[last]!);
  }

  clear(): void {
    for (const name of this.heap) this.at[name] = -1;
    this.heap = [];
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && this.values[a]! < this.values[b]!);
  }

  private up(i: number): void {
    const h = this.heap;
    const name = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(name, h[p]!)) break;
      h[i] = h[p]!;
      this.at[h[i]!] = i;
      i = p;
    }
    h[i] = name;
    this.at[name] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const name = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[c]!, name)) break;
      h[i] = h[c]!;
      this.at[h[i]!] = i;
      i = c;
    }
    h[i] = name;
    this.at[name] = i;
  }

  private reserve(name: number): void {
    if (name < this.at.length) return;
    const size = Math.max(name + 1, 2 * this.at.length, 16);
    const at = new Int32Array(size).fill(-1);
    at.set(this.at);
    const keys = new Float64Array(size);
    keys.set(this.keys);
    const values = new Float64Array(size);
    values.set(this.values);
    this.at = at;
    this.keys = keys;
    this.values = values;
  }
}
