import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { plannedTargets, type Plan } from '../../src/app/plan.js';
import type { LoopListener } from '../../src/core/loop.js';
import type { Observation, ObservationSink, Operation } from '../../src/core/port.js';
import { Journal } from '../../src/live/journal.js';
import { LiveWorld } from '../../src/live/world.js';
import { SimulatedWorld } from '../../src/sim/world.js';
import { LiveVcenter } from '../../src/live/vcenter.js';
import { simulate } from '../../src/sim/simulate.js';
import { connectAndLogin } from '../../src/vsphere/client.js';
import * as methods from '../../src/vsphere/methods.js';
import { runInProcess, startLab, type Lab } from './fixture.js';

/** What the loop fed the planner and what the planner decided, in order. */
class Trace implements LoopListener {
  readonly decisions: Operation[] = [];
  readonly observations: Observation[] = [];
  private readonly onFirstEnd: Array<() => void> = [];
  decided(op: Operation): void {
    this.decisions.push(op);
  }
  observed(o: Observation): void {
    this.observations.push(o);
    if (o.type === 'succeeded' && this.observations.filter((x) => x.type === 'succeeded').length === 1) for (const f of this.onFirstEnd) f();
  }
  /** Runs `f` when the first operation has succeeded: a point in the run, not on the clock. */
  whenFirstEnds(f: () => void): void {
    this.onFirstEnd.push(f);
  }
  /** Each decision as the planner made it: kind, VM, host, where to. */
  get decisionLines(): string[] {
    return this.decisions.map((op) => `${op.kind} ${op.vm}@${op.host}→${op.kind === 'svmotion' ? op.targetDatastore : op.kind === 'vmotion' ? op.toHost : ''}`);
  }
  /** How each operation ended, in decision order. */
  get outcomes(): string[] {
    return this.decisions.map((op) => {
      const end = this.observations.find((o) => (o.type === 'succeeded' || o.type === 'failed') && o.op === op.id);
      return `${op.vm}: ${end === undefined ? 'open' : end.type === 'failed' ? `failed${end.transient ? ' (transient)' : ''}` : 'succeeded'}`;
    });
  }
  get moves(): string[] {
    return this.observations.flatMap((o) => (o.type === 'vmMoved' ? [`${o.vm}→${o.toHost}`] : [])).sort();
  }
  get queued(): number {
    return this.observations.filter((o) => o.type === 'queued').length;
  }
}

// The same campaign through the one loop in both worlds: the simulated one, and vCenter (vcsim)
// through the live world. Task times are fixed in both (400 ms); vCenter's limits queue copies (2
// per host); one VM fails every attempt half way; someone else moves another VM to another host
// while the campaign runs. The planner must see the same things, and decide the same things.
describe('one loop, two worlds: the same observations give the same decisions', () => {
  let lab: Lab;
  const taskMs = 400;
  const failing = 'sql03';
  beforeAll(async () => {
    lab = await startLab({ fixedMs: taskMs, progressIntervalMs: -1 });
    await lab.sim.injectFault({ vm: failing, fault: 'SystemError', message: 'simulated storage trouble', atPercent: 50 });
  });
  afterAll(async () => lab?.stop());

  it('fixed:3 with queueing, a failure and a VM moved by someone else', async () => {
    const plan = JSON.parse(readFileSync(lab.plan('fixed:3'), 'utf8')) as Plan;
    // The VM moved: the last the planner will dispatch (the smallest), to a host it is not on.
    const order = [...lab.scenario.estate.vms].sort((a, b) => size(a) - size(b) || (a.name < b.name ? 1 : -1));
    const moved = order[0]!;
    const to = ['esx01', 'esx02', 'esx03', 'esx04'].find((h) => h !== moved.host)!;

    // The live run, in this process, with the moves of "someone else" made through a session of their own.
    const live = new Trace();
    const client = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    const other = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    let moving: Promise<unknown> = Promise.resolve();
    live.whenFirstEnds(() => {
      moving = methods.RelocateVM_Task(other, { type: 'VirtualMachine', value: lab.sim.ids.vms[moved.name]! }, { host: { type: 'HostSystem', value: lab.sim.ids.hosts[to]! } });
    });
    const vcenter = new LiveVcenter(client, { progress: true });
    try {
      const summary = await runInProcess({
        plan,
        planHash: 'same-world',
        journalPath: join(lab.dir, 'same-world.jsonl'),
        vcenter,
        hostRefreshSeconds: 0.2,
        listeners: [live],
      });
      expect(summary.outcome).toBe('finished');
      await moving;
    } finally {
      await vcenter.close();
      await client.close();
      await other.close();
    }

    // The simulated run of the same plan: same task times, the same VM failing, the same move.
    const simulated = new Trace();
    const scenario = { ...lab.scenario, campaign: { ...lab.scenario.campaign, faults: { ...lab.scenario.campaign.faults, vms: [failing] } } };
    simulate(scenario, {
      policy: plan.policy,
      seed: plan.seed,
      fixedDurations: { svmotionSeconds: taskMs / 1000, vmotionSeconds: taskMs / 1000 },
      fixedTargets: plannedTargets(plan),
      otherMoves: [{ at: (taskMs / 1000) * 1.5, vm: moved.name, to }],
      listeners: [simulated],
    });

    expect(simulated.decisions).toHaveLength(lab.scenario.estate.vms.length);
    expect(live.decisionLines).toEqual(simulated.decisionLines);
    expect(live.outcomes).toEqual(simulated.outcomes);
    expect(live.outcomes).toContain(`${failing}: failed (transient)`);
    expect(live.moves).toEqual([`${moved.name}→${to}`]);
    expect(simulated.moves).toEqual(live.moves);
    // The moved VM was copied where it had gone, in both.
    expect(live.decisionLines.find((d) => d.startsWith(`svmotion ${moved.name}@`))).toMatch(new RegExp(`@${to}→`));
    // vCenter's limits held copies back in both worlds.
    expect(live.queued).toBeGreaterThan(0);
    expect(simulated.queued).toBeGreaterThan(0);
  }, 120_000);
});

