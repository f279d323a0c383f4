// Writes a report folder: index.html (self-contained), one PNG per chart, summary.md, and the CSV
// of every operation (operations.csv) or of every run of a comparison (runs.csv). Everything is
// rendered in memory first, then written to temporary files and renamed into place, index.html
// last: no file is ever half written, a failure while writing changes nothing, and a reader never
// sees a new page without its files.

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
import { type PageInput, reportPage } from './page.js';
import { renderCharts } from './render.js';

/** What to report on: a run, a comparison, or both (see ReportInput and PageInput). */
export type WriteReportInput = PageInput;

/** Writes the report into `dir` (created if needed) and returns the paths written, index.html last. */
export async function writeReport(dir: string, input: WriteReportInput): Promise<string[]> {
  if (!input.result && !input.compare) throw new Error('writeReport needs a simulation result or a comparison');
  const charts = reportCharts(input);
  const pngs = await renderCharts(charts);
  const files: Array<{ name: string; what: string; content: string | Uint8Array }> = charts.map((c, i) => ({
    name: c.file,
    what: `${c.title} (PNG, ${WIDTH} × ${c.height} px)`,
    content: pngs[i]!,
  }));
  if (input.result) files.push({ name: 'operations.csv', what: 'every operation of the run, one row each (CSV)', content: operationsCsv(input.result.operations) });
  if (input.compare) files.push({ name: 'runs.csv', what: 'every simulated run of every policy, one row each (CSV)', content: runsCsv(input.compare) });
  const listed = [{ name: 'index.html', what: 'this page' }, { name: 'summary.md', what: 'the same summary in Markdown' }, ...files];
  const page = reportPage(input, charts, listed.map(({ name, what }) => ({ name, what })), new Date());
  files.push({ name: 'summary.md', what: '', content: renderMarkdown(page) });
  files.push({ name: 'index.html', what: '', content: renderHtml(page, new Map(charts.map((c, i) => [c.file, pngs[i]!]))) });
  return writeAllAtomic(dir, files.map((f) => [f.name, f.content]));
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
