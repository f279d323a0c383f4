// Reading an export file whole, with the one-sentence error a user gets when it cannot be read: a
// regular file only (a FIFO or /dev/zero would never end), of at most MAX_EXPORT_BYTES.

import { readInput } from '../../domain/input-file.js';

/** Largest export file read: RVTools exports of the largest vCenters are a few hundred MB. */
export const MAX_EXPORT_BYTES = 1024 * 2 ** 20;

export async function readExportFile(path: string): Promise<Buffer> {
  return readInput(path, { what: 'an RVTools export', maxBytes: MAX_EXPORT_BYTES, why: 'larger files are not RVTools exports of one vCenter' });
}
