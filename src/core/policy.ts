// Concurrency policies: how many copies a cluster runs at once, in which order VMs go, and whether
// a VM is first moved off a host that is already busy. A policy is plain data; the planner reads it.

import { UserError } from '../domain/errors.js';

export type Ordering = 'largest-first';

export interface Policy {
  /** Canonical spec, as printed and written in results (`field`, `fixed:4`). */
  spec: string;
  description: string;
  ordering: Ordering;
  /** svMotions a cluster may have in flight (submitted, not yet ended), from its host count. */
  clusterLimit: (hostCount: number) => number;
  /** Move a VM off a host already running `hostSvmotionLimit` svMotions before copying it. */
  proactiveVmotion: boolean;
  /** svMotions one host runs at once under vCenter's costs (host 16 / svMotion 8). */
  hostSvmotionLimit: number;
}

export interface PolicyHelp {
  spec: string;
  description: string;
}

export const POLICY_HELP: readonly PolicyHelp[] = [
  {
    spec: 'field',
    description:
      'per cluster ⌊hosts/2⌋ svMotions in flight, largest VM first; a VM whose host already runs 2 svMotions is vMotioned to the least busy host first',
  },
  { spec: 'fixed:N', description: 'per cluster N svMotions in flight, largest VM first, no pro-active vMotion' },
];

export function parsePolicy(spec: string): Policy {
  const text = spec.trim();
  if (text === 'field') {
    return {
      spec: 'field',
      description: POLICY_HELP[0]!.description,
      ordering: 'largest-first',
      clusterLimit: (hosts) => Math.max(1, Math.floor(hosts / 2)),
      proactiveVmotion: true,
      hostSvmotionLimit: 2,
    };
  }
  const fixed = /^fixed:([0-9]+)$/.exec(text);
  if (fixed) {
    const n = Number(fixed[1]);
    if (n < 1) throw new UserError(`policy "${spec}": N must be at least 1.`);
    return {
      spec: `fixed:${n}`,
      description: `per cluster ${n} svMotions in flight, largest VM first, no pro-active vMotion`,
      ordering: 'largest-first',
      clusterLimit: () => n,
      proactiveVmotion: false,
      hostSvmotionLimit: 2,
    };
  }
  const known = POLICY_HELP.map((p) => p.spec).join(', ');
  throw new UserError(`unknown policy "${spec}": use one of ${known}.`);
}
