// Running copies report their progress every `intervalSeconds` (vCenter's task progress), which the
// adaptive policy measures throughput with. Reports run while copies do.

import { Priority, type Clock, type ScheduledEvent } from '../engine.js';
import type { FabricModel } from './fabric.js';

export class ProgressReports {
  private event: ScheduledEvent | null = null;

  constructor(
    private readonly intervalSeconds: number,
    private readonly clock: Clock,
    private readonly fabric: FabricModel,
    /** Reports copy `id`'s bytes copied so far. */
    private readonly report: (id: number, copied: number) => void,
    /** The campaign is over: no more reports. */
    private readonly over: () => boolean,
  ) {}

  /** Starts reporting if copies run and no report is due yet. */
  arm(): void {
    if (this.event !== null || this.fabric.activeFlows === 0) return;
    this.event = this.clock.after(this.intervalSeconds, Priority.periodic, () => {
      this.event = null;
      const now = this.clock.now;
      for (const f of this.fabric.snapshot()) this.report(f.id, this.fabric.copiedBytes(now, f.id));
      if (this.fabric.activeFlows > 0 && !this.over()) this.arm();
    });
  }
}
