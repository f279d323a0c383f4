import { describe, expect, it } from 'vitest';
import { FabricModel } from '../../src/sim/models/fabric.js';
import { NEW, OLD, estate, hosts, openFabric } from '../helpers/build.js';
import { lcg } from '../helpers/lcg.js';

// Completion times of small max-min systems, worked out by hand, checked to 1e-9 relative.
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));

/**
 * A model with its fast paths, and one that always makes the full solve, for lockstep checks.
 * `singleBottleneck`: whether the fast one may move bytes along a shared bottleneck's own axis
 * (exact to 1e-9, not to the bit).
 */
function againstFullSolve(fabric: ReturnType<typeof openFabric>, e: ReturnType<typeof estate>, singleBottleneck: boolean): { fast: FabricModel; full: FabricModel } {
  const fast = new FabricModel(fabric, e);
  fast.singleBottleneckPath = singleBottleneck;
  const full = new FabricModel(fabric, e);
  full.fastPath = false;
  return { fast, full };
}

/** Two models given the same copies: the same throughput, rates and next end, to the bit. */
function expectSameRates(a: FabricModel, b: FabricModel, live: readonly number[], now: number): void {
  expect(a.throughput).toBe(b.throughput);
  for (const id of live) expect(a.rateOf(id)).toBe(b.rateOf(id));
  expect(a.nextCompletion(now)).toBe(b.nextCompletion(now));
}

/** Both run from `now` until every copy ends: the same ends, and the same bytes on every link. */
function expectSameEnds(a: FabricModel, b: FabricModel, now: number): void {
  const endsA = drain(a, now);
  const endsB = drain(b, now);
  expect([...endsA]).toEqual([...endsB]);
  const end = Math.max(...endsB.values());
  expect(a.carriedBytes(end)).toEqual(b.carriedBytes(end));
}

/** Drives the model like the simulator does: jump to the next completion until none is left. */
function drain(model: FabricModel, from: number, joins: Array<{ at: number; id: number; bytes: number; links: number[]; cap?: number }> = []) {
  const ends = new Map<number, number>();
  let now = from;
  const pending = [...joins].sort((a, b) => a.at - b.at);
  for (;;) {
    const next = model.nextCompletion(now);
    const join = pending[0];
    if (join && join.at <= next) {
      now = join.at;
      pending.shift();
      for (const id of model.completeDue(now)) ends.set(id, now);
      model.addFlow(now, join.id, join.bytes, join.links, join.cap ?? Infinity);
      continue;
    }
    if (!Number.isFinite(next)) return ends;
    now = next;
    for (const id of model.completeDue(now)) ends.set(id, now);
  }
}

