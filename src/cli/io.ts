// Files the CLI writes: whole or not at all (temp file in the same directory, then rename).

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../domain/errors.js';

export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, content, { mode });
    renameSync(tmp, path);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new UserError(`cannot write ${path}: ${reason}.`, { cause: err });
  }
}

/** Parses an integer option, naming the option in the error. */
export function parseIntegerOption(name: string, value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new UserError(`${name} must be a whole number, not "${value}".`);
  return Number(value);
}
