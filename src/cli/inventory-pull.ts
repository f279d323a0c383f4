// `svmig inventory pull`: reads the estate from a live vCenter into the same estate.json the
// RVTools importer writes (one property-collector pass, paged).

import { Command } from 'commander';
import { ESTATE_FORMAT, type EstateFile } from '../inventory/estate-file.js';
import { writeEstateFile } from '../inventory/estate-file.js';
import { applyDatastoreRules } from '../inventory/rules.js';
import { formatSummary, summariseEstate } from '../inventory/summary.js';
import { WarningLog } from '../inventory/warnings.js';
import { LiveVcenter } from '../live/vcenter.js';
import { addConnectOptions, connect, type ConnectFlags } from './connect.js';
import { rulesFromOptions } from './inventory.js';

interface PullFlags extends ConnectFlags {
  out: string;
  legacy: string[];
  new: string[];
  array: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function pullCommand(): Command {
  const command = new Command('pull')
    .description('read clusters, hosts, datastores, VMs and their disks from vCenter into an estate file')
    .requiredOption('-o, --out <file>', 'estate file to write')
    .option('--legacy <rule>', 'datastores the migration moves away from: an exact name or a regular expression searched in the name (repeatable)', collect, [])
    .option('--new <rule>', 'datastores the migration moves to (repeatable)', collect, [])
    .option('--array <NAME=rule>', 'datastores on storage array NAME (repeatable)', collect, []);
  return addConnectOptions(command).action(async (flags: PullFlags) => {
    const rules = rulesFromOptions({ legacy: flags.legacy, new: flags.new, array: flags.array, assumeDatastore: [] });
    const client = await connect(flags);
    try {
      const vcenter = new LiveVcenter(client);
      const estate = await vcenter.readEstate(() => 'other');
      const warnings = new WarningLog();
      applyDatastoreRules(estate.datastores, rules, warnings, 'vCenter');
      const about = client.serviceContent.about;
      const file: EstateFile = {
        format: ESTATE_FORMAT,
        ...estate,
        warnings: warnings.list(),
        source: {
          tool: 'vcenter',
          format: 'vim25',
          files: [],
          tabs: [],
          rvtoolsVersion: null,
          rvtoolsVersionHint: null,
          vcenter: new URL(client.url).hostname,
          vcenterVersion: about.fullName,
          apiVersion: about.apiVersion,
          exportedAt: new Date().toISOString(),
          anonymised: false,
          rules: { legacy: flags.legacy, new: flags.new, arrays: flags.array, assumeDatastores: [] },
        },
      };
      await writeEstateFile(flags.out, file);
      process.stdout.write(`${formatSummary(file, summariseEstate(file))}\n\nestate written to ${flags.out}\n`);
    } finally {
      await client.close().catch(() => undefined);
    }
  });
}
