// Names shown on a terminal. VM, host, cluster and datastore names come from vCenter, RVTools exports
// and scenario files, and may hold anything: an escape sequence in a VM name would otherwise clear
// the screen, retitle the window or hide the rest of a line when `inventory show`, the live view or
// an error sentence prints it. Shown escaped instead, they stay visible and harmless.

/**
 * C0 controls (but not the line feed of multi-line output), DEL, C1 controls (U+009B is a one-byte
 * CSI on some terminals), and the Unicode bidirectional controls that can make text read backwards.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character written as `\xHH` (or `\u{HHHH}` above 0xFF); line feeds kept. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** `printable`, and the line feed escaped too: for one-line output (a table cell, a name in a sentence). */
export function printableLine(text: string): string {
  return printable(text).replace(/\n/g, '\\n');
}

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
