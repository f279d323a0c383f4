// `svmig inventory import|show`: turn an RVTools export into estate.json, and show what it holds.

import { Command, Option } from 'commander';
import { parseEstateFile, readEstateFile, writeEstateFile, type EstateFile } from '../inventory/estate-file.js';
import { importRvtools } from '../inventory/rvtools/import.js';
import { parseArrayRule, parseAssumedDatastore, parseNameRule, type DatastoreRules } from '../inventory/rules.js';
import { formatSummary, summariseEstate } from '../inventory/summary.js';
import { printable } from '../domain/display.js';
import { outputTarget } from '../domain/output-file.js';

const collect = (value: string, previous: string[]) => [...previous, value];

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

/** Parses the rule options; every malformed one is a UserError naming the option. */
export function rulesFromOptions(o: Pick<ImportCliOptions, 'legacy' | 'new' | 'array' | 'assumeDatastore'>): DatastoreRules {
  return {
    legacy: o.legacy.map((r) => parseNameRule(r, '--legacy')),
    new: o.new.map((r) => parseNameRule(r, '--new')),
    arrays: o.array.map(parseArrayRule),
    assume: o.assumeDatastore.map(parseAssumedDatastore),
  };
}

/** Imports, checks the result against the estate schema, writes it atomically; returns the estate. */
export async function runImport(path: string, o: ImportCliOptions): Promise<EstateFile> {
  const rules = rulesFromOptions(o);
  outputTarget(o.out); // refused before the export is read, not after

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
  await writeEstateFile(o.out, estate);
  return estate;
}

/** The few lines `import` prints: what was written and what had to be assumed for the export as a whole. */
export function importReport(e: EstateFile, out: string): string {
  const blocked = e.vms.filter((v) => (v.blockers?.length ?? 0) > 0).length;
  const disks = e.vms.reduce((n, v) => n + v.disks.length, 0);
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const lines = [
    `Wrote ${out}: ${count(e.vms.length, 'VM')} (${blocked.toLocaleString('en-US')} blocked), ${count(disks, 'disk')}, ` +
      `${count(e.hosts.length, 'host')}, ${count(e.clusters.length, 'cluster')}, ${count(e.datastores.length, 'datastore')}, ` +
      `${count(e.warnings.length, 'warning')}.`,
  ];
  const general = e.warnings.filter((w) => w.row === null && w.omitted === undefined);
  if (general.length > 0) {
    lines.push('Assumed or missing:');
    for (const w of general) lines.push(`  ${w.tab ?? w.file}: ${w.message}`);
  }
  lines.push(`See them all with: svmig inventory show ${out}`);
  // Warnings quote names from the export: shown escaped.
  return `${printable(lines.join('\n'))}\n`;
}

export function inventoryCommand(): Command {
  const inventory = new Command('inventory').description('Import an RVTools export into an estate file, and show an estate');
  // Sub-commands take the settings (exit override, output) the program gives `inventory` after
  // building it, so that a missing --out comes back to the caller instead of exiting the process.
  inventory.hook('preSubcommand', (parent, sub) => {
    sub.copyInheritedSettings(parent);
  });

  inventory
    .command('import')
    .description(
      'Read an RVTools export (an .xlsx workbook or a folder of RVTools_tab<tab>.csv files) and write the estate as JSON',
    )
    .argument('<path>', 'RVTools_export_all_….xlsx, or the folder holding RVTools_tabvInfo.csv and the other tabs')
    .requiredOption('-o, --out <file>', 'estate file to write (replaced atomically; nothing is written on error)')
    .option(
      '--legacy <rule>',
      'datastores the migration moves from: an exact name or a regular expression searched in the name (repeatable)',
      collect,
      [],
    )
    .option('--new <rule>', 'datastores the migration moves to, same forms as --legacy (repeatable)', collect, [])
    .option('--array <NAME=rule>', 'datastores on storage array NAME (a fabric array), e.g. VNX1=^vnx1_ (repeatable; first match wins)', collect, [])
    .option(
      '--assume-datastore <[cluster=]datastore>',
      'where disks are when the export does not say (no Path): one datastore, for one cluster or for all (repeatable)',
      collect,
      [],
    )
    .option('--vcenter <name>', 'vCenter name, when the export does not give it')
    .option('--anonymise', 'replace every name (VMs, hosts, clusters, datastores, vCenter) by a stable hash')
    .addOption(new Option('--anonymize').hideHelp())
    .option('--salt <secret>', 'secret mixed into the --anonymise hashes so names cannot be guessed back')
    .action(async (path: string, o: ImportCliOptions) => {
      const estate = await runImport(path, o);
      process.stdout.write(importReport(estate, o.out));
    });

  inventory
    .command('show')
    .description('Summarise an estate file: clusters, datastores and arrays with data to move, blocked VMs, warnings')
    .argument('<estate>', 'estate.json written by `svmig inventory import`')
    .option('--all', 'list every blocked VM and host without cluster, not the first 20')
    .action((file: string, o: { all?: boolean }) => {
      const estate = readEstateFile(file);
      process.stdout.write(formatSummary(estate, summariseEstate(estate), { all: Boolean(o.all) }));
    });

  return inventory;
}
