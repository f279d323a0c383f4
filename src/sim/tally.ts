// What the summary of a run (results.ts, summaryOf) needs of its operations, counted by the world
// as they are submitted, start and end, in a run that keeps only its summary (a Monte Carlo's):
// the summary then makes no pass over every operation the run made, and the datastores moves
// emptied are kept by number, each VM's worked out once per scenario, not looked up by name at
// every operation.

import { VM_MOVE } from '../core/operations.js';
import type { Operation, SvmotionOp } from '../core/port.js';
import { Floats } from './growing.js';

/**
 * Legacy datastores by number, in the order first met: shared by the runs of one scenario (world.ts
 * WorldLayout), with each VM's source datastores as numbers. Names only ever join it.
 */
export class DatastoreNumbers {
  private readonly index = new Map<string, number>();
  /** By VM number: the source list last numbered for the VM, and its numbers. */
  private readonly listed: Array<readonly string[] | undefined> = [];
  private readonly numbered: Int32Array[] = [];

  get size(): number {
    return this.index.size;
  }

  /** The datastore's number, given it now if it has none. */
  of(name: string): number {
    let n = this.index.get(name);
    if (n === undefined) this.index.set(name, (n = this.index.size));
    return n;
  }

  /**
   * The numbers of `names`, the source datastores of an operation on VM `vm`: numbered once while
   * the VM's operations share one list (the campaign's MoveItem.sourceDatastores).
   */
  sources(vm: number, names: readonly string[]): Int32Array {
    if (vm >= 0 && this.listed[vm] === names) return this.numbered[vm]!;
    const numbers = Int32Array.from(names, (name) => this.of(name));
    if (vm >= 0) {
      this.listed[vm] = names;
      this.numbered[vm] = numbers;
    }
    return numbers;
  }
}

/** What a run's summary takes from its operations. */
export class RunTally {
  /** The planner's operations' latest end (the makespan). */
  makespan = 0;
  /** The planner's vMotions (submitted, whatever became of them). */
  vmotions = 0;
  /**
   * Per operation, in the order submitted: the seconds it waited between its submission and its
   * start, and the bytes it moved (a storage move of the planner's that did not fail), else 0.
   * Summed in that order, as the full result sums its records, so the two agree to the last bit.
   */
  private readonly waited = new Floats();
  private readonly moved = new Floats();
  /** When the last successful move off each datastore ended, by datastore number; -1: none. */
  private lastOff: Float64Array;
  /** The planner's storage moves that failed (refused or ended so): few. */
  readonly failedMoves: SvmotionOp[] = [];

  constructor(readonly datastores: DatastoreNumbers) {
    this.lastOff = new Float64Array(datastores.size + 64).fill(-1);
  }

  /** An operation was submitted: the next of the run (they are numbered from 0 in this order). */
  submitted(op: Operation, planner: boolean): void {
    this.waited.push(0);
    // A storage move counts its bytes until it fails (one still running when the run stops counts).
    this.moved.push(planner && op.kind === VM_MOVE ? op.bytes : 0);
    if (planner && op.kind === 'vmotion') this.vmotions++;
  }

  /** The `seq`th operation started after waiting `seconds` (> 0) in vCenter. */
  waitedFor(seq: number, seconds: number): void {
    this.waited.data[seq] = seconds;
  }

  /** One of the planner's operations ended at `at` (refused, failed or succeeded), on VM number `vm`. */
  ended(seq: number, op: Operation, vm: number, success: boolean, at: number): void {
    if (at > this.makespan) this.makespan = at;
    if (op.kind !== VM_MOVE) return;
    if (!success) {
      this.moved.data[seq] = 0;
      this.failedMoves.push(op);
      return;
    }
    const sources = this.datastores.sources(vm, op.sourceDatastores);
    for (let i = 0; i < sources.length; i++) {
      const n = sources[i]!;
      if (n >= this.lastOff.length) this.grow(n);
      if (at > this.lastOff[n]!) this.lastOff[n] = Math.max(0, at);
    }
  }

  /** Seconds operations waited in vCenter before they started, summed in the order submitted. */
  get queuedSeconds(): number {
    return sumOf(this.waited);
  }

  /** Bytes the planner's storage moves moved, summed in the order submitted. */
  get bytesMoved(): number {
    return sumOf(this.moved);
  }

  /** When the last successful move off datastore `n` ended, or -1 when none did. */
  lastMoveOff(n: number): number {
    return n < this.lastOff.length ? this.lastOff[n]! : -1;
  }

  private grow(n: number): void {
    const grown = new Float64Array(2 * n + 64).fill(-1);
    grown.set(this.lastOff);
    this.lastOff = grown;
  }
}

function sumOf(list: Floats): number {
  let sum = 0;
  for (let i = 0; i < list.length; i++) sum += list.data[i]!;
  return sum;
}
