import { describe, expect, it } from 'vitest';
import { drive, driveAsync, type LoopListener } from '../../src/core/loop.js';
import type { Decider, Observation, ObservationSink, Operation, SyncWorld, AsyncWorld } from '../../src/core/port.js';

// A world of one kind of task that takes 10 s, on a clock advanced by hand: enough to see what the
// loop does with decisions, observations and wake-ups, whatever world it drives.
class TenSecondWorld implements SyncWorld {
  now = 0;
  sink!: ObservationSink;
  readonly log: string[] = [];
  private readonly ends: Array<{ at: number; op: number }> = [];
  attach(sink: ObservationSink): void {
    this.sink = sink;
  }
  submit(op: Operation): void {
    this.log.push(`submit ${op.vm}@${this.now}`);
    if (op.vm === 'refused') {
      this.sink.deliver({ type: 'failed', op: op.id, at: this.now, reason: 'no', transient: false });
      return;
    }
    this.sink.deliver({ type: 'started', op: op.id, at: this.now });
    this.ends.push({ at: this.now + 10, op: op.id });
  }
  advance(wakeAt: number | null): boolean {
    if (this.sink.done) return false;
    const next = Math.min(...this.ends.map((e) => e.at), wakeAt ?? Infinity);
    if (!Number.isFinite(next)) return false;
    this.now = next;
    for (const e of this.ends.filter((x) => x.at === next)) this.sink.deliver({ type: 'succeeded', op: e.op, at: next });
    this.ends.splice(0, this.ends.length, ...this.ends.filter((x) => x.at !== next));
    return true;
  }
}

/** Starts the VMs one at a time; after 'b' it wants to be woken at t = 25 before starting 'c'. */
class OneAtATime implements Decider {
  readonly seen: string[] = [];
  private readonly queue: string[];
  private running = new Map<number, string>();
  private nextId = 1;
  private left: number;
  constructor(vms: string[]) {
    this.queue = [...vms];
    this.left = vms.length;
  }
  decide(now: number): Operation[] {
    if (this.running.size > 0 || this.queue.length === 0) return [];
    if (this.queue[0] === 'c' && now < 25) return [];
    const vm = this.queue.shift()!;
    const op: Operation = { kind: 'vmotion', id: this.nextId++, vm, cluster: 'C', host: 'h1', toHost: 'h2', bytes: 1 };
    this.running.set(op.id, vm);
    return [op];
  }
  observe(o: Observation): void {
    this.seen.push(o.type === 'vmMoved' ? `moved ${o.vm}` : `${o.type} ${o.op}@${o.at}`);
    if ((o.type === 'succeeded' || o.type === 'failed') && this.running.delete(o.op)) this.left--;
  }
  nextWakeUp(now: number): number | null {
    return this.queue[0] === 'c' && now < 25 ? 25 : null;
  }
  get finished(): boolean {
    return this.left === 0;
  }
  get inFlight(): number {
    return this.running.size;
  }
}

describe('the driver loop', () => {
  it('decides, submits, delivers every observation to the decider and the listeners, and wakes when asked', () => {
    // a: 0–10; b: 10–20; c waits for its wake-up at 25: 25–35.
    const world = new TenSecondWorld();
    const decider = new OneAtATime(['a', 'b', 'c']);
    const heard: string[] = [];
    const listener: LoopListener = { decided: (op, now) => heard.push(`decided ${op.vm}@${now}`), observed: (o) => heard.push(o.type) };
    drive(world, decider, [listener]);
    expect(world.log).toEqual(['submit a@0', 'submit b@10', 'submit c@25']);
    expect(decider.seen).toEqual(['started 1@0', 'succeeded 1@10', 'started 2@10', 'succeeded 2@20', 'started 3@25', 'succeeded 3@35']);
    expect(heard).toEqual(['decided a@0', 'started', 'succeeded', 'decided b@10', 'started', 'succeeded', 'decided c@25', 'started', 'succeeded']);
    expect(decider.finished).toBe(true);
  });

  it('hands a refusal back as a failed observation before the next decision', () => {
    const world = new TenSecondWorld();
    const decider = new OneAtATime(['refused', 'a']);
    drive(world, decider);
    expect(decider.seen.slice(0, 1)).toEqual(['failed 1@0']);
    expect(world.log).toEqual(['submit refused@0', 'submit a@0']);
  });

  it('once stopped, starts nothing new and is done when nothing runs', async () => {
    // The same world behind an async face: what the live world is to the loop.
    const sync = new TenSecondWorld();
    const world: AsyncWorld = {
      get now() {
        return sync.now;
      },
      attach: (s) => sync.attach(s),
      submit: (op) => sync.submit(op),
      advance: (wakeAt) => Promise.resolve(sync.advance(wakeAt)),
    };
    const decider = new OneAtATime(['a', 'b', 'c']);
    const driver = await driveAsync(world, decider, [{ observed: (o) => (o.type === 'started' ? driverRef.stop() : undefined) }], (d) => (driverRef = d));
    expect(sync.log).toEqual(['submit a@0']);
    expect(driver.done).toBe(true);
    expect(decider.finished).toBe(false);
  });
});

let driverRef: { stop(): void };
