// The work of `svmig run` (its options and help: cli/run.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../../domain/errors.js';
import { runPlan, type Control, type RunSummary } from '../run.js';
import { dryRun } from '../dry-run.js';
import { readPlan } from '../plan.js';
import { LiveVcenter } from '../../live/vcenter.js';
import { LineView, LiveTableView } from '../run-view.js';
import { formatCount } from '../../report/table.js';
import { connect, type ConnectFlags } from '../connect.js';
import { EXIT_FAILED_VMS, EXIT_INTERRUPTED } from '../exit-codes.js';
import { timeScaleOption } from '../calibration.js';
import { pilotVms } from '../pilot.js';

export interface RunFlags extends ConnectFlags {
  journal?: string;
  dryRun?: boolean;
  quiet?: boolean;
  acceptChanges?: boolean;
  pilot?: string;
  timeScale?: string;
  retryFailed?: boolean;
}

export async function run(planPath: string, flags: RunFlags): Promise<void> {
  const plan = readPlan(planPath);
  const planHash = createHash('sha256').update(readFileSync(planPath)).digest('hex');
  const pilot = flags.pilot === undefined ? undefined : pilotVms(plan, flags.pilot);
  const timeScale = timeScaleOption(flags.timeScale);
  const journalPath = flags.journal ?? `${planPath.replace(/\.json$/, '')}.journal.jsonl`;
  const client = await connect(flags);
  const vcenter = new LiveVcenter(client, { progress: plan.policy.includes('adaptive') });
  try {
    if (flags.dryRun) {
      process.stdout.write(await dryRun(plan, vcenter));
      return;
    }
    const view = flags.quiet || !process.stdout.isTTY ? new LineView() : new LiveTableView();
    // The second Ctrl-C cuts every call in flight short: one to a vCenter that stopped answering
    // would otherwise hold the exit for its whole time limit.
    const control = interruptControl(view, () => client.abort());
    client.startKeepAlive();
    let summary: RunSummary;
    try {
      summary = await runPlan({
        plan,
        planHash,
        journalPath,
        vcenter,
        acceptChanges: flags.acceptChanges ?? false,
        retryFailed: flags.retryFailed ?? false,
        control,
        view,
        timeScale,
        ...(pilot ? { only: pilot } : {}),
      });
    } catch (e) {
      // Abandoned before the loop began (reading the estate, reconciling): the calls cut short say
      // nothing about vCenter, and the journal holds only what vCenter answered.
      if (!control.abandoned) throw e;
      process.stdout.write('campaign interrupted while the run was starting up: run the same command to resume\n');
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    process.stdout.write(`${describe(summary)}\n`);
    if (pilot && summary.outcome === 'finished') process.stdout.write(`${pilotNext(planPath, journalPath, plan.vms.length - summary.moved.length)}\n`);
    if (summary.outcome === 'interrupted') process.exitCode = EXIT_INTERRUPTED;
    else if (summary.failed.length > 0) {
      throw new UserError(
        `${summary.failed.length} VM(s) could not be moved: ${summary.failed
          .slice(0, 5)
          .map((f) => `${f.vm} (${f.reason})`)
          .join('; ')}${summary.failed.length > 5 ? ' …' : ''}.`,
        { exitCode: EXIT_FAILED_VMS },
      );
    }
  } finally {
    await vcenter.close().catch(() => undefined);
    client.stopKeepAlive();
    await client.close().catch(() => undefined);
  }
}

/** Ctrl-C once: stop starting migrations; twice: leave the running ones and exit. */
function interruptControl(view: { event(line: string): void }, onAbandon: () => void): Control {
  const listeners: Array<() => void> = [];
  const control: Control = { stopping: false, abandoned: false, onChange: (wake) => listeners.push(wake) };
  const onSignal = () => {
    if (!control.stopping) {
      control.stopping = true;
      view.event('stopping: no new migrations; waiting for the running ones (Ctrl-C again to leave them running and exit)');
    } else {
      control.abandoned = true;
      view.event('leaving the running migrations to vCenter; the journal knows them, run the same command to resume');
    }
    for (const l of listeners) l();
    if (control.abandoned) onAbandon();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return control;
}

/** After a pilot: what the rest of the loop is. */
function pilotNext(planPath: string, journalPath: string, left: number): string {
  return [
    `pilot finished: ${formatCount(left)} VM(s) of the plan are left. Next:`,
    `  svmig calibrate <scenario> --from ${journalPath}      the model fitted to the pilot, with intervals`,
    `  svmig forecast ${planPath} --journal ${journalPath}      how long the rest takes (P50 / P90)`,
    `  svmig run ${planPath} --journal ${journalPath} …      the rest, with the ETA recalibrated as copies end`,
  ].join('\n');
}

function describe(s: RunSummary): string {
  const lines = [
    s.outcome === 'finished' ? 'campaign finished' : s.outcome === 'stopped' ? 'campaign stopped: nothing running' : 'campaign interrupted: migrations left running in vCenter',
    `  moved ${formatCount(s.moved.length)} VM(s), ${formatCount(s.failed.length)} failed, ${formatCount(s.skipped.length)} skipped; ${formatCount(s.submitted)} task(s) submitted by this run`,
    `  vCenter calls: ${formatCount(s.calls)} (${s.callsPerMovedVm.toFixed(1)} per VM moved, inventory read excluded)`,
  ];
  return lines.join('\n');
}
