// The two forms of an RVTools export behind one interface: a workbook (one XLSX, one sheet per tab)
// or a folder of `RVTools_tab<tab>.csv` files. Rows come out as arrays of cells with their spreadsheet
// row number (the header is row 1 when it is the first line), so every message can name the row a
// planner sees when opening the file.

import type { Cell, NumberStyle } from './cells.js';
import type { TabName } from './columns.js';

export interface RawRow {
  row: number;
  cells: Cell[];
}

export interface OpenTab {
  tab: TabName;
  /** File name as shown in messages (base name). */
  file: string;
  header: string[];
  headerRow: number;
  numberStyle: NumberStyle;
  /** What reading the file had to decide (its encoding …), for the import's warnings. */
  notices?: Array<{ code: string; message: string }>;
  /** Data rows after the header, in file order; blank rows are left out (their numbers are skipped). */
  rows(): AsyncIterable<RawRow>;
}

export interface RvtoolsSource {
  format: 'xlsx' | 'csv';
  /** Base names of the files read or to be read. */
  files: string[];
  /** Tabs present among those svmig reads. */
  tabs: TabName[];
  /** Every tab (sheet or CSV) the export holds, known to svmig or not; for messages. */
  allTabs: string[];
  open(tab: TabName): Promise<OpenTab | null>;
}

/** True when every cell is empty (null or blank text). */
export function isBlankRow(cells: readonly Cell[]): boolean {
  for (const c of cells) {
    if (c === null) continue;
    if (typeof c === 'string' && c.trim() === '') continue;
    return false;
  }
  return true;
}
