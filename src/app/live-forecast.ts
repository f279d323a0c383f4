// The live run's ETA: the rest of the campaign forecast by a model recalibrated on the run's own
// journal as copies end (calibrate/campaign-forecast.ts), in a worker thread so that the executor's
// loop never waits for a fit. A new forecast starts after a turn of the loop when an operation has
// ended since the last one began and `everySeconds` have passed (the first at once: a resumed
// campaign learns from its pilot straight away). Each forecast's figures go to the journal (a
// `forecast` record: when, P10 / P50 / P90, what it was fitted on), so that the ETA shown can be
// judged against what happened.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { answerForecast, type ForecastReply, type ForecastRequest, type ForecastSetup } from './calibrate/forecast-job.js';
import type { Forecast } from './calibrate/forecast.js';
import { formatDuration } from '../domain/units.js';
import { readJournal, type ForecastFigures, type Journal } from '../live/journal.js';
import type { WindowSettings } from '../scenario/scenario.js';

export interface LiveEta {
  p50: Date;
  p90: Date;
  /** What the model was fitted on, for people: `fitted on 12 copies`. */
  basis: string;
}

export interface LiveForecasterOptions {
  setup: ForecastSetup;
  journal: Journal;
  clock: () => number;
  everySeconds: number;
  /** The change windows anchored at a wall time (a forecast's time 0). */
  windowsAt: (ms: number) => WindowSettings | null;
  /** One line about a forecast made, or one that could not be. */
  report: (line: string) => void;
}

export class LiveForecaster {
  private worker: Worker | null = null;
  private pending: { id: number } | null = null;
  private nextId = 1;
  private lastStart = -Infinity;
  private endsAtLastStart = -1;
  private closed = false;
  /** The latest forecast's ends, null until one is made. */
  eta: LiveEta | null = null;
  /** Forecasts made so far. */
  made = 0;

  constructor(private readonly o: LiveForecasterOptions) {}

  /**
   * After a turn of the loop: starts a forecast from the state now if operations ended since the
   * last one started and enough time passed. `ends` counts the operations ended so far.
   */
  tick(ends: number, progress: ReadonlyMap<string, number>): void {
    if (this.closed || this.pending !== null) return;
    const now = this.o.clock();
    if (ends === this.endsAtLastStart || now - this.lastStart < this.o.everySeconds * 1000) return;
    this.lastStart = now;
    this.endsAtLastStart = ends;
    const request: ForecastRequest = { id: this.nextId++, asOf: now, progress: [...progress], windows: this.o.windowsAt(now) };
    this.pending = { id: request.id };
    const worker = this.workerOrNull();
    if (worker === null) {
      // No compiled worker (the TypeScript sources under test): the same work, in this thread.
      this.settle(answerForecast(this.o.setup, request, readJournal));
      return;
    }
    worker.postMessage(request);
  }

  /** Stops the worker, dropping a forecast under way; nothing is written after this. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = null;
    const w = this.worker;
    this.worker = null;
    if (w !== null) await w.terminate();
  }

  private workerOrNull(): Worker | null {
    if (this.worker !== null) return this.worker;
    const script = forecastWorkerScript();
    if (script === null) return null;
    const w = new Worker(script, { workerData: this.o.setup });
    w.on('message', (reply: ForecastReply) => this.settle(reply));
    w.on('error', (err) => this.settle({ id: this.pending?.id ?? 0, error: err.message }));
    // The worker must not keep a finished run alive.
    w.unref();
    this.worker = w;
    return w;
  }

  private settle(reply: ForecastReply): void {
    const pending = this.pending;
    this.pending = null;
    if (pending !== null && pending.id === reply.id && !this.closed) {
      if ('error' in reply) this.o.report(`forecast: could not be made (${reply.error.replace(/\.$/, '')})`);
      else this.record(reply.forecast, reply.notes);
    }
  }

  private record(f: Forecast, notes: string[]): void {
    this.made++;
    const basis = f.model.kind === 'fitted' ? `fitted on ${f.model.fittedOn?.svmotions ?? 0} copies` : f.model.kind === 'plan' ? 'the plan’s scenario (no copy ended yet)' : `the calibrated scenario ${f.model.file ?? ''}`;
    this.eta = { p50: new Date(f.ends.p50), p90: new Date(f.ends.p90), basis };
    const figures: ForecastFigures = {
      p10Seconds: f.p10Seconds,
      p50Seconds: f.p50Seconds,
      p90Seconds: f.p90Seconds,
      endP50: new Date(f.ends.p50).toISOString(),
      endP90: new Date(f.ends.p90).toISOString(),
      runs: f.runs,
      fittedOn: {
        svmotions: f.model.fittedOn?.svmotions ?? 0,
        from: f.model.fittedOn?.from != null ? new Date(f.model.fittedOn.from).toISOString() : null,
        to: f.model.fittedOn?.to != null ? new Date(f.model.fittedOn.to).toISOString() : null,
      },
      parameters:
        f.model.parameters === null
          ? null
          : { perCopyRate: f.model.parameters.perCopyRate, svmotionSetupSeconds: f.model.parameters.svmotionSetupSeconds, productionLoad: { ...f.model.parameters.productionLoad }, spread: f.model.spread ?? 0 },
    };
    this.o.journal.write({ type: 'forecast', at: new Date(f.asOf).toISOString(), ...figures });
    this.o.report(`forecast: the rest takes P50 ${formatDuration(f.p50Seconds)}, P90 ${formatDuration(f.p90Seconds)} (${basis}${notes.length > 0 ? `; ${notes[0]}` : ''})`);
  }
}

/**
 * The compiled worker: beside this code in the bundle (dist/svmig/, an entry point of its own), under
 * it in the compiled modules (dist/src/app/), or under dist/ from the TypeScript sources; null when
 * not built.
 */
function forecastWorkerScript(): URL | null {
  for (const candidate of ['./forecast-worker.js', './calibrate/forecast-worker.js', '../../dist/src/app/calibrate/forecast-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}
