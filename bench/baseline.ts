// `--baseline <git-ref>`: the same cases on another version of svmig, in the same bench run, so that
// figures compare as ratios on a machine whose load changes. The ref is checked out in a temporary
// git worktree outside the repository (under the system's temporary folder), sharing this tree's
// node_modules, and built with its own build configuration; the worktree is removed afterwards.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Baseline {
  ref: string;
  /** The built tree: `<root>/src/…`. */
  root: string;
  remove(): void;
}

export function buildBaseline(repo: string, ref: string): Baseline {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'svmig-baseline-'));
  let added = false;
  const remove = () => {
    if (added) {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: repo, stdio: 'ignore' });
      added = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: repo, stdio: 'ignore' });
    added = true;
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  } catch (e) {
    remove();
    throw e;
  }
  return { ref: `${ref} (${commit.slice(0, 7)})`, root: join(dir, 'dist'), remove };
}
