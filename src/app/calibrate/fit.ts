// Fitting the model's uncertain parameters to observed migrations, by replaying them.
//
// The parameters (parameters.ts): the per-copy rate r, the setup cost s of an svMotion, and the
// production load L_a of each array the copies crossed. For candidate values, the observed tasks
// are replayed through the simulator (replay.ts) and each measured copy's simulated copy time
// compared with the observed one as a log ratio, e_i = ln(simulated_i / observed_i). The fit
// minimises a robust loss of these,
//
//   loss(θ) = Σ_i w_i · huber_δ(e_i) + λ · Σ_a (L_a − L_a⁰)²,     δ = 0.1, λ = 10⁻³ · Σ w_i
//
// Huber's loss is quadratic for errors within 10 % and linear beyond, so a copy slowed by
// something the model does not know (a host busy with other work) pulls the fit no more than its
// share. The small pull of each load towards the scenario's value L_a⁰ decides what the data
// cannot: an array whose ports never limited a copy keeps the load the scenario gave it, and when
// two arrays on every copy's path could equally be the bottleneck, the one with less capacity to
// spare takes the load. The minimum is found by Nelder–Mead (nelder-mead.ts) over ln r, s and the
// loads, each kept in its domain by folding (|x|, capped).
//
// Intervals come from a moving-block bootstrap over tasks: the measured copies, in the order they
// started, are resampled in blocks of consecutive copies (as long as the errors stay correlated,
// see blockLengthOf), each resample weighting the loss, and the fit is made again from the first
// fit's values; the interval is the replicates' percentiles. A bootstrap rather than a profile likelihood because the errors are not
// independent: production load drifts over minutes to hours, so neighbouring copies err together,
// and a likelihood that treats them as independent would give intervals too narrow; blocks keep
// neighbours together. The replicates are also what the calibrated scenario's distributions are
// drawn from (scenario-file.ts), so Monte Carlo carries the same uncertainty forward.
//
// A parameter the data cannot pin down (the per-copy rate when every copy was held back by a
// shared link; the load of an array that never limited anything) would get a narrow bootstrap
// interval around whatever the optimiser left it at. So each parameter is also scanned on its own
// from the fit, both ways, to where the loss has risen by the 90 % threshold of a likelihood ratio
// (χ²₁ = 2.71, times half the robust variance of the errors); a side on which the loss never rises
// that much is open, and the interval says so.

import { UserError } from '../../domain/errors.js';
import { stream } from '../../sim/random.js';
import { nelderMead } from './nelder-mead.js';
import { MAX_PRODUCTION_LOAD, type ModelParameters } from './parameters.js';
import type { Replay } from './replay.js';

/** Errors within this (as a log ratio, about 10 %) count quadratically, beyond it linearly. */
const HUBER_DELTA = 0.1;
/** Weight of the pull of each production load towards the scenario's, per unit of total weight. */
const LOAD_PRIOR = 1e-3;
/** χ²₁ at 90 %: the loss's rise (in units of half the errors' variance) that bounds a parameter. */
const CHI2_90 = 2.706;
/** An error given to a copy the replay never ended: far worse than any fit. */
const NEVER_ENDED = 5;
/** Loads each array is tried at as a start of the search (see fitParameters). */
const START_LOADS = [0.3, 0.5, 0.7, 0.8, 0.9];
/** The range scanned for the per-copy rate around the fit, as a factor either way. */
const RATE_RANGE = 100;

export interface FitOptions {
  /** Bootstrap replicates (default 100; 0: none, intervals from the scans alone). */
  replicates?: number;
  /** Seed of the bootstrap's resampling (default 1). */
  seed?: number;
  /** Two-sided level of the intervals (default 0.9). */
  level?: number;
  /** Called after the fit and each replicate. */
  onProgress?: (done: number, total: number) => void;
}

/** A fitted value with its interval; an open side means the data bound it on the other side only. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
  /** Whether the data bound the value from below and from above (see the file's comment). */
  boundedBelow: boolean;
  boundedAbove: boolean;
}

