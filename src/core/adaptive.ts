// The adaptive concurrency loop: hill climbing on throughput, with vCenter's queue as the brake.
// It sees only what a live executor sees: the bytes its own copies have moved (from task progress
// and completions) and whether vCenter keeps any of its operations waiting for resources.

import type { AdaptiveLimit } from './policy.js';

export interface AdaptiveSample {
  now: number;
  /** Bytes moved so far by the campaign's own copies, as last reported. */
  bytesSeen: number;
  /** Own operations vCenter currently holds in its queue. */
  queued: number;
  /** Own copies in flight now. */
  inFlight: number;
  /** VMs wait for a slot: the limit, not the work left, is what holds the campaign back. */
  backlog: boolean;
}

/** Relative growth of throughput below which another step up is not worth it. */
const GROWTH = 0.03;

/** Periods spent holding a level before probing one step above it again. */
const PROBE_AFTER = 3;

export class AdaptiveController {
  private current: number;
  /** Doubling at first (the knee may be far), then one step at a time once it has been found. */
  private mode: 'slow-start' | 'climb' | 'hold' = 'slow-start';
  private previous: number;
  private held = 0;
  private lastTime: number | null = null;
  private lastBytes = 0;
  private lastRate: number | null = null;
  private nextTick = 0;
  readonly history: Array<{ at: number; limit: number; rate: number }> = [];

  constructor(private readonly config: AdaptiveLimit) {
    this.current = config.start;
    this.previous = config.start;
  }

  get limit(): number {
    return this.current;
  }

  /** When the loop next wants to measure. */
  get nextDecision(): number {
    return this.nextTick;
  }

  /**
   * Measures and adjusts when a period has passed; returns the limit in force.
   *
   * At first double the limit every period while throughput grows by more than GROWTH (slow
   * start); when a doubling brings no growth, go back to the level before it. From then on climb
   * one step per period while throughput grows; when a step brings no growth, step back (the level
   * before was as good, with fewer copies) and hold; every PROBE_AFTER periods, probe one step up
   * again, since the knee moves as the mix of copies does.
   * Copies waiting in vCenter's queue mean the limit is past what vCenter admits: step down.
   * Being a little above the knee costs nothing but a longer queue of copies sharing the links;
   * being below it costs throughput, hence the bias to hold rather than keep backing off.
   */
  /** Forgets the last measurement (a closed window): the next period starts afresh. */
  pause(now: number): void {
    this.lastTime = null;
    this.lastRate = null;
    this.nextTick = now;
  }

  update(s: AdaptiveSample): number {
    if (s.now < this.nextTick) return this.current;
    this.nextTick = s.now + this.config.periodSeconds;
    if (this.lastTime === null || s.now <= this.lastTime) {
      this.lastTime = s.now;
      this.lastBytes = s.bytesSeen;
      return this.current;
    }
    const rate = (s.bytesSeen - this.lastBytes) / (s.now - this.lastTime);
    const { min, max, step } = this.config;
    if (s.queued > 0) {
      this.current = Math.max(min, Math.min(this.current, s.inFlight) - step);
      this.previous = this.current;
      this.mode = 'hold';
      this.held = 0;
    } else if (s.backlog) {
      // Only a period with work waiting says anything about the limit (not the campaign's tail).
      const grew = this.lastRate === null || rate > this.lastRate * (1 + GROWTH);
      if (this.mode === 'slow-start') {
        if (grew) {
          this.previous = this.current;
          this.current = Math.min(max, this.current * 2);
        } else {
          this.current = Math.max(min, this.previous);
          this.mode = 'hold';
          this.held = 0;
        }
      } else if (this.mode === 'climb') {
        if (grew) {
          this.current = Math.min(max, this.current + step);
        } else {
          this.current = Math.max(min, this.current - step);
          this.mode = 'hold';
          this.held = 0;
        }
      } else if (++this.held >= PROBE_AFTER) {
        this.current = Math.min(max, this.current + step);
        this.mode = 'climb';
      }
    }
    this.history.push({ at: s.now, limit: this.current, rate });
    this.lastRate = rate;
    this.lastTime = s.now;
    this.lastBytes = s.bytesSeen;
    return this.current;
  }
}
