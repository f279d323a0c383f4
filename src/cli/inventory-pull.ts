// `svmig inventory pull`: reads the estate from a live vCenter into the same estate.json the
// RVTools importer writes (one property-collector pass, paged). The work: app/commands/inventory-pull.ts.

import type { PullFlags } from '../app/commands/inventory-pull.js';
import { Command } from './commander.js';
import { addConnectOptions } from './connect.js';
import { examples } from './help.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function pullCommand(): Command {
  const command = new Command('pull')
    .description('read clusters, hosts, datastores, VMs and their disks from vCenter into an estate file')
    .requiredOption('-o, --out <file>', 'estate file to write, - for stdout')
    .option('--legacy <rule>', 'datastores the migration moves away from: an exact name or a regular expression searched in the name (repeatable)', collect, [])
    .option('--new <rule>', 'datastores the migration moves to (repeatable)', collect, [])
    .option('--array <NAME=rule>', 'datastores on storage array NAME (repeatable)', collect, []);
  return addConnectOptions(command)
    .addHelpText(
      'after',
      examples([
        ['SVMIG_PASSWORD=… svmig inventory pull --vcenter https://vc.example.com --user admin@vsphere.local --legacy \'^VNX_\' --new \'^PURE_\' --out estate.json', 'the estate as vCenter sees it now'],
        ['svmig inventory pull --vcenter vc.example.com --user readonly@vsphere.local --thumbprint 3F:…:9A -o estate.json', 'the password asked for at the prompt, the certificate pinned'],
      ]),
    )
    .action(async (flags: PullFlags) => (await import('../app/commands/inventory-pull.js')).pull(flags));
}
