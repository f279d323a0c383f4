// Linear, stack-safe helpers for the report's series. `Math.min(...values)` passes every value as an
// argument and overflows the stack past about a hundred thousand of them (a saved comparison of
// 500,000 runs); these loop instead. Long step series are thinned to what a chart can show.

/** Smallest of `values`, `empty` when there are none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let m = Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v < m) m = v;
  }
  return any ? m : empty;
}

/** Largest of `values`, `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let m = -Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v > m) m = v;
  }
  return any ? m : empty;
}

/** Points a chart's series keeps: more than a 1,200-pixel-wide chart can show apart. */
export const MAX_SERIES_POINTS = 4000;

/**
 * A step series [t, value] (value holds until the next step) with at most about `maxPoints` steps:
 * time is cut into equal buckets and each bucket keeps its highest value, so peaks survive thinning.
 * The first and the last point stay as they are. Series already short enough come back unchanged.
 */
export function thinSteps(series: ReadonlyArray<readonly [number, number]>, maxPoints = MAX_SERIES_POINTS): Array<[number, number]> {
  if (series.length <= maxPoints) return series.map(([t, v]): [number, number] => [t, v]);
  const first = series[0]!;
  const last = series[series.length - 1]!;
  const span = last[0] - first[0];
  const buckets = maxPoints - 2;
  const out: Array<[number, number]> = [[first[0], first[1]]];
  let bucket = -1;
  for (let i = 1; i < series.length - 1; i++) {
    const [t, v] = series[i]!;
    const b = span > 0 ? Math.min(buckets - 1, Math.floor(((t - first[0]) / span) * buckets)) : 0;
    if (b !== bucket) {
      out.push([first[0] + (span * b) / buckets, v]);
      bucket = b;
    } else if (v > out[out.length - 1]![1]) out[out.length - 1]![1] = v;
  }
  out.push([last[0], last[1]]);
  return out;
}
