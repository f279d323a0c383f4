// What a person sees while a campaign runs: a live table per cluster redrawn in place (TTY), or,
// with --quiet or when the output is not a terminal, one timestamped line per event (for logs).

import { printableLine } from '../domain/display.js';
import { formatBytes, formatDuration, formatRate } from '../domain/units.js';
import { formatCount, table } from '../report/table.js';
import type { RunStatus, RunView } from './run.js';

export class LineView implements RunView {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  event(line: string): void {
    // VM and host names in the line come from vCenter: escape sequences in them are shown, not obeyed.
    this.out.write(`${new Date().toISOString()} ${printableLine(line)}\n`);
  }

  status(): void {}
}

export class LiveTableView implements RunView {
  private drawn = 0;
  private readonly recent: string[] = [];
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  event(line: string): void {
    this.recent.push(`${new Date().toISOString().slice(11, 19)} ${printableLine(line)}`);
    if (this.recent.length > 6) this.recent.shift();
  }

  status(s: RunStatus): void {
    // At most a few redraws a second: the loop may report much more often.
    if (Date.now() - this.lastDraw < 250) return;
    this.lastDraw = Date.now();
    const rows = [
      ['cluster', 'done', 'running', 'queued', 'failed', 'left', 'moved'],
      ...s.clusters.map((c) => [printableLine(c.name), formatCount(c.done), formatCount(c.running), formatCount(c.queued), formatCount(c.failed), formatCount(c.left), formatBytes(c.bytesDone)]),
    ];
    const at = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
    const eta = s.eta === null ? 'computing…' : `${at(s.eta.p50)} (in ${formatDuration((s.eta.p50.getTime() - s.now.getTime()) / 1000)}), P90 ${at(s.eta.p90)} · ${s.eta.basis}`;
    const lines = [
      table(rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right']),
      '',
      `moved ${formatBytes(s.bytesDone)} of ${formatBytes(s.bytesTotal)} · ${formatRate(s.throughput)} · ETA ${eta}`,
      s.stopping ? 'stopping: no new migrations; waiting for the running ones (Ctrl-C again leaves them running and exits)' : 'Ctrl-C: stop starting new migrations',
      '',
      ...this.recent,
    ];
    if (this.drawn > 0) this.out.write(`\u001b[${this.drawn}F\u001b[J`);
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
