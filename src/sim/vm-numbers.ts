// VMs by number, for the simulated world and its models: what a run looks up at every event (where
// a VM runs, which task holds it, whether DRS may move it) is an array indexed by the VM's number,
// not a map keyed by its name. Operations and observations keep names (the planner and the live
// world know nothing of these numbers); a run turns a name into its number once per operation.

/**
 * The VMs of an estate, numbered once per scenario in name order: a list of numbers in increasing
 * order is the list of their names in sorted order, so models that keep VMs sorted by name (DRS)
 * sort numbers instead.
 */
export class VmNumbers {
  /** Each number's name. */
  readonly names: readonly string[];
  /** Each name's number: made when a name is first looked up (a run finds its VMs by place, see `at`). */
  private index: Map<string, number> | null = null;
  /** The names as the estate lists them, and each one's number (null: its place, the estate listing each name once in order). */
  private readonly listed: readonly string[];
  private readonly byPlace: Int32Array | null;

  /** `listed`: the estate's VMs' names, in the estate's order. */
  constructor(listed: readonly string[]) {
    this.listed = listed;
    let inOrder = true;
    for (let i = 1; i < listed.length && inOrder; i++) inOrder = listed[i - 1]! < listed[i]!;
    if (inOrder) {
      // As estates often list their VMs: each name once, sorted; each VM's number is its place.
      this.names = listed;
      this.byPlace = null;
      return;
    }
    // Sorted, then each name once.
    const sorted = listed.slice().sort();
    const names: string[] = [];
    const index = new Map<string, number>();
    for (let i = 0; i < sorted.length; i++) {
      const name = sorted[i]!;
      if (names.length > 0 && names[names.length - 1] === name) continue;
      index.set(name, names.length);
      names.push(name);
    }
    this.names = names;
    this.index = index;
    this.byPlace = new Int32Array(listed.length);
    for (let i = 0; i < listed.length; i++) this.byPlace[i] = index.get(listed[i]!)!;
  }

  get size(): number {
    return this.names.length;
  }

  /** The VM's number, or -1 for a name the estate does not have. */
  of(name: string): number {
    this.index ??= new Map(this.names.map((n, i) => [n, i]));
    return this.index.get(name) ?? -1;
  }

  /**
   * The number of VM `name`, said to be at `place` in the estate's list (MoveItem.estateIndex): found
   * there without a lookup by name when the name there is the same, else by name.
   */
  at(place: number | undefined, name: string): number {
    if (place !== undefined && this.listed[place] === name) return this.byPlace === null ? place : this.byPlace[place]!;
    return this.of(name);
  }
}

/**
 * The numbers of one run: the estate's, and further ones for names the estate lacks (an operation
 * taken up for a VM no longer in the inventory), given as they are first met, after the estate's.
 */
export class RunVmNumbers {
  private extra: Map<string, number> | null = null;
  private readonly extraNames: string[] = [];

  constructor(readonly estate: VmNumbers) {}

  of(name: string, place?: number): number {
    const n = this.estate.at(place, name);
    if (n >= 0) return n;
    this.extra ??= new Map();
    let e = this.extra.get(name);
    if (e === undefined) {
      e = this.estate.size + this.extraNames.length;
      this.extra.set(name, e);
      this.extraNames.push(name);
    }
    return e;
  }

  name(n: number): string {
    return n < this.estate.size ? this.estate.names[n]! : this.extraNames[n - this.estate.size]!;
  }

  /** Every number given so far: the estate's and the extra ones. */
  get size(): number {
    return this.estate.size + this.extraNames.length;
  }
}
