// The options of commands that connect to vCenter (run, inventory pull); the connection itself is
// made by the application when the command runs (app/connect.ts).

import type { Command } from './commander.js';

export function addConnectOptions(command: Command): Command {
  return command
    .option('--vcenter <url>', 'vCenter address: https://vc.example.com (the /sdk path is added)')
    .option('--user <name>', 'user name, e.g. administrator@vsphere.local')
    .option('--password-env <variable>', 'environment variable holding the password (else it is asked for)', 'SVMIG_PASSWORD')
    .option('--thumbprint <sha>', 'trust only the certificate with this SHA-1 or SHA-256 fingerprint')
    .option('--insecure', 'do not verify the certificate at all (warns; prefer --thumbprint)');
}
