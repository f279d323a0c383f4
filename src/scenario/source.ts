// A source text (scenario file or imported estate JSON) and the way back from a field path to the
// line a person should look at. Errors found after parsing (zod issues, unknown references) only
// know the path of the field at fault; the line comes from the YAML document's node ranges.

import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { UserError } from '../domain/errors.js';
import { withoutBom } from '../domain/input-file.js';
import { applySettings, describeSettings, settingFor, settingName, type AppliedSetting, type Setting } from './overrides.js';

export type FieldPath = ReadonlyArray<string | number>;

/** A problem with one field: `message` completes "<file> line N: <path>: …". */
export class FieldError extends Error {
  /** The text the path points into; absent means the scenario file being loaded. */
  readonly source: SourceText | undefined;
  /** Report the line of the field's key rather than of its value (an unknown field). */
  readonly keyLine: boolean;

  constructor(
    readonly path: FieldPath,
    message: string,
    options: { source?: SourceText; keyLine?: boolean } = {},
  ) {
    super(message);
    this.source = options.source;
    this.keyLine = options.keyLine ?? false;
  }
}

/** Alias expansions a scenario may use: plenty for shared settings, far too few for a "billion laughs". */
export const MAX_ALIAS_COUNT = 1000;

export class SourceText {
  private parsed: { doc: Document; lines: LineCounter } | null = null;
  /** `--set` changes applied to the data by parse(): errors under them are theirs, not a line's. */
  private applied: readonly AppliedSetting[] = [];

  constructor(
    /** File name as the user wrote it (used verbatim in messages). */
    readonly file: string,
    readonly text: string,
  ) {}

  /**
   * The user-facing error for a field of this text: one sentence, file, line, path, message; or,
   * for a field a `--set` gave or created, that setting instead of a line.
   */
  error(path: FieldPath, message: string, options: { keyLine?: boolean } = {}): UserError {
    const setting = settingFor(this.applied, path);
    if (setting !== null) {
      const under = formatPath(path) === formatPath(setting.path) ? '' : `${formatPath(path)}: `;
      return new UserError(`${settingName(setting)}: ${under}${message}`);
    }
    const where = path.length === 0 ? '' : `${formatPath(path)}: `;
    const changed = this.applied.length === 0 ? '' : ` (with ${describeSettings(this.applied.map((a) => a.setting))})`;
    return new UserError(`${this.file} line ${this.lineOf(path, options)}: ${where}${message}${changed}`);
  }

  /** Where an error at `path` comes in reading order: a `--set` first (line 0), then by line. */
  rank(path: FieldPath, options: { keyLine?: boolean } = {}): number {
    return settingFor(this.applied, path) !== null ? 0 : this.lineOf(path, options);
  }

  /**
   * 1-based line of the value at `path`; with `keyLine`, of the key naming it (an unknown field is
   * reported where its key is written). A path that does not exist (a missing field) gives the line
   * of its nearest existing ancestor: the object the field is missing from.
   */
  lineOf(path: FieldPath, options: { keyLine?: boolean } = {}): number {
    const { doc, lines } = this.document();
    let node: unknown = doc.contents;
    /** Where the current node is named: its key in a mapping, its own start in a list. */
    let named = rangeStart(node) ?? 0;
    let offset = named;
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      let next: { node: unknown; named: number; value: number } | null = null;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && scalarKey(p.key) === String(segment));
        const keyStart = pair ? rangeStart(pair.key) : undefined;
        if (pair && keyStart !== undefined) {
          const valueStart = isEmptyScalar(pair.value) ? undefined : rangeStart(pair.value);
          next = { node: pair.value, named: keyStart, value: valueStart ?? keyStart };
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        const start = rangeStart(item);
        if (start !== undefined) next = { node: item, named: start, value: start };
      }
      // A field that is not there: point at where its parent is named ("fabric:", "- name: app01").
      if (next === null) {
        offset = named;
        break;
      }
      node = next.node;
      named = next.named;
      offset = last && options.keyLine ? next.named : next.value;
    }
    return lines.linePos(offset).line;
  }

  private document(): { doc: Document; lines: LineCounter } {
    if (this.parsed === null) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, keepSourceTokens: false });
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  /**
   * The data of the text, read as JSON when it looks like JSON (it starts with `{` or `[`) and as YAML
   * otherwise. JSON goes through JSON.parse so that what YAML would forgive (a missing value) is
   * still rejected; lines of later errors come from the YAML reading of the same text either way.
   * `settings` (`--set`) are applied to the data read, and remembered for the errors that follow.
   */
  parse(settings: readonly Setting[] = []): unknown {
    const { document, applied } = applySettings(this.read(), settings);
    this.applied = applied;
    return document;
  }

  private read(): unknown {
    const trimmed = this.text.trimStart();
    const blank = this.text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'));
    if (blank) throw new UserError(`${this.file}: the file is empty`);
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return this.parseJson();
    const { doc, lines } = this.document();
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0].line ?? lines.linePos(first.pos[0]).line;
      const what = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new UserError(`${this.file} line ${line}: this is not valid YAML: ${lowerFirst(what)}`);
    }
    try {
      return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      throw this.aliasError(doc, lines, err);
    }
  }

  /**
   * What toJS refuses is an alias: one naming no anchor before it, or aliases that multiply into
   * more nodes than MAX_ALIAS_COUNT allows (a "billion laughs" document). Either way, the line of the
   * alias at fault.
   */
  private aliasError(doc: Document, lines: LineCounter, err: unknown): UserError {
    const message = err instanceof Error ? err.message : String(err);
    const anchors = new Set<string>();
    let unresolved: { name: string; offset: number } | null = null;
    let first: { name: string; offset: number } | null = null;
    visit(doc, {
      Node(_, node) {
        if (node.anchor) anchors.add(node.anchor);
      },
      Alias(_, node) {
        const at = { name: node.source, offset: node.range?.[0] ?? 0 };
        first ??= at;
        if (unresolved === null && !anchors.has(node.source)) unresolved = at;
      },
    });
    const found = unresolved ?? first;
    const line = found === null ? 1 : lines.linePos((found as { offset: number }).offset).line;
    if (unresolved !== null) {
      const name = (unresolved as { name: string }).name;
      return new UserError(`${this.file} line ${line}: the alias *${name} refers to no anchor &${name} written before it`, { cause: err });
    }
    if (/alias/i.test(message)) {
      return new UserError(`${this.file} line ${line}: the aliases of this YAML (*name) expand too far: svmig follows at most ${MAX_ALIAS_COUNT} of them (an alias bomb?)`, { cause: err });
    }
    return new UserError(`${this.file} line ${line}: this is not valid YAML: ${lowerFirst(message)}`, { cause: err });
  }

  private parseJson(): unknown {
    try {
      return JSON.parse(withoutBom(this.text)) as unknown;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const pos = /position (\d+)/.exec(message)?.[1];
      const line = pos === undefined ? lineAtEnd(this.text) : lineAt(this.text, Number(pos));
      const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
      throw new UserError(`${this.file} line ${line}: this is not valid JSON: ${lowerFirst(what)}`);
    }
  }
}

/** `estate.vms[3].disks[0].size`; keys that are not plain words are quoted: `enclosures["ENC 1"]`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function scalarKey(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** `core:` with nothing after it: the null scalar's range points past the line, at the next key. */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function lineAtEnd(text: string): number {
  return lineAt(text, text.trimEnd().length);
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
