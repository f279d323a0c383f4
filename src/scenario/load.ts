// Scenario file (YAML or JSON) → validated, resolved Scenario. Every problem becomes one UserError
// sentence: "<file> line N: <field path>: <what is wrong>".

import { basename, extname } from 'node:path';
import { readTextInputSync } from '../domain/input-file.js';
import { parsePolicy } from '../core/policy.js';
import { UserError } from '../domain/errors.js';
import { vmCopyBytes, vmDatastores, type Estate } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';
import { formatBytes, formatDuration, formatRate } from '../domain/units.js';
import { WEEK, weeklySchedule } from '../domain/windows.js';
import { resolveCampaign } from './campaign-section.js';
import { resolveCosts } from './costs.js';
import { resolveExplicitEstate } from './explicit-estate.js';
import { resolveFabric } from './fabric.js';
import { resolveImportedEstate } from './imported-estate.js';
import { validate } from './issues.js';
import type { CampaignSettings, Scenario } from './scenario.js';
import { ESTATE_SCHEMAS, scenarioFile, type EstateForm, type FabricSection } from './schema.js';
import type { Setting } from './overrides.js';
import { FieldError, SourceText } from './source.js';
import { resolveSyntheticEstate } from './synthetic-estate.js';
import { resolveTargets } from './targets-section.js';

/** Largest scenario file read: an explicit estate of the most VMs svmig takes fits well within it. */
export const MAX_SCENARIO_BYTES = 256 * 2 ** 20;

export interface LoadOptions {
  /** `--set path=value` changes, applied to the document before it is validated (overrides.ts). */
  settings?: readonly Setting[];
}

export function loadScenario(path: string, options: LoadOptions = {}): Scenario {
  return parseScenario(readTextInputSync(path, { what: 'the scenario file', maxBytes: MAX_SCENARIO_BYTES }), path, options);
}

/** `file` names the text in messages and anchors the relative path of an imported estate. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  const source = new SourceText(file, text);
  try {
    return resolve(source, options.settings ?? []);
  } catch (err) {
    if (err instanceof FieldError) throw (err.source ?? source).error(err.path, err.message, { keyLine: err.keyLine });
    throw err;
  }
}

function resolve(source: SourceText, settings: readonly Setting[]): Scenario {
  const data = source.parse(settings);
  const form = estateForm(data);
  const parsed = validate(scenarioFile(ESTATE_SCHEMAS[form]), data, source);
  let fabric = resolveFabric(parsed.fabric);
  const costs = resolveCosts(parsed.vsphere);
  checkPolicy(parsed.policy);

  let estate: Estate;
  if ('synthetic' in parsed.estate) ({ estate, fabric } = resolveSyntheticEstate(parsed.estate.synthetic, fabric, parsed.seed));
  else if ('import' in parsed.estate) estate = resolveImportedEstate(parsed.estate, fabric, source.file);
  else estate = resolveExplicitEstate(parsed.estate, fabric);
  checkEnclosures(estate, parsed.fabric.enclosures);

  const campaign = resolveCampaign(parsed.campaign, parsed.vsphere.version, new Set(estate.hosts.map((h) => h.name)), new Set(estate.vms.map((v) => v.name)));
  checkWindows(estate, fabric, campaign);

  return {
    name: parsed.name ?? basename(source.file, extname(source.file)),
    description: parsed.description,
    file: source.file,
    seed: parsed.seed,
    estate,
    fabric,
    costs,
    policy: parsed.policy,
    targets: resolveTargets(parsed.targets, estate),
    campaign,
  };
}

/**
 * The planner starts a copy only when it is sure to end before its window closes (unless
 * allowOverrun): a campaign whose longest copy cannot fit the longest window even alone, at its data
 * mover's full rate (its streams: one per legacy datastore it is on, up to maxParallelDiskCopies),
 * has a VM that could never start. Copies that fit only when fewer share the links are the
 * planner's to leave behind and name (a run's windowMisfits).
 */
function checkWindows(estate: Estate, fabric: Fabric, campaign: CampaignSettings): void {
  const w = campaign.windows;
  if (w === null || w.allowOverrun) return;
  const schedule = weeklySchedule(w.open, w.startOffset);
  const longest = schedule.intervals.reduce((m, i) => Math.max(m, i.end - i.start), 0);
  if (longest >= 3 * WEEK) return; // always open
  const legacy = new Set(estate.datastores.filter((d) => d.role === 'legacy').map((d) => d.name));
  let worst: { vm: string; bytes: number; streams: number; needs: number } | null = null;
  for (const vm of estate.vms) {
    if (vm.blockers && vm.blockers.length > 0) continue;
    const bytes = vmCopyBytes(vm, (ds) => legacy.has(ds));
    if (bytes <= 0) continue;
    const streams = Math.min(fabric.maxParallelDiskCopies, Math.max(1, vmDatastores(vm).filter((ds) => legacy.has(ds)).length));
    const needs = fabric.svmotionSetupSeconds + bytes / (fabric.perCopyRate * streams);
    if (worst === null || needs > worst.needs) worst = { vm: vm.name, bytes, streams, needs };
  }
  if (worst === null || worst.needs <= longest) return;
  const streams = worst.streams === 1 ? 'one copy stream' : `${worst.streams} copy streams`;
  throw new FieldError(
    ['campaign', 'windows', 'open'],
    `the longest window lasts ${formatDuration(longest)}, but copying VM "${worst.vm}" (${formatBytes(worst.bytes)} in ${streams} at fabric.perCopyRate ` +
      `${formatRate(fabric.perCopyRate)} each, after ${formatDuration(fabric.svmotionSetupSeconds)} of set-up) takes ${formatDuration(worst.needs)} at the least: ` +
      'no copy of it could ever start; open a longer window or set allowOverrun: true',
  );
}

/** The scenario's policy is checked now, so that a typo in it is reported with the file and line. */
function checkPolicy(spec: string): void {
  try {
    parsePolicy(spec);
  } catch (err) {
    if (err instanceof UserError) throw new FieldError(['policy'], lowerFirst(err.message.replace(/\.$/, '')));
    throw err;
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Which of the three estate forms the file uses, by the keys it writes. */
function estateForm(data: unknown): EstateForm {
  const estate = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['estate'] : undefined;
  if (estate === null || typeof estate !== 'object' || Array.isArray(estate)) return 'explicit'; // zod reports the shape
  const synthetic = 'synthetic' in estate;
  const imported = 'import' in estate;
  if (synthetic && imported) {
    throw new FieldError(['estate', 'import'], 'an estate is either synthetic or imported, not both', { keyLine: true });
  }
  return synthetic ? 'synthetic' : imported ? 'import' : 'explicit';
}

/** Hosts in blade enclosures cross the enclosure's uplinks: the fabric must say what those are. */
function checkEnclosures(estate: Estate, enclosures: FabricSection['enclosures']): void {
  if (enclosures != null) return;
  const host = estate.hosts.find((h) => h.enclosure !== null);
  if (host !== undefined) {
    throw new FieldError(['fabric'], `host "${host.name}" sits in enclosure "${host.enclosure}", but fabric.enclosures does not describe the enclosure uplinks`, { keyLine: true });
  }
}

