// Reading an export file whole, with the one-sentence error a user gets when it cannot be read.

import { readFile } from 'node:fs/promises';
import { UserError } from '../../domain/errors.js';

export async function readExportFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UserError(`Cannot read ${path}: ${(err as Error).message}.`, { cause: err });
  }
}
