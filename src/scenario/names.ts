// Name bookkeeping shared by the estate forms: duplicates and references to names that do not exist.

import { NamePatternError, compileNamePattern } from '../domain/name-pattern.js';
import { FieldError, type FieldPath, type SourceText } from './source.js';

/** A set of names of one kind, each remembering where it was defined. */
export class NameTable<T> {
  private readonly byName = new Map<string, T>();

  constructor(
    /** "VM", "host", "datastore" …: used in messages. */
    private readonly kind: string,
    private readonly source?: SourceText,
  ) {}

  /** Adds a name; a second definition is an error at `path` (the duplicate's name field). */
  add(name: string, value: T, path: FieldPath): void {
    if (this.byName.has(name)) {
      throw new FieldError(path, `the ${this.kind} name "${name}" is used twice`, this.options());
    }
    this.byName.set(name, value);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The value named `name`; an unknown name is an error at `path` (the field that refers to it). */
  get(name: string, path: FieldPath, context = ''): T {
    const value = this.byName.get(name);
    if (value === undefined) {
      throw new FieldError(path, `${this.kind} "${name}" does not exist${context} (${this.known()})`, this.options());
    }
    return value;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** "the hosts are esx01, esx02 …": at most a few names, enough to spot a typo. */
  private known(): string {
    const names = this.names();
    if (names.length === 0) return `there is no ${this.kind}`;
    const shown = names.slice(0, 6).join(', ');
    return `known: ${shown}${names.length > 6 ? ` and ${names.length - 6} more` : ''}`;
  }

  private options(): { source?: SourceText } {
    return this.source === undefined ? {} : { source: this.source };
  }
}

/**
 * A datastore or host selector as written in an import scenario: an exact name, or else a regular
 * expression searched in the name (anchor it with ^…$ to match whole names), matched in linear time.
 */
export function compileSelector(text: string, path: FieldPath): (name: string) => boolean {
  try {
    const pattern = compileNamePattern(text);
    return (name) => pattern.test(name);
  } catch (err) {
    if (!(err instanceof NamePatternError)) throw err;
    throw new FieldError(path, `"${text}" is neither a name nor a valid regular expression (${err.message})`);
  }
}
