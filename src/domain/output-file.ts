// Where a file svmig writes may go. A new file or a regular file is written whole or not at all (a
// temporary file beside it, renamed into place). Anything else already at that path is the user's:
// a FIFO or a character device (/dev/null, /dev/stdout, a terminal) is written through, as `cat >`
// would; a symbolic link is followed, and its target written, the link kept; a folder, a block
// device or a socket is refused. Nothing that is not a regular file is ever replaced by one.

import { closeSync, constants, lstatSync, openSync, realpathSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { UserError } from './errors.js';
import { fileKind } from './input-file.js';

export type OutputTarget =
  /** Write atomically at `path` (a new file, or a regular file replaced whole). */
  | { kind: 'file'; path: string }
  /** Write straight into it: a character device. */
  | { kind: 'stream'; path: string }
  /** Write straight into it, once a reader is there (see writeThrough). */
  | { kind: 'fifo'; path: string };

function statOrNull(path: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, { cause: err });
  }
}

/** Decides how to write `path` (see above); throws a UserError naming it when svmig must not. */
export function outputTarget(path: string): OutputTarget {
  const own = statOrNull(path, false);
  if (own === null) return { kind: 'file', path };
  let target = path;
  let s = own;
  if (own.isSymbolicLink()) {
    const followed = statOrNull(path, true);
    if (followed === null) throw new UserError(`cannot write ${path}: it is a symbolic link to nothing (its target does not exist).`);
    target = realpathSync(path);
    s = followed;
  }
  if (s.isFile()) return { kind: 'file', path: target };
  if (s.isCharacterDevice()) return { kind: 'stream', path };
  if (s.isFIFO()) return { kind: 'fifo', path };
  throw new UserError(`${path} is not a regular file (${fileKind(s)}): svmig writes files only, and will not replace it.`);
}

/** A path inside a report folder: absent or a regular file, nothing else (a report's files are its own). */
export function checkReplaceable(path: string): void {
  const s = statOrNull(path, false);
  if (s !== null && !s.isFile()) throw new UserError(`${path} is not a regular file (${fileKind(s)}): svmig will not replace it with a report file.`);
}

/** A folder to write into: absent (it will be made) or a folder, nothing else. */
export function checkOutputFolder(path: string): void {
  const s = statOrNull(path, true);
  if (s !== null && !s.isDirectory()) throw new UserError(`${path} is not a folder (${fileKind(s)}): give a folder for the report.`);
}

/**
 * Writes `content` into a FIFO or a character device. A FIFO is opened without waiting: with no
 * process reading it, opening would block for ever, so that is refused instead; once open, a full
 * pipe is waited on in short sleeps until the reader takes more.
 */
export function writeThrough(target: Exclude<OutputTarget, { kind: 'file' }>, content: string): void {
  if (target.kind === 'stream') {
    writeFileSync(target.path, content);
    return;
  }
  let fd: number;
  try {
    fd = openSync(target.path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') {
      throw new UserError(`cannot write ${target.path}: it is a FIFO that no process is reading, so writing would wait for ever.`, { cause: err });
    }
    throw err;
  }
  const bytes = Buffer.from(content, 'utf8');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (let at = 0; at < bytes.length; ) {
      try {
        at += writeSync(fd, bytes, at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(pause, 0, 0, 5);
      }
    }
  } finally {
    closeSync(fd);
  }
}
