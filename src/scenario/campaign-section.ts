// The `campaign:` section: the start date and its zone, monitoring, DRS, faults, rate jitter,
// placement, change windows and the priority list. Everything has a default, so a scenario says only
// what it changes.

import * as z from 'zod';
import { CalendarError, parseDateTime, type Calendar } from '../domain/calendar.js';
import { parseDuration } from '../domain/units.js';
import { anchorWindows, dailyInterval, dayIndex } from '../domain/windows.js';
import type { CampaignSettings, DrsLevel, RemediationSettings, WindowSettings } from './scenario.js';
import { DEFAULT_CAMPAIGN } from './scenario.js';
import { LIMITS } from '../domain/limits.js';
import { NamePatternError, compileNamePattern } from '../domain/name-pattern.js';
import { anyList, boundedDuration, count, duration, fraction, list, name, rate, strict } from './fields.js';
import { FieldError, type FieldPath } from './source.js';

const faultRate = strict({ probability: fraction.default(0), transient: fraction.default(1) }).prefault({});

const windowEntry = strict({
  days: list(z.string(), 7 * 4),
  from: z.string().default('00:00'),
  to: z.string().default('24:00'),
});

export const campaignSection = strict({
  /** When the campaign starts, with its time zone: `2026-12-05T20:00 Europe/Paris`. */
  start: z.string().max(200, { error: 'is too long for a date and time' }).optional(),
  /** `push` (property collector) or `poll:30s` (server-side tasks learnt by asking again). */
  monitoring: z.string().default('push'),
  drs: strict({
    level: z.enum(['off', 'manual', 'partially-automated', 'fully-automated']).default('off'),
    /** Defaults from vsphere.version: 5m up to 6.7, 1m from 7.0. */
    interval: boundedDuration(LIMITS.minDrsIntervalSeconds, 86_400, 'vSphere runs DRS every 1 or 5 minutes').optional(),
    maxMovesPerPass: count(0, 1000).default(2),
    imbalance: fraction.default(0.15),
    drift: fraction.default(0),
  }).prefault({}),
  faults: strict({
    svmotion: faultRate,
    vmotion: faultRate,
    remediation: faultRate,
    hosts: anyList(strict({ host: name, at: duration, down: duration.default(3600) }), LIMITS.hosts).default([]),
    vms: anyList(name, LIMITS.vms).default([]),
  }).prefault({}),
  jitter: fraction.default(0),
  placement: z.enum(['as-is', 'random']).default('as-is'),
  windows: strict({
    /** Without campaign.start: wall time at which the campaign starts, e.g. 2026-12-04T20:00 (no zone, no clock changes). */
    start: z.string().optional(),
    allowOverrun: z.boolean().default(false),
    open: list(windowEntry, 1000),
  }).optional(),
  priority: anyList(z.string().min(1).max(1000, { error: 'is longer than 1,000 characters' }), LIMITS.listEntries).default([]),
  /** 0 means the default; otherwise at least a second, so reports do not flood the simulation. */
  progressInterval: boundedDuration(LIMITS.minPeriodSeconds, 86_400, 'progress is reported at most every second', { allowZero: true }).default(300),
  /** Pre-flight remediation before each VM's svMotion; absent: none. */
  remediation: strict({
    /** keep, remove-all, or keep-newest:N (the oldest removed one at a time until N are left). */
    snapshots: z.string().max(100).default('keep'),
    consolidate: z.boolean().default(false),
    // Merging redo logs reads and writes on the VM's datastore: 200 MB/s and 30 s of set-up per
    // task are assumptions, to be measured on the estate.
    rate: rate.default(200e6),
    setup: boundedDuration(0, LIMITS.maxSetupSeconds, "svmig's limit for one operation's set-up").default(30),
  }).optional(),
  /** Set a per-VM DRS override (partially automated) while each VM is moved, put back after. */
  drsOverride: z.boolean().default(false),
});

export type CampaignSection = z.output<typeof campaignSection>;

const PATH: FieldPath = ['campaign'];

export function resolveCampaign(section: CampaignSection, vsphereVersion: string, hosts: ReadonlySet<string>, vms: ReadonlySet<string>): CampaignSettings {
  const drsInterval = section.drs.interval ?? (versionAtLeast(vsphereVersion, 7) ? 60 : 300);
  const calendar = section.start === undefined ? null : resolveStart(section.start);
  for (const [i, f] of section.faults.hosts.entries()) {
    if (!hosts.has(f.host)) throw new FieldError([...PATH, 'faults', 'hosts', i, 'host'], `host "${f.host}" does not exist`);
  }
  for (const [i, vm] of section.faults.vms.entries()) {
    if (!vms.has(vm)) throw new FieldError([...PATH, 'faults', 'vms', i], `VM "${vm}" does not exist`);
  }
  for (const [i, entry] of section.priority.entries()) {
    const re = /^\/(.*)\/$/.exec(entry);
    if (re === null) continue;
    try {
      compileNamePattern(re[1]!);
    } catch (err) {
      if (!(err instanceof NamePatternError)) throw err;
      throw new FieldError([...PATH, 'priority', i], `"${entry}" is not a valid regular expression (${err.message})`);
    }
  }
  return {
    calendar,
    monitoring: parseMonitoring(section.monitoring),
    drs: {
      level: section.drs.level as DrsLevel,
      intervalSeconds: drsInterval,
      maxMovesPerPass: section.drs.maxMovesPerPass,
      imbalanceThreshold: section.drs.imbalance,
      driftProbability: section.drs.drift,
    },
    faults: {
      svmotion: { probability: section.faults.svmotion.probability, transientShare: section.faults.svmotion.transient },
      vmotion: { probability: section.faults.vmotion.probability, transientShare: section.faults.vmotion.transient },
      remediation: { probability: section.faults.remediation.probability, transientShare: section.faults.remediation.transient },
      hosts: section.faults.hosts.map((f) => ({ host: f.host, atSeconds: f.at, downSeconds: f.down })),
      vms: section.faults.vms,
    },
    jitter: section.jitter,
    placement: section.placement,
    windows: section.windows ? resolveWindows(section.windows, calendar) : null,
    priority: section.priority,
    progressIntervalSeconds: section.progressInterval > 0 ? section.progressInterval : DEFAULT_CAMPAIGN.progressIntervalSeconds,
    remediation: section.remediation === undefined ? null : resolveRemediation(section.remediation),
    drsOverride: section.drsOverride,
  };
}

