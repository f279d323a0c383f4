#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script): the modules from
// tsc under dist/src/, and their bundle under dist/svmig/ (tools/bundle.mjs), which starts faster.
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Scripts ask this to check an install: answered before the CLI loads, as fast as Node starts.
  process.stdout.write(`${version}\n`);
} else {
  tierUpLater();
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

/**
 * A command runs most of its code once, or for a few thousand events: by default V8 optimises a
 * function (TurboFan, on background threads) after a little use, and for such a run compiling costs
 * more than the optimised code saves. Half the CPU of a plain simulate of the seed estate went to
 * it: with eight times V8's budget before a function is optimised, the simulation takes 266 ms of
 * CPU instead of 522 (medians of 5, busy machine). Code that runs hot still is optimised: Monte
 * Carlo runs cost what they did; one run of 50,000 VMs costs about 15 % more CPU. Unless the user
 * chose a budget of their own (NODE_OPTIONS, node's flags).
 */
function tierUpLater() {
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('interrupt-budget'));
  if (!chosen) setFlagsFromString('--interrupt-budget=540672');
}
