// Units: parsing quantities written by people (scenario files, CLI flags) and printing them back.
// Internally every size is a number of bytes, every rate bytes per second, every duration seconds.
// Printing uses binary units (KiB, MiB, GiB, TiB), always labelled, as planners compare against
// what vSphere and RVTools show.

export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;
export const TiB = 1024 ** 4;
export const PiB = 1024 ** 5;

/**
 * Units of bytes and bits, exactly as written: case carries meaning (`Mb` is a megabit, `MB` a
 * megabyte, `m` would be milli). `K` is taken for kilo as well as `k`, as storage tools write KB.
 */
const BYTE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: KiB,
  MiB: MiB,
  GiB: GiB,
  TiB: TiB,
  PiB: PiB,
};

/** Bits of a rate (network-style figures: `800Mb/s`, `10Gbps`), as bytes: 8 bits to the byte. */
const BIT_UNITS: Record<string, number> = Object.fromEntries(
  Object.entries(BYTE_UNITS).map(([unit, bytes]) => [unit.replace(/B$/, 'b'), bytes / 8]),
);

const PREFIX_NAMES: Record<string, string> = { K: 'kilo', M: 'mega', G: 'giga', T: 'tera', P: 'peta' };
const BINARY_PREFIX_NAMES: Record<string, string> = { K: 'kibi', M: 'mebi', G: 'gibi', T: 'tebi', P: 'pebi' };

/** How `unit` would read as bytes and as bits, for a unit whose case leaves that open; null otherwise. */
function readings(unit: string): { bytes: string; bits: string; prefix: string } | null {
  const m = /^([kmgtp])(i?)b$/i.exec(unit);
  if (!m) return null;
  const prefix = m[1]!.toUpperCase();
  const binary = m[2] === '' ? '' : 'i';
  return { bytes: `${prefix}${binary}B`, bits: `${prefix}${binary}b`, prefix: (binary === '' ? PREFIX_NAMES : BINARY_PREFIX_NAMES)[prefix]! };
}

const DURATION_UNITS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
};

/**
 * Usable payload rate of one Fibre Channel port in one direction, by generation (bytes/s).
 * FC is full duplex: each direction has this rate independently. The nominal MB/s figures of the
 * FC generations (400 / 800 / 1600 / 3200 / 6400 MB/s per direction) are used, decimal MB.
 */
export const FC_PORT_RATE: Readonly<Record<number, number>> = {
  1: 100e6,
  2: 200e6,
  4: 400e6,
  8: 800e6,
  16: 1600e6,
  32: 3200e6,
  64: 6400e6,
  128: 12800e6,
};

/** A parse failure; `message` completes the sentence "… is not a valid X: <message>". */
export class UnitError extends Error {}

const NUMBER = String.raw`([0-9]+(?:\.[0-9]+)?|\.[0-9]+)`;
const SIZE_RE = new RegExp(String.raw`^${NUMBER}\s*([A-Za-z]+)$`);
const RATE_RE = new RegExp(String.raw`^${NUMBER}\s*([A-Za-z]+?)\s*(?:/s|ps)$`);
const FC_RE = /^([0-9]+)\s*(?:g|gb|gbit|gfc|gb\/s|gbps)$/i;
const DURATION_PART_RE = /([0-9]+(?:\.[0-9]+)?)\s*([smhdw])/g;
const PERCENT_RE = new RegExp(String.raw`^${NUMBER}\s*%$`);

/** `"500TiB"`, `"1.5 TB"`, `"512 GiB"`, or a plain number of bytes. Units are case-sensitive. */
export function parseSize(text: string | number): number {
  if (typeof text === 'number') return nonNegative(text, `${text}`);
  const m = SIZE_RE.exec(text.trim());
  if (!m) throw new UnitError(`"${text}" is not a size (write it like 500GiB, 1.5TB or 800MiB)`);
  const unit = m[2]!;
  const bytes = BYTE_UNITS[unit];
  if (bytes !== undefined) return nonNegative(Number(m[1]) * bytes, text);
  const r = readings(unit);
  if (r !== null) {
    throw new UnitError(
      unit === r.bits
        ? `"${text}" is in ${r.prefix}bits, and a size is in bytes: write ${m[1]}${r.bytes} for ${r.prefix}bytes`
        : `"${text}" is ambiguous: write ${m[1]}${r.bytes} for ${r.prefix}bytes (a size is in bytes; ${m[1]}${r.bits} would be ${r.prefix}bits)`,
    );
  }
  throw new UnitError(`"${text}" is not a size: "${unit}" is not a unit (write it like 500GiB, 1.5TB or 800MiB; case matters)`);
}

