// `svmig run`: runs a plan against vCenter with the planner of `simulate`, journaled and resumable.
// The work: app/commands/run.ts.

import type { RunFlags } from '../app/commands/run.js';
import { Command } from './commander.js';
import { addConnectOptions } from './connect.js';
import { examples } from './help.js';
import { timeScaleOption } from './options.js';

export function runCommand(): Command {
  const command = new Command('run')
    .description('run a plan against vCenter: every migration journaled, followed to its end, resumable')
    .argument('<plan>', 'plan file made by svmig plan')
    .option('--journal <file>', 'journal of this campaign (default: <plan>.journal.jsonl); the same journal resumes it')
    .option('--dry-run', 'read vCenter, print the operations in the order they would start, change nothing')
    .option('--quiet', 'one line per event instead of the live view (for logs)')
    .option('--accept-changes', 'start even if the estate changed since the plan (added, removed or grown VMs)')
    .option('--retry-failed', 'give the VMs this journal gave up on (retries used up, or a permanent failure) one more round of attempts')
    .option('--pilot <share>', 'a pilot wave: only this share (10%) or number (25) of the plan’s VMs, of every size and cluster; the same journal goes on with the rest later')
    .addOption(timeScaleOption());
  return addConnectOptions(command)
    .addHelpText(
      'after',
      examples([
        ['SVMIG_PASSWORD=… svmig run plan.json --vcenter https://vc.example.com --user admin@vsphere.local --dry-run', 'what would start, in order, and what changed in vCenter since the plan; nothing is moved'],
        ['SVMIG_PASSWORD=… svmig run plan.json --vcenter https://vc.example.com --user admin@vsphere.local --journal campaign.jsonl', 'the campaign, with the live view; the same command resumes it after a crash or Ctrl-C'],
        ['svmig run plan.json --vcenter vc.example.com --user admin@vsphere.local --thumbprint 3F:…:9A --quiet >> campaign.log', 'the password asked for at the prompt, the certificate pinned, one line per event'],
        ['SVMIG_PASSWORD=… svmig run plan.json --vcenter https://vc.example.com --user admin@vsphere.local --pilot 10%', 'a pilot wave of 10 % of the VMs; then svmig calibrate and svmig forecast learn from its journal, and the same command without --pilot runs the rest'],
        ['SVMIG_PASSWORD=… svmig run plan.json --vcenter https://vc.example.com --user admin@vsphere.local --journal campaign.jsonl --retry-failed', 'after fixing what made VMs fail: each VM the campaign gave up on is tried again, as many times as the policy retries'],
      ]) +
        '\n\nA restart with the same journal remembers every attempt: a VM given up on is not tried again unless --retry-failed asks.' +
        '\n\nThe ETA is forecast from the current state by a model recalibrated on the journal as copies end; each forecast is\n' +
        'written to the journal (P50, P90, what it was fitted on).\n' +
        'Ctrl-C once: no new migrations, the running ones end. Twice: they are left running in vCenter, exit 130.\n' +
        'Exit codes: 0 every VM moved, 2 bad input, 3 vCenter unreachable or refusing the login, 4 some VMs could not be moved.',
    )
    .action(async (plan: string, flags: RunFlags) => (await import('../app/commands/run.js')).run(plan, flags));
}
