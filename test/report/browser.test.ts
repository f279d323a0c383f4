// The report page in a real browser (headless Chromium, driven over the DevTools protocol): it
// loads from disk with no network, every chart image decodes, nothing is logged as an error, and
// a full-page screenshot shows it. The screenshot is left at <tmpdir>/svmig-report-screenshot.png
// for a person to look at. A control page with deliberate faults shows the checks can fail.

import { createCanvas, loadImage } from 'canvas';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/report/charts/index.js';
import { writeReport } from '../../src/report/write.js';
import { chromiumVersion, visit, type Visit } from './chromium.js';
import { compareFixture, labResult } from './fixtures.js';

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

describe('the report page', () => {
  let v: Visit;
  let heights: number[];

  beforeAll(async () => {
    const result = labResult();
    // The comparison's deadline (12 h) is the report's.
    const input = { result, compare: compareFixture(), results: [result, { ...result, policy: 'other' }] };
    heights = reportCharts(input).map((c) => c.height);
    const dir = join(root, 'report');
    await writeReport(dir, input);
    v = await visit(join(dir, 'index.html'));
    writeFileSync(SCREENSHOT, v.screenshot);
  });

  it('opens without a console error, an exception or a browser error', () => {
    expect(v.consoleErrors).toEqual([]);
    expect(v.exceptions).toEqual([]);
    expect(v.logErrors).toEqual([]);
  });

  it('asks for nothing but the page itself and its embedded images', () => {
    expect(v.requests.length).toBeGreaterThan(0);
    for (const url of v.requests) expect(url.slice(0, 40)).toMatch(/^(file:|data:image\/png;base64,)/);
    expect(v.requests.filter((u) => u.startsWith('file:'))).toHaveLength(1);
  });

  it('decodes every chart image', () => {
    expect(v.images).toEqual({ total: heights.length, loaded: heights.length });
  });

  it('lays the charts out at full size: the screenshot is as tall as all of them and more', async () => {
    const img = await loadImage(v.screenshot);
    expect(img.width).toBe(1280);
    expect(img.height).toBeGreaterThan(heights.reduce((s, h) => s + h, 0));
    // The page is not blank: dark text and chart ink on at least 1 % of it.
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let dark = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i]! + px[i + 1]! + px[i + 2]! < 300) dark++;
    expect(dark / (img.width * img.height)).toBeGreaterThan(0.01);
  });
});
