// Charts rendered to PNG and decoded again: size, white background, something drawn, and each
// chart's first series really on the image (pixels of its colour), not just axes. The renderer
// is optional (png.ts): where it is not installed, loading it must fail, and writeReport then
// writes the page alone (write.test.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/report/charts/index.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { PALETTE, WIDTH } from '../../src/report/charts/style.js';
import { loadPngRenderer, type PngRenderer, renderCharts } from '../../src/report/render.js';
import { compareFixture, labResult } from './fixtures.js';
import { type Decoded, decodePng, PNG_INSTALLED, share } from './png.js';

const near = (hex: string, tolerance: number) => {
  const n = parseInt(hex.slice(1), 16);
  const [R, G, B] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return (r: number, g: number, b: number) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= tolerance;
};

if (PNG_INSTALLED) {
  let renderer: PngRenderer;
  let charts: ChartSpec[];
  let pngs: Buffer[];
  let images: Decoded[];

  beforeAll(async () => {
    renderer = await loadPngRenderer();
    const result = labResult();
    charts = reportCharts({ result, compare: compareFixture(), results: [result, { ...result, policy: 'other' }], deadlineSeconds: 12_000 });
    pngs = await renderCharts(renderer, charts);
    images = pngs.map(decodePng);
  });

  describe('rendered charts (the PNG renderer is installed)', () => {
    it('renders all nine charts as PNG files', () => {
      expect(charts).toHaveLength(9);
      for (const png of pngs) expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    });

    it('draws each at the full width and its own height', () => {
      images.forEach((img, i) => {
        expect(img.width).toBe(WIDTH);
        expect(img.height).toBe(charts[i]!.height);
      });
    });

    it('paints an opaque white background (slides and paper), not transparency', () => {
      for (const img of images) {
        expect(share(img, (_r, _g, _b, a) => a < 255)).toBe(0);
        for (const [x, y] of [
          [0, 0],
          [img.width - 1, 0],
          [0, img.height - 1],
          [img.width - 1, img.height - 1],
        ]) {
          const i = (y! * img.width + x!) * 4;
          expect([...img.pixels.subarray(i, i + 3)]).toEqual([255, 255, 255]);
        }
      }
    });

    it('is not blank: text, axes and data cover a real part of every image', () => {
      images.forEach((img, i) => {
        const ink = share(img, (r, g, b) => r + g + b < 600);
        expect(ink, charts[i]!.file).toBeGreaterThan(0.01);
        expect(ink, charts[i]!.file).toBeLessThan(0.7);
      });
    });

    it('draws the first series of every chart in the first palette colour', () => {
      images.forEach((img, i) => {
        // At least a line's worth of pixels: 300 is under a third of a 2.5 px line across the plot.
        expect(share(img, near(PALETTE[0], 40)) * img.width * img.height, charts[i]!.file).toBeGreaterThan(300);
      });
    });

    it('draws the title in the top band', () => {
      for (const img of images) {
        const top: Decoded = { width: img.width, height: 40, pixels: img.pixels.subarray(0, img.width * 40 * 4) };
        expect(share(top, (r, g, b) => r + g + b < 200)).toBeGreaterThan(0.002);
      }
    });

    it('labels ticks from the data in the configuration: percentages on the links chart', async () => {
      // The links chart's utilisation axis says "… %" at its ticks (svmigTicks.suffix); without the
      // runtime's tick labels it would show bare numbers. Compare the axis strip with the suffix
      // rendered and without it: the two images must differ there.
      const i = charts.findIndex((c) => c.file === 'links.png');
      expect(i).toBeGreaterThanOrEqual(0);
      const spec = charts[i]!;
      const bare = structuredClone(spec);
      delete (bare.config.options!.scales!.y as { svmigTicks?: unknown }).svmigTicks;
      expect((await renderer.render(bare)).equals(pngs[i]!)).toBe(false);
    });

    it('renders the same spec to the same bytes, and leaves the spec as it was', async () => {
      // The histogram: its second policy is textured, which the renderer does by swapping the fill.
      const i = charts.findIndex((c) => c.file === 'makespan-histogram.png');
      const spec = reportCharts({ compare: compareFixture(), deadlineSeconds: 12_000 }).find((c) => c.file === 'makespan-histogram.png')!;
      expect(spec.config.options?.plugins?.svmigHatch?.hatches).toContain('diagonal');
      const before = JSON.stringify(spec.config);
      const again = await renderer.render(spec);
      expect(again.equals(pngs[i]!)).toBe(true);
      expect(JSON.stringify(spec.config)).toBe(before);
    });
  });
} else {
  describe('without the PNG renderer (canvas is not installed here)', () => {
    it('fails to load it, so that a report falls back to the page alone', async () => {
      await expect(loadPngRenderer()).rejects.toThrow(/chartjs-node-canvas|canvas/);
    });
  });
}
