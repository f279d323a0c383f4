// The journal: an append-only record of what a live run asked vCenter to do and what came of it,
// one JSON object per line, each written and flushed to disk (fsync) before the run goes on. It
// is written before a submission (intent) and after (the task vCenter gave it), and when the task
// ends: whatever moment the process dies at, a restart knows every migration it may have started.
// It holds names, task ids and outcomes: never a password, a session or a cookie. Mode 0600.
//
// It is also what a calibration learns from (app/calibrate/from-journal.ts): when each task was submitted,
// when the executor saw vCenter hold it in its queue and start copying (`queued`, `started`), and,
// in `ended`, the task's own times as vCenter keeps them. Journals written before these records
// existed lack them and are read all the same; readers of older versions skip record types they do
// not know.

import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isOperationKind, type Intent } from '../core/operations.js';
import { UserError } from '../domain/errors.js';

export type JournalRecord =
  | { type: 'open'; at: string; plan: string; pid: number }
  /** What was about to be submitted; the kind's own fields come from its registry entry (core/operations.ts). */
  | ({ type: 'intent'; at: string } & Intent)
  | { type: 'submitted'; at: string; op: number; task: string }
  /** The executor saw vCenter hold the task in its queue, waiting for resources. */
  | { type: 'queued'; at: string; op: number }
  /** The executor saw the task start copying (at once, or once vCenter let it out of its queue). */
  | { type: 'started'; at: string; op: number }
  /** The submission call itself failed: nothing runs in vCenter for this op. */
  | { type: 'rejected'; at: string; op: number; reason: string }
  /** `counted: false`: the task is gone and the VM was not touched, so the attempt does not count. */
  | { type: 'ended'; at: string; op: number; outcome: 'success' | 'failed'; reason?: string; transient?: boolean; found?: 'restart'; counted?: false; vcenter?: TaskTimes }
  /** An intent found on restart whose submission never reached vCenter. */
  | { type: 'void'; at: string; op: number; reason: string }
  /** Asked for (--retry-failed): these VMs' attempts so far no longer count, they get a new round. */
  | { type: 'retry'; at: string; vms: string[] }
  | { type: 'close'; at: string; reason: 'finished' | 'interrupted' | 'stopped' | 'error'; detail?: string }
  /** A prediction of the rest of the campaign made during the run, kept so that it can be judged afterwards. */
  | ({ type: 'forecast'; at: string } & ForecastFigures);

/** A task's times as vCenter keeps them (TaskInfo queueTime, startTime, completeTime), ISO 8601, on vCenter's clock. */
export interface TaskTimes {
  queueTime?: string;
  startTime?: string;
  completeTime?: string;
}

/** What a forecast record holds: when the rest should end, and what the model was fitted on. */
export interface ForecastFigures {
  /** Seconds of the campaign left, by percentile over the forecast's runs. */
  p10Seconds: number;
  p50Seconds: number;
  p90Seconds: number;
  /** Wall times of the end at P50 and P90. */
  endP50: string;
  endP90: string;
  runs: number;
  /** The observations the model was fitted on; none: the plan's scenario as it was. */
  fittedOn: { svmotions: number; from: string | null; to: string | null };
  /** The fitted values: per-copy rate (bytes/s), setup (s), production load per array (share). */
  parameters: { perCopyRate: number; svmotionSetupSeconds: number; productionLoad: Record<string, number>; spread: number } | null;
}


export type IntentRecord = Extract<JournalRecord, { type: 'intent' }>;

/** What a journal says, folded: the state of every operation it knows. */
export interface JournalState {
  /** Wall time of the first open: the campaign's t = 0, kept across restarts. */
  startedAt: string | null;
  planHash: string | null;
  ops: Map<number, OpHistory>;
  nextId: number;
  /** VMs given a new round (--retry-failed): only their operations from this id on count. */
  retriedFrom: Map<string, number>;
  /** Lines that could not be read (a crash in the middle of a write leaves at most the last one). */
  damaged: number[];
  /** Wall time of the last record read. */
  lastAt: string | null;
  /** Forecasts made during the runs, in order. */
  forecasts: Array<Extract<JournalRecord, { type: 'forecast' }>>;
}

export interface OpHistory {
  intent: IntentRecord;
  task: string | null;
  /** When the submission was answered with a task. */
  submittedAt: string | null;
  /** When the executor first saw vCenter hold it in its queue, and saw it start copying (the last time). */
  queuedAt: string | null;
  startedAt: string | null;
  rejected: string | null;
  ended: Extract<JournalRecord, { type: 'ended' }> | null;
  voided: boolean;
}

export function readJournal(path: string): JournalState {
  const state: JournalState = { startedAt: null, planHash: null, ops: new Map(), nextId: 1, retriedFrom: new Map(), damaged: [], lastAt: null, forecasts: [] };
  if (!existsSync(path)) return state;
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let r: JournalRecord;
    try {
      r = JSON.parse(line) as JournalRecord;
    } catch {
      state.damaged.push(i + 1);
      return;
    }
    apply(state, r, path, i + 1);
    if (typeof r.at === 'string') state.lastAt = r.at;
  });
  // Only a torn last line is the mark of a crash; damage anywhere else is not ours to guess at.
  const last = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
  const inner = state.damaged.filter((n) => n !== last);
  if (inner.length > 0) throw new UserError(`${path} line ${inner[0]}: the journal is damaged (not JSON); it cannot be trusted to resume from.`);
  return state;
}

function apply(state: JournalState, r: JournalRecord, path: string, line: number): void {
  const op = (id: number) => {
    const h = state.ops.get(id);
    if (!h) throw new UserError(`${path} line ${line}: the journal names operation ${id} before its intent.`);
    return h;
  };
  switch (r.type) {
    case 'open':
      state.startedAt ??= r.at;
      state.planHash ??= r.plan;
      return;
    case 'intent':
      if (!isOperationKind(r.kind)) throw new UserError(`${path} line ${line}: the journal names an operation of kind "${String(r.kind)}", which this svmig does not know.`);
      state.ops.set(r.op, { intent: r, task: null, submittedAt: null, queuedAt: null, startedAt: null, rejected: null, ended: null, voided: false });
      state.nextId = Math.max(state.nextId, r.op + 1);
      return;
    case 'submitted': {
      const h = op(r.op);
      h.task = r.task;
      h.submittedAt ??= r.at;
      return;
    }
    case 'queued': {
      const h = op(r.op);
      h.queuedAt ??= r.at;
      return;
    }
    case 'started':
      op(r.op).startedAt = r.at;
      return;
    case 'forecast':
      state.forecasts.push(r);
      return;
    case 'rejected':
      op(r.op).rejected = r.reason;
      return;
    case 'ended':
      op(r.op).ended = r;
      return;
    case 'void':
      op(r.op).voided = true;
      return;
    case 'retry':
      for (const vm of r.vms) state.retriedFrom.set(vm, state.nextId);
      return;
    case 'close':
      return;
  }
}

export class Journal {
  private fd: number;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (creating with mode 0600) for appending. */
  static open(path: string): Journal {
    let fd: number;
    try {
      fd = openSync(path, 'a', 0o600);
    } catch (err) {
      throw new UserError(`cannot open the journal ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, { cause: err });
    }
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      closeSync(fd);
      throw new UserError(`the journal ${path} can be read by others (mode ${mode.toString(8)}); run chmod 600 on it first.`);
    }
    return new Journal(path, fd);
  }

  /** Appends one record and flushes it to disk before returning. */
  write(record: JournalRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
