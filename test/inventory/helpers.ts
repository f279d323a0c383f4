// Building small RVTools exports for tests: CSV folders written byte for byte, and XLSX workbooks
// assembled from their OOXML parts (workbook, sheets, shared strings, styles) zipped with fflate.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';

export async function tempDir(prefix = 'svmig-inv-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** One CSV record, quoting as RFC 4180 wants (fields holding the delimiter, quotes or newlines). */
export function csvRecord(cells: readonly string[], delimiter = ','): string {
  return cells
    .map((c) => (c.includes(delimiter) || /["\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(delimiter);
}

export function csvText(rows: ReadonlyArray<readonly string[]>, delimiter = ',', eol = '\r\n'): string {
  return rows.map((r) => csvRecord(r, delimiter)).join(eol) + eol;
}

/** Writes `files` (name → text or bytes) into a fresh folder and returns it. */
export async function csvFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** A table given as a header and rows of objects keyed by header name; missing keys are empty. */
export function table(header: readonly string[], rows: ReadonlyArray<Record<string, string>>): string[][] {
  return [[...header], ...rows.map((r) => header.map((h) => r[h] ?? ''))];
}

export type XCell =
  | string
  | number
  | boolean
  | null
  /** An Excel date serial in a date-formatted cell. */
  | { date: number }
  /** An empty cell that only carries a style, as LibreOffice writes for formatted empty rows. */
  | { styled: true };

export interface XSheet {
  name: string;
  rows: ReadonlyArray<ReadonlyArray<XCell>>;
}

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An .xlsx workbook. Strings go to the shared string table, numbers are styled `#,##0` as RVTools does. */
export function buildXlsx(sheets: readonly XSheet[]): Uint8Array {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const sst = (t: string) => {
    let i = stringIndex.get(t);
    if (i === undefined) {
      i = strings.length;
      strings.push(t);
      stringIndex.set(t, i);
    }
    return i;
  };
  const sheetXml = (rows: XSheet['rows']) => {
    const body = rows
      .map((row, r) => {
        const cells = row
          .map((c, k) => {
            const ref = `${colName(k)}${r + 1}`;
            if (c === null) return '';
            if (typeof c === 'string') return `<c r="${ref}" t="s"><v>${sst(c)}</v></c>`;
            if (typeof c === 'number') return `<c r="${ref}" s="2"><v>${c}</v></c>`;
            if (typeof c === 'boolean') return `<c r="${ref}" t="b"><v>${c ? 1 : 0}</v></c>`;
            if ('date' in c) return `<c r="${ref}" s="1"><v>${c.date}</v></c>`;
            return `<c r="${ref}" s="3"/>`;
          })
          .join('');
        return `<row r="${r + 1}">${cells}</row>`;
      })
      .join('');
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
  };
  const files: Record<string, string> = {};
  sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = sheetXml(s.rows)));
  files['[Content_Types].xml'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    `</Types>`;
  files['_rels/.rels'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  files['xl/workbook.xml'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
    sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    `</sheets></workbook>`;
  files['xl/_rels/workbook.xml.rels'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    `<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
    `</Relationships>`;
  files['xl/styles.xml'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/mm/dd\\ hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="9"/><name val="Verdana"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`;
  // The shared strings part is written last: every sheet has registered its strings by now.
  files['xl/sharedStrings.xml'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">` +
    strings.map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join('') +
    `</sst>`;
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}

export async function xlsxFile(sheets: readonly XSheet[], name = 'RVTools_export_all_2026-11-02_10.00.00.xlsx'): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, name);
  await writeFile(path, buildXlsx(sheets));
  return path;
}