describe('fabric: copies over directed FC links', () => {
  const e = estate({ hosts: [...hosts('C', 2)], vms: [] });
  const [h1, h2] = ['C-esx01', 'C-esx02'];

  it('routes an svMotion through the legacy array out, the host HBAs both ways and the new array in', () => {
    const model = new FabricModel(openFabric(), e);
    const path = model.copyPath(h1, null, [OLD], NEW).map((i) => model.links[i]!.id);
    expect(path.sort()).toEqual([`array:${NEW}:in`, `array:${OLD}:out`, `host:${h1}:in`, `host:${h1}:out`].sort());
    const withEnclosure = new FabricModel(openFabric(), estate({ hosts: hosts('D', 1, 'ENC1'), vms: [] }));
    const ids = withEnclosure.copyPath('D-esx01', 'ENC1', [OLD], NEW).map((i) => withEnclosure.links[i]!.id);
    expect(ids).toContain('enclosure:ENC1:down');
    expect(ids).toContain('enclosure:ENC1:up');
  });

  it('shares a host HBA between two copies, then gives all of it to the one left', () => {
    // HBA 100 B/s each way. A = 1000 B, B = 500 B: 50 each; B ends at 500/50 = 10 s with A at 500 B
    // left; A alone at 100 B/s ends at 10 + 5 = 15 s.
    const model = new FabricModel(openFabric({ hostPortRate: 100 }), e);
    const path = model.copyPath(h1, null, [OLD], NEW);
    model.addFlow(0, 1, 1000, path, Infinity);
    model.addFlow(0, 2, 500, path, Infinity);
    const ends = drain(model, 0);
    near(ends.get(2)!, 10);
    near(ends.get(1)!, 15);
  });

  it('holds a capped copy at its cap while the other takes the rest', () => {
    // HBA 100; A capped at 30, B uncapped, 600 B each. A: 600/30 = 20 s throughout.
    // B at 70 B/s: 600/70 = 60/7 s.
    const model = new FabricModel(openFabric({ hostPortRate: 100 }), e);
    const path = model.copyPath(h1, null, [OLD], NEW);
    model.addFlow(0, 1, 600, path, 30);
    model.addFlow(0, 2, 600, path, Infinity);
    const ends = drain(model, 0);
    near(ends.get(1)!, 20);
    near(ends.get(2)!, 60 / 7);
  });

  it('re-shares when a copy joins mid-way', () => {
    // A = 1000 B alone at 100 B/s; at t = 5 s (500 B left) B = 200 B joins: 50 each; B ends at
    // 5 + 200/50 = 9 s with A at 300 B left; A ends at 9 + 300/100 = 12 s.
    const model = new FabricModel(openFabric({ hostPortRate: 100 }), e);
    const path = model.copyPath(h1, null, [OLD], NEW);
    model.addFlow(0, 1, 1000, path, Infinity);
    const ends = drain(model, 0, [{ at: 5, id: 2, bytes: 200, links: path }]);
    near(ends.get(2)!, 9);
    near(ends.get(1)!, 12);
  });

  it('handles two bottlenecks: a host HBA and the legacy array front-end', () => {
    // h1 HBA 100, h2 HBA 60, legacy array out 150. A on h1 (900 B), B and C on h2 (150 B, 300 B).
    // h2 fills first at 30 each (B, C); A takes 150 - 60 = 90 of the array (its HBA allows 100).
    // B ends at 150/30 = 5 s. Then C alone on h2: 60; A: 150 - 60 = 90. C has 150 B left: ends at
    // 5 + 150/60 = 7.5 s. Then A alone: min(100, 150) = 100, with 900 - 90·7.5 = 225 B left:
    // ends at 7.5 + 2.25 = 9.75 s.
    const fabric = openFabric({ hostPortRate: 100, arrays: [{ name: OLD, ports: 1, portRate: 150 }, { name: NEW, ports: 1, portRate: 1e12 }] });
    const e2 = estate({ hosts: [{ name: 'h1', cluster: 'C', enclosure: null }, { name: 'h2', cluster: 'C', enclosure: null, hbaPorts: 0.6 }], vms: [] });
    const model = new FabricModel(fabric, e2);
    model.addFlow(0, 1, 900, model.copyPath('h1', null, [OLD], NEW), Infinity);
    model.addFlow(0, 2, 150, model.copyPath('h2', null, [OLD], NEW), Infinity);
    model.addFlow(0, 3, 300, model.copyPath('h2', null, [OLD], NEW), Infinity);
    expect(model.rateOf(1)).toBeCloseTo(90, 9);
    expect(model.rateOf(2)).toBeCloseTo(30, 9);
    const ends = drain(model, 0);
    near(ends.get(2)!, 5);
    near(ends.get(3)!, 7.5);
    near(ends.get(1)!, 9.75);
  });

  it('counts the bytes each link carried, reads and writes on their own direction', () => {
    const model = new FabricModel(openFabric({ hostPortRate: 100 }), e);
    model.addFlow(0, 1, 1000, model.copyPath(h1, null, [OLD], NEW), Infinity);
    drain(model, 0);
    const carried = model.carriedBytes(10);
    const by = (id: string) => carried[model.linkIndex(id)]!;
    expect(by(`host:${h1}:in`)).toBeCloseTo(1000, 6);
    expect(by(`host:${h1}:out`)).toBeCloseTo(1000, 6);
    expect(by(`array:${OLD}:out`)).toBeCloseTo(1000, 6);
    expect(by(`array:${NEW}:in`)).toBeCloseTo(1000, 6);
    expect(by(`array:${OLD}:in`)).toBe(0);
    expect(by(`host:${h2}:in`)).toBe(0);
  });
});

