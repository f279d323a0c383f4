// A folder of RVTools CSV files (`RVTools_tabvInfo.csv` …, as `-c ExportAll2csv` writes them). Nothing
// about RVTools CSV is documented (delimiter, quoting, encoding), so each file is sniffed: UTF-8 with
// or without BOM, UTF-16 with BOM, otherwise Windows-1252; `,` `;` or tab as delimiter, whichever the
// header line holds most of outside quotes. Quoted fields may hold newlines and doubled quotes.

import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../../domain/errors.js';
import type { Cell, NumberStyle } from './cells.js';
import { TABS, type TabName } from './columns.js';
import { readExportFile } from './read.js';
import { isBlankRow, type OpenTab, type RawRow, type RvtoolsSource } from './source.js';

/** `RVTools_tabvInfo.csv`, `vc01_RVTools_tabvInfo.csv`, `tabvInfo.csv`, `vInfo.csv` → `vInfo`. */
function tabOfFile(name: string): string | null {
  const m = /^(?:.*?tab)?(v[a-z]+|dv[a-z]+)\.csv$/i.exec(name);
  return m ? m[1]! : null;
}

export async function openCsvFolder(dir: string): Promise<RvtoolsSource> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw new UserError(`Cannot read the folder ${dir}: ${(err as Error).message}.`, { cause: err });
  }
  const byTab = new Map<TabName, string>();
  const allTabs: string[] = [];
  for (const name of names) {
    const tab = tabOfFile(name);
    if (tab === null) continue;
    if (!(await stat(join(dir, name))).isFile()) continue;
    allTabs.push(tab);
    const known = TABS.find((t) => t.toLowerCase() === tab.toLowerCase());
    if (!known) continue;
    const already = byTab.get(known);
    if (already !== undefined) {
      throw new UserError(
        `The folder ${dir} holds two ${known} files, ${already} and ${name}: put each RVTools export in its own folder.`,
      );
    }
    byTab.set(known, name);
  }
  if (byTab.size === 0) {
    throw new UserError(
      `The folder ${dir} holds no RVTools CSV files (RVTools_tab<tab>.csv, such as RVTools_tabvInfo.csv), so it is not an RVTools CSV export.`,
    );
  }
  return {
    format: 'csv',
    files: [...byTab.values()],
    tabs: TABS.filter((t) => byTab.has(t)),
    allTabs,
    open: async (tab) => {
      const name = byTab.get(tab);
      return name === undefined ? null : openCsvTab(join(dir, name), tab);
    },
  };
}

/** Decodes a CSV file's bytes: BOM first, then strict UTF-8, else Windows-1252 (ANSI on Windows). */
export function decodeCsv(bytes: Uint8Array): string {
  const encoding = csvEncoding(bytes);
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(encoding).decode(bytes); // TextDecoder drops a BOM by itself
}

// Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1, which turns € and the typographic quotes
// of 0x80–0x9F into control characters: those 32 are mapped here (undefined ones stay as they are).
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]!);
}

function csvEncoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | 'utf-8' | 'windows-1252' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return isUtf8(bytes) ? 'utf-8' : 'windows-1252';
}

/** The file as UTF-8 bytes without BOM: what the CSV parser reads fastest (no string round trip). */
export function csvUtf8(bytes: Buffer): Buffer {
  const encoding = csvEncoding(bytes);
  if (encoding !== 'utf-8') return Buffer.from(decodeCsv(bytes), 'utf8');
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** The delimiter the first line uses most outside quotes; `,` when it holds none. */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: ',' | ';' | '\t' = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

async function openCsvTab(path: string, tab: TabName): Promise<OpenTab> {
  const file = basename(path);
  const bytes = await readExportFile(path);
  const utf8 = csvUtf8(bytes);
  const delimiter = sniffDelimiter(utf8.subarray(0, 1 << 16).toString('utf8'));
  // A machine whose list separator is `;` writes decimal commas: that is why it is not `,`.
  const numberStyle: NumberStyle = delimiter === ';' ? 'decimal-comma' : 'decimal-point';
  const records = csvRecords(utf8, delimiter, file, tab);
  // The header is the first non-blank record; reading it now lets the caller map columns first.
  let header: string[] | null = null;
  let headerRow = 0;
  for (;;) {
    const next = await records.next();
    if (next.done) break;
    if (isBlankRow(next.value.cells)) continue;
    header = next.value.cells.map((c) => (typeof c === 'string' ? c : ''));
    headerRow = next.value.row;
    break;
  }
  if (header === null) throw new UserError(`${file}, tab ${tab}, row 1: the file is empty (no header row).`);
  const width = header.length;
  return {
    tab,
    file,
    header,
    headerRow,
    numberStyle,
    rows: () => dataRows(records, width, file, tab),
  };
}

async function* dataRows(
  records: AsyncGenerator<RawRow>,
  width: number,
  file: string,
  tab: TabName,
): AsyncGenerator<RawRow> {
  for await (const r of records) {
    if (isBlankRow(r.cells)) continue;
    if (r.cells.length > width && !isBlankRow(r.cells.slice(width))) {
      throw new UserError(
        `${file}, tab ${tab}, row ${r.row}, column ${width + 1}: the row has ${r.cells.length} fields but the header has ${width} (a delimiter inside an unquoted value?).`,
      );
    }
    yield r;
  }
}

/** Records of the CSV bytes with their 1-based record number; feeds the parser in slices. */
async function* csvRecords(bytes: Buffer, delimiter: string, file: string, tab: TabName): AsyncGenerator<RawRow> {
  const parser = parse({
    delimiter,
    quote: '"',
    relax_column_count: true,
    // RVTools before 4.6.1 wrote values holding `"` without quoting them; keep such quotes as text.
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
  });
  const SLICE = 1 << 20;
  function* slices(): Generator<Buffer> {
    for (let i = 0; i < bytes.length; i += SLICE) yield bytes.subarray(i, i + SLICE);
  }
  Readable.from(slices()).pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record as Cell[] };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      // The parser may be records ahead of what was handed out: its own count says which record broke.
      const info = err as CsvError & { lines?: number; records?: number; empty_lines?: number };
      const at = info.records !== undefined ? info.records + (info.empty_lines ?? 0) + 1 : row + 1;
      throw new UserError(
        `${file}, tab ${tab}, row ${at}${info.lines ? ` (line ${info.lines})` : ''}: the CSV is malformed (${err.message.replace(/\.$/, '')}).`,
        { cause: err },
      );
    }
    throw err;
  }
}
