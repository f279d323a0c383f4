import { describe, expect, it } from 'vitest';
import type { DrsSettings } from '../../src/scenario/scenario.js';
import { Drs, DrsLayout } from '../../src/sim/models/drs.js';
import { VmNumbers } from '../../src/sim/vm-numbers.js';
import { estate, hosts, vm } from '../helpers/build.js';

// One cluster of two hosts, two VMs of 4 GB on each: 8 GB a host, the balance DRS starts from.
// Numbered by name: a 0, b 1, x 2, y 3.
const [h1, h2] = hosts('c1', 2).map((h) => h.name) as [string, string];
const e = estate({
  hosts: hosts('c1', 2),
  vms: [vm('a', h1, 'c1', 1e9), vm('x', h1, 'c1', 1e9), vm('b', h2, 'c1', 1e9), vm('y', h2, 'c1', 1e9)],
});
const settings: DrsSettings = { level: 'fully-automated', intervalSeconds: 300, maxMovesPerPass: 1, imbalanceThreshold: 0.2, driftProbability: 0 };
const idle = () => false;
const noneDown = new Set<string>();

function drs(): { drs: Drs; numbers: VmNumbers } {
  const numbers = new VmNumbers(e.vms.map((v) => v.name));
  // Draws of 0: the first movable VM by name.
  return { drs: new Drs(settings, new DrsLayout(e, numbers), () => 0), numbers };
}

describe('DRS passes', () => {
  it('moves memory piled onto a host back, after passes that found the cluster balanced', () => {
    const { drs: d, numbers } = drs();
    expect(d.pass(idle, noneDown)).toEqual([]);
    expect(d.pass(idle, noneDown)).toEqual([]);
    // Someone moves a onto h2: 4 GB against 12 GB, each 0.5 of the 8 GB mean from its balance, 1.0
    // apart (over 0.2). DRS moves the first VM of h2 by name (a) back to h1.
    d.moved(numbers.of('a'), h1, h2, false);
    expect(d.pass(idle, noneDown)).toEqual([{ vm: 'a', from: h2, to: h1 }]);
  });

  it('looks again at a cluster whose own move failed, though its move under way made it look balanced', () => {
    const { drs: d, numbers } = drs();
    d.moved(numbers.of('a'), h1, h2, false);
    expect(d.pass(idle, noneDown)).toEqual([{ vm: 'a', from: h2, to: h1 }]);
    // Counting the move under way, the hosts are back at 8 GB each: nothing to do.
    expect(d.pass(idle, noneDown)).toEqual([]);
    // The move failed: a is still on h2, and the next pass moves it again.
    d.forget(numbers.of('a'));
    expect(d.pass(idle, noneDown)).toEqual([{ vm: 'a', from: h2, to: h1 }]);
  });

  it('is balanced again once its own move ends', () => {
    const { drs: d, numbers } = drs();
    d.moved(numbers.of('a'), h1, h2, false);
    d.pass(idle, noneDown);
    d.moved(numbers.of('a'), h2, h1, true);
    expect(d.pass(idle, noneDown)).toEqual([]);
    // And a VM piled on h1 now is moved off it: the first of h1 by name is a again.
    d.moved(numbers.of('x'), h1, h2, false);
    d.moved(numbers.of('b'), h2, h1, false);
    d.moved(numbers.of('y'), h2, h1, false);
    // h1: a, b, y (12 GB); h2: x (4 GB).
    expect(d.pass(idle, noneDown)).toEqual([{ vm: 'a', from: h1, to: h2 }]);
  });
});
