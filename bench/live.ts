// The live executor against vcsim (the small lab): vCenter calls per migrated VM, inventory read
// excluded, and the delay between a task's end being known and the next submission.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskCopyBytes } from '../src/domain/estate.js';
import { runPlan, type Control, type RunView } from '../src/app/run.js';
import { buildPlan } from '../src/app/plan.js';
import { LiveVcenter } from '../src/live/vcenter.js';
import { loadScenario } from '../src/scenario/load.js';
import { connectAndLogin } from '../src/vsphere/client.js';
import { estateToHarnessSpec, startVcsim, type HarnessRelocate } from '../test/vcsim/harness.js';
import { line } from './measure.js';

interface LiveCase {
  label: string;
  relocate: HarnessRelocate;
  /** How late a copy's first state may be learnt (share of its expected duration); the run's default if absent. */
  firstStateShare?: number;
  /** At most this late (seconds of the run's clock); the run's default if absent. */
  firstStateMaxSeconds?: number;
}

interface LiveFigures {
  moved: number;
  seconds: number;
  callsPerMovedVm: number;
  /** Calls made during the run (inventory read included), by method, per moved VM. */
  perVm: Record<string, number>;
  handover: number[];
  /** Seconds (wall) from each submission to the first word on its task, sorted. */
  firstState: number[];
}

