// Each VM's attempts and how its last one failed, as a journal records them: what a restart hands
// the planner (reconcile.ts), and what a forecast resumes from (calibrate/forecast.ts), counted one
// way for both, so that the forecast's planner gives up on, or retries, the VMs the run would.
//
// An attempt is the planner's decision to move a VM, counted from the last new round asked for
// (--retry-failed, the journal's retry record) on: its svMotion's intent, or the failure of a
// remediation task before it (the svMotion then never reached vCenter, and the planner saw it fail
// as the remediation did, preflight.ts). An attempt that vCenter never saw (voided) or that did not
// touch the VM (an ended record with counted: false) does not count. A new attempt clears the
// failure before it; a VM moved or in flight has no failure to act on.

import { OPERATIONS } from '../core/operations.js';
import type { PastFailure } from '../core/planner.js';
import { isRemediation } from '../core/preflight.js';
import type { IntentRecord, JournalState, OpHistory } from '../live/journal.js';

export class AttemptLedger {
  readonly attempts = new Map<string, number>();
  /** How each VM's last counted attempt failed; a later attempt clears it. */
  readonly failures = new Map<string, PastFailure>();
  private readonly origin: number;

  /** `origin`: the campaign's t = 0 (ms), from which a failure's time is counted. */
  constructor(
    private readonly state: Pick<JournalState, 'retriedFrom'>,
    origin: number,
  ) {
    this.origin = origin;
  }

  private round(i: IntentRecord): boolean {
    return i.op >= (this.state.retriedFrom.get(i.vm) ?? 0);
  }

  private counts(i: IntentRecord): boolean {
    return OPERATIONS[i.kind].movesStorage && this.round(i);
  }

  /** An operation of the journal, in order: a storage move counts, and any new attempt clears the failure before it. */
  begin(i: IntentRecord): void {
    if (this.counts(i)) this.attempts.set(i.vm, (this.attempts.get(i.vm) ?? 0) + 1);
    if (this.counts(i) || (isRemediation(i) && this.round(i))) this.failures.delete(i.vm);
  }

  /** The attempt did not happen after all (vCenter never saw it, or it left the VM untouched). */
  uncount(i: IntentRecord): void {
    if (this.counts(i)) this.attempts.set(i.vm, (this.attempts.get(i.vm) ?? 1) - 1);
  }

  /** The operation failed at `when` (ISO): its VM's last word, and a remediation's failure is its svMotion's attempt. */
  failed(i: IntentRecord, reason: string, transient: boolean, when: string): void {
    const at = (Date.parse(when) - this.origin) / 1000;
    if (this.counts(i)) this.failures.set(i.vm, { vm: i.vm, reason, transient, at });
    else if (isRemediation(i) && this.round(i)) {
      this.attempts.set(i.vm, (this.attempts.get(i.vm) ?? 0) + 1);
      this.failures.set(i.vm, { vm: i.vm, reason: `${i.kind} failed: ${reason}`, transient, at });
    }
  }

  /** vCenter refused the submission: the planner was told it failed for good. */
  rejected(i: IntentRecord, reason: string): void {
    this.failed(i, reason, false, i.at);
  }

  /** An ended record: a failure counts as one unless the attempt did not count. */
  ended(i: IntentRecord, e: NonNullable<OpHistory['ended']>): void {
    if (e.counted === false) this.uncount(i);
    else if (e.outcome === 'failed') this.failed(i, e.reason ?? 'failed', e.transient ?? false, e.at);
  }

  /** VMs moved or with an operation in flight: no failure to act on. */
  settle(vms: Iterable<string>): void {
    for (const vm of vms) this.failures.delete(vm);
  }
}
