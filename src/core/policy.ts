// Concurrency policies, as parts that combine. A policy says in which order VMs go, how many
// copies may be in flight (per cluster, per host, per enclosure, campaign-wide, or found by a
// closed loop), how the next VM is picked, whether a VM is first moved off a busy host, and how
// failures are retried. It is plain data; the planner reads it.
//
// Written as a preset, optionally followed by parts that override it, joined with `+`:
//   field · fixed:4 · host-aware · adaptive · field+retries:3 · adaptive+order:drain-datastore
//   order:smallest-first+cluster:3+host:1+global:40

import { UserError } from '../domain/errors.js';
import { formatDuration, parseDuration } from '../domain/units.js';
import { LIMITS } from '../domain/limits.js';

export type Ordering = 'largest-first' | 'smallest-first' | 'drain-datastore' | 'priority';
export type Pick = 'in-order' | 'host-aware';
export type PlacementFix = 'off' | 'least-busy';

export interface AdaptiveLimit {
  /** Campaign-wide copies in flight at the start; the loop moves it between min and max. */
  start: number;
  min: number;
  max: number;
  /** How often the loop measures and adjusts. */
  periodSeconds: number;
  /** Copies added or removed per adjustment. */
  step: number;
}

export interface Policy {
  /** As written (trimmed): how results and tables name it. */
  spec: string;
  description: string;
  ordering: Ordering;
  /** svMotions in flight per cluster: a number, or ⌊hosts/2⌋ with 'half-hosts'. */
  perCluster: number | 'half-hosts' | null;
  /** svMotions in flight per host (the planner looks past VMs whose host is full). */
  perHost: number | null;
  perEnclosure: number | null;
  global: number | null;
  adaptive: AdaptiveLimit | null;
  pick: Pick;
  placementFix: PlacementFix;
  /** Further attempts after a transient failure, and the first back-off (doubling each time). */
  retries: number;
  retryBackoffSeconds: number;
}

interface PartHelp {
  part: string;
  description: string;
}

export const PRESETS: ReadonlyArray<{ name: string; parts: string; description: string }> = [
  {
    name: 'field',
    parts: 'order:largest-first+cluster:half+pick:in-order+vmotion:least-busy+retries:0',
    description:
      'the field campaign: per cluster ⌊hosts/2⌋ svMotions in flight, largest VM first; a VM whose host already runs 2 svMotions is vMotioned to the least busy host first; no retry',
  },
  {
    name: 'fixed:N',
    parts: 'order:largest-first+cluster:N+pick:in-order+vmotion:off+retries:0',
    description: 'per cluster N svMotions in flight, largest VM first, no pro-active vMotion, no retry',
  },
  {
    name: 'host-aware',
    parts: 'order:largest-first+cluster:half+pick:host-aware+vmotion:off+retries:2',
    description: 'per cluster ⌊hosts/2⌋ in flight, largest first among VMs whose host has a free svMotion slot: no vMotion needed; 2 retries',
  },
  {
    name: 'adaptive',
    parts: 'order:largest-first+adaptive+pick:host-aware+vmotion:off+retries:2',
    description:
      'closed loop: raises campaign-wide concurrency while the observed throughput grows, backs off when it stops growing or vCenter queues copies; host-aware pick; 2 retries',
  },
  {
    name: 'drain',
    parts: 'order:drain-datastore+cluster:half+pick:host-aware+vmotion:off+retries:2',
    description: 'empties legacy datastores one at a time (smallest first) so they can be decommissioned early; host-aware pick',
  },
];

export const PARTS: readonly PartHelp[] = [
  { part: 'order:largest-first|smallest-first|drain-datastore|priority', description: 'the order VMs go in (priority: the scenario’s list first, then largest first)' },
  { part: 'cluster:N|half', description: 'svMotions in flight per cluster (half: ⌊hosts/2⌋)' },
  { part: 'host:K', description: 'svMotions in flight per host; the planner looks past VMs whose host is full' },
  { part: 'enclosure:N', description: 'svMotions in flight per blade enclosure (shared FC uplinks)' },
  { part: 'global:N', description: 'svMotions in flight in the whole campaign' },
  { part: 'adaptive[:START[:MAX[:PERIOD]]]', description: 'campaign-wide limit found by a closed loop on observed throughput and vCenter queueing' },
  { part: 'pick:in-order|host-aware', description: 'take the next VM in order, or the next one whose host has a free svMotion slot' },
  { part: 'vmotion:off|least-busy', description: 'vMotion a VM off a host at its svMotion limit to the least busy host first' },
  { part: 'retries:K[:BACKOFF]', description: 'retry a transient failure up to K times, waiting BACKOFF (default 5m), doubling' },
];

function base(spec: string): Policy {
  return {
    spec,
    description: '',
    ordering: 'largest-first',
    perCluster: null,
    perHost: null,
    perEnclosure: null,
    global: null,
    adaptive: null,
    pick: 'in-order',
    placementFix: 'off',
    retries: 0,
    retryBackoffSeconds: 300,
  };
}

export function parsePolicy(spec: string): Policy {
  const text = spec.trim();
  if (text === '') throw new UserError('the policy is empty: use a preset (field, fixed:N, host-aware, adaptive, drain) or parts joined with +.');
  const policy = base(text);
  const parts = text.split('+').map((p) => p.trim());
  parts.forEach((part, i) => {
    const preset = i === 0 ? expandPreset(part) : null;
    if (preset !== null) {
      for (const p of preset.parts.split('+')) applyPart(policy, p, spec);
      policy.description = preset.description;
    } else {
      applyPart(policy, part, spec);
    }
  });
  if (policy.perCluster === null && policy.global === null && policy.adaptive === null && policy.perHost === null && policy.perEnclosure === null) {
    throw new UserError(`policy "${spec}" sets no concurrency limit: add cluster:N, host:K, enclosure:N, global:N or adaptive.`);
  }
  if (policy.description === '' || parts.length > 1) policy.description = describe(policy);
  return policy;
}

