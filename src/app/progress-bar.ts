// A one-line progress bar for long work, redrawn in place on a terminal stream. The CLI only
// creates one when the stream is a TTY, so pipes and log files get no control characters.

const WIDTH = 30;
/** Redraw at most this often (ms), and always on the last step. */
const INTERVAL = 100;

export interface ProgressStream {
  write(text: string): unknown;
}

export class ProgressBar {
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(done: number, total: number): void {
    const t = this.now();
    if (done < total && t - this.lastDraw < INTERVAL) return;
    this.lastDraw = t;
    this.stream.write(`\r${renderBar(this.label, done, total)}`);
    this.drawn = true;
  }

  /** Erases the bar, leaving the cursor at the start of an empty line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

/** `Simulating [███████░░░░░░░]  45 %  450/1000` */
export function renderBar(label: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(fraction * WIDTH);
  const pct = String(Math.floor(fraction * 100)).padStart(3);
  return `${label} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${pct} %  ${done}/${total}`;
}

export type OnProgress = (done: number, total: number) => void;

/**
 * Runs `work` with a bar on stderr when that is a terminal and `shown`: the bar is erased however
 * the work ends, so an error's sentence starts on a clean line.
 */
export async function withProgressBar<T>(
  label: string,
  work: (onProgress: OnProgress) => T | Promise<T>,
  shown = true,
  stream: ProgressStream & { isTTY?: boolean } = process.stderr,
): Promise<T> {
  const bar = shown && stream.isTTY === true ? new ProgressBar(stream, label) : null;
  try {
    return await work((done, total) => bar?.update(done, total));
  } finally {
    bar?.clear();
  }
}
