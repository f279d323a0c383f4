// The optional PNG renderer (canvas and chartjs-node-canvas) in tests, and PNG decoding that needs
// neither (pngjs).
//
// The renderer is there where npm could build canvas: .ci/run installs Cairo and Pango and checks
// that it loads. It is absent on a machine without the build libraries, where the README's two
// commands must still pass. A test that touches PNG files expects what the machine it runs on can
// do, decided by whether the packages are installed (not by whether they load): PNG files where
// they are, the one sentence that says how to get them where they are not. That sentence's path
// is also tested everywhere, with a loader made to fail (write.test.ts, cli.test.ts).

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);

function installed(name: string): boolean {
  try {
    require.resolve(join(name, 'package.json'));
    return true;
  } catch {
    return false;
  }
}

export const PNG_INSTALLED = installed('canvas') && installed('chartjs-node-canvas');

/** Runs node with this before svmig: importing the PNG renderer fails as it does where it is not installed. */
export const WITHOUT_PNG = join(import.meta.dirname, 'without-png.mjs');

export interface Decoded {
  width: number;
  height: number;
  /** RGBA bytes, row by row. */
  pixels: Uint8Array;
}

export function decodePng(png: Uint8Array): Decoded {
  const img = PNG.sync.read(Buffer.from(png));
  return { width: img.width, height: img.height, pixels: img.data };
}

/** Share of the image's pixels that pass `test`. */
export function share(d: Decoded, test: (r: number, g: number, b: number, a: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < d.pixels.length; i += 4) if (test(d.pixels[i]!, d.pixels[i + 1]!, d.pixels[i + 2]!, d.pixels[i + 3]!)) n++;
  return n / (d.width * d.height);
}
