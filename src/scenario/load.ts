// Scenario file (YAML or JSON) → validated, resolved Scenario. Every problem becomes one UserError
// sentence: "<file> line N: <field path>: <what is wrong>".

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UserError } from '../domain/errors.js';
import type { Estate } from '../domain/estate.js';
import { resolveCampaign } from './campaign-section.js';
import { resolveCosts } from './costs.js';
import { resolveExplicitEstate } from './explicit-estate.js';
import { resolveFabric } from './fabric.js';
import { resolveImportedEstate } from './imported-estate.js';
import { validate } from './issues.js';
import type { Scenario } from './scenario.js';
import { ESTATE_SCHEMAS, scenarioFile, type EstateForm, type FabricSection } from './schema.js';
import { FieldError, SourceText } from './source.js';
import { resolveSyntheticEstate } from './synthetic-estate.js';

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable');
    throw new UserError(`${path}: cannot read the scenario file (${why}).`, { cause: err });
  }
  return parseScenario(text, path);
}

/** `file` names the text in messages and anchors the relative path of an imported estate. */
export function parseScenario(text: string, file: string): Scenario {
  const source = new SourceText(file, text);
  try {
    return resolve(source);
  } catch (err) {
    if (err instanceof FieldError) throw (err.source ?? source).error(err.path, err.message, { keyLine: err.keyLine });
    throw err;
  }
}

function resolve(source: SourceText): Scenario {
  const data = source.parse();
  const form = estateForm(data);
  const parsed = validate(scenarioFile(ESTATE_SCHEMAS[form]), data, source);
  const fabric = resolveFabric(parsed.fabric);
  const costs = resolveCosts(parsed.vsphere);

  let estate: Estate;
  if ('synthetic' in parsed.estate) estate = resolveSyntheticEstate(parsed.estate.synthetic, fabric, parsed.seed);
  else if ('import' in parsed.estate) estate = resolveImportedEstate(parsed.estate, fabric, source.file);
  else estate = resolveExplicitEstate(parsed.estate, fabric);
  checkEnclosures(estate, parsed.fabric.enclosures);

  return {
    name: parsed.name ?? basename(source.file, extname(source.file)),
    description: parsed.description,
    file: source.file,
    seed: parsed.seed,
    estate,
    fabric,
    costs,
    policy: parsed.policy,
    targets: { headroom: parsed.targets.headroom },
    campaign: resolveCampaign(parsed.campaign, parsed.vsphere.version, new Set(estate.hosts.map((h) => h.name)), new Set(estate.vms.map((v) => v.name))),
  };
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

