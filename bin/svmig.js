#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script): the modules from
// tsc under dist/src/, and their bundle under dist/svmig/ (tools/bundle.mjs), which starts faster.
import { readFileSync, statSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Scripts ask this to check an install: answered before the CLI loads, as fast as Node starts.
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import(entry());
  process.exitCode = await main(process.argv, version);
}

/**
 * The bundle when there is one made since the modules were last compiled; else the modules (a
 * plain `tsc` leaves a bundle behind that no longer matches them, and the bundle is optional).
 */
function entry() {
  const modules = new URL('../dist/src/cli/main.js', import.meta.url);
  const bundle = new URL('../dist/svmig/main.js', import.meta.url);
  const built = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  return built(bundle) >= built(modules) ? bundle.href : modules.href;
}
