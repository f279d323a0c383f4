// Distributions of the quantities a planner is unsure of: a factor on the per-copy rate, the share
// of an array's ports that production I/O takes, a setup time. A scenario writes them as text,
// `triangular(0.1, 0.2, 0.4)`, and each run draws one value from its own seeded stream.
//
// Every draw is an inverse transform of ONE uniform number (`quantile(d, u)`). Two runs that read
// the same stream therefore draw the same quantile whatever the distribution's parameters: policies
// of a comparison and points of a sweep see the same luck (common random numbers), and a wider
// spread moves every draw monotonically instead of reshuffling them.
//
// Each quantity has a domain (a rate factor is positive, a load is a fraction below 1). Bounded
// distributions must lie inside it; normal and lognormal ones are truncated to it, which is the only
// reading of "normal(1, 0.3)" that makes sense for a factor that cannot be negative.

export type Distribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'triangular'; low: number; mode: number; high: number }
  /** Normal, truncated to [low, high] (the quantity's domain). */
  | { kind: 'normal'; mean: number; sd: number; low: number; high: number }
  /** Lognormal by its median and the sd of its logarithm, truncated to [low, high]. */
  | { kind: 'lognormal'; median: number; sigma: number; low: number; high: number };

/** What a field accepts: how to read one value (units and all), and its domain. */
export interface QuantitySpec {
  /** Parses one value as written (`0.2`, `20%`, `250MB/s`); throws an Error whose message says why not. */
  value: (text: string) => number;
  /** Inclusive bounds of the domain; defaults 0 and +∞. */
  min?: number;
  max?: number;
}

/** A distribution that cannot be read; the message completes "<field>: …". */
export class DistributionError extends Error {}

const KINDS: Record<Distribution['kind'], { params: string[]; example: string }> = {
  fixed: { params: ['value'], example: 'fixed(1)' },
  uniform: { params: ['low', 'high'], example: 'uniform(0.8, 1.2)' },
  triangular: { params: ['low', 'mode', 'high'], example: 'triangular(0.1, 0.2, 0.4)' },
  normal: { params: ['mean', 'sd'], example: 'normal(1, 0.1)' },
  lognormal: { params: ['median', 'sigma'], example: 'lognormal(1, 0.2)' },
};

const CALL_RE = /^\s*([a-z]+)\s*\(([^()]*)\)\s*$/i;

