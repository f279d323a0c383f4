// svmig's command line: one commander program, one file per command. A command's file holds only
// its options and help; its work is imported when it runs (app/commands/), so that each command loads
// what it needs and no more: `svmig --help` loads commander and the options, `simulate` no chart,
// inventory or vSphere code. (`svmig --version` alone is answered by bin/svmig.js before this loads.)

import { asUserError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from '../app/exit-codes.js';
import { Command, CommanderError } from './commander.js';
import { printable } from '../domain/display.js';
import { calibrateCommand } from './calibrate.js';
import { compareCommand } from './compare.js';
import { forecastCommand } from './forecast.js';
import { examples } from './help.js';
import { inventoryCommand } from './inventory.js';
import { planCommand } from './plan.js';
import { policiesCommand } from './policies.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { simulateCommand } from './simulate.js';
import { sweepCommand } from './sweep.js';
import { quietOnClosedPipes } from './stdio.js';
import { packageVersion } from './version.js';

export function buildProgram(version: string): Command {
  const program = new Command('svmig')
    .description('Plan, simulate and run mass Storage vMotion campaigns in VMware vSphere')
    .version(version, '-V, --version', 'print the version of svmig')
    .option('--debug', 'show stack traces on errors')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      examples([
        ['svmig simulate scenarios/seed-estate.yaml', 'simulate the bundled campaign: a summary, and the result JSON under reports/'],
        ['svmig compare scenarios/seed-estate.yaml --runs 100 --deadline 1d', 'compare the default policies over 100 seeded runs each'],
        ['svmig help simulate', 'the options of one command, with examples'],
      ]) +
        '\n\nExit codes: 0 done, 1 a fault in svmig itself, 2 bad input, 3 vCenter unreachable or refusing the login,\n' +
        '4 some VMs could not be moved, 5 --deadline missed, 130 interrupted with migrations left running.',
    );
  program.addCommand(simulateCommand());
  program.addCommand(compareCommand());
  program.addCommand(sweepCommand());
  program.addCommand(policiesCommand());
  program.addCommand(reportCommand());
  program.addCommand(inventoryCommand());
  program.addCommand(planCommand());
  program.addCommand(runCommand());
  program.addCommand(calibrateCommand());
  program.addCommand(forecastCommand());
  // Subcommands inherit the parent's handling: errors come back here instead of exiting.
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function main(argv: string[], version: string = packageVersion()): Promise<number> {
  quietOnClosedPipes();
  const program = buildProgram(version);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    // Help and --version end with 0; every usage error (unknown command or option, a missing
    // argument) is bad input, 2, where commander would say 1.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    const user = asUserError(err);
    if (user !== null) {
      // The sentence may quote names from files and vCenter: shown escaped, never obeyed by the terminal.
      process.stderr.write(`svmig: ${printable(user.message)}\n`);
      if (debug) process.stderr.write(`${err instanceof Error ? (err.stack ?? '') : ''}\n`);
      return user.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`svmig: internal error: ${printable(message)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_INTERNAL;
  }
}