describe('fabric: the single-bottleneck fast path agrees with the full solve', () => {
  it('gives the same rates and completion times on random arrivals and departures', () => {
    // A second method: the same sequence run with the fast path off (the full progressive filling
    // every time) must give the same rates at every step. The legacy array is tight in some steps
    // and not in others (caps vary, copies leave), so both paths are taken.
    const e = estate({ hosts: [...hosts('A', 4, 'E1'), ...hosts('B', 3, 'E2')], vms: [] });
    const fabric = openFabric({
      hostPortRate: 300,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 700,
      arrays: [{ name: OLD, ports: 1, portRate: 1000 }, { name: NEW, ports: 1, portRate: 5000 }],
    });
    const { fast, full } = againstFullSolve(fabric, e, true);
    const rand = lcg(99);
    const live: number[] = [];
    let now = 0;
    let fastTaken = 0;
    for (let step = 0; step < 400; step++) {
      now += rand() * 2;
      if (live.length > 0 && rand() < 0.4) {
        const id = live.splice(Math.floor(rand() * live.length), 1)[0]!;
        fast.removeFlow(now, id);
        full.removeFlow(now, id);
      } else {
        const host = e.hosts[Math.floor(rand() * e.hosts.length)]!;
        const cap = rand() < 0.5 ? 10 + rand() * 200 : Infinity;
        const path = fast.copyPath(host.name, host.enclosure, [OLD], NEW);
        fast.addFlow(now, step, 1e6, path, cap);
        full.addFlow(now, step, 1e6, path, cap);
        live.push(step);
      }
      expect(fast.throughput).toBeCloseTo(full.throughput, 6);
      for (const id of live) expect(Math.abs(fast.rateOf(id) - full.rateOf(id))).toBeLessThanOrEqual(1e-9 * Math.max(1, full.rateOf(id)));
      near(fast.nextCompletion(now), full.nextCompletion(now));
      if (live.length > 0 && live.every((id) => Math.abs(fast.rateOf(id) - fast.rateOf(live[0]!)) < 1e-12)) fastTaken++;
    }
    expect(fastTaken).toBeGreaterThan(20);
    // Then let every copy run out: the same end for each, to 1e-9, and the same bytes per link.
    const endsFast = drain(fast, now);
    const endsFull = drain(full, now);
    expect([...endsFast.keys()].sort()).toEqual([...endsFull.keys()].sort());
    for (const [id, t] of endsFull) near(endsFast.get(id)!, t);
    const end = Math.max(...endsFull.values());
    const cf = fast.carriedBytes(end);
    full.carriedBytes(end).forEach((b, l) => expect(Math.abs(cf[l]! - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, b)));
  });
});

describe('fabric: the sorted-caps paths (no link near full, or only the one every copy crosses) agree with the full solve to the bit', () => {
  it('gives the very same rates, ends and bytes on random capped arrivals and departures', () => {
    // Caps drawn at random (as jitter draws them), links wide enough that the copies' caps rarely
    // fill them, and now and then a burst of copies on one host that does: both paths are taken.
    // The fast path must give the full solve's floating-point numbers exactly, not nearly: the
    // simulator's results are compared byte for byte.
    const e = estate({ hosts: [...hosts('A', 4, 'E1'), ...hosts('B', 3, 'E2')], vms: [] });
    const fabric = openFabric({
      hostPortRate: 900,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 2000,
      arrays: [{ name: OLD, ports: 1, portRate: 4000 }, { name: NEW, ports: 1, portRate: 9000 }],
    });
    // The shared-bottleneck path moves bytes along its own axis (checked to 1e-9 above): off here.
    const { fast, full } = againstFullSolve(fabric, e, false);
    const rand = lcg(7);
    const live: number[] = [];
    const caps = new Map<number, number>();
    let now = 0;
    let allAtCap = 0;
    for (let step = 0; step < 600; step++) {
      now += rand() * 3;
      if (live.length > 0 && rand() < 0.45) {
        const id = live.splice(Math.floor(rand() * live.length), 1)[0]!;
        fast.removeFlow(now, id);
        full.removeFlow(now, id);
      } else {
        const host = e.hosts[Math.floor(rand() * (rand() < 0.2 ? 1 : e.hosts.length))]!;
        const cap = 100 * (0.9 + 0.2 * rand()) * (1 + Math.floor(rand() * 4));
        const path = fast.copyPath(host.name, host.enclosure, [OLD], NEW);
        const bytes = 5e4 * (1 + rand());
        caps.set(step, cap);
        fast.addFlow(now, step, bytes, path, cap);
        full.addFlow(now, step, bytes, path, cap);
        live.push(step);
      }
      expectSameRates(fast, full, live, now);
      if (live.length > 2 && live.every((id) => Math.abs(full.rateOf(id) - caps.get(id)!) <= 1e-9 * caps.get(id)!)) allAtCap++;
    }
    expect(allAtCap).toBeGreaterThan(50);
    expectSameEnds(fast, full, now);
  });
});