/** Reads `triangular(0.1, 0.2, 0.4)`, `normal(1, 0.1)`, … or a single value (a fixed quantity). */
export function parseDistribution(input: string | number, spec: QuantitySpec): Distribution {
  const min = spec.min ?? 0;
  const max = spec.max ?? Infinity;
  const one = (text: string, what: string): number => {
    let v: number;
    try {
      v = spec.value(text.trim());
    } catch (e) {
      throw new DistributionError(`${what} ${JSON.stringify(text.trim())} is not a valid value: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Number.isFinite(v)) throw new DistributionError(`${what} ${JSON.stringify(text.trim())} is not a finite number`);
    return v;
  };
  const inDomain = (v: number, what: string): number => {
    if (v < min || v > max) throw new DistributionError(`${what} ${v} lies outside ${domain(min, max)}`);
    return v;
  };

  if (typeof input === 'number') return { kind: 'fixed', value: inDomain(one(String(input), 'the value'), 'the value') };
  const call = CALL_RE.exec(input);
  if (call === null) return { kind: 'fixed', value: inDomain(one(input, 'the value'), 'the value') };

  const kind = call[1]!.toLowerCase();
  const known = Object.keys(KINDS).join(', ');
  if (!(kind in KINDS)) throw new DistributionError(`unknown distribution "${call[1]}" (known: ${known}; for example ${KINDS.triangular.example})`);
  const shape = KINDS[kind as Distribution['kind']];
  const args = call[2]!.trim() === '' ? [] : call[2]!.split(',');
  if (args.length !== shape.params.length) {
    throw new DistributionError(`${kind} takes ${shape.params.length} argument${shape.params.length > 1 ? 's' : ''} (${shape.params.join(', ')}), as in ${shape.example}; got ${args.length}`);
  }
  // A lognormal's sigma is the sd of a logarithm: a pure number whatever the quantity's unit.
  const p = args.map((a, i) => (kind === 'lognormal' && i === 1 ? plain(a, "lognormal's sigma") : one(a, `${kind}'s ${shape.params[i]}`)));
  switch (kind as Distribution['kind']) {
    case 'fixed':
      return { kind: 'fixed', value: inDomain(p[0]!, 'the value') };
    case 'uniform': {
      const [low, high] = [inDomain(p[0]!, "uniform's low"), inDomain(p[1]!, "uniform's high")];
      if (!(low < high)) throw new DistributionError(`uniform's low (${low}) must be below its high (${high})`);
      return { kind: 'uniform', low, high };
    }
    case 'triangular': {
      const [low, mode, high] = [inDomain(p[0]!, "triangular's low"), inDomain(p[1]!, "triangular's mode"), inDomain(p[2]!, "triangular's high")];
      if (!(low <= mode && mode <= high && low < high)) {
        throw new DistributionError(`triangular needs low ≤ mode ≤ high with low < high, not (${low}, ${mode}, ${high})`);
      }
      return { kind: 'triangular', low, mode, high };
    }
    case 'normal': {
      const [mean, sd] = [p[0]!, p[1]!];
      if (!(sd > 0)) throw new DistributionError(`normal's sd must be more than 0, not ${sd} (write a single value for a fixed quantity)`);
      if (!(mean >= min && mean <= max)) throw new DistributionError(`normal's mean ${mean} lies outside ${domain(min, max)}`);
      return { kind: 'normal', mean, sd, low: min, high: max };
    }
    case 'lognormal': {
      const [median, sigma] = [p[0]!, p[1]!];
      if (!(median > 0)) throw new DistributionError(`lognormal's median must be more than 0, not ${median}`);
      if (!(median >= min && median <= max)) throw new DistributionError(`lognormal's median ${median} lies outside ${domain(min, max)}`);
      if (!(sigma > 0)) throw new DistributionError(`lognormal's sigma must be more than 0, not ${sigma} (write a single value for a fixed quantity)`);
      return { kind: 'lognormal', median, sigma, low: Math.max(min, 0), high: max };
    }
  }
}

/** The value below which a share `p` (0 ≤ p < 1) of draws fall: the inverse of the CDF. */
export function quantile(d: Distribution, p: number): number {
  const u = Math.min(Math.max(p, 0), 1);
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.low + u * (d.high - d.low);
    case 'triangular': {
      const { low: a, mode: c, high: b } = d;
      const split = (c - a) / (b - a);
      return u < split ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
    case 'normal': {
      const lo = normalCdf((d.low - d.mean) / d.sd);
      const hi = normalCdf((d.high - d.mean) / d.sd);
      return clamp(d.mean + d.sd * normalQuantile(lo + u * (hi - lo)), d.low, d.high);
    }
    case 'lognormal': {
      const m = Math.log(d.median);
      const lo = d.low > 0 ? normalCdf((Math.log(d.low) - m) / d.sigma) : 0;
      const hi = Number.isFinite(d.high) ? normalCdf((Math.log(d.high) - m) / d.sigma) : 1;
      return clamp(Math.exp(m + d.sigma * normalQuantile(lo + u * (hi - lo))), d.low, d.high);
    }
  }
}

/** One draw, from one uniform number of `random`. */
export function draw(d: Distribution, random: () => number): number {
  return quantile(d, random());
}

/** The expected value: closed forms where they are short, otherwise the quantile function averaged. */
export function mean(d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.low + d.high) / 2;
    case 'triangular':
      return (d.low + d.mode + d.high) / 3;
    default: {
      // The mean is the integral of the quantile function over (0, 1); the midpoint rule on 20,000
      // cells is within 1e-6 relative for the spreads a planner writes.
      const n = 20_000;
      let s = 0;
      for (let i = 0; i < n; i++) s += quantile(d, (i + 0.5) / n);
      return s / n;
    }
  }
}

export function isFixed(d: Distribution): d is Extract<Distribution, { kind: 'fixed' }> {
  return d.kind === 'fixed';
}

/** The text a scenario file would hold, with values written by `format` (a unit printer). */
export function formatDistribution(d: Distribution, format: (v: number) => string = String): string {
  switch (d.kind) {
    case 'fixed':
      return format(d.value);
    case 'uniform':
      return `uniform(${format(d.low)}, ${format(d.high)})`;
    case 'triangular':
      return `triangular(${format(d.low)}, ${format(d.mode)}, ${format(d.high)})`;
    case 'normal':
      return `normal(${format(d.mean)}, ${format(d.sd)})`;
    case 'lognormal':
      return `lognormal(${format(d.median)}, ${d.sigma})`;
  }
}

// ——— the standard normal ———

/** Φ(x), through erfc (W. J. Cody's rational approximations would be finer; 1.2e-7 is plenty here). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** erfc with fractional error below 1.2e-7 everywhere (Numerical Recipes' erfcc, a Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ⁻¹(p) by P. J. Acklam's rational approximation (relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = 0.02425;
  if (p < tail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - tail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function plain(text: string, what: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new DistributionError(`${what} ${JSON.stringify(text.trim())} is not a plain number`);
  return v;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function domain(min: number, max: number): string {
  return Number.isFinite(max) ? `[${min}, ${max}]` : `[${min}, ∞)`;
}
