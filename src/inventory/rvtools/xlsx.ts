// An RVTools workbook (`RVTools_export_all_….xlsx`), read with read-excel-file. Only the tabs svmig
// uses are parsed: a full export also holds vNetwork, vPort and twenty more that can be large.
// Numbers are numeric cells (the `#,##0` grouping is display only), dates are Excel serials that the
// reader turns into Date objects, and RVTools writes booleans as the text True / False.

import { basename } from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import type { Sheet } from 'read-excel-file/node';
import { UserError } from '../../domain/errors.js';
import { cellText, type Cell } from './cells.js';
import { TABS, type TabName } from './columns.js';
import { readExportFile } from './read.js';
import { checkWorkbookZip } from './zip-limits.js';
import { isBlankRow, type OpenTab, type RawRow, type RvtoolsSource } from './source.js';

// `sheets` is what read-excel-file's own readSheet passes; its typings leave it out.
type SheetsOption = NonNullable<Parameters<typeof readXlsxFile<number>>[1]> & { sheets: string[] };

export async function openXlsx(path: string): Promise<RvtoolsSource> {
  const file = basename(path);
  const bytes = await readExportFile(path);
  checkWorkbookZip(bytes, file);
  const sheets = await readKnownSheets(bytes, file);
  const byTab = new Map<TabName, Sheet>();
  for (const s of sheets.read) {
    const tab = TABS.find((t) => t.toLowerCase() === s.sheet.toLowerCase());
    if (tab && !byTab.has(tab)) byTab.set(tab, s);
  }
  return {
    format: 'xlsx',
    files: [file],
    tabs: TABS.filter((t) => byTab.has(t)),
    allTabs: sheets.all,
    open: async (tab) => {
      const sheet = byTab.get(tab);
      return sheet === undefined ? null : sheetTab(sheet, tab, file);
    },
  };
}

/**
 * Reads the sheets named like svmig's tabs. read-excel-file can only be asked for sheets that exist;
 * the first try asks for all, and when some are missing its error lists the real names for a second.
 */
async function readKnownSheets(bytes: Buffer, file: string): Promise<{ read: Sheet[]; all: string[] }> {
  try {
    const read = await readXlsxFile(bytes, { sheets: [...TABS] } as SheetsOption);
    return { read, all: read.map((s) => s.sheet) };
  } catch (err) {
    const e = err as { name?: string; sheets?: unknown };
    if (e.name !== 'SheetNotFoundError' || !Array.isArray(e.sheets)) throw workbookError(err, file);
    const all = e.sheets.map(String);
    const wanted = all.filter((s) => TABS.some((t) => t.toLowerCase() === s.toLowerCase()));
    if (wanted.length === 0) return { read: [], all };
    try {
      return { read: await readXlsxFile(bytes, { sheets: wanted } as SheetsOption), all };
    } catch (err2) {
      throw workbookError(err2, file);
    }
  }
}

function workbookError(err: unknown, file: string): UserError {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.code === 'XLS_FILE_NOT_SUPPORTED') {
    return new UserError(`${file} is a legacy .xls workbook: export again from RVTools as .xlsx, or save it as .xlsx.`, {
      cause: err,
    });
  }
  if (e.name === 'InvalidInputError') {
    return new UserError(`${file} is not an XLSX workbook (${e.message ?? 'unreadable'}).`, { cause: err });
  }
  return new UserError(`${file}: the workbook cannot be read (${e.message ?? String(err)}).`, { cause: err });
}

function sheetTab(sheet: Sheet, tab: TabName, file: string): OpenTab {
  // The typings say `typeof Date` where the reader gives Date objects.
  const data = sheet.data as unknown as Cell[][];
  // read-excel-file keeps leading and inner empty rows, so index i is spreadsheet row i + 1.
  let h = 0;
  while (h < data.length && isBlankRow(data[h]!)) h++;
  if (h >= data.length) throw new UserError(`${file}, tab ${tab}, row 1: the tab is empty (no header row).`);
  const header = data[h]!.map((c) => cellText(c) ?? '');
  return {
    tab,
    file,
    header,
    headerRow: h + 1,
    numberStyle: 'decimal-point',
    rows: async function* (): AsyncGenerator<RawRow> {
      for (let i = h + 1; i < data.length; i++) {
        const cells = data[i]!;
        if (!isBlankRow(cells)) yield { row: i + 1, cells };
      }
    },
  };
}