describe('a refused submission, both ways', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ fixedMs: 200 });
  });
  afterAll(async () => lab?.stop());

  it('is a failed observation, not transient, delivered before time moves on, in the live world as in the simulated one', async () => {
    const heard = (deliveries: Observation[]): ObservationSink => ({ deliver: (o) => deliveries.push(o), done: false });
    // Live: vCenter has no datastore of that name, so the relocation is refused, and journaled so.
    const client = await connectAndLogin({ url: lab.sim.url, username: lab.sim.username, password: lab.sim.password, thumbprint: lab.sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    const journalPath = join(lab.dir, 'refused.jsonl');
    const journal = Journal.open(journalPath);
    const live: Observation[] = [];
    try {
      const estate = await vcenter.readEstate(() => 'other');
      const vm = estate.vms[0]!;
      const world = new LiveWorld({ vcenter, journal, clock: Date.now, startedAt: Date.now(), hosts: new Map(), attached: [], moved: new Set(), hostRefreshSeconds: 3600, tickSeconds: 3600, report: () => undefined });
      world.attach(heard(live));
      world.submit({ kind: 'svmotion', id: 1, vm: vm.name, cluster: vm.cluster ?? '', host: vm.host!, sourceDatastores: [], targetDatastore: 'NO-SUCH-DATASTORE', bytes: 1 });
      expect(await world.advance(null)).toBe(true);
    } finally {
      journal.close();
      await vcenter.close();
      await client.close();
    }
    expect(live).toEqual([{ type: 'failed', op: 1, at: expect.any(Number), reason: 'vCenter has no datastore named NO-SUCH-DATASTORE', transient: false }]);
    expect(lab.journal(journalPath).map((r) => r['type'])).toEqual(['intent', 'rejected']);

    // Simulated: an svMotion that costs more than a host's whole budget is refused the same way.
    const s = lab.scenario;
    const simulated: Observation[] = [];
    const world = new SimulatedWorld({ ...s, costs: { ...s.costs, hostMax: 4 } }, s.estate, { seed: 1, recordTimeline: false, reportProgress: false });
    world.attach(heard(simulated));
    const vm = s.estate.vms[0]!;
    world.submit({ kind: 'svmotion', id: 1, vm: vm.name, cluster: vm.cluster ?? '', host: vm.host!, sourceDatastores: ['OLD-01'], targetDatastore: 'NEW-01', bytes: 1 });
    expect(simulated).toEqual([{ type: 'failed', op: 1, at: 0, reason: expect.stringMatching(/^vCenter cannot run the svmotion/), transient: false }]);
  }, 60_000);
});

function size(vm: { disks: Array<{ thin: boolean; allocatedBytes: number; capacityBytes: number }> }): number {
  return vm.disks.reduce((s, d) => s + (d.thin ? d.allocatedBytes : d.capacityBytes), 0);
}
