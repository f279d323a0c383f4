import { describe, expect, it } from 'vitest';
import { EventBudgetExceeded, Priority, Simulation } from '../../src/sim/engine.js';

describe('event engine', () => {
  it('runs events by time, then priority, then order of scheduling', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.at(5, Priority.start, () => log.push('5-start-a'));
    sim.at(5, Priority.completion, () => log.push('5-completion'));
    sim.at(1, Priority.start, () => log.push('1'));
    sim.at(5, Priority.start, () => log.push('5-start-b'));
    sim.run();
    expect(log).toEqual(['1', '5-completion', '5-start-a', '5-start-b']);
    expect(sim.now).toBe(5);
    expect(sim.eventsProcessed).toBe(4);
  });

  it('skips cancelled events', () => {
    const sim = new Simulation();
    const log: number[] = [];
    const e = sim.at(2, 0, () => log.push(2));
    sim.at(3, 0, () => log.push(3));
    sim.cancel(e);
    sim.run();
    expect(log).toEqual([3]);
    expect(sim.eventsProcessed).toBe(1);
  });

  it('calls the instant hook once per instant, after all its events, and runs work it schedules at that instant', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.at(1, 0, () => log.push('a'));
    sim.at(1, 0, () => log.push('b'));
    sim.at(2, 0, () => log.push('c'));
    let extra = true;
    sim.run({
      onInstantEnd: (now) => {
        log.push(`end@${now}`);
        if (now === 1 && extra) {
          extra = false;
          sim.after(0, 0, () => log.push('same-instant'));
        }
      },
    });
    expect(log).toEqual(['a', 'b', 'end@1', 'same-instant', 'end@1', 'c', 'end@2']);
  });

  it('refuses to schedule in the past and stops at the horizon', () => {
    const sim = new Simulation();
    sim.at(10, 0, () => undefined);
    sim.at(20, 0, () => undefined);
    sim.run({ until: 15 });
    expect(sim.now).toBe(10);
    expect(() => sim.at(5, 0, () => undefined)).toThrow(RangeError);
  });

  it('keeps heap order over many random events', () => {
    const sim = new Simulation();
    const times: number[] = [];
    let s = 1;
    for (let i = 0; i < 5000; i++) {
      s = (s * 48271) % 2147483647;
      const t = s % 1000;
      sim.at(t, 0, () => times.push(sim.now));
    }
    sim.run();
    expect(times).toHaveLength(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });
});

describe('event budget', () => {
  it('stops a run that keeps scheduling itself once it has handled its budget, saying when', () => {
    const sim = new Simulation();
    // A weekly wake-up that never leads anywhere: without a budget this runs for ever.
    const week = 7 * 86400;
    const wake = () => sim.after(week, Priority.periodic, wake);
    sim.at(0, Priority.periodic, wake);
    let err: unknown;
    try {
      sim.run({ budget: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EventBudgetExceeded);
    // Instant k (week k) spends 2k + 1 on its event and 2k + 2 on its end: the 101st unit, one past
    // the budget, is the event of week 50.
    expect((err as EventBudgetExceeded).at).toBe(50 * week);
    expect((err as EventBudgetExceeded).budget).toBe(100);
  });

  it('lets a run that ends within its budget end normally', () => {
    const sim = new Simulation();
    for (let i = 0; i < 10; i++) sim.at(i, 0, () => undefined);
    sim.run({ budget: 20, onInstantEnd: () => undefined });
    expect(sim.eventsProcessed).toBe(10);
  });
});
