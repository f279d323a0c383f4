// vCenter's admission queue, as the live run sees it: a migration over vCenter's limits is kept in
// state `running` with the description "Resources currently in use by other operations. Waiting.",
// and only its description changes when it starts to copy. The run must say which tasks wait and
// which copy, see every waiting one start, count them right in the live view, and learn each
// copy's rate from when it really started.

import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/app/plan.js';
import type { RunStatus } from '../../src/app/run.js';
import type { Observation, Operation } from '../../src/core/port.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import { runInProcess, startLab, vmsAllOn, type Lab } from './fixture.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('svmig run: tasks waiting in vCenter’s queue', () => {
  it('fixed:8 on the small lab: the tasks that wait are told apart, each is later seen copying, and the view counts them', async () => {
    // vCenter's limit of 2 svMotions per host (the harness's admission). The copies crawl (a link
    // of 1 byte/s) until the test has looked at the view, then go at full speed.
    lab = await startLab({ fixedMs: 100, bytesPerSecond: 2 ** 40, link: { bytesPerSecond: 1 }, progressIntervalMs: -1 });
    const plan = JSON.parse(readFileSync(lab.plan('fixed:8'), 'utf8')) as Plan;
    // By hand, from the plan's order (largest first): file01, file03, file02, file04, sql06,
    // build04, mail01, sql05. esx01 holds file01, file02, file04, sql06 and sql05: the first two
    // copy, the other three wait for a slot; esx02 (build04, mail01) and esx03 (file03) have room.
    const first = plan.vms.slice(0, 8).map((v) => v.vm);
    expect(first).toEqual(['file01', 'file03', 'file02', 'file04', 'sql06', 'build04', 'mail01', 'sql05']);
    const waiting = ['file04', 'sql06', 'sql05'];

    const ops = new Map<number, Operation>();
    const seen = new Map<string, Observation['type'][]>();
    const lines: string[] = [];
    const statuses: RunStatus[] = [];
    let onStatus: ((s: RunStatus) => void) | null = null;
    let settled!: () => void;
    const firstWaveSettled = new Promise<void>((resolve) => (settled = resolve));
    const state = (vm: string) => seen.get(vm)?.at(-1);
    const client = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    let summary;
    try {
      const run = runInProcess({
        plan,
        planHash: 'queue',
        journalPath: join(lab.dir, 'queue.jsonl'),
        vcenter,
        view: {
          event: (line) => lines.push(line),
          status: (s) => {
            statuses.push(s);
            onStatus?.(s);
          },
        },
        listeners: [
          {
            decided: (op) => void ops.set(op.id, op),
            observed: (o) => {
              if (o.type === 'vmMoved' || o.type === 'progress') return;
              const vm = ops.get(o.op)!.vm;
              seen.set(vm, [...(seen.get(vm) ?? []), o.type]);
              // The first wave as vCenter holds it once admission is done: 5 copying, 3 waiting.
              if (first.every((v) => state(v) === (waiting.includes(v) ? 'queued' : 'started'))) settled();
            },
          },
        ],
      });
      await firstWaveSettled;
      // The view drawn after that turn counts what the run was told.
      const drawn = await new Promise<RunStatus>((resolve) => (onStatus = resolve));
      onStatus = null;
      expect(drawn.clusters).toEqual([expect.objectContaining({ name: 'LAB', running: 5, queued: 3, done: 0 })]);
      await lab.sim.setRelocate({ clearLink: true });
      summary = await run;
    } finally {
      await vcenter.close();
      await client.close();
    }
    expect(summary.outcome).toBe('finished');
    expect(vmsAllOn(await lab.estate(), 'new')).toHaveLength(50);

    // Every VM: seen waiting at most once, then copying, then done (a copy short enough to end
    // before the run could look is seen only ended). A copy seen waiting is always seen to start
    // before it ends: its rate is learnt from when it really started. The three of the first wave
    // waited, for as long as the test held the copies.
    for (const [vm, types] of seen) expect(types.join(' '), vm).toMatch(/^((queued )?started )?succeeded$/);
    for (const vm of waiting) expect(seen.get(vm), vm).toEqual(['queued', 'started', 'succeeded']);
    expect([...seen.keys()]).toHaveLength(50);
    // The run's log says so, each task's lines in that order.
    for (const vm of waiting) {
      const mine = lines.filter((l) => new RegExp(`^svmotion ${vm}( |$)`).test(l)).map((l) => l.replace(/^svmotion \S+ (\([^)]*\) → \S+ )?/, '').replace(/ \(task-\d+\)$/, ''));
      expect(mine, vm).toEqual(['submitted', "waiting in vCenter's queue", 'running', 'done']);
    }
    for (const l of lines) if (/waiting in vCenter's queue/.test(l)) expect(lines.slice(lines.indexOf(l)).some((m) => m === l.replace("waiting in vCenter's queue", 'running')), l).toBe(true);
    // At the end, nothing runs or waits.
    expect(statuses.at(-1)!.clusters).toEqual([expect.objectContaining({ running: 0, queued: 0, done: 50 })]);
  }, 180_000);
});