describe('fabric: the sorted-caps path with one link every copy crosses agrees with the full solve to the bit', () => {
  it('gives the very same rates, ends and bytes when caps straddle the legacy array’s fair share', () => {
    // Hosts and enclosures far wider than any copies on them; the legacy array fills with a dozen
    // copies, and caps drawn from 0.5× to 2× its fair share: some copies held by their caps, the
    // rest by the array (the case the sorted path takes), now and then an uncapped copy, and a
    // narrow host that a burst of copies fills (two links near full: the full solve's case).
    const e = estate({ hosts: [...hosts('A', 4, 'E1'), ...hosts('B', 3, 'E2')], vms: [] });
    const narrow = e.hosts[0]!;
    const fabric = openFabric({
      hostPortRate: 1e4,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 1e5,
      arrays: [{ name: OLD, ports: 1, portRate: 1200 }, { name: NEW, ports: 1, portRate: 1e5 }],
    });
    const narrowEstate = { ...e, hosts: e.hosts.map((h) => (h === narrow ? { ...h, hbaPorts: 0.03 } : h)) };
    const { fast, full } = againstFullSolve(fabric, narrowEstate, false);
    const rand = lcg(31);
    const live: number[] = [];
    const caps = new Map<number, number>();
    let now = 0;
    let straddled = 0;
    for (let step = 0; step < 600; step++) {
      now += rand() * 3;
      if (live.length > 0 && rand() < (live.length > 16 ? 0.7 : 0.35)) {
        const id = live.splice(Math.floor(rand() * live.length), 1)[0]!;
        fast.removeFlow(now, id);
        full.removeFlow(now, id);
      } else {
        const host = rand() < 0.05 ? narrow : e.hosts[1 + Math.floor(rand() * (e.hosts.length - 1))]!;
        const cap = rand() < 0.05 ? Infinity : 100 * (0.5 + 1.5 * rand());
        const bytes = 5e4 * (1 + rand());
        caps.set(step, cap);
        const path = fast.copyPath(host.name, host.enclosure, [OLD], NEW);
        fast.addFlow(now, step, bytes, path, cap);
        full.addFlow(now, step, bytes, path, cap);
        live.push(step);
      }
      expectSameRates(fast, full, live, now);
      const rates = live.map((id) => full.rateOf(id));
      const atCap = live.filter((id) => Math.abs(full.rateOf(id) - caps.get(id)!) <= 1e-9 * caps.get(id)!).length;
      if (atCap > 0 && atCap < live.length && Math.abs(rates.reduce((a, b) => a + b, 0) - 1200) <= 1e-9 * 1200) straddled++;
    }
    expect(straddled).toBeGreaterThan(100);
    expectSameEnds(fast, full, now);
  });
});

