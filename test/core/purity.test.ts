import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core decides; it must not reach the world, a clock or a random source of its own.
const dir = join(import.meta.dirname, '../../src/core');
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'));

describe('core purity', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(2);
  });

  it.each(files)('%s imports only the core and the domain, and reads no clock or randomness', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const spec of imports) {
      expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.?\/(?!.*\b(sim|live|vsphere|cli|report|inventory|scenario)\/)/);
    }
    expect(text).not.toMatch(/Date\.now|new Date|performance\.now|Math\.random|process\.|setTimeout|setInterval/);
  });
});
