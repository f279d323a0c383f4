// How long each link ran full, worked out by hand: the time a report's explanation names the bottleneck by.

import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

describe('seconds each link ran at its capacity', () => {
  it('counts the legacy array’s port full while two copies share it, and not after', () => {
    // One cluster of two hosts, fixed:2; every link open but the legacy array's single port at
    // 150 MB/s; each copy at most 100 MB/s. Both copies start at 0 and share the port, 75 MB/s each:
    // the 150 GB one ends at 150e9 / 75e6 = 2000 s, the port full all that time. The 300 GB one has
    // 150 GB left, alone at its own 100 MB/s cap (the port two thirds used): 1500 s more, to 3500 s.
    const [h1, h2] = hosts('C', 2);
    const e = estate({ hosts: [h1!, h2!], vms: [vm('a300', h1!.name, 'C', 300 * GB), vm('b150', h2!.name, 'C', 150 * GB)] });
    const base = openFabric({ perCopyRate: 100e6 });
    const fabric = { ...base, arrays: base.arrays.map((a, i) => (i === 0 ? { ...a, portRate: 150e6 } : a)) };
    const r = simulate(scenario(e, fabric, 'fixed:2'));
    expect(r.makespanSeconds).toBeCloseTo(3500, 3);
    const port = r.links.filter((l) => l.capacity === 150e6);
    expect(port).toHaveLength(1);
    expect(port[0]!.saturatedSeconds).toBeCloseTo(2000, 3);
    // Every other link carried the copies far below its capacity.
    for (const l of r.links.filter((x) => x.capacity !== 150e6)) expect(l.saturatedSeconds, l.label).toBe(0);
  });
});
