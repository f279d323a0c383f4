// Files svmig writes: whole or not at all (temp file in the same directory, then rename), and never
// in place of something that is not a regular file (domain/output-file.ts decides where and how);
// and `-o -`, a result written to standard output instead.

import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../domain/errors.js';
import { outputTarget, writeThrough } from '../domain/output-file.js';

export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  const target = outputTarget(path);
  const tmp = `${target.path}.${process.pid}.tmp`;
  try {
    if (target.kind !== 'file') {
      writeThrough(target, content);
      return;
    }
    mkdirSync(dirname(target.path), { recursive: true });
    writeFileSync(tmp, content, { mode });
    renameSync(tmp, target.path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was left behind.
    }
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new UserError(`cannot write ${path}: ${reason}.`, { cause: err });
  }
}

/** Checks before any work that `path` can be written (see writeFileAtomic): a failure costs nothing yet. */
export function checkOutputFile(path: string): void {
  if (path !== STDOUT) outputTarget(path);
}

/** `-o -`: the result goes to standard output, not to a file. */
export const STDOUT = '-';

/** Writes a command's result to `path`, or to standard output for `-o -`. */
export function writeResult(path: string, content: string, mode?: number): void {
  if (path === STDOUT) process.stdout.write(content);
  else writeFileAtomic(path, content, mode);
}
