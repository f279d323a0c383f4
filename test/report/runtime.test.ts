// The chart runtime both renderers share (src/report/charts/runtime.ts): chart configurations are
// plain data that the page can carry as JSON, the runtime turns their tick labels into chart.js
// callbacks, and its source text works on its own, as the page runs it.

import { describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/report/charts/index.js';
import { chartRuntime, type ChartEnv, type ChartRuntime } from '../../src/report/charts/runtime.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { compareFixture, labResult } from './fixtures.js';

const env: ChartEnv = {
  fontFamily: 'DejaVu Sans',
  labelFont: '10px "DejaVu Sans"',
  ink: '#222222',
  pixelRatio: 1,
  tile: () => ({ getContext: () => null }),
};

function charts(): ChartSpec[] {
  const result = labResult();
  return reportCharts({ result, compare: compareFixture(), results: [result, { ...result, policy: 'other' }], deadlineSeconds: 12_000 });
}

interface PreparedScale {
  ticks?: { callback?: (v: number | string) => unknown };
  afterBuildTicks?: (axis: { ticks: Array<{ value: number }> }) => void;
  svmigTicks?: unknown;
}
const scale = (r: ChartRuntime, c: ChartSpec, id: string) => (r.prepare(c.config).options as { scales: Record<string, PreparedScale> }).scales[id]!;
const byFile = (file: string) => charts().find((c) => c.file === file)!;

describe('chart configurations', () => {
  it('are plain data: each one comes back from JSON as it was (no function, no class)', () => {
    for (const c of charts()) expect(JSON.parse(JSON.stringify(c.config)), c.file).toEqual(c.config);
  });
});

describe('the chart runtime', () => {
  const runtime = chartRuntime(env);

  it('writes a percentage axis’s ticks with " %" after the value', () => {
    const y = scale(runtime, byFile('makespan-cdf.png'), 'y');
    expect(y.svmigTicks).toBeUndefined();
    expect(y.ticks?.callback?.(40)).toBe('40 %');
    expect(y.ticks?.callback?.(100)).toBe('100 %');
  });

  it('puts one tick per host on the Gantt’s host axis, named, and nothing between them', () => {
    const y = scale(runtime, byFile('gantt-BIG.png'), 'y');
    // The lab's cluster BIG has hosts esx01 … esx04 (fixtures.ts), rows 0 … 3.
    const axis = { ticks: [{ value: 0.5 }, { value: 1.5 }] };
    y.afterBuildTicks?.(axis);
    expect(axis.ticks).toEqual([{ value: 0 }, { value: 1 }, { value: 2 }, { value: 3 }]);
    expect([0, 1, 2, 3, 4].map((v) => y.ticks?.callback?.(v))).toEqual(['esx01', 'esx02', 'esx03', 'esx04', '']);
  });

  it('leaves axes without tick labels as they are, and the spec untouched', () => {
    const c = byFile('cumulative.png');
    const before = JSON.stringify(c.config);
    const prepared = runtime.prepare(c.config);
    expect(JSON.stringify(c.config)).toBe(before);
    expect(JSON.stringify(prepared)).toBe(before);
    // Datasets are copies: chart.js and the hatch plugin write into them.
    expect(prepared.data.datasets[0]).not.toBe(c.config.data.datasets[0]);
    expect(prepared.data.datasets[0]).toEqual(c.config.data.datasets[0]);
  });

  it('works from its own source text alone, as the report page runs it', () => {
    // A fresh function made from the text: any name from outside its body would be undefined here.
    const fromText = new Function(`return (${chartRuntime.toString()});`)() as typeof chartRuntime;
    const copy = fromText(env);
    const registered: unknown[] = [];
    const defaults = { font: { family: '' }, color: '', devicePixelRatio: 0, plugins: { legend: { labels: { generateLabels: () => [] } } } };
    copy.install({ defaults: defaults as never, register: (...p: unknown[]) => registered.push(...p) });
    expect(registered.map((p) => (p as { id: string }).id)).toEqual(['svmigHatch', 'svmigBarLabels', 'svmigBands']);
    expect([defaults.font.family, defaults.color, defaults.devicePixelRatio]).toEqual(['DejaVu Sans', '#222222', 1]);
    const y = scale(copy, byFile('gantt-BIG.png'), 'y');
    expect(y.ticks?.callback?.(2)).toBe('esx03');
  });
});