export interface Calibration {
  /** The values the calibrated scenario centres on. */
  parameters: ModelParameters;
  perCopyRate: Estimate;
  svmotionSetupSeconds: Estimate;
  /** Only the arrays the measured copies crossed. */
  productionLoad: Record<string, Estimate>;
  /** Robust standard deviation of the copies' log errors at the fit: how much copies vary beyond the model. */
  spread: Estimate;
  fit: {
    /** Copies compared, tasks replayed. */
    copies: number;
    tasks: number;
    loss: number;
    /** Median of |simulated / observed − 1| over the copies, at the fit. */
    medianAbsError: number;
    evaluations: number;
    converged: boolean;
  };
  method: { name: 'moving-block bootstrap over tasks'; replicates: number; blockLength: number; level: number };
  /** The bootstrap replicates' values, for the distributions of the calibrated scenario. */
  samples: { perCopyRate: number[]; svmotionSetupSeconds: number[]; productionLoad: Record<string, number[]>; spread: number[] };
}

/** How the optimiser's variables map onto the parameters. */
class Space {
  readonly arrays: string[];
  readonly setupScale: number;

  constructor(
    readonly prior: ModelParameters,
    arrays: readonly string[],
  ) {
    this.arrays = [...arrays];
    this.setupScale = Math.max(5, prior.svmotionSetupSeconds);
  }

  toParameters(x: readonly number[], rate0: number): ModelParameters {
    const productionLoad: Record<string, number> = { ...this.prior.productionLoad };
    this.arrays.forEach((a, i) => (productionLoad[a] = Math.min(Math.abs(x[2 + i]!), MAX_PRODUCTION_LOAD)));
    return { perCopyRate: rate0 * Math.exp(x[0]!), svmotionSetupSeconds: Math.abs(x[1]!) * this.setupScale, productionLoad };
  }

  toVector(p: ModelParameters, rate0: number): number[] {
    return [Math.log(p.perCopyRate / rate0), p.svmotionSetupSeconds / this.setupScale, ...this.arrays.map((a) => p.productionLoad[a] ?? 0)];
  }
}

