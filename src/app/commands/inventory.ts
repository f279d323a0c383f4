// The work of `svmig inventory import` and `show` (their options and help: cli/inventory.ts).

import { printable } from '../../domain/display.js';
import { outputTarget } from '../../domain/output-file.js';
import { estateToJson, parseEstateFile, readEstateFile, writeEstateFile, type EstateFile } from '../../inventory/estate-file.js';
import { importRvtools } from '../../inventory/rvtools/import.js';
import { parseArrayRule, parseAssumedDatastore, parseNameRule, type DatastoreRules } from '../../inventory/rules.js';
import { estateJson, formatSummary, summariseEstate } from '../../inventory/summary.js';

import { STDOUT } from '../io.js';

export interface ImportCliOptions {
  out: string;
  legacy: string[];
  new: string[];
  array: string[];
  assumeDatastore: string[];
  vcenter?: string;
  anonymise?: boolean;
  anonymize?: boolean;
  salt?: string;
}

export interface ShowOptions {
  all?: boolean;
  json?: boolean;
}

/** Parses the rule options; every malformed one is a UserError naming the option. */
export function rulesFromOptions(o: Pick<ImportCliOptions, 'legacy' | 'new' | 'array' | 'assumeDatastore'>): DatastoreRules {
  return {
    legacy: o.legacy.map((r) => parseNameRule(r, '--legacy')),
    new: o.new.map((r) => parseNameRule(r, '--new')),
    arrays: o.array.map(parseArrayRule),
    assume: o.assumeDatastore.map(parseAssumedDatastore),
  };
}

/** Writes an estate file, or the estate to stdout for `-o -`. */
export async function writeEstate(out: string, estate: EstateFile): Promise<void> {
  if (out === STDOUT) process.stdout.write(estateToJson(estate));
  else await writeEstateFile(out, estate);
}

/** Imports, checks the result against the estate schema, writes it atomically; returns the estate. */
export async function runImport(path: string, o: ImportCliOptions): Promise<EstateFile> {
  const rules = rulesFromOptions(o);
  if (o.out !== STDOUT) outputTarget(o.out); // refused before the export is read, not after

  const estate = await importRvtools(path, {
    rules,
    ruleTexts: { legacy: o.legacy, new: o.new, arrays: o.array, assumeDatastores: o.assumeDatastore },
    ...(o.vcenter === undefined ? {} : { vcenter: o.vcenter }),
    anonymise: Boolean(o.anonymise || o.anonymize),
    ...(o.salt === undefined ? {} : { salt: o.salt }),
  });
  // The file must load with the loader every other command uses; if it would not, that is a bug here.
  try {
    parseEstateFile(estate, o.out);
  } catch (err) {
    throw new Error(`the import produced an estate that does not validate: ${(err as Error).message}`, { cause: err });
  }
  await writeEstate(o.out, estate);
  return estate;
}

export async function importCommand(path: string, o: ImportCliOptions): Promise<void> {
  const estate = await runImport(path, o);
  // With -o - the estate is stdout's; the report of what was assumed goes to stderr.
  (o.out === STDOUT ? process.stderr : process.stdout).write(importReport(estate, o.out));
}

export function show(file: string, o: ShowOptions): void {
  const estate = readEstateFile(file);
  const summary = summariseEstate(estate);
  if (o.json) process.stdout.write(`${JSON.stringify(estateJson(summary, file), null, 2)}\n`);
  else process.stdout.write(formatSummary(estate, summary, { all: Boolean(o.all) }));
}

/** The few lines `import` prints: what was written and what had to be assumed for the export as a whole. */
export function importReport(e: EstateFile, out: string): string {
  const blocked = e.vms.filter((v) => (v.blockers?.length ?? 0) > 0).length;
  const disks = e.vms.reduce((n, v) => n + v.disks.length, 0);
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const lines = [
    `Wrote ${out === STDOUT ? 'the estate to standard output' : out}: ${count(e.vms.length, 'VM')} (${blocked.toLocaleString('en-US')} blocked), ${count(disks, 'disk')}, ` +
      `${count(e.hosts.length, 'host')}, ${count(e.clusters.length, 'cluster')}, ${count(e.datastores.length, 'datastore')}, ` +
      `${count(e.warnings.length, 'warning')}.`,
  ];
  const general = e.warnings.filter((w) => w.row === null && w.omitted === undefined);
  if (general.length > 0) {
    lines.push('Assumed or missing:');
    for (const w of general) lines.push(`  ${w.tab ?? w.file}: ${w.message}`);
  }
  if (out !== STDOUT) lines.push(`See them all with: svmig inventory show ${out}`);
  // Warnings quote names from the export: shown escaped.
  return `${printable(lines.join('\n'))}\n`;
}
