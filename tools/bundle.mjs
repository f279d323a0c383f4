// Bundles the compiled CLI (dist/src/, from tsc) into a few files under dist/svmig/, which
// bin/svmig.js loads instead of the modules one by one: Node's ES-module loader pays for every file
// it resolves and reads (svmig's own, zod's, yaml's: more than 200 for a plain simulate), and a
// bundle keeps only the parts of zod that svmig uses. Only svmig and the libraries every scenario
// needs are bundled; the rest stays in node_modules. Commands still load lazily: each dynamic
// import is a chunk of its own, the Monte Carlo and sweep workers and the live run's forecast worker
// entry points of their own.
//
// esbuild comes from the npm registry as a prebuilt binary (an optional package of its own). Where it
// is missing or cannot run (`npm ci --omit=optional`, another platform), this says so in one line
// and ends without failing: bin/svmig.js then loads dist/src/ as it is, only slower to start.

import { readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/svmig`;

// Bundled: what every command that reads a scenario loads. Every other dependency stays in
// node_modules as it is, loaded when a command asks for it (the optional PNG renderer among them).
const BUNDLED = ['zod', 'yaml', 'seedrandom'];
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  esbuild = null;
}

rmSync(out, { recursive: true, force: true });
if (esbuild === null) {
  process.stderr.write('svmig: esbuild is not installed: no bundle, so svmig starts slower (it runs from dist/src/)\n');
} else {
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: {
        main: 'dist/src/cli/main.js',
        'montecarlo-worker': 'dist/src/sim/montecarlo-worker.js',
        'sweep-worker': 'dist/src/sim/sweep-worker.js',
        'forecast-worker': 'dist/src/app/calibrate/forecast-worker.js',
      },
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // The ES-module builds of dependencies that ship both (yaml), as Node itself would pick for an import.
      mainFields: ['module', 'main'],
      external,
      // Not minified: the report page carries the source text of its chart code (chartRuntime.toString()),
      // which must stay self-contained, and errors keep the names they are known by.
      legalComments: 'none',
      logLevel: 'error',
      // A dependency bundled as CommonJS may call require(): give the bundle Node's.
      banner: { js: "import { createRequire as __svmigRequire } from 'node:module'; const require = __svmigRequire(import.meta.url);" },
    });
    // The bundle stands for the compiled modules it was made from; bin/svmig.js compares the times.
    statSync(`${out}/main.js`);
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    process.stderr.write(`svmig: no bundle (${err instanceof Error ? err.message.split('\n')[0] : String(err)}), so svmig starts slower (it runs from dist/src/)\n`);
  }
}
