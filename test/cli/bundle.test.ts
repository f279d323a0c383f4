// The bundle that bin/svmig.js starts from (dist/svmig/, made by tools/bundle.mjs after tsc; `npm
// test` makes both) runs the same code as the compiled modules: the same result files byte for byte,
// a Monte Carlo whose workers run from the bundle, and commands whose code loads lazily (the report).
// A bundle older than the modules (a plain `tsc` since) is not used.

import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/svmig/main.js');
const MODULES = join(ROOT, 'dist/src/cli/main.js');
const LAB = join(ROOT, 'scenarios/small-lab.yaml');

const dir = mkdtempSync(join(tmpdir(), 'svmig-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `svmig <args>` through one entry point's main(), in a child process. */
async function through(entry: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const runner = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(runner, `const { main } = await import(${JSON.stringify(`file://${entry}`)});\nprocess.exitCode = await main(process.argv, '0.0.0-test');\n`);
  return run(process.execPath, [runner, ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
}

describe('the bundled CLI', () => {
  it('exists after the build, with the Monte Carlo worker as an entry point of its own', () => {
    expect(existsSync(BUNDLE)).toBe(true);
    expect(existsSync(join(ROOT, 'dist/svmig/montecarlo-worker.js'))).toBe(true);
    // The live run's forecasts run in a worker of their own too (app/live-forecast.ts).
    expect(existsSync(join(ROOT, 'dist/svmig/forecast-worker.js'))).toBe(true);
  });

  it('keeps only the parts of zod svmig uses: not its locales, which every start would parse', () => {
    // esbuild names each bundled module in a comment line; one import of zod's `z` object (rather
    // than its namespace) keeps all of it: some 70 locales, 550 KB more to parse before any command.
    const modules = readdirSync(join(ROOT, 'dist/svmig'))
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => readFileSync(join(ROOT, 'dist/svmig', f), 'utf8').match(/^\/\/ node_modules\/zod\/\S+/gm) ?? []);
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.filter((m) => m.includes('/locales/') && !m.endsWith('/en.js'))).toEqual([]);
  });

  it('writes the same result as the compiled modules, for one run and for a Monte Carlo on two workers', async () => {
    for (const [name, extra] of [
      ['one', []],
      ['runs', ['--runs', '6', '--workers', '2']],
    ] as const) {
      const a = join(dir, `${name}.modules.json`);
      const b = join(dir, `${name}.bundle.json`);
      await through(MODULES, ['simulate', LAB, '--seed', '5', ...extra, '-o', a]);
      await through(BUNDLE, ['simulate', LAB, '--seed', '5', ...extra, '-o', b]);
      const bundled = readFileSync(b, 'utf8');
      expect(bundled.length).toBeGreaterThan(100);
      expect(bundled).toBe(readFileSync(a, 'utf8'));
    }
  });

  it('loads a command’s code when it runs: a report folder from a saved result', async () => {
    const result = join(dir, 'one.bundle.json');
    if (!existsSync(result)) await through(BUNDLE, ['simulate', LAB, '--seed', '5', '-o', result]);
    await through(BUNDLE, ['report', result, '--report', join(dir, 'report')]);
    expect(readFileSync(join(dir, 'report/index.html'), 'utf8')).toContain('<html');
  });

  it('is passed over by bin/svmig.js when the modules were compiled after it', async () => {
    // A copy of the package's layout, with a "bundle" that says where it came from, older than the modules.
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/svmig.js'), join(pkg, 'bin/svmig.js'));
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(ROOT, 'dist/src'), join(pkg, 'dist/src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    mkdirSync(join(pkg, 'dist/svmig'));
    const fake = join(pkg, 'dist/svmig/main.js');
    writeFileSync(fake, "export async function main() { process.stdout.write('from the bundle\\n'); return 0; }\n");
    const help = () => run(process.execPath, [join(pkg, 'bin/svmig.js'), 'policies'], { cwd: dir });

    const older = new Date(Date.now() - 60_000);
    utimesSync(fake, older, older);
    expect((await help()).stdout).not.toContain('from the bundle');

    const newer = new Date(Date.now() + 60_000);
    utimesSync(fake, newer, newer);
    expect((await help()).stdout).toBe('from the bundle\n');
  });
});
