// Per-host Gantt of each cluster, largest first: which VM copied on which host, and when. Each host
// is a row split into lanes, one per operation it runs at the same time (the admission limit allows
// two svMotions per host, plus vMotions); bars are floating [start, end] on a time axis, with the
// change windows shaded behind them. One chart per cluster keeps every row readable.

import { OPERATIONS } from '../../core/operations.js';
import { formatEnd } from '../../domain/calendar.js';
import { formatDuration } from '../../domain/units.js';
import { calendarOf } from '../calendar.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';
import type { OperationRecord, SimulationResult } from '../../core/result.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { commonOptions, GRID, HEIGHT, INK, linearAxis, PALETTE, timeUnit } from './style.js';

/** Pixels per lane: enough for a 10 px VM name inside a bar. */
const LANE_PX = 15;
/** Share of a host's row the lanes fill; the rest separates hosts. */
const ROW_FILL = 0.8;

/** The cluster with the most hosts seen in the records (ties: more bytes, then name). */
export function largestCluster(records: readonly OperationRecord[]): string | null {
  const hosts = new Map<string, Set<string>>();
  const bytes = new Map<string, number>();
  for (const r of records) {
    if (r.outcome === 'skipped' || r.cluster === '') continue;
    const set = hosts.get(r.cluster) ?? new Set<string>();
    set.add(r.host);
    if (r.toHost) set.add(r.toHost);
    hosts.set(r.cluster, set);
    bytes.set(r.cluster, (bytes.get(r.cluster) ?? 0) + (OPERATIONS[r.kind].movesStorage ? r.bytes : 0));
  }
  let best: string | null = null;
  for (const c of hosts.keys()) {
    if (best === null) {
      best = c;
      continue;
    }
    const d = hosts.get(c)!.size - hosts.get(best)!.size || bytes.get(c)! - bytes.get(best)! || (c < best ? 1 : -1);
    if (d > 0) best = c;
  }
  return best;
}

export interface GanttRow {
  host: string;
  /** Lanes this host needed (its greatest number of operations at once). */
  lanes: number;
  /** Operations on this host with the lane each was drawn in. */
  ops: Array<{ record: OperationRecord; lane: number; start: number; end: number }>;
}

/**
 * Rows of the Gantt: every host of the cluster that ran an operation (a vMotion counts on the host
 * it left), in natural name order; each operation in the lowest lane free over its whole span, from
 * submission to end.
 */
