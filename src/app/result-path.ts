// Where a result goes when no --out is given. Results of different inputs must never replace each
// other: a copied scenario keeps its `name:`, a --set changes nothing in the file, an edit changes
// nothing in the file name. So the name carries a fingerprint of everything the result depends on
// (the scenario as read, with its imported estate and --set changes; the policies, runs, seed and
// deadline); rerunning the same inputs replaces its own result, byte for byte the same.
//
//   reports/<file>.<policy>.seed<seed>.<fingerprint>.json              simulate
//   reports/<file>.<policy>.runs<N>.seed<seed>.<fingerprint>.json      simulate --runs N
//   reports/<file>.compare.<fingerprint>.json                          compare

import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import type { Scenario } from '../scenario/scenario.js';

export interface ResultInputs {
  /** The scenario file as the command line named it. */
  file: string;
  /** The scenario as read and resolved, --set changes applied. */
  scenario: Scenario;
  /** Policies as the result names them (canonical specs). */
  policies: readonly string[];
  seed: number;
  /** Runs per policy of a Monte Carlo; null for one simulation. */
  runs: number | null;
  deadlineSeconds: number | null;
  /** `compare` writes one file for all its policies; `simulate` names its policy. */
  command: 'simulate' | 'compare';
}

/** Hex digits of the fingerprint: 32 bits, plenty to tell apart the results one folder holds. */
const FINGERPRINT_DIGITS = 8;

export function defaultResultPath(inputs: ResultInputs): string {
  const stem = safe(basename(inputs.file, extname(inputs.file)));
  const fingerprint = resultFingerprint(inputs);
  if (inputs.command === 'compare') return join('reports', `${stem}.compare.${fingerprint}.json`);
  const runs = inputs.runs === null ? '' : `.runs${inputs.runs}`;
  return join('reports', `${stem}.${safe(inputs.policies.join('+'))}${runs}.seed${inputs.seed}.${fingerprint}.json`);
}

/** The first hex digits of SHA-256 over the inputs a result depends on (the file's own path excepted). */
export function resultFingerprint(inputs: ResultInputs): string {
  const { file: _path, ...scenario } = inputs.scenario;
  const canonical = JSON.stringify({
    command: inputs.command,
    scenario,
    policies: inputs.policies,
    seed: inputs.seed,
    runs: inputs.runs,
    deadlineSeconds: inputs.deadlineSeconds,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, FINGERPRINT_DIGITS);
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}
