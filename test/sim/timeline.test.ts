import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine.js';
import { CopyModel, CopyPaths } from '../../src/sim/models/copies.js';
import { simulate } from '../../src/sim/simulate.js';
import { addedUp } from '../../src/sim/timeline.js';
import { NEW, OLD, datastore, estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';
import { lcg } from '../helpers/lcg.js';

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

describe('timeline: the replayed record gives the figures of a record of every rate at every instant', () => {
  it('bins every link and cluster to the bit as the plain record does, with one share and with rates that differ', () => {
    // A second method: at the end of every instant, every cluster's rate summed copy by copy from
    // the fabric's snapshot and every link's load from linkLoads(), kept whole, and binned as the
    // recorder bins. Copies start and stop at random (some at the same instant, some aborted),
    // some capped below the legacy array's share, some hosts narrow: both kinds of instant occur.
    const e = estate({
      hosts: [...hosts('A', 3, 'E1'), ...hosts('B', 3, 'E2')].map((h, i) => ({ ...h, hbaPorts: 1 + (i % 3) })),
      vms: [],
      datastores: [datastore('OLD-01', 'legacy'), datastore('NEW-01', 'new')],
    });
    const fabric = openFabric({
      hostPortRate: 150,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 900,
      arrays: [{ name: OLD, ports: 1, portRate: 1000 / 3 }, { name: NEW, ports: 1, portRate: 2000 }],
    });
    const paths = new CopyPaths(fabric, e);
    const clock = new Simulation();
    const clusterOfId = new Map<number, number>();
    const copies = new CopyModel(paths, clock, () => {}, { clusters: ['A', 'B'], clusterOf: (id) => clusterOfId.get(id) }, true);
    const links = copies.fabric.links;
    const plain: Array<{ start: number; clusters: Float64Array; loads: Float64Array }> = [];
    const rand = lcg(11);
    const live: number[] = [];
    let id = 0;
    for (let i = 0; i < 300; i++) {
      const at = Math.floor(rand() * 400) * 5;
      clock.at(at, 20, () => {
        if (live.length > 0 && rand() < 0.2) {
          copies.abort(live.splice(Math.floor(rand() * live.length), 1)[0]!);
          return;
        }
        const host = e.hosts[Math.floor(rand() * e.hosts.length)]!;
        clusterOfId.set(++id, host.cluster === 'A' ? 0 : 1);
        live.push(id);
        copies.start(id, 2e4 * (1 + rand()), host.name, ['OLD-01'], 'NEW-01', `vm${id}`, rand() < 0.4 ? 5 + rand() * 30 : Infinity);
      });
    }
    let shared = 0;
    let mixed = 0;
    clock.run({
      onInstantEnd: (now) => {
        copies.settle();
        const clusters = new Float64Array(2);
        for (const f of copies.fabric.snapshot()) clusters[clusterOfId.get(f.id)!]! += f.rate;
        const loads = copies.fabric.linkLoads();
        const last = plain[plain.length - 1];
        if (last?.start === now) Object.assign(last, { clusters, loads });
        else plain.push({ start: now, clusters, loads });
        if (copies.active > 1) {
          if (copies.fabric.sharedRate() !== null) shared++;
          else mixed++;
        }
      },
    });
    expect(shared).toBeGreaterThan(50);
    expect(mixed).toBeGreaterThan(50);
    const end = plain[plain.length - 1]!.start;
    for (const bins of [1, 7, 100]) {
      const binSeconds = end / bins;
      const clusterBytes = [new Float64Array(bins), new Float64Array(bins)];
      const linkBytes = links.map(() => new Float64Array(bins));
      plain.forEach((seg, k) => {
        const segEnd = Math.min(end, plain[k + 1]?.start ?? end);
        let t = seg.start;
        let bin = Math.min(bins - 1, Math.floor(t / binSeconds));
        while (t < segEnd) {
          const upTo = bin >= bins - 1 ? segEnd : Math.min(segEnd, (bin + 1) * binSeconds);
          if (upTo > t) {
            seg.clusters.forEach((r, c) => (clusterBytes[c]![bin]! += r * (upTo - t)));
            links.forEach((_, l) => (linkBytes[l]![bin]! += seg.loads[l]! * (upTo - t)));
            t = upTo;
          }
          bin = Math.min(bins - 1, bin + 1);
        }
      });
      const t = copies.timelineOf(end, bins, links.map((l) => l.id))!;
      expect(t.clusters.map((c) => c.bytesPerSecond)).toEqual(clusterBytes.map((b) => [...b].map((x) => x / binSeconds)));
      expect(t.links.map((l) => l.utilisation)).toEqual(linkBytes.map((b, l) => [...b].map((x) => x / binSeconds / links[l]!.capacity)));
      expect(t.links.some((l) => l.utilisation.some((u) => u > 0.5))).toBe(true);
    }
  });
});

describe('addedUp: a number added k times in turn, without k additions', () => {
  it('gives what the loop of additions gives, bit for bit, across powers of two and at half-way steps', () => {
    // The second method is the loop itself. Shares of every size against their sums, starts of 0
    // and of other sums, and steps that fall exactly half-way between two doubles (where rounding
    // to even alternates): 1.5 and 2.5 ulps of 1, and a third of a power of two.
    const loop = (start: number, x: number, k: number): number => {
      let s = start;
      for (let i = 0; i < k; i++) s += x;
      return s;
    };
    const rand = lcg(5);
    const cases: Array<[number, number, number]> = [
      [1, 1.5 * 2 ** -52, 5000],
      [1, 2.5 * 2 ** -52, 3000],
      [0, 1 / 3, 4000],
      [0, 0.1, 10000],
      [0, 1e6 / 7, 2500],
      [1024, 2 ** -43, 1000],
      [0, 5e-324, 100],
      [0, 1e300, 100],
    ];
    for (let i = 0; i < 400; i++) {
      const x = (1 + rand()) * 2 ** Math.floor(rand() * 80 - 40);
      const start = rand() < 0.5 ? 0 : loop(0, x, Math.floor(rand() * 100));
      cases.push([start, x, Math.floor(rand() * 3000)]);
    }
    for (const [start, x, k] of cases) expect(addedUp(start, x, k), `${start} + ${x} × ${k}`).toBe(loop(start, x, k));
  });
});