export function ganttRows(records: readonly OperationRecord[], cluster: string, end: number): GanttRow[] {
  const byHost = new Map<string, OperationRecord[]>();
  for (const r of records) {
    if (r.cluster !== cluster || r.outcome === 'skipped') continue;
    const list = byHost.get(r.host);
    if (list) list.push(r);
    else byHost.set(r.host, [r]);
    // A host that only received vMotions still gets its (empty) row.
    if (r.toHost && !byHost.has(r.toHost)) byHost.set(r.toHost, []);
  }
  const names = [...byHost.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.map((host) => {
    const spans = byHost
      .get(host)!
      .map((record) => ({ record, start: record.submittedAt, end: record.finishedAt ?? end }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    // The lowest lane free at each start, in O(n log n): lanes still busy in a heap by end, lanes
    // freed in a heap by number (starts only grow, so a lane freed once stays free for later starts).
    const busy = new Heap<{ end: number; lane: number }>((a, b) => a.end - b.end || a.lane - b.lane);
    const free = new Heap<number>((a, b) => a - b);
    let lanes = 0;
    const ops = spans.map((s) => {
      while (busy.size > 0 && busy.peek()!.end <= s.start) free.push(busy.pop()!.lane);
      const lane = free.size > 0 ? free.pop()! : lanes++;
      busy.push({ end: s.end, lane });
      return { ...s, lane };
    });
    return { host, lanes, ops };
  });
}

/** Bars a Gantt draws at most: beyond them a chart is a smear, and drawing it takes minutes. */
export const MAX_GANTT_BARS = 3000;

/** The rows cut to MAX_GANTT_BARS operations: hosts in order, the last one shown cut at its earliest ones. */
export function limitGantt(rows: GanttRow[], max = MAX_GANTT_BARS): { rows: GanttRow[]; shown: number; total: number } {
  let total = 0;
  for (const r of rows) total += r.ops.length;
  if (total <= max) return { rows, shown: total, total };
  const out: GanttRow[] = [];
  let left = max;
  for (const r of rows) {
    if (left <= 0) break;
    const ops = r.ops.length <= left ? r.ops : r.ops.slice(0, left);
    left -= ops.length;
    let lanes = 0;
    for (const o of ops) if (o.lane + 1 > lanes) lanes = o.lane + 1;
    out.push({ host: r.host, lanes, ops });
  }
  return { rows: out, shown: max - left, total };
}

/** A binary heap ordered by `before` (negative: a first). */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly order: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.order(item, a[parent]!) >= 0) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && this.order(a[r]!, a[l]!) < 0 ? r : l;
      if (this.order(a[child]!, last) >= 0) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/** Height that gives each lane LANE_PX, in steps of 200 px (few distinct canvas sizes). */
export function ganttHeight(hosts: number, lanes: number): number {
  const wanted = 170 + (hosts * lanes * LANE_PX) / ROW_FILL;
  return Math.min(2400, Math.max(HEIGHT, Math.ceil(wanted / 200) * 200));
}

interface Bar {
  x: [number, number];
  y: number;
}

/** Clusters that ran operations, the largest first (hosts seen, then bytes, then name). */
export function clustersBySize(records: readonly OperationRecord[]): string[] {
  const hosts = new Map<string, Set<string>>();
  const bytes = new Map<string, number>();
  for (const r of records) {
    if (r.outcome === 'skipped' || r.cluster === '') continue;
    const set = hosts.get(r.cluster) ?? new Set<string>();
    set.add(r.host);
    if (r.toHost) set.add(r.toHost);
    hosts.set(r.cluster, set);
    bytes.set(r.cluster, (bytes.get(r.cluster) ?? 0) + (OPERATIONS[r.kind].movesStorage ? r.bytes : 0));
  }
  return [...hosts.keys()].sort((a, b) => hosts.get(b)!.size - hosts.get(a)!.size || bytes.get(b)! - bytes.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

/** One Gantt per cluster that ran operations, the largest first; file names `gantt-<cluster>.png`. */
export function ganttCharts(r: SimulationResult): ChartSpec[] {
  const used = new Set<string>();
  return clustersBySize(r.operations).map((cluster) => {
    let file = `gantt-${cluster.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    for (let k = 2; used.has(file); k++) file = `gantt-${cluster.replace(/[^A-Za-z0-9_-]+/g, '-')}-${k}`;
    used.add(file);
    return ganttChart(r, cluster, `${file}.png`);
  });
}

export function ganttChart(r: SimulationResult, cluster: string, file: string): ChartSpec {
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const limited = limitGantt(ganttRows(r.operations, cluster, end));
  const rows = limited.rows;
  let lanes = 1;
  for (const row of rows) if (row.lanes > lanes) lanes = row.lanes;
  // Every lane is as thick as in the busiest row; a row's own lanes are centred on its tick.
  const laneY = (row: GanttRow, hostIndex: number, lane: number) => hostIndex + (lane - (row.lanes - 1) / 2) * (ROW_FILL / lanes);

  const copying: Bar[] = [];
  const copyingLabels: Array<string | null> = [];
  const waiting: Bar[] = [];
  const vmotions: Bar[] = [];
  const failed: Bar[] = [];
  const failedLabels: Array<string | null> = [];
  rows.forEach((row, h) => {
    for (const o of row.ops) {
      const rec = o.record;
      const y = laneY(row, h, o.lane);
      const runFrom = rec.startedAt ?? o.end;
      if (runFrom > rec.submittedAt) waiting.push({ x: [rec.submittedAt / t.size, runFrom / t.size], y });
      if (rec.startedAt === null || !(o.end > rec.startedAt)) continue;
      const bar: Bar = { x: [rec.startedAt / t.size, o.end / t.size], y };
      if (rec.outcome === 'failed' || rec.outcome === 'cancelled') {
        failed.push(bar);
        failedLabels.push(`${rec.vm} (${rec.outcome})`);
      } else if (OPERATIONS[rec.kind].movesHost) vmotions.push(bar);
      else {
        copying.push(bar);
        copyingLabels.push(rec.vm);
      }
    }
  });

  const bar = (label: string, data: Bar[], colour: string, border: string, order = 0) => ({
    type: 'bar' as const,
    label,
    data,
    backgroundColor: colour,
    borderColor: border,
    borderWidth: 1,
    borderSkipped: false as const,
    grouped: false,
    barPercentage: 0.9,
    categoryPercentage: 1,
    // A 30-second vMotion in an 18-hour campaign is under a pixel wide: keep it visible.
    minBarLength: 4,
    pointStyle: 'rect' as const,
    // Lower is drawn later: a vMotion at the end of its wait stays on top of it.
    order,
  });
  const datasets = [
    bar('svMotion copying (VM name where it fits)', copying, PALETTE[0], '#ffffff'),
    bar('waiting in vCenter’s queue', waiting, PALETTE[2], '#5a7d2a'),
    bar('vMotion off the host', vmotions, PALETTE[1], PALETTE[1], -1),
  ];
  const labels: Array<Array<string | null>> = [copyingLabels, waiting.map(() => null), vmotions.map(() => null)];
  if (failed.length > 0) {
    datasets.push(bar('failed or cancelled', failed, PALETTE[3], '#ffffff'));
    labels.push(failedLabels);
  }
  const hostNames = rows.map((row) => row.host);
  const svm = r.operations.filter((o) => o.cluster === cluster && OPERATIONS[o.kind].movesStorage && o.outcome !== 'skipped').length;
  const vmo = r.operations.filter((o) => o.cluster === cluster && OPERATIONS[o.kind].movesHost).length;
  const title = `Who copied what, where: cluster ${cluster}`;
  return {
    file,
    title,
    caption:
      `One row per host of ${cluster}; each bar is one VM’s operation from start to end, ` +
      'lanes within a row are operations the host ran at the same time' +
      (limited.shown < limited.total ? ` (the first ${limited.shown.toLocaleString('en-US')} of its ${limited.total.toLocaleString('en-US')} operations; operations.csv lists all).` : '.'),
    height: ganttHeight(rows.length, lanes),
    config: anyConfig({
      type: 'bar',
      data: { datasets },
      options: {
        ...commonOptions(title, `${hostNames.length} hosts · ${svm} svMotions, ${vmo} vMotions · cluster done ${clusterDone(r, cluster)}${bandsNote(time)}`, {
          svmigHatch: { hatches: ['none', 'diagonal', 'none', 'none'].slice(0, datasets.length) as Array<'none' | 'diagonal'> },
          svmigBarLabels: { labels },
          svmigBands: windowBands(t, time),
          hover: 'bar',
        }),
        indexAxis: 'y',
        scales: {
          x: { ...timeAxis(t, end, time), position: 'top' },
          // The same time axis again under a tall chart, so the bottom rows can be read too.
          xBottom: { ...timeAxis(t, end, time), position: 'bottom', grid: { display: false } },
          y: {
            type: 'linear',
            min: -0.5,
            max: hostNames.length - 0.5,
            reverse: true,
            title: { display: true, text: 'Host', color: INK, font: { size: 14, weight: 'bold' } },
            grid: { color: GRID },
            border: { color: INK },
            // One tick per host, named.
            svmigTicks: { names: hostNames },
            ticks: { color: INK, font: { size: 11 }, autoSkip: false },
          },
        },
      },
    }),
  };
}

function clusterEnd(records: readonly OperationRecord[], cluster: string): number {
  return records.reduce((m, r) => (r.cluster === cluster && r.finishedAt !== null ? Math.max(m, r.finishedAt) : m), 0);
}

/** `after 5h 12m`, or with a calendar `Tue 8 Dec 2026 01:12 CET (5h 12m)`. */
function clusterDone(r: SimulationResult, cluster: string): string {
  const at = clusterEnd(r.operations, cluster);
  const calendar = calendarOf(r);
  return calendar === null ? `after ${formatDuration(at)}` : formatEnd(calendar, at).replace(/^ends /, '');
}
