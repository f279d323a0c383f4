// The discrete-event engine: one binary heap and a step loop, in the manner of SimPy's core.
// Time is virtual and changes only when an event is popped. The heap key is
// (time, priority, sequence), so events at the same instant always run in the same order: that is
// what makes a run reproducible. Cancellation is lazy (a flag checked when the event is popped),
// so cancelling costs O(1) however many events are pending.

export type EventHandler = () => void;

export interface ScheduledEvent {
  readonly time: number;
  readonly priority: number;
  readonly seq: number;
  readonly handler: EventHandler;
  cancelled: boolean;
}

/** Lower priority values run first among events of the same instant. */
export const Priority = {
  /** Something ends (a copy, a vMotion): frees resources before anything else looks at them. */
  completion: 0,
  /** Time-driven state changes (DRS passes, windows opening, polls). */
  periodic: 10,
  /** Starts of work already admitted. */
  start: 20,
} as const;

/**
 * The run handled its whole budget of events without finishing. A simulation that makes progress
 * needs a few events per operation plus its periodic ones; one that spins (a wake-up every week
 * for a copy that never fits, DRS passes for centuries) ends here instead of running for ever.
 */
export class EventBudgetExceeded extends Error {
  constructor(
    readonly budget: number,
    readonly at: number,
  ) {
    super(`the simulation handled its budget of ${budget} events without finishing (simulated time ${at} s)`);
  }
}

/** Nothing is left to happen, yet the campaign is not finished. */
export class Stalled extends Error {
  constructor(readonly at: number) {
    super(`simulation stalled at t=${at}s: nothing scheduled`);
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class Simulation {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  private clock = 0;
  private processed = 0;

  get now(): number {
    return this.clock;
  }

  /** Events handled so far (cancelled ones excluded). */
  get eventsProcessed(): number {
    return this.processed;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Schedules `handler` at absolute time `time` (never before now). */
  at(time: number, priority: number, handler: EventHandler): ScheduledEvent {
    if (!(time >= this.clock)) throw new RangeError(`cannot schedule at ${time}, before now (${this.clock})`);
    const event: ScheduledEvent = { time, priority, seq: this.nextSeq++, handler, cancelled: false };
    this.push(event);
    return event;
  }

  after(delay: number, priority: number, handler: EventHandler): ScheduledEvent {
    return this.at(this.clock + delay, priority, handler);
  }

  cancel(event: ScheduledEvent | null | undefined): void {
    if (event) event.cancelled = true;
  }

  /**
   * Runs events in order until none is left or the clock would pass `until`. After the last event
   * of each instant, `onInstantEnd(now)` runs; work it schedules at the same instant runs next,
   * followed by another `onInstantEnd`, so a decision sees every consequence of that instant.
   */
  run(options: { until?: number; onInstantEnd?: (now: number) => void; budget?: number } = {}): void {
    const until = options.until ?? Infinity;
    const onInstantEnd = options.onInstantEnd;
    /** Events this run may handle, instant-end calls included (work at one instant can spin too). */
    const budget = options.budget ?? Infinity;
    let spent = 0;
    for (;;) {
      const head = this.peek();
      if (head === undefined || head.time > until) return;
      this.clock = head.time;
      while (true) {
        const next = this.peek();
        if (next === undefined || next.time !== this.clock) break;
        this.pop();
        this.processed++;
        if (++spent > budget) throw new EventBudgetExceeded(budget, this.clock);
        next.handler();
      }
      if (++spent > budget) throw new EventBudgetExceeded(budget, this.clock);
      onInstantEnd?.(this.clock);
    }
  }

  /** The next live event, dropping cancelled ones from the top of the heap. */
  private peek(): ScheduledEvent | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private push(event: ScheduledEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
