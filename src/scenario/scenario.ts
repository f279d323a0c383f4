// A scenario: everything a simulation needs, validated and resolved (units parsed, synthetic
// estates generated). The loader turns a YAML/JSON file into this; nothing downstream parses text.

import type { RemediationRules } from '../core/campaign.js';
import type { Calendar } from '../domain/calendar.js';
import type { CostProfile } from '../domain/costs.js';
import type { Estate } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import type { ClockShift } from '../domain/windows.js';

export interface TargetRules {
  /** Fraction of a target datastore's capacity that must stay free after a copy (0.1 = 10 %). */
  headroom: number;
  /** A datastore map: legacy datastore → the new datastores its disks may go to. Absent: any. */
  map?: Record<string, string[]>;
  /** Large VMs' disks spread over several new datastores. Absent: every VM goes whole to one. */
  spread?: SpreadSettings;
}

export interface SpreadSettings {
  /** A VM copying more than this is spread (null: no such threshold). */
  vmOver: number | null;
  /** A VM with a disk larger than this is spread (null: no such threshold). */
  diskOver: number | null;
  /** New datastores one VM's disks go to, at most. */
  datastores: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** File the scenario was read from, for messages; null when built in code. */
  file: string | null;
  seed: number;
  estate: Estate;
  fabric: Fabric;
  costs: CostProfile;
  /** Policy spec as written (`field`, `fixed:4` …); the core parses it. */
  policy: string;
  targets: TargetRules;
  campaign: CampaignSettings;
}

export type Monitoring = { mode: 'push' } | { mode: 'poll'; intervalSeconds: number };

export type DrsLevel = 'off' | 'manual' | 'partially-automated' | 'fully-automated';

export interface DrsSettings {
  /** The level DRS runs at during the campaign (the scenario may assume it set to partially automated). */
  level: DrsLevel;
  /** Seconds between DRS invocations: 300 up to vSphere 6.7, 60 from 7.0. */
  intervalSeconds: number;
  /** vMotions DRS starts per cluster and pass, at most. */
  maxMovesPerPass: number;
  /** Memory moved onto a host, as a share of its starting load, that DRS corrects. */
  imbalanceThreshold: number;
  /** Chance per cluster and pass that changing demand makes DRS move one VM somewhere else. */
  driftProbability: number;
}

export interface FaultRate {
  /** Chance that one operation fails. */
  probability: number;
  /** Of the failures, the share that is transient (worth a retry). */
  transientShare: number;
}

export interface HostFailure {
  host: string;
  atSeconds: number;
  downSeconds: number;
}

export interface FaultSettings {
  svmotion: FaultRate;
  vmotion: FaultRate;
  /** Snapshot removal and consolidation tasks (absent: none fail). */
  remediation?: FaultRate;
  hosts: HostFailure[];
  /** VMs whose every svMotion fails (transiently, half way): a rehearsal of a VM that cannot move. */
  vms: string[];
}

export interface WindowSettings {
  /** Open intervals from Monday 00:00, seconds (see domain/windows.ts). */
  open: Array<{ start: number; end: number }>;
  /** Seconds from Monday 00:00 at which the campaign starts, local time. */
  startOffset: number;
  /** The zone whose local time the windows follow, when campaign.start names one (absent: no zone, no clock changes). */
  zone?: string;
  /** Changes of that zone's clock (daylight saving time) in campaign seconds; absent or empty: none. */
  shifts?: ClockShift[];
  /** Start copies even when predicted to run past the window's end. */
  allowOverrun: boolean;
  /** As written, for messages and reports. */
  text: string;
}

/** How the campaign runs, beyond estate and fabric: what the simulator draws and models. */
export interface CampaignSettings {
  /** When the campaign starts, and the zone its dates are read and written in; null: durations only. */
  calendar: Calendar | null;
  monitoring: Monitoring;
  drs: DrsSettings;
  faults: FaultSettings;
  /** Per-copy rate jitter: each copy's cap is scaled by a factor drawn uniformly in [1 - j, 1 + j]. */
  jitter: number;
  /** `random`: re-place the VMs on their cluster's hosts at every run (DRS-style, uneven). */
  placement: 'as-is' | 'random';
  windows: WindowSettings | null;
  /** VM names or /regex/ moved first by the `priority` ordering. */
  priority: string[];
  /** How often a running copy's progress is reported to the planner, seconds. */
  progressIntervalSeconds: number;
  /** Pre-flight remediation of snapshots and redo logs; null: none (the copy moves them). */
  remediation: RemediationSettings | null;
  /** Keep DRS from moving each VM while it is copied, with a per-VM override put back after. */
  drsOverride: boolean;
}

export interface RemediationSettings extends RemediationRules {
  /** Bytes a remediation task merges per second (the simulator's assumption). */
  rate: number;
  /** Fixed time of each remediation task, seconds. */
  setupSeconds: number;
}

export const DEFAULT_CAMPAIGN: CampaignSettings = {
  calendar: null,
  monitoring: { mode: 'push' },
  drs: { level: 'off', intervalSeconds: 60, maxMovesPerPass: 2, imbalanceThreshold: 0.15, driftProbability: 0 },
  faults: { svmotion: { probability: 0, transientShare: 1 }, vmotion: { probability: 0, transientShare: 1 }, remediation: { probability: 0, transientShare: 1 }, hosts: [], vms: [] },
  jitter: 0,
  placement: 'as-is',
  windows: null,
  priority: [],
  progressIntervalSeconds: 300,
  remediation: null,
  drsOverride: false,
};
