// svmig's command line: one commander program, one file per command.

import { Command, CommanderError } from 'commander';
import { printable } from '../domain/display.js';
import { UserError } from '../domain/errors.js';
import { compareCommand } from './compare.js';
import { inventoryCommand } from './inventory.js';
import { pullCommand } from './inventory-pull.js';
import { planCommand } from './plan.js';
import { policiesCommand } from './policies.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { simulateCommand } from './simulate.js';

export function buildProgram(): Command {
  const program = new Command('svmig')
    .description('Plan, simulate and run mass Storage vMotion campaigns in VMware vSphere')
    .option('--debug', 'show stack traces on errors')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(simulateCommand());
  program.addCommand(compareCommand());
  program.addCommand(policiesCommand());
  program.addCommand(reportCommand());
  program.addCommand(inventoryCommand().addCommand(pullCommand()));
  program.addCommand(planCommand());
  program.addCommand(runCommand());
  // Subcommands inherit the parent's handling: errors come back here instead of exiting.
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Help and version end 0; any other complaint of commander's (unknown command or option, missing
    // argument) is bad input, like every other: 2.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError) {
      // The sentence may quote names from files and vCenter: shown escaped, never obeyed by the terminal.
      process.stderr.write(`svmig: ${printable(err.message)}\n`);
      if (debug) process.stderr.write(`${err.stack ?? ''}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`svmig: internal error: ${printable(message)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}
