// A sweep in reports: the chart's lines (one P50/P90 pair per policy and value of any other axis,
// along the parameter), the best cell, and a saved sweep read back or refused naming the field.

import { describe, expect, it } from 'vitest';
import { bestCell, type SweepResult } from '../../src/core/sweep-result.js';
import { UserError } from '../../src/domain/errors.js';
import { sweepChart, sweepSeries } from '../../src/report/charts/sweep.js';
import { readSaved } from '../../src/report/saved.js';
import { renderSweepTable } from '../../src/report/sweep-table.js';
import { twoAxes } from './sweep-fixture.js';

describe('the sweep chart', () => {
  it('runs along the first axis with several values, one line pair per policy and value of the other axes', () => {
    const r = twoAxes();
    const series = sweepSeries(r);
    expect(series.map((s) => s.label)).toEqual(['field, policy.cluster=2', 'fixed:4, policy.cluster=2', 'field, policy.cluster=4', 'fixed:4, policy.cluster=4', 'field, policy.cluster=8', 'fixed:4, policy.cluster=8']);
    // field at cluster 4: rate 150MB/s (x index 0) then 250MB/s (x index 1).
    expect(series[2]!.points).toEqual([
      { x: 0, p50: 1010, p90: 1015 },
      { x: 1, p50: 2010, p90: 2015 },
    ]);
    const chart = sweepChart(r);
    const config = chart.config as unknown as { data: { datasets: Array<{ label: string; data: Array<{ x: number; y: number }> }> }; options: { scales: { x: { type: string; labels?: string[] } } } };
    // Rates with units are not plain numbers: the axis lists them in order.
    expect(config.options.scales.x).toMatchObject({ type: 'category', labels: ['150MB/s', '250MB/s'] });
    expect(config.data.datasets.map((d) => d.label)).toHaveLength(12);
    expect(config.data.datasets[0]!.label).toBe('field, policy.cluster=2: P50');
    expect(config.data.datasets[1]!.label).toBe('field, policy.cluster=2: P90');
  });

  it('puts a numeric parameter on a linear axis at its values, with the deadline across', () => {
    const r = twoAxes();
    const single: SweepResult = { ...r, axes: [r.axes[1]!], points: r.points.slice(0, 3).map((p) => ({ ...p, values: [p.values[1]!] })), deadlineSeconds: 3600 };
    const config = sweepChart(single).config as unknown as { data: { datasets: Array<{ label: string; data: Array<{ x: number; y: number }> }> }; options: { scales: { x: { type: string; min: number; max: number } } } };
    expect(config.options.scales.x).toMatchObject({ type: 'linear', min: 2, max: 8 });
    // Times under 2 h are drawn in minutes: field's P50 of 1000, 1010 and 1020 s.
    expect(config.data.datasets[0]!.data).toEqual([
      { x: 2, y: 1000 / 60 },
      { x: 4, y: 1010 / 60 },
      { x: 8, y: 1020 / 60 },
    ]);
    const deadline = config.data.datasets.find((d) => d.label.startsWith('deadline'))!;
    expect(deadline.data).toEqual([
      { x: 2, y: 60 },
      { x: 8, y: 60 },
    ]);
  });
});

describe('the sweep chart of campaign.start', () => {
  it('labels each start by its own date and draws a deadline date through each point\'s own deadline', () => {
    const r = twoAxes();
    // Two starts a week apart (Mon 7 and Mon 14 Dec 2026, 20:00 in Paris = 19:00 UTC), a deadline
    // date 36 h after the first start and 5 d 12 h before the second.
    const starts = [
      { start: '2026-12-07T20:00 Europe/Paris', startMs: Date.parse('2026-12-07T19:00:00Z'), zone: 'Europe/Paris' },
      { start: '2026-12-14T20:00 Europe/Paris', startMs: Date.parse('2026-12-14T19:00:00Z'), zone: 'Europe/Paris' },
    ];
    const dated: SweepResult = {
      ...r,
      axes: [{ path: 'campaign.start', kind: 'scenario', values: starts.map((s) => s.start) }],
      deadlineSeconds: 129_600,
      points: starts.map((calendar, i) => ({ ...r.points[i]!, values: [calendar.start], calendar, ...(i === 1 ? { deadlineSeconds: -475_200 } : {}) })),
    };
    const config = sweepChart(dated).config as unknown as { data: { datasets: Array<{ label: string; data: Array<{ x: number; y: number }> }> }; options: { scales: { x: { labels: string[] } } } };
    expect(config.options.scales.x.labels).toEqual(['Mon 7 Dec 2026 20:00 CET', 'Mon 14 Dec 2026 20:00 CET']);
    const deadline = config.data.datasets.find((d) => d.label.startsWith('deadline'))!;
    expect(deadline.label).toBe('deadline (from each start)');
    // Drawn in hours (the highest value, 36 h, is over 2 h): 36 h at the first start, none left at the second.
    expect(deadline.data).toEqual([
      { x: 0, y: 36 },
      { x: 1, y: 0 },
    ]);
  });
});

describe('the best cell', () => {
  it('leaves no VM before leaving some, then has the best deadline odds, then the lowest P90', () => {
    const r = twoAxes();
    // As made: field at 150MB/s, cluster 2 has the lowest P90.
    expect(bestCell(r)!.cell.spec).toBe('field+cluster:2');
    // A faster cell that leaves VMs behind does not win …
    r.points[0]!.cells[0]!.vmsLeft = 0.5;
    expect(bestCell(r)!.cell.spec).toBe('field+cluster:4');
    // … unless every cell does; then P90 decides, however many each leaves.
    for (const p of r.points) for (const c of p.cells) c.vmsLeft = c.spec === 'field+cluster:2' ? 3 : 1;
    expect(bestCell(r)!.cell.spec).toBe('field+cluster:2');
    // Deadline odds come before P90.
    r.points[5]!.cells[1]!.deadlineProbability = 0.9;
    expect(bestCell(r)!.cell.spec).toBe('fixed:4+cluster:8');
    expect(renderSweepTable(r)).toMatch(/Best: fixed:4 at fabric\.perCopyRate=250MB\/s, policy\.cluster=8: P90 1h 07m, 90\.0 % by the deadline, 1.0 VMs left/);
  });
});

describe('a saved sweep', () => {
  const failure = (data: unknown): string => {
    try {
      readSaved(data, 'saved.json');
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as UserError).message;
    }
    throw new Error('accepted');
  };

  it('is read back as it was written', () => {
    const r = twoAxes();
    expect(readSaved(JSON.parse(JSON.stringify(r)), 'saved.json')).toEqual({ kind: 'sweep', sweep: r });
  });

  it('is refused naming the file and the field when damaged', () => {
    const r = JSON.parse(JSON.stringify(twoAxes())) as { points: Array<{ values: string[]; cells: Array<Record<string, unknown>> }>; axes: unknown[] };
    r.points[2]!.cells[1]!['p90Seconds'] = 'late';
    expect(failure(r)).toMatch(/^saved\.json is not a valid sweep result: points\[2\]\.cells\[1\]\.p90Seconds: /);
    const other = JSON.parse(JSON.stringify(twoAxes())) as typeof r;
    other.points[1]!.values = ['150MB/s', '3'];
    expect(failure(other)).toBe('saved.json is not a valid sweep result: points[1].values[1]: "3" is not a value of axis policy.cluster.');
    const few = JSON.parse(JSON.stringify(twoAxes())) as typeof r;
    few.points[0]!.cells.pop();
    expect(failure(few)).toBe('saved.json is not a valid sweep result: points[0].cells: expected one cell per policy (2).');
  });
});