describe('fabric: the full links, found without a pass over every link, are those the plain sum gives', () => {
  /** The neighbouring double of x, up (+1) or down (-1): to put the line a hair either side of a load. */
  const nudge = (x: number, towards: 1 | -1): number => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigInt64(0);
    view.setBigInt64(0, x > 0 === towards > 0 ? bits + 1n : bits - 1n);
    return view.getFloat64(0);
  };

  it('agrees with linkLoads() on random copies, at the saturation line and exactly at each link’s own load', () => {
    // A second method: every copy's rate summed onto every link it crosses (linkLoads), compared
    // with the line, for every link with copies. Hosts with 1 to 4 HBA ports, so links differ in
    // capacity; the legacy array often the one bottleneck (one share for every copy), sometimes
    // not (caps below it, a narrow host): both of fullLinks' ways are taken.
    const e = estate({
      hosts: [...hosts('A', 5, 'E1'), ...hosts('B', 4, 'E2')].map((h, i) => ({ ...h, hbaPorts: 1 + (i % 4) })),
      vms: [],
    });
    const fabric = openFabric({
      hostPortRate: 111.1,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 1234.5,
      arrays: [{ name: OLD, ports: 1, portRate: 1000 / 3 }, { name: NEW, ports: 1, portRate: 4321 }],
    });
    const model = new FabricModel(fabric, e);
    const rand = lcg(2024);
    const live: number[] = [];
    let now = 0;
    let shared = 0;
    let mixed = 0;
    let fullSeen = 0;
    let boundaries = 0;
    const out = new Int32Array(model.links.length);
    for (let step = 0; step < 500; step++) {
      now += rand();
      if (live.length > 0 && rand() < 0.42) {
        model.removeFlow(now, live.splice(Math.floor(rand() * live.length), 1)[0]!);
      } else {
        const host = e.hosts[Math.floor(rand() * (rand() < 0.3 ? 2 : e.hosts.length))]!;
        const cap = rand() < 0.15 ? 5 + rand() * 40 : Infinity;
        model.addFlow(now, step, 1e9, model.copyPath(host.name, host.enclosure, [OLD], NEW), cap);
        live.push(step);
      }
      const loads = model.linkLoads();
      const rates = live.map((id) => model.rateOf(id));
      if (rates.every((r) => r === rates[0])) shared++;
      else mixed++;
      const lines = [0.999, 1, 0.5];
      model.links.forEach((l, i) => {
        if (loads[i]! > 0 && l.capacity > 0) {
          const own = loads[i]! / l.capacity;
          lines.push(own, nudge(own, 1), nudge(own, -1));
        }
      });
      for (const fraction of lines) {
        const expected = model.links.flatMap((l, i) => (loads[i]! > 0 && l.capacity > 0 && loads[i]! >= fraction * l.capacity ? [i] : []));
        const count = model.fullLinks(fraction, out);
        expect([...out.subarray(0, count)].sort((a, b) => a - b), `step ${step}, fraction ${fraction}`).toEqual(expected);
        if (fraction === 0.999) fullSeen += count;
        if (fraction !== 0.999 && fraction !== 1 && fraction !== 0.5) boundaries++;
      }
    }
    expect(shared).toBeGreaterThan(100);
    expect(mixed).toBeGreaterThan(20);
    expect(fullSeen).toBeGreaterThan(100);
    expect(boundaries).toBeGreaterThan(1000);
  });
});