/** `"800MB/s"`, `"1.2 GiB/s"`, `"400MBps"`, `"10Gb/s"` (bits), or a plain number of bytes per second. */
export function parseRate(text: string | number): number {
  if (typeof text === 'number') return nonNegative(text, `${text}`);
  const m = RATE_RE.exec(text.trim());
  if (!m) throw new UnitError(`"${text}" is not a rate (write it like 800MB/s or 1.5GiB/s)`);
  const unit = m[2]!;
  const bytes = BYTE_UNITS[unit] ?? BIT_UNITS[unit];
  if (bytes !== undefined) return nonNegative(Number(m[1]) * bytes, text);
  const r = readings(unit);
  if (r !== null) {
    throw new UnitError(`"${text}" is ambiguous: write ${m[1]}${r.bytes}/s for ${r.prefix}bytes or ${m[1]}${r.bits}/s for ${r.prefix}bits per second (case matters)`);
  }
  throw new UnitError(`"${text}" is not a rate: "${unit}" is not a unit (write it like 800MB/s, 1.5GiB/s or 10Gb/s; case matters)`);
}

/** An FC port speed (`"16Gb"`, `"32GFC"`, `16`) → usable bytes/s per direction. */
export function parseFcSpeed(text: string | number): number {
  const gen = typeof text === 'number' ? text : Number(FC_RE.exec(text.trim())?.[1] ?? NaN);
  const rate = FC_PORT_RATE[gen];
  if (rate === undefined) {
    const known = Object.keys(FC_PORT_RATE).map((g) => `${g}Gb`).join(', ');
    throw new UnitError(`"${text}" is not an FC port speed (one of ${known})`);
  }
  return rate;
}

/** `"45m"`, `"2h30m"`, `"1d 4h"`, `"90s"`, or a plain number of seconds. Units are lower case. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return nonNegative(text, `${text}`);
  const t = text.trim();
  let total = 0;
  let consumed = '';
  for (const m of t.matchAll(DURATION_PART_RE)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed += m[0];
  }
  if (consumed.length === 0 || consumed.replace(/\s+/g, '') !== t.replace(/\s+/g, '')) {
    // `5M` could be minutes or months: say which letters svmig reads instead of guessing.
    if (/[SMHDW]/.test(t) && /^[0-9.smhdwSMHDW\s]+$/.test(t)) {
      throw new UnitError(`"${text}" is not a duration: units are lower case (s, m for minutes, h, d, w), like ${t.toLowerCase()}`);
    }
    throw new UnitError(`"${text}" is not a duration (write it like 45m, 2h30m or 14d)`);
  }
  return nonNegative(total, text);
}

/** `"10%"` → 0.1; a plain number is taken as a fraction already. */
export function parseFraction(text: string | number): number {
  const value = typeof text === 'number' ? text : percent(text);
  if (!(value >= 0 && value <= 1)) throw new UnitError(`"${text}" is not a fraction between 0 % and 100 %`);
  return value;
}

function percent(text: string): number {
  const m = PERCENT_RE.exec(text.trim());
  if (!m) throw new UnitError(`"${text}" is not a percentage (write it like 10%)`);
  return Number(m[1]) / 100;
}

function nonNegative(value: number, text: string): number {
  if (!Number.isFinite(value) || value < 0) throw new UnitError(`"${text}" must be a finite, non-negative quantity`);
  return value;
}

/** 512.3 TiB, 80.0 GiB, 1.5 KiB, 12 B. */
export function formatBytes(bytes: number, digits = 1): string {
  const abs = Math.abs(bytes);
  const units: Array<[number, string]> = [
    [PiB, 'PiB'],
    [TiB, 'TiB'],
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  for (const [size, label] of units) {
    if (abs >= size) return `${(bytes / size).toFixed(digits)} ${label}`;
  }
  return `${Math.round(bytes)} B`;
}

/** 1.20 GiB/s, 800.0 MiB/s. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond, bytesPerSecond >= GiB ? 2 : 1)}/s`;
}

/** `2d 04h 13m` for long spans, `13m 05s` under an hour, `42s` under a minute. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${two(h)}h ${two(m)}m`;
  if (h > 0) return `${sign}${h}h ${two(m)}m`;
  if (m > 0) return `${sign}${m}m ${two(s)}s`;
  return `${sign}${s}s`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
