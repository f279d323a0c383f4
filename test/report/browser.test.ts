// The report page in a real browser (headless Chromium, driven over the DevTools protocol): it
// loads from disk with no network, chart.js (inlined) draws every chart into its canvas, nothing is
// logged as an error, a tooltip follows the pointer and a legend entry hides and shows its series,
// and a full-page screenshot shows it all. The screenshot is left at
// <tmpdir>/svmig-report-screenshot.png for a person to look at. A control page with deliberate
// faults shows the checks can fail. Two pages: one written here (every kind of chart), and one
// written by the built CLI, whose chart code is the compiled one.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/report/charts/index.js';
import { PALETTE } from '../../src/report/charts/style.js';
import { writeReport } from '../../src/report/write.js';
import { chromiumVersion, type PageHandle, visit, type Visit } from './chromium.js';
import { compareFixture, labResult } from './fixtures.js';
import { twoAxes } from './sweep-fixture.js';
import { decodePng, share } from './png.js';

const ROOT = join(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'svmig-report-browser-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SCREENSHOT = join(tmpdir(), 'svmig-report-screenshot.png');

describe('Chromium', () => {
  it('is installed (Debian package chromium; .ci/run installs it)', () => {
    expect(chromiumVersion(), 'run: apt-get install -y chromium').toMatch(/Chromium \d+/);
  });
});

describe('the visit checks catch a faulty page', () => {
  it('reports console errors, exceptions and requests to the network', async () => {
    const file = join(root, 'faulty.html');
    writeFileSync(
      file,
      `<!doctype html><html><head><link rel="stylesheet" href="https://cdn.example.invalid/x.css"></head><body>
       <img src="http://example.invalid/chart.png">
       <script>console.error('deliberate console error'); throw new Error('deliberate exception');</script>
       </body></html>`,
    );
    const v = await visit(file);
    expect(v.consoleErrors.join('\n')).toContain('deliberate console error');
    expect(v.exceptions.join('\n')).toContain('deliberate exception');
    expect(v.requests).toEqual(expect.arrayContaining(['http://example.invalid/chart.png', 'https://cdn.example.invalid/x.css']));
    expect(v.images).toEqual({ total: 1, loaded: 0 });
  });
});

interface Drawn {
  id: string;
  /** chart.js holds a chart for this canvas. */
  chart: boolean;
  width: number;
  height: number;
  /** Share of the canvas's pixels that are not blank. */
  inked: number;
}

interface Interaction {
  drawn: Drawn[];
  tooltip: { active: number; opacity: number; text: string };
  legend: { label: string; afterFirstClick: boolean; afterSecondClick: boolean };
}

/** Every canvas and how much of it chart.js drew; then a tooltip and a legend click on the cumulative chart. */
async function useCharts(page: PageHandle): Promise<Interaction> {
  const drawn = await page.evaluate<Drawn[]>(`[...document.querySelectorAll('canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 720) ink++;
    return { id: c.id, chart: Chart.getChart(c) !== undefined, width: c.width, height: c.height, inked: ink / (c.width * c.height) };
  })`);
  // chart.js handles pointer events on the next animation frame.
  const settle = () => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const at = (expr: string) => page.evaluate<{ x: number; y: number }>(`(() => {
    const canvas = document.getElementById('chart-cumulative');
    canvas.scrollIntoView({ block: 'center' });
    const chart = Chart.getChart(canvas);
    const box = canvas.getBoundingClientRect();
    const p = ${expr};
    return { x: box.left + p.x * box.width / chart.width, y: box.top + p.y * box.height / chart.height };
  })()`);

  // The pointer over the middle point of the first curve.
  const point = await at('(() => { const pts = chart.getDatasetMeta(0).data; return pts[pts.length >> 1]; })()');
  await page.mouse('mouseMoved', point.x, point.y);
  await settle();
  const tooltip = await page.evaluate<Interaction['tooltip']>(`(() => {
    const t = Chart.getChart(document.getElementById('chart-cumulative')).tooltip;
    return { active: t.getActiveElements().length, opacity: t.opacity, text: [...t.title, ...t.body.flatMap((b) => b.lines)].join(' | ') };
  })()`);

  // A click on the first legend entry hides the first series; a second click shows it again.
  const entry = await at('(() => { const b = chart.legend.legendHitBoxes[0]; return { x: b.left + b.width / 2, y: b.top + b.height / 2 }; })()');
  const visible = () => page.evaluate<boolean>(`Chart.getChart(document.getElementById('chart-cumulative')).isDatasetVisible(0)`);
  const click = async () => {
    await page.mouse('mouseMoved', entry.x, entry.y);
    await page.mouse('mousePressed', entry.x, entry.y);
    await page.mouse('mouseReleased', entry.x, entry.y);
    await settle();
  };
  const label = await page.evaluate<string>(`Chart.getChart(document.getElementById('chart-cumulative')).legend.legendItems[0].text`);
  await click();
  const afterFirstClick = await visible();
  await click();
  const afterSecondClick = await visible();
  return { drawn, tooltip, legend: { label, afterFirstClick, afterSecondClick } };
}

function checkPage(name: string, get: () => { v: Visit<Interaction>; heights: number[]; file: string }) {
  describe(name, () => {
    it('opens without a console error, an exception or a browser error', () => {
      const { v } = get();
      expect(v.consoleErrors).toEqual([]);
      expect(v.exceptions).toEqual([]);
      expect(v.logErrors).toEqual([]);
    });

    it('asks for nothing but the page itself', () => {
      const { v, file } = get();
      expect(v.requests).toEqual([pathToFileURL(file).href]);
      expect(v.images.total).toBe(0);
    });

    it('draws every chart into its canvas, at full size', () => {
      const { v, heights } = get();
      expect(v.interaction.drawn.map((d) => [d.chart, d.width, d.height])).toEqual(heights.map((h) => [true, 1200, h]));
      for (const d of v.interaction.drawn) {
        expect(d.inked, d.id).toBeGreaterThan(0.01);
        expect(d.inked, d.id).toBeLessThan(0.7);
      }
    });

    it('shows a tooltip with the values under the pointer', () => {
      const { tooltip } = get().v.interaction;
      expect(tooltip.active).toBeGreaterThan(0);
      expect(tooltip.opacity).toBe(1);
      expect(tooltip.text).toMatch(/policy/);
    });

    it('hides a series when its legend entry is clicked, and shows it again on a second click', () => {
      const { legend } = get().v.interaction;
      expect(legend.label).toMatch(/policy/);
      expect([legend.afterFirstClick, legend.afterSecondClick]).toEqual([false, true]);
    });

    it('lays the charts out at full size, in ink and in the first series colour', () => {
      const { v, heights } = get();
      const img = decodePng(v.screenshot);
      expect(img.width).toBe(1280);
      expect(img.height).toBeGreaterThan(heights.reduce((s, h) => s + h, 0));
      // Dark text and chart ink on at least 1 % of the page.
      expect(share(img, (r, g, b) => r + g + b < 300)).toBeGreaterThan(0.01);
      // The first series of every chart is drawn in the first palette colour: well over a line's worth per chart.
      const n = parseInt(PALETTE[0].slice(1), 16);
      const [R, G, B] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      const first = share(img, (r, g, b) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= 40) * img.width * img.height;
      expect(first).toBeGreaterThan(300 * heights.length);
    });
  });
}

let written: { v: Visit<Interaction>; heights: number[]; file: string };
let built: { v: Visit<Interaction>; heights: number[]; file: string };

beforeAll(async () => {
  const result = labResult();
  // The comparison's deadline (12 h) is the report's.
  const input = { result, compare: compareFixture(), results: [result, { ...result, policy: 'other' }], sweep: twoAxes() };
  const dir = join(root, 'report');
  await writeReport(dir, input);
  const file = join(dir, 'index.html');
  written = { v: await visit(file, { interact: useCharts }), heights: reportCharts(input).map((c) => c.height), file };
  writeFileSync(SCREENSHOT, written.v.screenshot);

  // A saved run, reported by the compiled CLI as a user would.
  const saved = join(root, 'lab.json');
  writeFileSync(saved, JSON.stringify(result));
  const cliDir = join(root, 'cli-report');
  execFileSync(process.execPath, [join(ROOT, 'bin/svmig.js'), 'report', saved, '--report', cliDir], { stdio: 'pipe' });
  const cliFile = join(cliDir, 'index.html');
  built = { v: await visit(cliFile, { interact: useCharts }), heights: reportCharts({ result }).map((c) => c.height), file: cliFile };
});

checkPage('the report page (every kind of chart)', () => written);
checkPage('the report page written by the built CLI', () => built);