function expandPreset(part: string): { parts: string; description: string } | null {
  const fixed = /^fixed:(.*)$/.exec(part);
  if (fixed) {
    const n = positive(fixed[1]!, 'fixed:N', part);
    const preset = PRESETS.find((p) => p.name === 'fixed:N')!;
    return { parts: preset.parts.replace('cluster:N', `cluster:${n}`), description: preset.description.replace('N', String(n)) };
  }
  const preset = PRESETS.find((p) => p.name === part);
  return preset ? { parts: preset.parts, description: preset.description } : null;
}

function applyPart(policy: Policy, part: string, spec: string): void {
  const [key, ...args] = part.split(':');
  const arg = args[0];
  const bad = (what: string): never => {
    throw new UserError(`policy "${spec}": "${part}" ${what}.`);
  };
  switch (key) {
    case 'order':
      if (arg !== 'largest-first' && arg !== 'smallest-first' && arg !== 'drain-datastore' && arg !== 'priority') {
        bad('is not an order (largest-first, smallest-first, drain-datastore or priority)');
      }
      policy.ordering = arg as Ordering;
      return;
    case 'cluster':
      policy.perCluster = arg === 'half' ? 'half-hosts' : positive(arg, 'cluster:N', spec);
      return;
    case 'host':
      policy.perHost = positive(arg, 'host:K', spec);
      return;
    case 'enclosure':
      policy.perEnclosure = positive(arg, 'enclosure:N', spec);
      return;
    case 'global':
      policy.global = positive(arg, 'global:N', spec);
      return;
    case 'adaptive': {
      const start = args[0] ? positive(args[0], 'adaptive:START', spec) : 8;
      const max = args[1] ? positive(args[1], 'adaptive:START:MAX', spec) : 512;
      const period = args[2] ? durationOf(args[2], spec, 1, 86_400) : 600;
      if (max < start) bad('has a MAX below its START');
      policy.adaptive = { start, min: 1, max, periodSeconds: period, step: Math.max(1, Math.round(start / 2)) };
      return;
    }
    case 'pick':
      if (arg !== 'in-order' && arg !== 'host-aware') bad('is not a pick (in-order or host-aware)');
      policy.pick = arg as Pick;
      return;
    case 'vmotion':
      if (arg !== 'off' && arg !== 'least-busy') bad('is not a placement fix (off or least-busy)');
      policy.placementFix = arg as PlacementFix;
      return;
    case 'retries':
      if (arg === undefined || !/^[0-9]+$/.test(arg)) bad('needs a whole number of retries');
      // The back-off doubles at every retry: past these limits it would reach years, then Infinity.
      if (Number(arg) > LIMITS.retries) bad(`retries ${arg} times: a VM is retried at most ${LIMITS.retries} times (the back-off doubles each time)`);
      policy.retries = Number(arg);
      if (args[1] !== undefined) policy.retryBackoffSeconds = durationOf(args[1], spec, 0, LIMITS.maxBackoffSeconds);
      return;
    default: {
      const presets = PRESETS.map((p) => p.name).join(', ');
      throw new UserError(`unknown policy "${spec}": use a preset (${presets}) or parts (order, cluster, host, enclosure, global, adaptive, pick, vmotion, retries) joined with +.`);
    }
  }
}

function positive(text: string | undefined, what: string, spec: string): number {
  if (text === undefined || !/^[0-9]+$/.test(text) || Number(text) < 1) {
    throw new UserError(`policy "${spec}": ${what} needs a whole number of at least 1${text === undefined ? '' : `, not "${text}"`}.`);
  }
  if (Number(text) > LIMITS.concurrency) {
    throw new UserError(`policy "${spec}": ${what} is ${text}, and may be at most ${LIMITS.concurrency.toLocaleString('en-US')}.`);
  }
  return Number(text);
}

function durationOf(text: string, spec: string, min: number, max: number): number {
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch {
    throw new UserError(`policy "${spec}": "${text}" is not a duration (write it like 5m or 1h).`);
  }
  if (seconds < min || seconds > max) {
    throw new UserError(`policy "${spec}": "${text}" must be from ${formatDuration(min)} to ${formatDuration(max)}.`);
  }
  return seconds;
}

/** A one-line description built from the parts, for policies that are not a plain preset. */
export function describe(p: Policy): string {
  const limits: string[] = [];
  if (p.perCluster !== null) limits.push(p.perCluster === 'half-hosts' ? '⌊hosts/2⌋ per cluster' : `${p.perCluster} per cluster`);
  if (p.perHost !== null) limits.push(`${p.perHost} per host`);
  if (p.perEnclosure !== null) limits.push(`${p.perEnclosure} per enclosure`);
  if (p.global !== null) limits.push(`${p.global} in all`);
  if (p.adaptive !== null) limits.push(`adaptive from ${p.adaptive.start} up to ${p.adaptive.max} in all`);
  const parts = [
    `${p.ordering}`,
    `in flight: ${limits.join(', ')}`,
    p.pick === 'host-aware' ? 'host-aware pick' : 'in-order pick',
    p.placementFix === 'least-busy' ? 'pro-active vMotion' : 'no pro-active vMotion',
    p.retries > 0 ? `${p.retries} retries` : 'no retry',
  ];
  return parts.join('; ');
}
