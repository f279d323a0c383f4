// Measuring helpers for the benchmarks: wall time, bytes allocated and peak memory of one piece of work.

import { GCProfiler } from 'node:v8';

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

/**
 * Bytes the work allocated on the JavaScript heap of this thread: what the heap grew by, plus what
 * every garbage collection during it reclaimed (V8's GC profiler gives the heap before and after each).
 */
export function allocated<T>(work: () => T): { value: T; bytes: number; seconds: number } {
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const value = work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = process.memoryUsage().heapUsed;
  const gcs = profiler.stop();
  let reclaimed = 0;
  for (const g of gcs.statistics) reclaimed += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
  return { value, bytes: after - before + reclaimed, seconds };
}

export function line(label: string, figures: Record<string, string>): string {
  return `${label.padEnd(34)} ${Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join('   ')}`;
}
