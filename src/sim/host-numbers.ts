// Hosts by number, for the simulated world and its models, as vm-numbers.ts numbers VMs: where a
// VM runs is kept as its host's number, and admission and the copies' paths index by it instead
// of looking the host's name up at every operation.

/** The hosts of an estate, numbered once per scenario in name order. */
export class HostNumbers {
  /** Each number's name. */
  readonly names: readonly string[];
  private readonly index: Map<string, number>;

  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)].sort();
    this.index = new Map(this.names.map((n, i) => [n, i]));
  }

  get size(): number {
    return this.names.length;
  }

  /** The host's number, or -1 for a name the estate does not have. */
  of(name: string): number {
    return this.index.get(name) ?? -1;
  }
}
