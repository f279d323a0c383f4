import { describe, expect, it } from 'vitest';
import type { Observation, Operation } from '../../src/core/port.js';
import { RunVmNumbers, VmNumbers } from '../../src/sim/vm-numbers.js';
import { SimulatedWorld, WorldLayout } from '../../src/sim/world.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

describe('VMs by number', () => {
  // The estate lists them as c, a, b: numbered in name order, a 0, b 1, c 2.
  const numbers = new VmNumbers(['c', 'a', 'b']);

  it('numbers VMs in name order, whatever order the estate lists them in', () => {
    expect(['a', 'b', 'c'].map((n) => numbers.of(n))).toEqual([0, 1, 2]);
    expect(numbers.names).toEqual(['a', 'b', 'c']);
    expect(numbers.of('zz')).toBe(-1);
  });

  it('numbers a name the estate lists twice once, and finds it at both places', () => {
    // b, a, b, c: the names a, b, c once each (0, 1, 2); places 0 and 2 both name b.
    const twice = new VmNumbers(['b', 'a', 'b', 'c']);
    expect(twice.names).toEqual(['a', 'b', 'c']);
    expect(twice.size).toBe(3);
    expect([0, 1, 2, 3].map((place) => twice.at(place, ['b', 'a', 'b', 'c'][place]!))).toEqual([1, 0, 1, 2]);
  });

  it('numbers VMs the estate lists in name order by their places, and finds them by name as well', () => {
    const inOrder = new VmNumbers(['a', 'b', 'c']);
    expect(inOrder.names).toEqual(['a', 'b', 'c']);
    expect([0, 1, 2].map((place) => inOrder.at(place, ['a', 'b', 'c'][place]!))).toEqual([0, 1, 2]);
    // Place 0 names a, not c: found by name.
    expect(inOrder.at(0, 'c')).toBe(2);
    expect(['c', 'a', 'zz'].map((n) => inOrder.of(n))).toEqual([2, 0, -1]);
    // In order but b twice: a, b, c once each (0, 1, 2), places 1 and 2 both b, place 3 c.
    const twice = new VmNumbers(['a', 'b', 'b', 'c']);
    expect(twice.names).toEqual(['a', 'b', 'c']);
    expect([0, 1, 2, 3].map((place) => twice.at(place, ['a', 'b', 'b', 'c'][place]!))).toEqual([0, 1, 1, 2]);
  });

  it("finds a VM by its place in the estate's list, and by name when the place names another VM", () => {
    // Place 0 of the estate's list is c (number 2), place 1 is a (number 0).
    expect(numbers.at(0, 'c')).toBe(2);
    expect(numbers.at(1, 'a')).toBe(0);
    // A place from another estate's list: not trusted.
    expect(numbers.at(0, 'b')).toBe(1);
    expect(numbers.at(7, 'a')).toBe(0);
    expect(numbers.at(undefined, 'c')).toBe(2);
  });

  it('numbers names the estate lacks after its own, once each, for one run', () => {
    const run = new RunVmNumbers(numbers);
    expect(run.of('ghost')).toBe(3);
    expect(run.of('other')).toBe(4);
    expect(run.of('ghost')).toBe(3);
    expect(run.of('b')).toBe(1);
    expect([0, 1, 2, 3, 4].map((n) => run.name(n))).toEqual(['a', 'b', 'c', 'ghost', 'other']);
    // Another run starts from the estate's numbers only.
    expect(new RunVmNumbers(numbers).of('other')).toBe(3);
  });
});

describe("an operation whose place in the estate's list names another VM", () => {
  it('runs on the VM it names: the vMotion moves that VM, and its next copy runs where it went', () => {
    // a and b on two hosts; the vMotion of b says it is at place 0 of the list (a's place).
    const s = scenario(estate({ hosts: hosts('C', 2), vms: [vm('a', 'C-esx01', 'C', 10e9), vm('b', 'C-esx02', 'C', 10e9)] }), openFabric({ perCopyRate: 100e6 }), 'fixed:2');
    const world = new SimulatedWorld(s, s.estate, { seed: 1, recordTimeline: false, reportProgress: false });
    const seen: Observation[] = [];
    world.attach({ deliver: (o) => seen.push(o), done: false });
    const ops: Operation[] = [
      { kind: 'vmotion', id: 1, vm: 'b', cluster: 'C', host: 'C-esx02', toHost: 'C-esx01', bytes: 1e9, estateIndex: 0 },
      // Decided as if b were still on C-esx02: vCenter runs it where b is.
      { kind: 'svmotion', id: 2, vm: 'b', cluster: 'C', host: 'C-esx02', sourceDatastores: ['OLD-01'], targetDatastore: 'NEW-01', bytes: 10e9, estateIndex: 0 },
      { kind: 'svmotion', id: 3, vm: 'a', cluster: 'C', host: 'C-esx01', sourceDatastores: ['OLD-01'], targetDatastore: 'NEW-01', bytes: 10e9, estateIndex: 0 },
    ];
    world.submit(ops[0]!);
    while (world.advance(null) && !seen.some((o) => o.type === 'succeeded' && o.op === 1));
    world.submit(ops[1]!);
    world.submit(ops[2]!);
    while (world.advance(null));
    const records = world.records();
    expect(records.map((r) => [r.vm, r.kind, r.host, r.outcome])).toEqual([
      ['b', 'vmotion', 'C-esx02', 'success'],
      ['b', 'svmotion', 'C-esx01', 'success'],
      // a never moved, and was never held by b's vMotion: its copy started at once.
      ['a', 'svmotion', 'C-esx01', 'success'],
    ]);
    expect(records[2]!.startedAt).toBe(records[2]!.submittedAt);
  });
});

describe("a world layout's start of its own estate", () => {
  it('places each VM and knows the pinned ones as a placement worked out anew for the same VMs does', () => {
    // Listed b, a, b, c: a on esx01; b first on esx02, then listed again without a host (the last
    // placed one stands: esx02); c on esx01 and pinned by a manual DRS override. Numbers a 0, b 1, c 2.
    const vms = [vm('b', 'C-esx02', 'C', 1e9), vm('a', 'C-esx01', 'C', 1e9), { ...vm('b', 'C-esx02', 'C', 1e9), host: null }, { ...vm('c', 'C-esx01', 'C', 1e9), drsOverride: { enabled: true, behavior: 'manual' as const } }];
    const s = scenario(estate({ hosts: hosts('C', 2), vms }));
    const layout = new WorldLayout(s);
    const esx01 = layout.hostNumbers.of('C-esx01');
    const esx02 = layout.hostNumbers.of('C-esx02');
    expect(layout.hostsOf(s.estate)).toEqual(['C-esx01', 'C-esx02', 'C-esx01']);
    expect(layout.hostNumbersOf(s.estate)).toEqual([esx01, esx02, esx01]);
    expect(layout.pinnedOf(s.estate)).toEqual([2]);
    // The same VMs in another estate object (as a placement drawn for one run is): worked out anew, alike.
    const other = { ...s.estate, vms: [...s.estate.vms] };
    expect(layout.hostsOf(other)).toEqual(layout.hostsOf(s.estate));
    expect(layout.hostNumbersOf(other)).toEqual(layout.hostNumbersOf(s.estate));
    expect(layout.pinnedOf(other)).toEqual([2]);
  });
});
