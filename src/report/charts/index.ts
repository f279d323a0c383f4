// Every chart of a report, in page order, from what the report was given.

import type { CompareResult } from '../../core/compare-result.js';
import type { SimulationResult } from '../../core/result.js';
import { adaptiveChart } from './adaptive.js';
import type { SweepResult } from '../../core/sweep-result.js';
import { cumulativeChart } from './cumulative.js';
import { datastoresChart } from './datastores.js';
import { ganttCharts } from './gantt.js';
import { inFlightChart } from './in-flight.js';
import { linksChart } from './links.js';
import { makespanCdfChart, makespanHistogramChart } from './makespan.js';
import type { ChartSpec } from './spec.js';
import { sweepChart } from './sweep.js';
import { throughputChart } from './throughput.js';

export interface ReportInput {
  /** One simulated campaign: all its charts. */
  result?: SimulationResult;
  /** Monte Carlo runs of one or more policies: the makespan distribution. */
  compare?: CompareResult;
  /**
   * One run per policy (e.g. each policy's run with the base seed), for the cumulative curve per
   * policy when comparing. Without it, the cumulative chart shows `result` alone.
   */
  results?: SimulationResult[];
  /** A sweep (`svmig sweep`): makespan against the varied parameter. */
  sweep?: SweepResult;
  /** Deadline in seconds from the start; defaults to the comparison's. */
  deadlineSeconds?: number | null;
}

export function deadlineOf(input: ReportInput): number | null {
  return input.deadlineSeconds ?? input.compare?.deadlineSeconds ?? input.sweep?.deadlineSeconds ?? null;
}

export function reportCharts(input: ReportInput): ChartSpec[] {
  const deadline = deadlineOf(input);
  const charts: ChartSpec[] = [];
  const curves = input.results && input.results.length > 0 ? input.results : input.result ? [input.result] : [];
  if (curves.length > 0) charts.push(cumulativeChart(curves, deadline));
  const r = input.result;
  if (r) {
    charts.push(throughputChart(r), inFlightChart(r), linksChart(r), datastoresChart(r));
    const adaptive = adaptiveChart(r);
    if (adaptive) charts.push(adaptive);
    charts.push(...ganttCharts(r));
  }
  if (input.compare && input.compare.policies.length > 0) {
    charts.push(makespanHistogramChart(input.compare, deadline), makespanCdfChart(input.compare, deadline));
  }
  if (input.sweep && input.sweep.points.length > 0) charts.push(sweepChart(input.sweep, deadline));
  return charts;
}