export function fitParameters(replay: Replay, prior: ModelParameters, options: FitOptions = {}): Calibration {
  const n = replay.measured.length;
  if (n === 0) throw new UserError('no successful svMotion with a known copy time to fit the model to.');
  const replicates = options.replicates ?? 100;
  const level = options.level ?? 0.9;
  const arrays = replay.arraysCrossed().filter((a) => a in prior.productionLoad);
  const space = new Space(prior, arrays);
  const observed = replay.observedSeconds;
  const ones = new Float64Array(n).fill(1);

  // A start from the copies themselves: the median rate each stream reached, setup as the scenario says.
  const streamRates = replay.measured.map((t, i) => t.bytes / Math.max(1e-9, observed[i]! - prior.svmotionSetupSeconds) / Math.max(1, Math.min(4, t.sourceDatastores.length)));
  const rate0 = Math.max(1e6, median(streamRates.filter((r) => r > 0 && Number.isFinite(r))) || prior.perCopyRate);

  const errorsAt = (p: ModelParameters): Float64Array => {
    const sim = replay.run(p).copySeconds;
    return Float64Array.from(sim, (s, i) => (Number.isFinite(s) && s > 0 ? Math.log(s / observed[i]!) : NEVER_ENDED));
  };
  const lossOf = (errors: Float64Array, weights: Float64Array, p: ModelParameters, withPrior: boolean): number => {
    let loss = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      loss += weights[i]! * huber(errors[i]!);
      total += weights[i]!;
    }
    if (withPrior) for (const a of arrays) loss += LOAD_PRIOR * total * ((p.productionLoad[a] ?? 0) - (prior.productionLoad[a] ?? 0)) ** 2;
    return loss;
  };
  let evaluations = 0;
  const objective =
    (weights: Float64Array, withPrior = true) =>
    (x: readonly number[]) => {
      evaluations++;
      const p = space.toParameters(x, rate0);
      return lossOf(errorsAt(p), weights, p, withPrior);
    };

  const total = replicates + 1;
  const start = space.toVector({ ...prior, perCopyRate: rate0 }, rate0);
  const steps = [0.3, Math.max(0.2, start[1]! * 0.5), ...arrays.map(() => 0.1)];
  // A load changes nothing until it makes its array the bottleneck: from a load of 0 the loss is
  // flat in that direction, and a slower copy rate alone explains shared links badly but locally
  // best. So the search starts from each array loaded in turn at a few levels, as well as from the
  // scenario's values, and refines the best of these; then once more from its own answer, which
  // escapes a simplex that collapsed early.
  const starts = [start, ...arrays.flatMap((_, i) => START_LOADS.map((load) => start.map((v, k) => (k === 2 + i ? load : v))))];
  let best = starts
    .map((x) => nelderMead(objective(ones), x, { step: steps, maxEvaluations: 40 * start.length, fTolerance: 1e-8, xTolerance: 1e-4 }))
    .reduce((a, b) => (b.f < a.f ? b : a));
  best = nelderMead(objective(ones), best.x, { step: steps.map((s) => s / 2), maxEvaluations: 150 * start.length, fTolerance: 1e-10, xTolerance: 1e-5 });
  best = nelderMead(objective(ones), best.x, { step: steps.map((s) => s / 6), maxEvaluations: 150 * start.length, fTolerance: 1e-10, xTolerance: 1e-5 });
  const fitted = space.toParameters(best.x, rate0);
  const errors = errorsAt(fitted);
  const spread = robustSd(errors);
  options.onProgress?.(1, total);

  // Each parameter on its own, both ways from the fit, to where the loss rises past the threshold.
  const threshold = (CHI2_90 * Math.max(spread, 0.01) ** 2) / 2;
  // What the data say, without the pull towards the scenario's loads.
  const f = objective(ones, false);
  const bestData = f(best.x);
  const scan = (index: number, to: number): number => {
    const at = (v: number) => {
      const x = [...best.x];
      x[index] = v;
      return f(x) - bestData;
    };
    if (at(to) < threshold) return NaN;
    let inside = best.x[index]!;
    let outside = to;
    for (let k = 0; k < 14; k++) {
      const mid = (inside + outside) / 2;
      if (at(mid) < threshold) inside = mid;
      else outside = mid;
    }
    return outside;
  };
  const x0 = best.x;
  const rateRange = [scan(0, x0[0]! - Math.log(RATE_RANGE)), scan(0, x0[0]! + Math.log(RATE_RANGE))];
  const setupRange = [scan(1, 0), scan(1, Math.abs(x0[1]!) + Math.max(10, 3 * Math.abs(x0[1]!)))];
  const loadRanges = arrays.map((_, i) => [scan(2 + i, 0), scan(2 + i, MAX_PRODUCTION_LOAD)]);

  // The moving-block bootstrap, over the copies in the order they started.
  const order = [...replay.measured.keys()].sort((a, b) => replay.measured[a]!.startedAt! - replay.measured[b]!.startedAt! || a - b);
  const blockLength = blockLengthOf(order.map((i) => errors[i]!));
  const random = stream(options.seed ?? 1, 'calibration-bootstrap');
  const samples: Calibration['samples'] = { perCopyRate: [], svmotionSetupSeconds: [], productionLoad: Object.fromEntries(arrays.map((a) => [a, []])), spread: [] };
  for (let b = 0; b < replicates; b++) {
    const weights = new Float64Array(n);
    for (let drawn = 0; drawn < n; ) {
      const from = Math.floor(random() * (n - blockLength + 1));
      for (let k = 0; k < blockLength && drawn < n; k++, drawn++) weights[order[from + k]!]!++;
    }
    const m = nelderMead(objective(weights), best.x, { step: steps.map((s) => s / 3), maxEvaluations: 60 * start.length, fTolerance: 1e-8, xTolerance: 1e-4 });
    const p = space.toParameters(m.x, rate0);
    samples.perCopyRate.push(p.perCopyRate);
    samples.svmotionSetupSeconds.push(p.svmotionSetupSeconds);
    for (const a of arrays) samples.productionLoad[a]!.push(p.productionLoad[a]!);
    samples.spread.push(robustSd(errorsAt(p), weights));
    options.onProgress?.(b + 2, total);
  }

  // A percentile bootstrap over few copies is too narrow: it divides by n where the variance wants
  // n − 1, and takes normal quantiles where Student's t with n − 1 degrees of freedom applies. Each
  // replicate's deviation from the fit is widened by √(n / (n − 1)) · t(0.95; n − 1) / z(0.95):
  // 1.45 for a pilot of 5 copies, 1.08 for 20, 1.03 for 50.
  const widen = smallSampleWidening(n);
  if (widen > 1) {
    const from = (values: number[], centre: number, to: (x: number) => number, back: (y: number) => number) => values.map((v) => back(to(centre) + (to(v) - to(centre)) * widen));
    samples.perCopyRate = from(samples.perCopyRate, fitted.perCopyRate, Math.log, Math.exp);
    samples.svmotionSetupSeconds = from(samples.svmotionSetupSeconds, fitted.svmotionSetupSeconds, (x) => x, (y) => Math.max(0, y));
    for (const a of arrays) samples.productionLoad[a] = from(samples.productionLoad[a]!, fitted.productionLoad[a]!, (x) => x, (y) => Math.min(MAX_PRODUCTION_LOAD, Math.max(0, y)));
  }

  const q = (values: number[], p: number) => quantileOf(values, p);
  const lo = (1 - level) / 2;
  const hi = 1 - lo;
  const estimate = (value: number, values: number[], range: number[], domain: [number, number], toNatural: (x: number) => number): Estimate => {
    const boundedBelow = !Number.isNaN(range[0]!);
    const boundedAbove = !Number.isNaN(range[1]!);
    // The hull of the bootstrap's interval and the scan's: a parameter the loss hardly feels gets
    // the scan's honest width even where every replicate left it at the same value.
    const scanned = [boundedBelow ? toNatural(range[0]!) : domain[0], boundedAbove ? toNatural(range[1]!) : domain[1]].sort((a, b) => a - b);
    const low = boundedBelow ? Math.min(value, scanned[0]!, values.length > 0 ? q(values, lo) : Infinity) : domain[0];
    const high = boundedAbove ? Math.max(value, scanned[1]!, values.length > 0 ? q(values, hi) : -Infinity) : domain[1];
    return { value, low, high, boundedBelow, boundedAbove };
  };
  const rateOf = (x: number) => rate0 * Math.exp(x);
  const setupOf = (x: number) => Math.abs(x) * space.setupScale;
  // A value the data leave open on one side rests where the scenario had it, if that fits as well.
  const rest = (fittedValue: number, priorValue: number, range: number[], toNatural: (x: number) => number): number => {
    if (!Number.isNaN(range[0]!) && !Number.isNaN(range[1]!)) return fittedValue;
    const low = Number.isNaN(range[0]!) ? -Infinity : toNatural(range[0]!);
    const high = Number.isNaN(range[1]!) ? Infinity : toNatural(range[1]!);
    return Math.min(Math.max(priorValue, Math.min(low, high)), Math.max(low, high));
  };
  const perCopyRate = estimate(rest(fitted.perCopyRate, prior.perCopyRate, rateRange, rateOf), samples.perCopyRate, rateRange, [0, Infinity], rateOf);
  const svmotionSetupSeconds = estimate(rest(fitted.svmotionSetupSeconds, prior.svmotionSetupSeconds, setupRange, setupOf), samples.svmotionSetupSeconds, setupRange, [0, Infinity], setupOf);
  const productionLoad: Record<string, Estimate> = {};
  arrays.forEach((a, i) => {
    productionLoad[a] = estimate(rest(fitted.productionLoad[a]!, prior.productionLoad[a] ?? 0, loadRanges[i]!, (x) => x), samples.productionLoad[a]!, loadRanges[i]!, [0, MAX_PRODUCTION_LOAD], (x) => x);
  });
  const parameters: ModelParameters = {
    perCopyRate: perCopyRate.value,
    svmotionSetupSeconds: svmotionSetupSeconds.value,
    productionLoad: { ...prior.productionLoad, ...Object.fromEntries(arrays.map((a) => [a, productionLoad[a]!.value])) },
  };
  const spreadEstimate: Estimate = {
    value: spread,
    low: samples.spread.length > 0 ? Math.min(spread, q(samples.spread, lo)) : spread,
    high: samples.spread.length > 0 ? Math.max(spread, q(samples.spread, hi)) : spread,
    boundedBelow: true,
    boundedAbove: true,
  };
  const absErrors = [...errors].map((e) => Math.abs(Math.exp(e) - 1));
  return {
    parameters,
    perCopyRate,
    svmotionSetupSeconds,
    productionLoad,
    spread: spreadEstimate,
    fit: { copies: n, tasks: replay.observations.tasks.length, loss: best.f, medianAbsError: median(absErrors), evaluations, converged: best.converged },
    method: { name: 'moving-block bootstrap over tasks', replicates, blockLength, level },
    samples,
  };
}

