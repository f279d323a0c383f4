// Reading one cell of an RVTools export into a value. Cells arrive as the readers deliver them: text
// from CSV; numbers, booleans, dates or text from XLSX. Sizes must be numbers: a size that is not is
// an error naming the cell, because a planner must never plan on a guessed size.

import { UserError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { formatBytes } from '../../domain/units.js';

export type Cell = string | number | boolean | Date | null;

/**
 * How numbers are written in a CSV. RVTools writes numbers in the locale of the machine it ran on:
 * `16,384` with a comma delimiter; a machine with a decimal-comma locale writes `;` as delimiter and
 * `16.384` or `1.234,5`. XLSX numbers are numeric cells and need none of this.
 */
export type NumberStyle = 'decimal-point' | 'decimal-comma';

/** Where a cell sits, for error messages. */
export interface CellLocation {
  file: string;
  tab: string;
  row: number;
  column: string;
}

export function describeLocation(loc: CellLocation): string {
  return `${loc.file}, tab ${loc.tab}, row ${loc.row}, column "${loc.column}"`;
}

export function cellError(loc: CellLocation, problem: string): UserError {
  return new UserError(`${describeLocation(loc)}: ${problem}.`);
}

/** The cell as trimmed text; null when empty. Numbers print as JavaScript does (no grouping). */
export function cellText(cell: Cell): string | null {
  if (cell === null) return null;
  if (typeof cell === 'string') {
    const t = cell.trim();
    return t === '' ? null : t;
  }
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

// Grouping separators other than `.` and `,`: spaces (fr-FR, sv-SE, including no-break and narrow
// no-break spaces) and apostrophes (de-CH). They can never be a decimal mark, so they always go.
const ALWAYS_GROUPING = /[\s\u00a0\u202f'\u2019]/g;
const COMMA_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DOT_GROUPED = /^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/;
const PLAIN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a number written by RVTools in either locale style; null for an empty cell, NaN when the
 * text is not a number. With `decimal-point`, `,` groups thousands; with `decimal-comma`, `,` is the
 * decimal mark and `.` groups thousands only when it sits between groups of three digits (`16.384`),
 * so a `1234.5` written by a decimal-point machine into a `;` file still reads as 1234.5.
 */
export function parseNumberText(text: string, style: NumberStyle): number {
  const t = text.replace(ALWAYS_GROUPING, '');
  if (t === '') return Number.NaN;
  if (style === 'decimal-point') {
    if (COMMA_GROUPED.test(t)) return Number(t.replace(/,/g, ''));
    return PLAIN.test(t) ? Number(t) : Number.NaN;
  }
  if (DOT_GROUPED.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  const swapped = /^[+-]?\d*,\d+$/.test(t) ? t.replace(',', '.') : t;
  return PLAIN.test(swapped) ? Number(swapped) : Number.NaN;
}

/** A numeric cell; null when empty; throws a UserError naming the cell when it is not a number. */
export function cellNumber(cell: Cell, style: NumberStyle, loc: CellLocation): number | null {
  if (cell === null) return null;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw cellError(loc, `${cell} is not a finite number`);
    return cell;
  }
  if (typeof cell === 'boolean' || cell instanceof Date) {
    throw cellError(loc, `${cellText(cell)} is not a number`);
  }
  const text = cell.trim();
  if (text === '') return null;
  const value = parseNumberText(text, style);
  if (!Number.isFinite(value)) throw cellError(loc, `"${text}" is not a number`);
  return value;
}

/** A size in the column's unit → bytes; null when empty. Negative sizes are an error too. */
export function cellBytes(cell: Cell, style: NumberStyle, unitBytes: number, loc: CellLocation): number | null {
  const value = cellNumber(cell, style, loc);
  if (value === null) return null;
  if (value < 0) throw cellError(loc, `${cellText(cell)} is not a size (it is negative)`);
  const bytes = Math.round(value * unitBytes);
  if (!(bytes <= LIMITS.bytes)) throw cellError(loc, `${cellText(cell)} is too large a size: svmig takes at most ${formatBytes(LIMITS.bytes)}`);
  return bytes;
}

/** A count (# HBAs, Disks, Disk Key); null when empty. Beyond `max` it is not a count of that column. */
export function cellCount(cell: Cell, style: NumberStyle, loc: CellLocation, max = 2 ** 31 - 1): number | null {
  const value = cellNumber(cell, style, loc);
  if (value === null) return null;
  if (value < 0 || !Number.isInteger(value)) throw cellError(loc, `${cellText(cell)} is not a whole number`);
  if (value > max) throw cellError(loc, `${cellText(cell)} is too large: svmig takes at most ${max.toLocaleString('en-US')} here`);
  return value;
}

const TRUE_TEXT = new Set(['true', 'yes', 'y', '1', 'wahr', 'vrai', 'waar', 'verdadero']);
const FALSE_TEXT = new Set(['false', 'no', 'n', '0', 'falsch', 'faux', 'onwaar', 'falso']);

/**
 * RVTools writes .NET booleans, `True` / `False`; Excel may hold them as boolean cells; a resave in a
 * localised office suite may translate them. Anything else is an error: a flag that reads as neither
 * means the column is not what its header says.
 */
export function cellBoolean(cell: Cell, loc: CellLocation): boolean | null {
  if (cell === null) return null;
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return cell === 1;
  const text = cellText(cell);
  if (text === null) return null;
  const t = text.toLowerCase();
  if (TRUE_TEXT.has(t)) return true;
  if (FALSE_TEXT.has(t)) return false;
  throw cellError(loc, `"${text}" is neither True nor False`);
}

/** What the numbers of one file say about how it groups thousands and marks decimals. */
export interface NumberEvidence {
  /** A number only a `,` thousands separator explains (`1,234,567`, `1,234.5`). */
  commaGrouping: string | null;
  /** A number only a decimal comma explains (`1,5`, `1234,56`, `16.384`, `1.234,5`). */
  decimalComma: string | null;
  /** `16,384`: either reading works. */
  ambiguous: string | null;
}

const COMMA_GROUPING_ONLY = [/^[+-]?\d{1,3}(,\d{3}){2,}(\.\d+)?$/, /^[+-]?\d{1,3}(,\d{3})+\.\d+$/];
const DECIMAL_COMMA_ONLY = [/^[+-]?\d+,(\d{1,2}|\d{4,})$/, /^[+-]?\d{4,},\d+$/, /^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/];
const EITHER = /^[+-]?\d{1,3},\d{3}$/;

/** Classifies one numeric cell's text (grouping spaces removed) as evidence; null says nothing. */
export function numberEvidence(text: string): keyof NumberEvidence | null {
  const t = text.replace(ALWAYS_GROUPING, '');
  if (COMMA_GROUPING_ONLY.some((re) => re.test(t))) return 'commaGrouping';
  if (DECIMAL_COMMA_ONLY.some((re) => re.test(t))) return 'decimalComma';
  if (EITHER.test(t)) return 'ambiguous';
  return null;
}
