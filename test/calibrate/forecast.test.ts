// A forecast from a journal's state, worked out by hand: one VM moved, one copying half-way, one
// left, under fixed:1 at 100 MB/s and no setup.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/app/calibrate/forecast.js';
import { observationsFromJournal } from '../../src/app/calibrate/from-journal.js';
import { readJournal } from '../../src/live/journal.js';
import { estate, hosts, openFabric, scenario, vm } from '../helpers/build.js';

const GB = 1e9;
const T0 = Date.parse('2026-12-01T08:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const lab = scenario(estate({ hosts: hosts('C', 3), vms: [vm('a', 'C-esx01', 'C', 100 * GB), vm('b', 'C-esx02', 'C', 100 * GB), vm('c', 'C-esx03', 'C', 100 * GB)] }), openFabric({ perCopyRate: 100e6 }), 'fixed:1');
const planned = ['a', 'b', 'c'].map((v) => ({ vm: v, target: 'NEW-01', bytes: 100 * GB }));

function journalOf(records: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'svmig-forecast-')), 'j.jsonl');
  writeFileSync(path, `${[{ type: 'open', at: at(0), plan: 'p', pid: 1 }, ...records].map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

const svmotion = (op: number, v: string, host: string, t: number) => [
  { type: 'intent', at: at(t), op, vm: v, kind: 'svmotion', host, bytes: 100 * GB, target: 'NEW-01', sources: ['OLD-01'] },
  { type: 'submitted', at: at(t), op, task: `task-${op}` },
  { type: 'started', at: at(t), op },
];

describe('forecast from a journal', () => {
  it('takes up the copy in flight with what it has left, then the VM left', () => {
    // a: copied 0–1000 s. b: copying since 1000 s; as of 1500 s it is half-way by the model (100 GB
    // at 100 MB/s: 1000 s), 50 GB left: 500 s. Then c, alone (fixed:1): 1000 s. Rest: 1500 s.
    const path = journalOf([...svmotion(1, 'a', 'C-esx01', 0), { type: 'ended', at: at(1000), op: 1, outcome: 'success' }, ...svmotion(2, 'b', 'C-esx02', 1000)]);
    const journal = readJournal(path);
    const f = forecast({
      scenario: lab,
      policy: 'fixed:1',
      planned,
      journal,
      observations: observationsFromJournal(journal, lab, { path }),
      model: { kind: 'plan' },
      asOf: T0 + 1500 * 1000,
      runs: 3,
      seed: 1,
      deadlineSeconds: 3000,
    });
    expect(f.state).toMatchObject({ done: 1, inFlight: 1, left: 1, leftBytes: 100 * GB });
    expect(f.state.inFlightBytesLeft).toBeCloseTo(50 * GB, -3);
    expect(f.p50Seconds).toBeCloseTo(1500, 3);
    expect(f.p90Seconds).toBeCloseTo(1500, 3);
    // 1500 s into the campaign, 1500 s left: 3000 s, just within the deadline in every run.
    expect(f.elapsedSeconds).toBeCloseTo(1500, 6);
    expect(f.deadline).toEqual({ seconds: 3000, probability: 1 });
  });
});

describe('forecast from a journal: attempts and failures as the run counts them', () => {
  // a moved 0–1000 s; c's copy failed at 1000 s; b left. fixed:1 at 100 MB/s, no setup: each copy
  // takes 1000 s alone. As of 1000 s, the rest is b alone (1000 s) when the run would not try c
  // again, and b then c (2000 s) when it would.
  const failedC = (extra: object) => [
    ...svmotion(1, 'a', 'C-esx01', 0),
    { type: 'ended', at: at(1000), op: 1, outcome: 'success' },
    ...svmotion(2, 'c', 'C-esx03', 0),
    { type: 'ended', at: at(1000), op: 2, outcome: 'failed', reason: 'wrong state', transient: false, ...extra },
  ];
  const rest = (records: object[]) => {
    const path = journalOf(records);
    const journal = readJournal(path);
    return forecast({ scenario: lab, policy: 'fixed:1', planned, journal, observations: observationsFromJournal(journal, lab, { path }), model: { kind: 'plan' }, asOf: T0 + 1000 * 1000, runs: 1, seed: 1, deadlineSeconds: null }).p50Seconds;
  };

  it('leaves a VM that failed for good where it is, as a restart would', () => {
    expect(rest(failedC({}))).toBeCloseTo(1000, 3);
  });

  it('moves it again after --retry-failed gave it a new round (the retry record)', () => {
    expect(rest([...failedC({}), { type: 'retry', at: at(1000), vms: ['c'] }])).toBeCloseTo(2000, 3);
  });

  it('moves it again when its attempt did not count (the task was gone, the VM untouched)', () => {
    expect(rest(failedC({ counted: false, transient: true, reason: 'vCenter no longer knows task task-2' }))).toBeCloseTo(2000, 3);
  });
});
