// Writes a report folder: index.html (self-contained, its charts drawn by the browser), one PNG per
// chart when the optional PNG renderer is installed, summary.md, and the CSV of every operation
// (operations.csv) with the schedule of its copies by window (schedule.csv), of every run of a
// comparison (runs.csv) or of every grid point of a sweep (sweep.csv). Everything is rendered in
// memory first, then written to temporary files and renamed into place, index.html last: no file is
// ever half written, a failure while writing changes nothing, and a reader never sees a new page
// without its files.

import { readdirSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../domain/errors.js';
import { checkOutputFolder, checkReplaceable } from '../domain/output-file.js';
import { reportCharts } from './charts/index.js';
import { WIDTH } from './charts/style.js';
import { operationsCsv, runsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { scheduleCsv } from './schedule.js';
import { sweepCsv } from './sweep-csv.js';
import { type PageInput, reportPage } from './page.js';
import { chartJsSource } from './page-charts.js';
import { loadPngRenderer, PNG_MISSING_NOTE, type PngLoader, type PngRenderer, renderCharts } from './render.js';

/** What to report on: a run, a comparison, or both (see ReportInput and PageInput). */
export type WriteReportInput = PageInput;

export interface WriteReportOptions {
  /** Where the PNG renderer comes from (default: the optional packages, loaded on first use). */
  png?: PngLoader;
}

export interface WrittenReport {
  /** Every file written, index.html last. */
  paths: string[];
  /** Set when there were charts but no PNG renderer: the one sentence to tell the user. */
  note: string | null;
}

/** Writes the report into `dir` (created if needed). */
export async function writeReport(dir: string, input: WriteReportInput, options: WriteReportOptions = {}): Promise<WrittenReport> {
  if (!input.result && !input.compare && !input.sweep) throw new Error('writeReport needs a simulation result, a comparison or a sweep');
  const charts = reportCharts(input);
  let renderer: PngRenderer | null = null;
  let note: string | null = null;
  if (charts.length > 0) {
    // A renderer that does not load is a machine without the optional packages, not a fault:
    // the page draws the charts anyway. A failure while drawing a PNG is a fault, and is thrown.
    renderer = await (options.png ?? loadPngRenderer)().catch(() => null);
    if (!renderer) note = PNG_MISSING_NOTE;
  }
  const pngs = renderer ? await renderCharts(renderer, charts) : [];
  const files: Array<{ name: string; what: string; content: string | Uint8Array }> = pngs.map((png, i) => ({
    name: charts[i]!.file,
    what: `${charts[i]!.title} (PNG, ${WIDTH} × ${charts[i]!.height} px)`,
    content: png,
  }));
  if (input.result) {
    files.push({ name: 'operations.csv', what: 'every operation of the run, one row each (CSV)', content: operationsCsv(input.result.operations) });
    files.push({ name: 'schedule.csv', what: 'every copy by the window (or day) it starts in, with its host, target and times (CSV)', content: scheduleCsv(input.result) });
  }
  if (input.compare) files.push({ name: 'runs.csv', what: 'every simulated run of every policy, one row each (CSV)', content: runsCsv(input.compare) });
  if (input.sweep) files.push({ name: 'sweep.csv', what: 'every grid point and policy of the sweep, one row each (CSV)', content: sweepCsv(input.sweep) });
  const listed = [{ name: 'index.html', what: 'this page' }, { name: 'summary.md', what: 'the same summary in Markdown' }, ...files];
  const page = reportPage(input, charts, listed.map(({ name, what }) => ({ name, what })), new Date(), renderer !== null);
  files.push({ name: 'summary.md', what: '', content: renderMarkdown(page) });
  files.push({ name: 'index.html', what: '', content: renderHtml(page, charts.length > 0 ? chartJsSource() : '') });
  return { paths: await writeAllAtomic(dir, files.map((f) => [f.name, f.content])), note };
}

/**
 * Checks, before any work, that a report can be written into `dir`: a folder or nothing, and no file
 * a report writes (pages, charts, CSV) already there as something other than a regular file (a FIFO,
 * a link, a device), which renaming a new file over it would replace.
 */
export function checkReportFolder(dir: string): void {
  checkOutputFolder(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // not there yet: it will be made
  }
  for (const name of names) if (/\.(html|md|csv|png)$/i.test(name)) checkReplaceable(join(dir, name));
}

/** Writes every file to a temporary name, then renames them in order; on failure removes the temporaries. */
async function writeAllAtomic(dir: string, files: Array<[string, string | Uint8Array]>): Promise<string[]> {
  checkOutputFolder(dir);
  for (const [name] of files) checkReplaceable(join(dir, name));
  const temps: string[] = [];
  let current = dir;
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of files) {
      current = join(dir, name);
      const tmp = `${current}.${process.pid}.tmp`;
      temps.push(tmp);
      await writeFile(tmp, content, { mode: 0o644 });
    }
    const written: string[] = [];
    for (const [name] of files) {
      current = join(dir, name);
      await rename(`${current}.${process.pid}.tmp`, current);
      written.push(current);
    }
    return written;
  } catch (err) {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    const code = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new UserError(`cannot write the report file ${current}: ${code}.`, { cause: err });
  }
}
