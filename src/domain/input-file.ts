// Reading a file a person named on the command line (a scenario, an estate, a saved result, an
// RVTools export): the one place where svmig opens their files, so that every reader gets the same
// checks before a byte is read. Only regular files: reading a FIFO or /dev/zero would wait or fill
// memory for ever. Only up to a size: past it, the file cannot be a real input of that kind, and
// reading it whole would exhaust memory first. Each failure is one sentence naming the file.

import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { UserError } from './errors.js';
import { formatBytes } from './units.js';

/**
 * Longest text a reader turns into one string: V8 strings stop at 2^29 − 24 UTF-16 units (about
 * 512 MiB of ASCII), so a larger JSON or YAML document could not even be decoded.
 */
export const MAX_TEXT_BYTES = 2 ** 29 - 64;

export interface InputFile {
  /** What the file is, for messages: "the scenario file", "the estate file" … */
  what: string;
  /** Largest size accepted, bytes. */
  maxBytes: number;
  /** Why that limit, completing "… is larger than <limit>: <why>". */
  why?: string;
}

/** "a FIFO", "a folder" …: what a path that is not a regular file is. */
export function fileKind(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function check(path: string, s: Stats, spec: InputFile): void {
  if (!s.isFile()) throw new UserError(`${path} is not a regular file (${fileKind(s)}): give ${spec.what} itself.`);
  if (s.size > spec.maxBytes) {
    throw new UserError(`${path} is ${formatBytes(s.size)}, larger than ${formatBytes(spec.maxBytes)}, the most svmig reads as ${spec.what}${spec.why ? `: ${spec.why}` : ''}.`);
  }
}

function cannotRead(path: string, spec: InputFile, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (err instanceof Error ? err.message : String(err)));
  return new UserError(`${path}: cannot read ${spec.what} (${why}).`, { cause: err });
}

/** The bytes of `path`, checked first (see above). */
export function readInputSync(path: string, spec: InputFile): Buffer {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (err) {
    throw cannotRead(path, spec, err);
  }
  check(path, s, spec);
  try {
    return readFileSync(path);
  } catch (err) {
    throw cannotRead(path, spec, err);
  }
}

export async function readInput(path: string, spec: InputFile): Promise<Buffer> {
  let s: Stats;
  try {
    s = await stat(path);
  } catch (err) {
    throw cannotRead(path, spec, err);
  }
  check(path, s, spec);
  try {
    return await readFile(path);
  } catch (err) {
    throw cannotRead(path, spec, err);
  }
}

/** UTF-8 text of `path`, a leading byte order mark dropped (editors on Windows write one). */
export function readTextInputSync(path: string, spec: Omit<InputFile, 'maxBytes'> & { maxBytes?: number }): string {
  const bytes = readInputSync(path, { ...spec, maxBytes: Math.min(spec.maxBytes ?? MAX_TEXT_BYTES, MAX_TEXT_BYTES) });
  return withoutBom(bytes.toString('utf8'));
}

export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
