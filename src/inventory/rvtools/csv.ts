// A folder of RVTools CSV files (`RVTools_tabvInfo.csv` …, as `-c ExportAll2csv` writes them). Nothing
// about RVTools CSV is documented (delimiter, quoting, encoding), so each file is sniffed: UTF-8 with
// or without BOM, UTF-16 with BOM, otherwise Windows-1252; `,` `;` or tab as delimiter, whichever the
// header line holds most of outside quotes. Quoted fields may hold newlines and doubled quotes.
//
// The encoding is decided per file, and said: a UTF-8 file with a stray byte (a value pasted from
// elsewhere) is still UTF-8, the stray byte shown as U+FFFD, rather than the whole file read as
// Windows-1252 with every accented name garbled; a file with no valid UTF-8 sequence at all is
// Windows-1252.

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

/** Decodes a CSV file's bytes: BOM first, then UTF-8 (stray bytes replaced), else Windows-1252 (ANSI on Windows). */
export function decodeCsv(bytes: Uint8Array): string {
  const encoding = csvEncoding(bytes).encoding;
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

export interface CsvEncoding {
  encoding: 'utf-16le' | 'utf-16be' | 'utf-8' | 'windows-1252';
  /** Why it is not plain UTF-8, when it is not: a sentence for the import's warnings. */
  notice: string | null;
}

/** The file's encoding, decided from its bytes (see the head of this file). */
export function csvEncoding(bytes: Uint8Array): CsvEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', notice: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', notice: null };
  if (isUtf8(bytes)) return { encoding: 'utf-8', notice: null };
  const { valid, invalid, firstInvalid } = utf8Sequences(bytes);
  const line = lineAt(bytes, firstInvalid);
  if (valid > 0 && valid >= invalid) {
    return {
      encoding: 'utf-8',
      notice: `The file is UTF-8 but ${invalid} byte${invalid === 1 ? ' is' : 's are'} not UTF-8 (the first on line ${line}): ${invalid === 1 ? 'it is' : 'they are'} shown as "\ufffd"; the rest, ${valid} accented or other non-ASCII characters, read as UTF-8.`,
    };
  }
  return {
    encoding: 'windows-1252',
    notice: `The file is not UTF-8 (${invalid} bytes are not, the first on line ${line}${valid > 0 ? `, against ${valid} valid UTF-8 characters` : ''}): it is read as Windows-1252.`,
  };
}

/** Valid multi-byte UTF-8 sequences and bytes that start none, with the offset of the first such byte. */
function utf8Sequences(bytes: Uint8Array): { valid: number; invalid: number; firstInvalid: number } {
  let valid = 0;
  let invalid = 0;
  let firstInvalid = -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += length;
    } else {
      invalid++;
      if (firstInvalid < 0) firstInvalid = i;
      i++;
    }
  }
  return { valid, invalid, firstInvalid };
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** The file as UTF-8 bytes without BOM: what the CSV parser reads fastest (no string round trip). */
export function csvUtf8(bytes: Buffer): Buffer {
  const { encoding } = csvEncoding(bytes);
  if (encoding !== 'utf-8' || !isUtf8(bytes)) return Buffer.from(decodeCsv(bytes), 'utf8');
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
  const { notice } = csvEncoding(bytes);
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
    notices: notice === null ? [] : [{ code: 'encoding', message: notice }],
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
