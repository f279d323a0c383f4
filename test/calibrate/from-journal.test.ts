// Observations read from a journal: which clock each time comes from, and the queue wait.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observationsFromJournal } from '../../src/app/calibrate/from-journal.js';
import { copySeconds } from '../../src/app/calibrate/observations.js';
import { readJournal } from '../../src/live/journal.js';
import { estate, hosts, scenario, vm } from '../helpers/build.js';

const lab = scenario(estate({ hosts: hosts('C', 2), vms: [vm('a', 'C-esx01', 'C', 1e11), vm('b', 'C-esx02', 'C', 2e11)] }));
const at = (s: number) => new Date(Date.parse('2026-12-01T08:00:00Z') + s * 1000).toISOString();

function journalOf(records: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'svmig-obs-')), 'j.jsonl');
  writeFileSync(path, `${[{ type: 'open', at: at(0), plan: 'p', pid: 1 }, ...records].map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

describe('observations from a journal', () => {
  it("takes copy times on vCenter's clock, the queue wait from the executor's", () => {
    // vCenter's clock runs 5 s behind the executor's. The task was submitted at 10 s (executor),
    // waited in vCenter's queue until the executor saw it start at 70 s (60 s of wait), and vCenter
    // completed it at 1065 s of its clock (1070 s of the executor's). vCenter's startTime (5 s) is
    // when it took the task, queue included: copying began 60 s later, at 65 s of vCenter's clock.
    // Copy time: 1065 − 65 = 1000 s.
    const path = journalOf([
      { type: 'intent', at: at(10), op: 1, vm: 'a', kind: 'svmotion', host: 'C-esx01', bytes: 1e11, target: 'NEW-01', sources: ['OLD-01'] },
      { type: 'submitted', at: at(10), op: 1, task: 'task-1' },
      { type: 'queued', at: at(10.5), op: 1 },
      { type: 'started', at: at(70), op: 1 },
      { type: 'ended', at: at(1072), op: 1, outcome: 'success', vcenter: { queueTime: at(5), startTime: at(5), completeTime: at(1065) } },
    ]);
    const o = observationsFromJournal(readJournal(path), lab, { path });
    expect(o.tasks).toHaveLength(1);
    const t = o.tasks[0]!;
    expect(copySeconds(t, 1)).toBeCloseTo(1000, 6);
    expect(t.sourceDatastores).toEqual(['OLD-01']);
    // The executor heard of the end 2 s after vCenter had it (1072 − 1065 − 5 of offset), offset
    // taken from the submission: vCenter's start (5) against the midpoint of intent and answer (10).
    expect(o.reactionSeconds).toBeCloseTo(2, 6);
    expect(o.notes).toEqual([]);
  });

  it('reads a journal of an older svmig (no started records, no vCenter times) from the submission, and says so', () => {
    const path = journalOf([
      { type: 'intent', at: at(0), op: 1, vm: 'b', kind: 'svmotion', host: 'C-esx02', bytes: 2e11, target: 'NEW-01' },
      { type: 'submitted', at: at(1), op: 1, task: 'task-1' },
      { type: 'ended', at: at(2001), op: 1, outcome: 'success' },
    ]);
    const o = observationsFromJournal(readJournal(path), lab, { path, timeScale: 300 });
    // 2000 s on the journal's clock, 300 × faster than the modelled world.
    expect(copySeconds(o.tasks[0]!, o.timeScale)).toBeCloseTo(600_000, 6);
    // Its sources from the scenario: where the VM's disks are.
    expect(o.tasks[0]!.sourceDatastores).toEqual(['OLD-01']);
    expect(o.notes[0]).toMatch(/1 task\(s\) of .* have no record of when copying started/);
  });
});
