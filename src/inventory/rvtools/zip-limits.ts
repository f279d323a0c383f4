// A workbook is a ZIP archive of XML parts, and a ZIP can claim or hold far more than it looks: a
// few hundred kilobytes that inflate to gigabytes (a "zip bomb") would stall the import and exhaust
// memory. Before the workbook reader sees it, every part it would unpack (the `.xml` and `.rels`
// ones) is checked against limits, by what its headers declare and by what it really inflates to.

import { inflateRawSync } from 'node:zlib';
import { UserError } from '../../domain/errors.js';
import { MAX_TEXT_BYTES } from '../../domain/input-file.js';
import { formatBytes } from '../../domain/units.js';

export const ZIP_LIMITS = {
  /** One part: the reader decodes each part into one string, which cannot pass this. */
  partBytes: MAX_TEXT_BYTES,
  /** All parts together. */
  totalBytes: 2 * 1024 ** 3,
  /** Expansion of one part larger than `ratioFrom`: RVTools sheets deflate about 10 times. */
  ratio: 100,
  ratioFrom: 2 ** 20,
} as const;

interface Part {
  name: string;
  method: number;
  compressed: number;
  size: number;
  localOffset: number;
}

/** Throws a UserError naming `file` and the part when the workbook passes a limit. */
export function checkWorkbookZip(bytes: Buffer, file: string): void {
  const parts = centralDirectory(bytes, file).filter((p) => p.name.endsWith('.xml') || p.name.endsWith('.xml.rels'));
  let total = 0;
  for (const p of parts) {
    const fail = (what: string) => new UserError(`${file}: ${p.name} ${what}.`);
    if (p.size > ZIP_LIMITS.partBytes) throw fail(`would inflate to ${formatBytes(p.size)}, more than the ${formatBytes(ZIP_LIMITS.partBytes)} svmig reads of one workbook part`);
    if (p.size > ZIP_LIMITS.ratioFrom && p.size > ZIP_LIMITS.ratio * Math.max(1, p.compressed)) {
      throw fail(`expands ${Math.round(p.size / Math.max(1, p.compressed))} times (from ${formatBytes(p.compressed)} to ${formatBytes(p.size)}), more than the ${ZIP_LIMITS.ratio} times svmig accepts of a workbook part (a zip bomb?)`);
    }
    total += p.size;
    if (total > ZIP_LIMITS.totalBytes) throw new UserError(`${file}: its parts would inflate to more than ${formatBytes(ZIP_LIMITS.totalBytes)}, the most svmig reads of one workbook.`);
    // The headers may lie: inflate the part with its declared size as the ceiling.
    if (p.method === 8) {
      const data = partData(bytes, p, file);
      try {
        const out = inflateRawSync(data, { maxOutputLength: Math.max(1, p.size) });
        if (out.length !== p.size) throw fail(`inflates to ${formatBytes(out.length)}, not the ${formatBytes(p.size)} its header declares`);
      } catch (err) {
        if (err instanceof UserError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') throw fail(`inflates to more than the ${formatBytes(p.size)} its header declares (a zip bomb?)`);
        throw fail(`cannot be inflated (${(err as Error).message})`);
      }
    }
  }
}

function centralDirectory(bytes: Buffer, file: string): Part[] {
  const notZip = () => new UserError(`${file} is not an XLSX workbook (it is not a ZIP archive).`);
  // The end record sits in the last 22 bytes, or further back by a comment of up to 65,535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notZip();
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const parts: Part[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw notZip();
    const nameLength = bytes.readUInt16LE(at + 28);
    const part: Part = {
      method: bytes.readUInt16LE(at + 10),
      compressed: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    };
    // ZIP64 marks sizes of 4 GiB and more: far past every limit here.
    if (part.size === 0xffffffff || part.compressed === 0xffffffff) {
      throw new UserError(`${file}: ${part.name} is 4 GiB or more (ZIP64), more than svmig reads of one workbook part.`);
    }
    parts.push(part);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return parts;
}

function partData(bytes: Buffer, p: Part, file: string): Buffer {
  const at = p.localOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) throw new UserError(`${file}: ${p.name} has no local header where the directory says (a damaged archive).`);
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  return bytes.subarray(start, start + p.compressed);
}
