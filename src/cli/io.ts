// Files the CLI writes: whole or not at all (temp file in the same directory, then rename); and
// `-o -`, a result written to standard output instead.

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

/** `-o -`: the result goes to standard output, not to a file. */
export const STDOUT = '-';

/** Writes a command's result to `path`, or to standard output for `-o -`. */
export function writeResult(path: string, content: string, mode?: number): void {
  if (path === STDOUT) process.stdout.write(content);
  else writeFileAtomic(path, content, mode);
}

/** Parses an integer option, naming the option in the error. */
export function parseIntegerOption(name: string, value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new UserError(`${name} must be a whole number, not "${value}".`);
  return Number(value);
}
