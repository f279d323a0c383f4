// Measuring helpers for the benchmarks: wall time and peak memory of one piece of work.

export interface Measurement<T> {
  value: T;
  seconds: number;
  /** Peak resident set size of this process so far, bytes. */
  peakRss: number;
}

export function measure<T>(work: () => T): Measurement<T> {
  const start = process.hrtime.bigint();
  const value = work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value, seconds, peakRss: process.resourceUsage().maxRSS * 1024 };
}

export async function measureAsync<T>(work: () => Promise<T>): Promise<Measurement<T>> {
  const start = process.hrtime.bigint();
  const value = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value, seconds, peakRss: process.resourceUsage().maxRSS * 1024 };
}

export function line(label: string, figures: Record<string, string>): string {
  return `${label.padEnd(34)} ${Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join('   ')}`;
}