function resolveRemediation(r: NonNullable<CampaignSection['remediation']>): RemediationSettings {
  const text = r.snapshots.trim();
  const keepNewest = /^keep-newest:(\d{1,4})$/.exec(text);
  let snapshots: RemediationSettings['snapshots'];
  if (text === 'keep' || text === 'remove-all') snapshots = { policy: text };
  else if (keepNewest) snapshots = { policy: 'keep-newest', keep: Number(keepNewest[1]) };
  else throw new FieldError([...PATH, 'remediation', 'snapshots'], `"${r.snapshots}" is not a snapshot policy (keep, remove-all, or keep-newest:N like keep-newest:1)`);
  return { snapshots, consolidate: r.consolidate, rate: r.rate, setupSeconds: r.setup };
}

function parseMonitoring(text: string): CampaignSettings['monitoring'] {
  if (text === 'push') return { mode: 'push' };
  const m = /^poll:(.+)$/.exec(text);
  if (m) {
    const seconds = durationOrNull(m[1]!);
    if (seconds !== null && seconds >= LIMITS.minPeriodSeconds && seconds <= 86_400) return { mode: 'poll', intervalSeconds: seconds };
    if (seconds !== null && seconds > 0) {
      throw new FieldError([...PATH, 'monitoring'], `"${text}" polls every ${m[1]}: the poll interval must be from 1s to 1d`);
    }
  }
  throw new FieldError([...PATH, 'monitoring'], `"${text}" is not a monitoring mode (push, or poll:INTERVAL like poll:30s)`);
}

function resolveStart(text: string): Calendar {
  try {
    const { ms, zone } = parseDateTime(text, null);
    return { startMs: ms, zone };
  } catch (err) {
    if (err instanceof CalendarError) throw new FieldError([...PATH, 'start'], err.message);
    throw err;
  }
}

function resolveWindows(w: NonNullable<CampaignSection['windows']>, calendar: Calendar | null): WindowSettings {
  const open = w.open.flatMap((entry, i) => {
    const from = clock(entry.from, [...PATH, 'windows', 'open', i, 'from']);
    const to = clock(entry.to, [...PATH, 'windows', 'open', i, 'to']);
    return entry.days.map((dayName, k) => {
      const index = dayIndex(dayName);
      if (index < 0) throw new FieldError([...PATH, 'windows', 'open', i, 'days', k], `"${dayName}" is not a day (mon … sun)`);
      return dailyInterval(index, from, to);
    });
  });
  const text = w.open.map((e) => `${e.days.join(',')} ${e.from}–${e.to}`).join('; ');
  if (calendar !== null) {
    if (w.start !== undefined) {
      throw new FieldError([...PATH, 'windows', 'start'], 'campaign.start already says when the campaign starts: remove windows.start', { keyLine: true });
    }
    return { open, allowOverrun: w.allowOverrun, text, ...anchorWindows(calendar.zone, calendar.startMs) };
  }
  if (w.start === undefined) {
    throw new FieldError([...PATH, 'windows', 'start'], 'the windows need the campaign\'s start: set campaign.start, e.g. start: 2026-12-04T20:00 Europe/Paris');
  }
  const start = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(w.start.trim());
  if (!start) {
    throw new FieldError([...PATH, 'windows', 'start'], `"${w.start}" is not a start time (write it like 2026-12-04T20:00; for a start in a time zone, set campaign.start instead)`);
  }
  const [, y, mo, d, h, mi] = start.map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d)).getUTCDay(); // Sunday = 0
  const startOffset = ((day + 6) % 7) * 86400 + h * 3600 + mi * 60;
  return { open, startOffset, allowOverrun: w.allowOverrun, text };
}

function clock(text: string, path: FieldPath): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && Number(m[2]) !== 0)) {
    throw new FieldError(path, `"${text}" is not a time of day (write it like 20:00)`);
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60;
}

function durationOrNull(text: string): number | null {
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}

function versionAtLeast(version: string, major: number): boolean {
  const m = /^(\d+)/.exec(version);
  return m !== null && Number(m[1]) >= major;
}
