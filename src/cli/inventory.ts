// `svmig inventory import|show|pull`: turn an RVTools export (or vCenter itself) into estate.json,
// and show what it holds. The work: app/commands/inventory.ts and app/commands/inventory-pull.ts.

import type { ImportCliOptions, ShowOptions } from '../app/commands/inventory.js';
import { Command, Option } from './commander.js';
import { examples } from './help.js';
import { pullCommand } from './inventory-pull.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function inventoryCommand(): Command {
  const inventory = new Command('inventory').description('Import an RVTools export or read vCenter into an estate file, and show an estate');
  // Sub-commands take the settings (exit override, output) the program gives `inventory` after
  // building it, so that a missing --out comes back to the caller instead of exiting the process.
  inventory.hook('preSubcommand', (parent, sub) => {
    sub.copyInheritedSettings(parent);
  });
  inventory.addHelpText(
    'after',
    examples([
      ['svmig inventory import RVTools_export_all.xlsx --legacy \'^VNX_\' --new \'^PURE_\' --out estate.json', 'an RVTools export, datastores named by the arrays they are on'],
      ['svmig inventory show estate.json', 'what the estate holds, what is to move, what will not move as it is'],
      ['svmig inventory pull --vcenter https://vc.example.com --user admin@vsphere.local --out estate.json', 'the same estate file read from vCenter itself'],
    ]),
  );

  inventory
    .command('import')
    .description(
      'Read an RVTools export (an .xlsx workbook or a folder of RVTools_tab<tab>.csv files) and write the estate as JSON',
    )
    .argument('<path>', 'RVTools_export_all_….xlsx, or the folder holding RVTools_tabvInfo.csv and the other tabs')
    .requiredOption('-o, --out <file>', 'estate file to write (replaced atomically; nothing is written on error), - for stdout')
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
    .addHelpText(
      'after',
      examples([
        ['svmig inventory import RVTools_export_all_2026-11-02.xlsx --legacy \'^VNX_\' --new \'^PURE_\' --out estate.json', 'a workbook; datastores from VNX_ to PURE_'],
        ['svmig inventory import rvtools-csv/ --array VNX1=^vnx1_ --array PURE=^pure_ --legacy ^vnx1_ --new ^pure_ -o estate.json', 'a folder of RVTools_tab*.csv files, with the array of each datastore'],
        ['svmig inventory import export.xlsx --anonymise --salt "$SALT" -o estate.json', 'every name replaced by a stable hash, to share the estate'],
      ]),
    )
    .action(async (path: string, o: ImportCliOptions) => (await import('../app/commands/inventory.js')).importCommand(path, o));

  inventory
    .command('show')
    .description('Summarise an estate file: clusters, datastores and arrays with data to move, blocked VMs, warnings')
    .argument('<estate>', 'estate.json written by `svmig inventory import`')
    .option('--all', 'list every blocked VM and host without cluster, not the first 20')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .addHelpText(
      'after',
      examples([
        ['svmig inventory show estate.json', 'clusters, datastores and arrays, what is to move, blocked VMs, warnings'],
        ['svmig inventory show estate.json --json | jq .totals.toMoveBytes', 'the figures for a script'],
      ]),
    )
    .action(async (file: string, o: ShowOptions) => (await import('../app/commands/inventory.js')).show(file, o));

  inventory.addCommand(pullCommand());
  return inventory;
}
