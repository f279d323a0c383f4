// How soon the planner learns what became of its operations, and what learning it costs in API
// calls. Client-side tasks (vMotion) report by themselves. Server-side tasks (svMotion) are pushed
// by the property collector (one WaitForUpdatesEx round trip brings every change of an instant), or,
// polled every P seconds, seen at the next poll, which reads every task still in flight: one call
// each. The calls are counted from counts kept as tasks come and go, never by looking at every task.

import { OPERATIONS } from '../../core/operations.js';
import type { Observation, Operation } from '../../core/port.js';
import type { Monitoring as MonitoringSettings } from '../../scenario/scenario.js';
import { Priority, type Clock, type ScheduledEvent } from '../engine.js';

export class Monitoring {
  /** vCenter API calls so far: submissions, update rounds, polls. */
  calls = 0;
  private lastPushInstant = -1;
  private pollEvent: ScheduledEvent | null = null;
  private readonly buffer: Observation[] = [];
  private endsBuffered = 0;
  /** The planner's server-side tasks submitted and not ended: each poll reads each of them. */
  private polledInFlight = 0;

  constructor(
    private readonly settings: MonitoringSettings,
    private readonly clock: Clock,
    private readonly deliver: (o: Observation) => void,
  ) {}

  /** Whether the planner hears of operations of this kind only when it polls. */
  polled(op: Operation): boolean {
    return this.settings.mode === 'poll' && OPERATIONS[op.kind].tracking === 'server';
  }

  /** The planner submitted `op` (one call); `accepted`: vCenter took it, and it is now in flight. */
  submitted(op: Operation, accepted: boolean): void {
    this.calls++; // RelocateVM_Task
    if (accepted && this.polled(op)) this.polledInFlight++;
  }

  /** One of the planner's operations ended in vCenter (the planner may learn it later). */
  ended(op: Operation): void {
    if (this.polled(op)) this.polledInFlight--;
  }

  /** News about one of the planner's operations, heard as its kind and the monitoring mode allow. */
  tell(op: Operation, o: Observation): void {
    if (!this.polled(op)) {
      this.push(o);
      return;
    }
    this.buffer.push(o);
    if (o.type === 'succeeded' || o.type === 'failed') this.endsBuffered++;
    this.schedulePoll();
  }

  /** An update the property collector pushes (task changes, VMs that moved). */
  push(o: Observation): void {
    // One WaitForUpdatesEx round trip brings every change of the same instant.
    if (this.lastPushInstant !== this.clock.now) {
      this.calls++;
      this.lastPushInstant = this.clock.now;
    }
    this.deliver(o);
  }

  private schedulePoll(): void {
    if (this.pollEvent !== null || this.settings.mode !== 'poll') return;
    const interval = this.settings.intervalSeconds;
    // The next multiple of the interval strictly after now: with a fractional interval, the product
    // can round back onto the instant this poll fires at, which would poll there for ever.
    let next = (Math.floor(this.clock.now / interval) + 1) * interval;
    while (next <= this.clock.now) next += interval;
    this.pollEvent = this.clock.at(next, Priority.periodic, () => {
      this.pollEvent = null;
      // One call per task still in flight as far as the planner knows: each task's info is read.
      this.calls += this.polledInFlight + this.endsBuffered;
      this.endsBuffered = 0;
      for (const o of this.buffer.splice(0)) this.deliver(o);
      if (this.polledInFlight > 0) this.schedulePoll();
    });
  }
}