/**
 * How many consecutive copies a bootstrap block holds: long enough to keep together the copies
 * whose errors move together (production load drifts for a while), at least ⌈n^⅓⌉, at most n/4.
 * The errors' autocorrelation, lag by lag, says how far that reaches: up to the first lag at
 * which it is no longer significant (below 2/√n); a block spans twice that.
 */
export function blockLengthOf(errors: readonly number[]): number {
  const n = errors.length;
  const least = Math.max(1, Math.ceil(Math.cbrt(n)));
  const most = Math.max(1, Math.floor(n / 4));
  if (n < 8) return Math.min(least, most);
  const mean = errors.reduce((a, b) => a + b, 0) / n;
  const variance = errors.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  if (!(variance > 0)) return Math.min(least, most);
  let reach = 0;
  for (let k = 1; k <= most; k++) {
    let c = 0;
    for (let i = 0; i + k < n; i++) c += (errors[i]! - mean) * (errors[i + k]! - mean);
    if (c / n / variance < 2 / Math.sqrt(n)) break;
    reach = k;
  }
  return Math.min(most, Math.max(least, 2 * reach));
}

/** √(n / (n − 1)) · t(0.95; n − 1) / z(0.95), the t quantile by its Cornish–Fisher expansion (within about 1 % from 2 degrees of freedom). */
export function smallSampleWidening(n: number): number {
  if (n < 3) return smallSampleWidening(3);
  const v = n - 1;
  const z = 1.6448536269514722;
  const t = z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3);
  return Math.sqrt(n / v) * (t / z);
}

export function huber(e: number): number {
  const a = Math.abs(e);
  return a <= HUBER_DELTA ? (e * e) / 2 : HUBER_DELTA * (a - HUBER_DELTA / 2);
}

/** 1.4826 × the median absolute deviation: the standard deviation for normal errors, robust to outliers. */
export function robustSd(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const copies = weights === undefined ? 1 : weights[i]!;
    for (let k = 0; k < copies; k++) xs.push(values[i]!);
  }
  if (xs.length === 0) return 0;
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}

export function median(values: readonly number[]): number {
  return quantileOf(values, 0.5);
}

/** The p-quantile of `values`, linearly interpolated between order statistics (type 7); NaN for none. */
export function quantileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const i = Math.floor(h);
  return sorted[i]! + (h - i) * ((sorted[Math.min(i + 1, sorted.length - 1)] ?? sorted[i]!) - sorted[i]!);
}
