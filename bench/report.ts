// Report benchmark: every chart of the seed estate (simulated with a timeline), drawn and encoded
// to PNG, then the whole report folder written. Cold: the first time, with the PNG renderer and
// chart.js loaded and the fonts looked up; warm: the same again in the same process. Without the
// optional PNG renderer, only the folder (the page draws its charts) is measured.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../src/domain/units.js';
import { reportCharts } from '../src/report/charts/index.js';
import { loadPngRenderer, renderCharts } from '../src/report/render.js';
import { writeReport } from '../src/report/write.js';
import { loadScenario } from '../src/scenario/load.js';
import { simulate } from '../src/sim/simulate.js';
import { line, measure, measureAsync } from './measure.js';

export async function benchReport(): Promise<string[]> {
  const scenario = loadScenario('scenarios/seed-estate.yaml');
  const run = measure(() => simulate(scenario, { timelineBins: 200 }));
  const result = run.value;
  const png = await loadPngRenderer().catch(() => null);
  const charts = async () => {
    const specs = reportCharts({ result, deadlineSeconds: null });
    const pngs = png ? await renderCharts(png, specs) : [];
    return { count: specs.length, bytes: pngs.reduce((s, p) => s + p.length, 0) };
  };
  const cold = await measureAsync(charts);
  const warm = await measureAsync(charts);
  const dir = mkdtempSync(join(tmpdir(), 'svmig-bench-report-'));
  try {
    const write = await measureAsync(() => writeReport(dir, { result }));
    const html = write.value.paths.find((p) => p.endsWith('index.html'))!;
    return [
      line('seed estate: simulate with timeline', { wall: `${run.seconds.toFixed(3)} s`, operations: String(result.operations.length) }),
      ...(png ? [] : ['the PNG renderer (canvas) is not installed: no PNG figures']),
      line(`seed estate: all ${cold.value.count} charts, cold`, {
        wall: `${cold.seconds.toFixed(3)} s`,
        png: formatBytes(cold.value.bytes),
        'peak RSS': formatBytes(cold.peakRss),
      }),
      line(`seed estate: all ${warm.value.count} charts, warm`, { wall: `${warm.seconds.toFixed(3)} s`, 'peak RSS': formatBytes(warm.peakRss) }),
      line('seed estate: write report folder', {
        wall: `${write.seconds.toFixed(3)} s`,
        files: String(write.value.paths.length),
        'index.html': formatBytes(statSync(html).size),
        'peak RSS': formatBytes(write.peakRss),
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
