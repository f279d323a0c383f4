import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Dependencies point inward. Each folder under src/ is a layer, and a layer may import only the
// layers listed for it (and itself). Every import counts: static, type-only, re-exports and dynamic
// `import()`, since a type import still says which way the knowledge flows.
//
//   cli  →  app  →  sim | live | report | inventory  →  core  →  domain
//                    sim → scenario → core        live → vsphere → domain
//
// `scenario` reads the scenario file into the domain's terms; it sits above the core only to check
// a policy with the core's own parser, and the simulator reads it. `domain` is the vocabulary every
// layer may use. README.md ("Architecture") says the same in prose.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  core: ['domain'],
  scenario: ['core', 'domain'],
  inventory: ['domain'],
  vsphere: ['domain'],
  sim: ['scenario', 'core', 'domain'],
  live: ['vsphere', 'core', 'domain'],
  report: ['core', 'domain'],
  app: ['sim', 'live', 'report', 'inventory', 'scenario', 'vsphere', 'core', 'domain'],
  cli: ['app', 'domain'],
};

const SRC = resolve(import.meta.dirname, '../../src');

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Relative imports of one source text, each resolved to a path under src/ (`a/b.ts`). */
export function importsOf(file: string, text: string): Edge[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ from: relative(SRC, file).split(sep).join('/'), to: relative(SRC, resolve(dirname(file), spec)).split(sep).join('/') }));
}

const layerOf = (path: string) => path.split('/')[0]!;

/** The edges that break the rule: a layer importing one it may not. */
export function violations(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      return from !== to && !(ALLOWED[from] ?? []).includes(to);
    })
    .map((e) => `${e.from} imports ${e.to}`);
}

const files = sourceFiles(SRC);
const edges = files.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

describe('import graph', () => {
  it('reads every kind of import, and flags one that points outward', () => {
    const file = join(SRC, 'core', 'example.ts');
    const text = [
      "import { a } from '../domain/units.js';",
      "import type { B } from '../sim/result.js';",
      "export { c } from './policy.js';",
      "const d = await import('../report/page.js');",
    ].join('\n');
    const found = importsOf(file, text);
    expect(found.map((e) => e.to)).toEqual(['domain/units.js', 'sim/result.js', 'core/policy.js', 'report/page.js']);
    expect(violations(found)).toEqual(['core/example.ts imports sim/result.js', 'core/example.ts imports report/page.js']);
  });

  it('knows every folder under src/ as a layer, so that a new one must be placed', () => {
    const layers = new Set(files.map((f) => layerOf(relative(SRC, f).split(sep).join('/'))));
    expect(layers.size).toBeGreaterThan(5);
    for (const l of layers) expect(Object.keys(ALLOWED), `src/${l} has no place in the layer rule`).toContain(l);
  });

  it('has layers that never depend on one another both ways', () => {
    // Depth-first search for a cycle in the allowed graph itself.
    const state = new Map<string, 'open' | 'done'>();
    const visit = (l: string, path: string[]): void => {
      if (state.get(l) === 'done') return;
      expect(state.get(l), `cycle: ${[...path, l].join(' → ')}`).not.toBe('open');
      state.set(l, 'open');
      for (const next of ALLOWED[l] ?? []) visit(next, [...path, l]);
      state.set(l, 'done');
    };
    for (const l of Object.keys(ALLOWED)) visit(l, []);
  });

  it('has only imports that point inward', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(violations(edges)).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const known = new Set(files.map((f) => relative(SRC, f).split(sep).join('/')));
    const missing = edges.filter((e) => !known.has(e.to.replace(/\.js$/, '.ts'))).map((e) => `${e.from} imports ${e.to}`);
    expect(missing).toEqual([]);
  });

  it('keeps exit codes out of the vSphere client: it reports typed errors, the application maps them', () => {
    const vsphere = files.filter((f) => relative(SRC, f).startsWith(`vsphere${sep}`));
    expect(vsphere.length).toBeGreaterThan(3);
    for (const f of vsphere) {
      const text = readFileSync(f, 'utf8');
      expect(text, relative(SRC, f)).not.toMatch(/exitCode|EXIT_[A-Z]|process\.exit/);
      // UserError carries an exit code: the client throws its own errors instead.
      expect(importsOf(f, text).map((e) => e.to), relative(SRC, f)).not.toContain('domain/errors.js');
    }
  });
});
