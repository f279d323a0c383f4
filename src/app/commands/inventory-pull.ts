// The work of `svmig inventory pull` (its options and help: cli/inventory-pull.ts).

import { ESTATE_FORMAT, type EstateFile } from '../../inventory/estate-file.js';
import { applyDatastoreRules } from '../../inventory/rules.js';
import { formatSummary, summariseEstate } from '../../inventory/summary.js';
import { WarningLog } from '../../inventory/warnings.js';
import { LiveVcenter } from '../../live/vcenter.js';
import { connect, type ConnectFlags } from '../connect.js';
import { STDOUT } from '../io.js';
import { rulesFromOptions, writeEstate } from './inventory.js';

export interface PullFlags extends ConnectFlags {
  out: string;
  legacy: string[];
  new: string[];
  array: string[];
}

export async function pull(flags: PullFlags): Promise<void> {
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
    await writeEstate(flags.out, file);
    // With -o - the estate is stdout's; the summary goes to stderr.
    const where = flags.out === STDOUT ? 'estate written to standard output' : `estate written to ${flags.out}`;
    (flags.out === STDOUT ? process.stderr : process.stdout).write(`${formatSummary(file, summariseEstate(file))}\n\n${where}\n`);
  } finally {
    await client.close().catch(() => undefined);
  }
}
