// What an import had to assume or could not use, said once per fact and kept in the estate file so a
// planner reading estate.json later still sees it. Warnings are not errors: the import goes on.

/** One thing the importer could not take as it stood. `row` is null when the whole tab or column is meant. */
export interface ImportWarning {
  /** Short stable identifier of the kind of warning (`tab-missing`, `host-not-in-vhost` …), for grouping. */
  code: string;
  /** File it was found in (base name: an export folder's path says nothing to whoever reads the estate). */
  file: string;
  /** RVTools tab, null when the warning is about the export as a whole. */
  tab: string | null;
  /** Spreadsheet row (the header is row 1), null for a whole tab or column. */
  row: number | null;
  column?: string;
  message: string;
  /** Set on the one line that stands for warnings left out: how many it stands for. */
  omitted?: number;
}

/**
 * Collects warnings, keeping at most `perCode` of each kind with their rows and counting the rest:
 * an export of 50,000 VMs with no disk paths must not write 100,000 identical warnings.
 */
export class WarningLog {
  private readonly kept: ImportWarning[] = [];
  private readonly counts = new Map<string, number>();
  private readonly firsts = new Map<string, ImportWarning>();

  constructor(private readonly perCode = 25) {}

  add(warning: ImportWarning): void {
    const n = (this.counts.get(warning.code) ?? 0) + 1;
    this.counts.set(warning.code, n);
    if (n === 1) this.firsts.set(warning.code, warning);
    if (n <= this.perCode) this.kept.push(warning);
  }

  /** How many warnings of `code` were added, kept or not. */
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }

  /** The kept warnings, each over-full kind closed by one line that says how many more there were. */
  list(): ImportWarning[] {
    const out = [...this.kept];
    for (const [code, n] of this.counts) {
      if (n <= this.perCode) continue;
      const first = this.firsts.get(code)!;
      out.push({
        code,
        file: first.file,
        tab: first.tab,
        row: null,
        ...(first.column === undefined ? {} : { column: first.column }),
        message: `${(n - this.perCode).toLocaleString('en-US')} more warnings like the ones above (${code}) were left out.`,
        omitted: n - this.perCode,
      });
    }
    return out;
  }
}

/** Quotes a name for a message. Names are always quoted this way so the anonymiser can find them. */
export function q(name: string): string {
  return `"${name}"`;
}
