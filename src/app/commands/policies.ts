// The work of `svmig policies` (its help: cli/policies.ts).

import { PARTS, PRESETS } from '../../core/policy.js';
import { table } from '../../report/table.js';

export function policies(): void {
  const out = [
    'Presets (write one alone, or follow it with parts: field+retries:3):',
    table(PRESETS.map((p) => [p.name, p.description]), [], '  '),
    '',
    'Parts (join with +; later parts override earlier ones):',
    table(PARTS.map((p) => [p.part, p.description]), [], '  '),
    '',
    'Each preset is these parts:',
    table(PRESETS.map((p) => [p.name, p.parts]), [], '  '),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
