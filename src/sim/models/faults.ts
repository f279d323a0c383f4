// Operations that fail: per kind, a probability, where in the operation it fails (uniform), and
// whether it is transient; and VMs whose every storage move fails half way (a rehearsal of a VM
// that cannot move). Draws come from the run's own `faults` stream.

import { OPERATIONS } from '../../core/operations.js';
import type { Operation, OperationKind } from '../../core/port.js';
import type { FaultRate } from '../../scenario/scenario.js';
import type { Random } from '../random.js';

export interface FaultModelSettings {
  rates: Readonly<Partial<Record<OperationKind, FaultRate>>>;
  /** VMs whose every storage move fails, transiently, half way. */
  alwaysFail: readonly string[];
}

export interface Fault {
  /** Where in the operation (0..1) it fails. */
  at: number;
  transient: boolean;
  reason: string;
}

export class FaultModel {
  private readonly alwaysFail: ReadonlySet<string>;

  constructor(
    private readonly settings: FaultModelSettings,
    private readonly random: Random,
  ) {
    this.alwaysFail = new Set(settings.alwaysFail);
  }

  /** Whether and where `op` fails, drawn when it starts. */
  draw(op: Operation): Fault | null {
    const kind = op.kind;
    if (OPERATIONS[kind].movesStorage && this.alwaysFail.has(op.vm)) return { at: 0.5, transient: true, reason: `transient fault at 50 % of the ${kind} (injected for this VM)` };
    const rate = this.settings.rates[kind];
    if (rate === undefined || rate.probability <= 0) return null;
    // Draw all three numbers every time, so that one operation's outcome does not shift the next one's draws.
    const fails = this.random() < rate.probability;
    const at = this.random();
    const transient = this.random() < rate.transientShare;
    if (!fails) return null;
    return { at, transient, reason: `${transient ? 'transient' : 'permanent'} fault at ${Math.round(at * 100)} % of the ${kind}` };
  }
}
