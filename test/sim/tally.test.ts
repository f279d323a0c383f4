import { describe, expect, it } from 'vitest';
import type { SvmotionOp, VmotionOp } from '../../src/core/port.js';
import { DatastoreNumbers, RunTally } from '../../src/sim/tally.js';

const move = (id: number, vm: string, sources: string[], bytes: number): SvmotionOp => ({ kind: 'svmotion', id, vm, cluster: 'c', host: 'h', sourceDatastores: sources, targetDatastore: 'NEW', bytes });

describe('datastores by number', () => {
  it('numbers each name once, in the order met, and a VM’s sources again when its list changes', () => {
    const numbers = new DatastoreNumbers();
    const listed = ['OLD-2', 'OLD-1'];
    expect([...numbers.sources(0, listed)]).toEqual([0, 1]);
    expect(numbers.sources(0, listed)).toBe(numbers.sources(0, listed));
    // Another list for the same VM (an operation from another campaign): its own names, not the kept ones.
    expect([...numbers.sources(0, ['OLD-3', 'OLD-2'])]).toEqual([2, 0]);
    expect([...numbers.sources(-1, ['OLD-1'])]).toEqual([1]);
    expect(numbers.of('OLD-4')).toBe(3);
    expect(numbers.size).toBe(4);
  });
});

describe('the tally of a summary-only run', () => {
  it('sums waits and bytes moved in the order submitted, and keeps the last end off each datastore', () => {
    const numbers = new DatastoreNumbers();
    const tally = new RunTally(numbers);
    const a = move(1, 'a', ['OLD-1'], 100);
    const b = move(2, 'b', ['OLD-1', 'OLD-2'], 50);
    const c = move(3, 'c', ['OLD-3'], 7);
    const v: VmotionOp = { kind: 'vmotion', id: 4, vm: 'a', cluster: 'c', host: 'h', toHost: 'h2', bytes: 8 };
    const drs: VmotionOp = { ...v, id: -1 };
    for (const [op, planner] of [[a, true], [b, true], [c, true], [v, true], [drs, false]] as const) tally.submitted(op, planner);
    tally.waitedFor(1, 0.1);
    tally.waitedFor(4, 0.2);
    tally.ended(0, a, 0, true, 30);
    tally.ended(1, b, 1, true, 20);
    tally.ended(2, c, 2, false, 40);
    tally.ended(3, v, 0, true, 10);
    // Moved: a and b (c failed); a's end is the last off OLD-1, b's the only one off OLD-2.
    expect(tally.bytesMoved).toBe(150);
    expect(tally.failedMoves).toEqual([c]);
    expect(tally.makespan).toBe(40);
    expect(tally.vmotions).toBe(1);
    // 0.1 + 0.2 in that order (0.30000000000000004), the waits of the 2nd and 5th operations.
    expect(tally.queuedSeconds).toBe(0.1 + 0.2);
    expect([0, 1, 2].map((n) => tally.lastMoveOff(n))).toEqual([30, 20, -1]);
    expect(tally.lastMoveOff(99)).toBe(-1);
  });
});
