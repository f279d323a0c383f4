// The planner's operations in flight, by id. Ids are small integers handed out in increasing
// order, so an entry is found in an array by its id, not in a map: the planner looks one up at
// every observation. Sums over the entries are taken in the order they were added (as a map
// would list them), so that they come out the same to the last bit however entries come and go.

export class InFlight<T> {
  /** Each entry by id, its place in `ids`, and when it was added. */
  private readonly values: Array<T | undefined> = [];
  private readonly at: number[] = [];
  private readonly seq: number[] = [];
  /** The ids in flight, in no particular order (a removal moves the last into the hole). */
  private readonly ids: number[] = [];
  private added = 0;

  get size(): number {
    return this.ids.length;
  }

  get(id: number): T | undefined {
    return this.values[id];
  }

  set(id: number, value: T): void {
    if (this.values[id] === undefined) {
      this.at[id] = this.ids.length;
      this.seq[id] = this.added++;
      this.ids.push(id);
    }
    this.values[id] = value;
  }

  delete(id: number): boolean {
    if (this.values[id] === undefined) return false;
    this.values[id] = undefined;
    const last = this.ids.pop()!;
    if (last !== id) {
      const hole = this.at[id]!;
      this.ids[hole] = last;
      this.at[last] = hole;
    }
    return true;
  }

  /** The entries in the order they were added. */
  inOrder(): T[] {
    const seq = this.seq;
    return [...this.ids].sort((a, b) => seq[a]! - seq[b]!).map((id) => this.values[id]!);
  }
}
