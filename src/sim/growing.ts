// Lists of numbers that grow by doubling, in typed arrays, read back by index (`data[i]` for i
// below `length`): what a run logs at every instant (the throughput's steps, the timeline's
// record) would otherwise be one small object or array slot per entry, garbage collected over and
// over on a large estate.

export class Floats {
  data = new Float64Array(256);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) this.data = doubled(this.data);
    this.data[this.length++] = x;
  }
}

export class Ints {
  data = new Int32Array(256);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) this.data = doubled(this.data);
    this.data[this.length++] = x;
  }
}

/** A typed array twice as long as `a`, beginning with its contents. */
export function doubled<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(2 * a.length);
  b.set(a);
  return b;
}
