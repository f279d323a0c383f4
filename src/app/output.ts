// Where a command's output goes. Standard output carries one thing: the text summary, or with
// --json the summary as JSON, or with `-o -` the result itself; words for the person go to
// standard error when stdout is taken by the result, and notes (not the result) always do.

import { UserError } from '../domain/errors.js';
import type { WriteReportInput } from '../report/write.js';
import { STDOUT } from './io.js';

export class CommandOutput {
  private readonly json: boolean;
  private readonly resultToStdout: boolean;

  constructor(flags: { json?: boolean; out?: string }) {
    this.json = flags.json === true;
    this.resultToStdout = flags.out === STDOUT;
    if (this.json && this.resultToStdout) throw new UserError('give --json or -o -, not both: each writes to standard output.');
  }

  /** The text summary and what was written where: stdout; stderr when it carries the result; nowhere with --json. */
  say(text: string): void {
    if (this.json) return;
    (this.resultToStdout ? process.stderr : process.stdout).write(text);
  }

  /** Something to know that is not the result (e.g. why there are no PNGs): always stderr. */
  note(sentence: string): void {
    process.stderr.write(`svmig: ${sentence}\n`);
  }

  /** With --json, the summary as one JSON document on stdout. */
  summary(value: object): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/** Writes a report folder (the report code loads only now) and returns the path of its page. */
export async function writeReportFolder(dir: string, input: WriteReportInput, out: CommandOutput): Promise<string> {
  const { writeReport } = await import('../report/write.js');
  const written = await writeReport(dir, input);
  if (written.note) out.note(written.note);
  return written.paths[written.paths.length - 1]!;
}

/** Bins of the time series behind a report's charts. */
export const REPORT_BINS = 200;
