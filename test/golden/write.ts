// Writes test/golden/results.json from the code as it stands:
//   npx vite-node test/golden/write.ts
// Only for a deliberate, named change of results: the commit that changes a result rewrites the
// file and says why.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeAll } from './compute.js';

const results = await computeAll();
const path = join(import.meta.dirname, 'results.json');
writeFileSync(path, `${JSON.stringify(results, null, 1)}\n`);
process.stdout.write(`wrote ${Object.keys(results).length} cases to ${path}\n`);
