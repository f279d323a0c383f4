// Every test's temporary files, and those of the commands and vcsim instances the tests start, go under one
// folder made for this run and removed at its end: the suite leaves nothing behind in the machine's /tmp,
// whatever a test forgets to clean up or a killed process leaves. Workers and the processes they spawn
// inherit TMPDIR, which os.tmpdir() and mktemp both read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'svmig-test-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
