// The charts of the report page, drawn by the browser: chart.js itself (its UMD build, read from
// the installed package when a report is written), svmig's chart runtime (the same code the PNG
// renderer runs, carried as source text) and every chart's configuration as JSON. All of it is
// inlined into the page, so the page stays one file that fetches nothing.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chartRuntime } from './charts/runtime.js';
import type { ChartSpec } from './charts/spec.js';
import { INK } from './charts/style.js';

/** The page's font stack (html.ts uses the same): DejaVu Sans as in the PNGs, else the system's. */
export const PAGE_FONT = '"DejaVu Sans", "Segoe UI", Arial, sans-serif';

let chartJs: string | null = null;

/** chart.js's UMD build (it defines the global `Chart`), with its licence header. */
export function chartJsSource(): string {
  if (chartJs === null) {
    // The package's main entry is in dist/, next to the UMD build; the exports map hides the file itself.
    const dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
    chartJs = readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
  }
  return chartJs;
}

/** The canvas id of a chart in the page. */
export function canvasId(chart: ChartSpec): string {
  return `chart-${chart.file.replace(/\.png$/, '')}`;
}

/**
 * Script text that may stand inside a <script> element, where "</script" would end it and "<!--"
 * change how it is read. Both can only occur inside a string, a regular expression or a comment
 * of valid JavaScript, where "<\/" and "\x3C" stand for the same characters.
 */
export function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
}

/** The scripts at the end of the page's body that draw `charts` into their canvases. */
export function chartScripts(charts: readonly ChartSpec[], chartJsUmd: string): string {
  if (charts.length === 0) return '';
  const configs: Record<string, unknown> = {};
  for (const c of charts) configs[canvasId(c)] = c.config;
  // In JSON, "<" as \u003c: names from an estate cannot open or close a tag in the page.
  const json = JSON.stringify(configs).replace(/</g, '\\u003c');
  const env = { fontFamily: PAGE_FONT, labelFont: `10px ${PAGE_FONT}`, ink: INK, pixelRatio: null };
  const draw = `"use strict";
(function () {
  var env = ${JSON.stringify(env)};
  env.tile = function (size) {
    var c = document.createElement("canvas");
    c.width = size;
    c.height = size;
    return c;
  };
  var runtime = (${chartRuntime.toString()})(env);
  runtime.install(Chart);
  var configs = JSON.parse(document.getElementById("svmig-charts").textContent);
  Object.keys(configs).forEach(function (id) {
    new Chart(document.getElementById(id), runtime.prepare(configs[id]));
  });
})();`;
  return [
    `<script type="application/json" id="svmig-charts">${json}</script>`,
    `<script>${scriptSafe(chartJsUmd)}</script>`,
    `<script>${scriptSafe(draw)}</script>`,
  ].join('\n');
}