describe('fabric: both directions of a host, an enclosure and the core are reported alike', () => {
  it('gives each link the load of the copies crossing it, its bytes and its full seconds, both directions of a pair included', () => {
    // A second method: each link's load as the sum of rateOf() over the copies whose path crosses
    // it, and its bytes as the sum of what each of those copies moved. Hosts in two enclosures
    // behind a core, narrow enough that some hosts' HBAs and an enclosure fill.
    const e = estate({ hosts: [...hosts('A', 3, 'E1'), ...hosts('B', 2, 'E2')].map((h, i) => ({ ...h, hbaPorts: 1 + (i % 2) })), vms: [] });
    const fabric = openFabric({
      hostPortRate: 100,
      enclosureUplinkPorts: 1,
      enclosureUplinkPortRate: 250,
      coreRate: 1000,
      arrays: [{ name: OLD, ports: 1, portRate: 600 }, { name: NEW, ports: 1, portRate: 5000 }],
    });
    const model = new FabricModel(fabric, e);
    const rand = lcg(11);
    const paths = new Map<number, number[]>();
    const crossed = new Map<number, number[]>();
    const moved = new Map<number, number>();
    const out = new Int32Array(model.links.length);
    let now = 0;
    let pairsFull = 0;
    for (let step = 0; step < 200; step++) {
      now += rand();
      if (paths.size > 0 && rand() < 0.4) {
        const id = [...paths.keys()][Math.floor(rand() * paths.size)]!;
        moved.set(id, model.removeFlow(now, id));
        paths.delete(id);
      } else {
        const host = e.hosts[Math.floor(rand() * e.hosts.length)]!;
        const path = model.copyPath(host.name, host.enclosure, [OLD], NEW);
        model.addFlow(now, step, 1e6, path, rand() < 0.3 ? 20 + rand() * 60 : Infinity);
        paths.set(step, path);
        crossed.set(step, path);
      }
      const loads = model.linkLoads();
      const full = new Set(out.subarray(0, model.fullLinks(0.999, out)));
      model.links.forEach((link, l) => {
        let load = 0;
        for (const [id, path] of paths) if (path.includes(l)) load += model.rateOf(id);
        expect(Math.abs(loads[l]! - load), link.id).toBeLessThanOrEqual(1e-9 * Math.max(1, load));
        if (Math.abs(load - 0.999 * link.capacity) > 1e-6 * link.capacity) expect(full.has(l), `${link.id} at step ${step}`).toBe(load > 0.999 * link.capacity);
      });
      for (const pair of ['host:A-esx01', 'enclosure:E1', 'core']) {
        const [first, second] = pair === 'core' ? ['core:down', 'core:up'] : pair.startsWith('host') ? [`${pair}:in`, `${pair}:out`] : [`${pair}:down`, `${pair}:up`];
        if (full.has(model.linkIndex(first)) && full.has(model.linkIndex(second))) pairsFull++;
      }
    }
    expect(pairsFull).toBeGreaterThan(10);
    // Bytes: what every copy moved (stopped ones as removeFlow said), summed over the links it crossed.
    const end = now + 5;
    for (const id of paths.keys()) moved.set(id, model.copiedBytes(end, id));
    const carried = model.carriedBytes(end);
    model.links.forEach((link, l) => {
      let bytes = 0;
      for (const [id, b] of moved) if (crossed.get(id)!.includes(l)) bytes += b;
      expect(Math.abs(carried[l]! - bytes), link.id).toBeLessThanOrEqual(1e-9 * Math.max(1, bytes));
    });
    expect(carried[model.linkIndex('host:A-esx01:out')]).toBeGreaterThan(0);
  });

  it('refuses a copy over one direction of a pair without the other', () => {
    const model = new FabricModel(openFabric(), estate({ hosts: hosts('A', 1), vms: [] }));
    const path = [model.linkIndex(`array:${OLD}:out`), model.linkIndex('host:A-esx01:in'), model.linkIndex(`array:${NEW}:in`)];
    expect(() => model.addFlow(0, 1, 100, path, Infinity)).toThrow('a copy crosses fabric link host:A-esx01:in without host:A-esx01:out');
  });
});

describe('fabric: a model that keeps no bytes per link (a summary run) runs its copies alike', () => {
  it('gives the same rates, ends and copied bytes as one that keeps them, and refuses to report link bytes', () => {
    // A second method: the same copies on a model that keeps link bytes; the figures a summary
    // reads (rates, ends, bytes copied) must not depend on that bookkeeping.
    const e = estate({ hosts: [...hosts('A', 3, 'E1'), ...hosts('B', 2, 'E2')], vms: [] });
    const fabric = openFabric({ hostPortRate: 300, enclosureUplinkPortRate: 700, arrays: [{ name: OLD, ports: 1, portRate: 1000 }, { name: NEW, ports: 1, portRate: 5000 }] });
    const kept = new FabricModel(fabric, e);
    const bare = new FabricModel(fabric, e, undefined, false);
    const rand = lcg(5);
    const live: number[] = [];
    let now = 0;
    for (let step = 0; step < 300; step++) {
      now += rand() * 2;
      if (live.length > 0 && rand() < 0.4) {
        const id = live.splice(Math.floor(rand() * live.length), 1)[0]!;
        expect(bare.removeFlow(now, id)).toBe(kept.removeFlow(now, id));
      } else {
        const host = e.hosts[Math.floor(rand() * e.hosts.length)]!;
        const cap = rand() < 0.5 ? 50 + rand() * 200 : Infinity;
        const bytes = 1e5 * (1 + rand());
        const path = kept.copyPath(host.name, host.enclosure, [OLD], NEW);
        kept.addFlow(now, step, bytes, path, cap);
        bare.addFlow(now, step, bytes, path, cap);
        live.push(step);
      }
      expect(bare.throughput).toBe(kept.throughput);
      expect(bare.nextCompletion(now)).toBe(kept.nextCompletion(now));
      for (const id of live) expect(bare.copiedBytes(now, id)).toBe(kept.copiedBytes(now, id));
    }
    expect([...drain(bare, now)]).toEqual([...drain(kept, now)]);
    expect(() => bare.carriedBytes(now)).toThrow('does not keep the bytes its links carried');
  });
});
