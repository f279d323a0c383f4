import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.js';
import { NEW, OLD, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;

describe('timeline', () => {
  // Two clusters, copies of different sizes, a shared legacy array of 500 MB/s.
  const e = estate({
    hosts: [...hosts('A', 2), ...hosts('B', 2)],
    vms: [
      ...Array.from({ length: 7 }, (_, i) => vm(`a${i}`, `A-esx0${(i % 2) + 1}`, 'A', (20 + 13 * i) * GB)),
      ...Array.from({ length: 5 }, (_, i) => vm(`b${i}`, `B-esx0${(i % 2) + 1}`, 'B', (35 + 7 * i) * GB)),
    ],
  });
  const fabric = openFabric({ perCopyRate: 200e6, arrays: [{ name: OLD, ports: 1, portRate: 500e6 }, { name: NEW, ports: 1, portRate: 1e12 }] });
  const r = simulate(scenario(e, fabric, 'fixed:2'), { timelineBins: 37 });

  it('has the area of each cluster’s throughput equal to the bytes that cluster moved', () => {
    const t = r.timeline!;
    expect(t.times).toHaveLength(37);
    for (const c of t.clusters) {
      const area = c.bytesPerSecond.reduce((s, x) => s + x * t.binSeconds, 0);
      const moved = r.operations.filter((o) => o.cluster === c.name && o.outcome === 'success').reduce((s, o) => s + o.bytes, 0);
      expect(area).toBeCloseTo(moved, -3);
    }
  });

  it('averages each link’s binned utilisation to its utilisation over the campaign', () => {
    const t = r.timeline!;
    expect(t.links[0]!.id).toBe(r.links[0]!.id);
    for (const l of t.links) {
      const mean = l.utilisation.reduce((s, x) => s + x, 0) / l.utilisation.length;
      expect(mean).toBeCloseTo(r.links.find((x) => x.id === l.id)!.utilisation, 9);
      for (const u of l.utilisation) expect(u).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('is absent unless asked for', () => {
    expect(simulate(scenario(e, fabric, 'fixed:2')).timeline).toBeUndefined();
  });
});
