// A pilot wave: the share of a plan's VMs a campaign starts with, so that svmig learns the estate's
// real copy rates before the rest (svmig calibrate, svmig forecast). A pilot teaches most when it
// looks like the campaign: VMs of every size (small ones show the fixed cost of an svMotion, big
// ones the copy rate) from every cluster. So each cluster gets its share of the pilot in
// proportion to its VMs (largest remainders), and within a cluster the VMs are taken in order of
// size and every k-th is picked, evenly spread over the sizes. The choice depends only on the plan,
// so a pilot resumed after a stop is the same pilot.

import { UserError } from '../domain/errors.js';
import type { Plan } from './plan.js';

/** `10%` or `25`: a share of the plan's VMs or a number of them. */
export function pilotSize(spec: string, total: number): number {
  const t = spec.trim();
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  let n: number;
  if (share) {
    const p = Number(share[1]);
    if (!(p > 0 && p <= 100)) throw new UserError(`--pilot ${t}: a share must be above 0 % and at most 100 %.`);
    n = Math.ceil((p / 100) * total);
  } else if (/^\d+$/.test(t)) {
    n = Number(t);
    if (n < 1) throw new UserError(`--pilot ${t}: a pilot moves at least one VM.`);
  } else {
    throw new UserError(`--pilot "${t}" is neither a share of the plan's VMs (10%) nor a number of them (25).`);
  }
  return Math.min(n, total);
}

/** The VMs of the pilot wave of `plan` (see the file's comment). */
export function pilotVms(plan: Plan, spec: string): Set<string> {
  const total = plan.vms.length;
  if (total === 0) throw new UserError('--pilot: the plan moves no VM.');
  const n = pilotSize(spec, total);
  const clusterOf = new Map(plan.scenario.estate.vms.map((v) => [v.name, v.cluster ?? '']));
  const byCluster = new Map<string, Plan['vms']>();
  for (const v of plan.vms) {
    const c = clusterOf.get(v.vm) ?? '';
    const list = byCluster.get(c);
    if (list) list.push(v);
    else byCluster.set(c, [v]);
  }
  const clusters = [...byCluster.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, l]) => [...l].sort((a, b) => a.bytes - b.bytes || (a.vm < b.vm ? -1 : 1)));
  // Largest remainders: each cluster's exact share rounded down, the rest to the largest fractions.
  const exact = clusters.map((l) => (n * l.length) / total);
  const shares = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0, left = n - shares.reduce((a, b) => a + b, 0); k < left; k++) shares[order[k]!.i]!++;
  const out = new Set<string>();
  clusters.forEach((list, c) => {
    const m = shares[c]!;
    for (let k = 0; k < m; k++) out.add(list[Math.min(list.length - 1, Math.floor(((k + 0.5) * list.length) / m))]!.vm);
  });
  return out;
}