async function runLiveCase(c: LiveCase): Promise<LiveFigures> {
  const scenario = loadScenario('scenarios/small-lab.yaml');
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate, { relocate: c.relocate }));
  const dir = mkdtempSync(join(tmpdir(), 'svmig-bench-'));
  try {
    const plan = buildPlan(scenario, 'host-aware', 1, { p50Seconds: 0, p90Seconds: 0, runs: 1, lowerBoundSeconds: null });
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify(plan));
    const client = await connectAndLogin({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    const quiet: RunView = { event: () => undefined, status: () => undefined };
    const control: Control = { stopping: false, abandoned: false, onChange: () => undefined };
    client.resetCallCounts();
    const start = process.hrtime.bigint();
    const s = await runPlan({
      plan,
      planHash: 'bench',
      journalPath: join(dir, 'journal.jsonl'),
      vcenter,
      acceptChanges: false,
      control,
      view: quiet,
      ...(c.firstStateShare !== undefined ? { firstStateShare: c.firstStateShare } : {}),
      ...(c.firstStateMaxSeconds !== undefined ? { firstStateMaxSeconds: c.firstStateMaxSeconds } : {}),
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const counts = client.callCounts();
    await vcenter.close();
    await client.close();
    const moved = Math.max(1, s.moved.length);
    const perVm = Object.fromEntries(Object.entries(counts).map(([m, n]) => [m, n / moved]));
    return {
      moved: s.moved.length,
      seconds,
      callsPerMovedVm: s.callsPerMovedVm,
      perVm,
      handover: [...s.handoverDelays].sort((a, b) => a - b),
      firstState: [...s.firstStateDelays].sort((a, b) => a - b),
    };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function handoverText(d: number[]): string {
  const mean = d.reduce((a, b) => a + b, 0) / Math.max(1, d.length);
  return `mean ${(mean * 1000).toFixed(0)} ms, max ${((d[d.length - 1] ?? 0) * 1000).toFixed(0)} ms`;
}

function methodsText(perVm: Record<string, number>): string {
  const shown = ['RelocateVM_Task', 'WaitForUpdatesEx', 'ModifyListView', 'CreateListView', 'CreateFilter', 'DestroyPropertyFilter', 'RetrievePropertiesEx'];
  return shown
    .filter((m) => perVm[m] !== undefined)
    .map((m) => `${m} ${(perVm[m] ?? 0).toFixed(2)}`)
    .join(', ');
}

/** Short tasks (300 ms, no copy rate): the executor's own overhead. */
export async function benchLive(): Promise<string[]> {
  const f = await runLiveCase({ label: 'short', relocate: { fixedMs: 300, maxPerHost: 2, maxPerDatastore: 8 } });
  return [
    line(`live: small lab on vcsim (${f.moved} VMs), 300 ms tasks`, {
      wall: `${f.seconds.toFixed(1)} s`,
      'calls/VM': f.callsPerMovedVm.toFixed(2),
      'task end → next submit': handoverText(f.handover),
    }),
    `  per moved VM: ${methodsText(f.perVm)}`,
  ];
}

/**
 * Copies of about an hour, as a campaign has them, with vCenter's progress ticks, in scaled time:
 * the harness runs simulated time SVMIG_BENCH_SCALE (default 300) times faster than real time.
 * The copy rate makes the mean copy of the small lab last COPY_SECONDS; progress moves every
 * PROGRESS_SECONDS as on a real vCenter. The same run without progress ticks gives the rounds that
 * progress alone cost.
 */
export async function benchLiveHour(): Promise<string[]> {
  const scale = Number(process.env['SVMIG_BENCH_SCALE'] ?? 300);
  const COPY_SECONDS = 3600;
  const PROGRESS_SECONDS = 10;
  const scenario = loadScenario('scenarios/small-lab.yaml');
  const bytes = scenario.estate.vms.map((vm) => vm.disks.reduce((s, d) => s + diskCopyBytes(d), 0));
  const meanBytes = bytes.reduce((a, b) => a + b, 0) / bytes.length;
  const base: HarnessRelocate = { fixedMs: 20_000, bytesPerSecond: meanBytes / COPY_SECONDS, timeScale: scale, maxPerHost: 2, maxPerDatastore: 8 };
  const share = process.env['SVMIG_BENCH_FIRST_STATE_SHARE'];
  // The run's own bound (10 minutes) in the harness's time: the run's clock is real time.
  const firstStateShare = { ...(share === undefined ? {} : { firstStateShare: Number(share) }), firstStateMaxSeconds: 600 / scale };
  const withProgress = await runLiveCase({ label: 'progress', relocate: { ...base, progressIntervalMs: PROGRESS_SECONDS * 1000 }, ...firstStateShare });
  const without = await runLiveCase({ label: 'no progress', relocate: { ...base, progressIntervalMs: -1 }, ...firstStateShare });
  const progressRounds = (withProgress.perVm['WaitForUpdatesEx'] ?? 0) - (without.perVm['WaitForUpdatesEx'] ?? 0);
  // The run's clock is real time; the harness's is `scale` times faster: say delays in simulated minutes.
  const simulated = (d: number[], q: number) => `${(((d[Math.min(d.length - 1, Math.floor(q * d.length))] ?? 0) * scale) / 60).toFixed(1)} min`;
  return [
    line(`live: small lab on vcsim (${withProgress.moved} VMs), copies of ~1 h, progress every ${PROGRESS_SECONDS} s, time ×${scale}`, {
      wall: `${withProgress.seconds.toFixed(1)} s`,
      'calls/VM': withProgress.callsPerMovedVm.toFixed(2),
      'without progress ticks': without.callsPerMovedVm.toFixed(2),
      'rounds/VM caused by progress': progressRounds.toFixed(2),
    }),
    `  per moved VM: ${methodsText(withProgress.perVm)}`,
    `  task end → next submit: ${handoverText(withProgress.handover)}`,
    `  submission → first state (simulated): median ${simulated(withProgress.firstState, 0.5)}, p90 ${simulated(withProgress.firstState, 0.9)}, max ${simulated(withProgress.firstState, 1)}`,
  ];
}

/** `inventory pull` on a vcsim holding a synthetic estate of 5,000 VMs: one paged property-collector pass. */
export async function benchPull(): Promise<string[]> {
  const { syntheticScenario } = await import('../src/scenario/synthetic.js');
  const { readInventory } = await import('../src/vsphere/inventory.js');
  const scenario = syntheticScenario({ vms: 5000, seed: 3 });
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate), { startTimeoutMs: 300_000 });
  try {
    const client = await connectAndLogin({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    const before = client.totalCalls();
    const start = process.hrtime.bigint();
    const estate = await readInventory(client);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const calls = client.totalCalls() - before;
    await client.close();
    return [
      line(`inventory pull: ${estate.vms.length} VMs on vcsim`, {
        wall: `${seconds.toFixed(1)} s`,
        calls: String(calls),
        disks: String(estate.vms.reduce((s, v) => s + v.disks.length, 0)),
        'peak RSS': `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
      }),
    ];
  } finally {
    await sim.stop();
  }
}
