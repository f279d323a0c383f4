// The one driver loop: decide → submit → observe, over any world.
//
// Both worlds run this loop; only how a world advances differs, as SimPy's real-time environment
// overrides nothing but step(). The simulated world advances synchronously to the end of its next
// instant (so its hot loop makes no promise per event), the live world asynchronously on the wall
// clock. In between, one turn asks the decider for what to start, submits it, and records when the
// decider wants to be woken. Observations reach the decider the moment a world delivers them, and
// every listener (progress read-models, recorders) sees the same decisions and observations.

import type { AsyncWorld, Decider, Observation, ObservationSink, Operation, SyncWorld, World } from './port.js';

/** Sees what the loop sees, and changes nothing: progress views, traces, journals. */
export interface LoopListener {
  decided?(op: Operation, now: number): void;
  observed?(o: Observation): void;
  /** A turn ended: everything observed so far has been decided on. */
  turned?(now: number): void;
}

export class Driver implements ObservationSink {
  /** When the decider wants to be asked again, as of the last turn. */
  wakeAt: number | null = null;
  private stopping = false;
  /** Operations ended so far, as delivered. */
  private ends = 0;
  private readonly listeners: LoopListener[];

  constructor(
    private readonly world: World,
    private readonly decider: Decider,
    listeners: readonly LoopListener[] = [],
  ) {
    this.listeners = [...listeners];
    world.attach(this);
  }

  deliver(o: Observation): void {
    if (o.type === 'succeeded' || o.type === 'failed') this.ends++;
    this.decider.observe(o);
    // Loops by index here and below: a simulated run passes through them at every event.
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!.observed?.(o);
  }

  get done(): boolean {
    return this.decider.finished || (this.stopping && this.decider.inFlight === 0);
  }

  /** Starts nothing new from now on: the campaign ends once what runs has ended. */
  stop(): void {
    this.stopping = true;
    this.wakeAt = null;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** One turn: decide on everything observed so far, submit it, and note when to come back. */
  turn(): void {
    const now = this.world.now;
    if (this.stopping) {
      // Nothing new; what the campaign must still put back (DRS overrides) goes all the same.
      for (const op of this.decider.wrapUp?.(now) ?? []) {
        for (const l of this.listeners) l.decided?.(op, now);
        this.world.submit(op);
      }
      for (const l of this.listeners) l.turned?.(now);
      return;
    }
    // An operation that ended while the decisions were submitted (refused, or failed at once) frees
    // what it held: decide again before time moves on, in any world.
    const listeners = this.listeners;
    for (let ended = -1; ended !== this.ends; ) {
      ended = this.ends;
      const ops = this.decider.decide(now);
      for (let k = 0; k < ops.length; k++) {
        const op = ops[k]!;
        for (let i = 0; i < listeners.length; i++) listeners[i]!.decided?.(op, now);
        this.world.submit(op);
      }
    }
    this.wakeAt = this.decider.nextWakeUp(now);
    for (let i = 0; i < listeners.length; i++) listeners[i]!.turned?.(now);
  }
}

/** Runs the campaign over a synchronous world until the world has nothing left to do. */
export function drive(world: SyncWorld, decider: Decider, listeners: readonly LoopListener[] = []): Driver {
  const driver = new Driver(world, decider, listeners);
  driver.turn();
  while (world.advance(driver.wakeAt)) driver.turn();
  return driver;
}

/**
 * Runs the campaign over an asynchronous world. `started` receives the driver before the first
 * turn, so that the caller can stop it (Ctrl-C) while it runs.
 */
export async function driveAsync(world: AsyncWorld, decider: Decider, listeners: readonly LoopListener[] = [], started?: (driver: Driver) => void): Promise<Driver> {
  const driver = new Driver(world, decider, listeners);
  started?.(driver);
  driver.turn();
  while (await world.advance(driver.wakeAt)) driver.turn();
  return driver;
}
