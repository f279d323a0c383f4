// The live executor against vcsim (the small lab): vCenter calls per migrated VM, inventory read
// excluded, and the delay between a task's end being known and the next submission.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan, type Control, type RunView } from '../src/app/run.js';
import { buildPlan } from '../src/app/plan.js';
import { LiveVcenter } from '../src/live/vcenter.js';
import { loadScenario } from '../src/scenario/load.js';
import { connectAndLogin } from '../src/vsphere/client.js';
import { estateToHarnessSpec, startVcsim } from '../test/vcsim/harness.js';
import { line } from './measure.js';

export async function benchLive(): Promise<string[]> {
  const scenario = loadScenario('scenarios/small-lab.yaml');
  const sim = await startVcsim(estateToHarnessSpec(scenario.estate, { relocate: { fixedMs: 300, maxPerHost: 2, maxPerDatastore: 8 } }));
  const dir = mkdtempSync(join(tmpdir(), 'svmig-bench-'));
  try {
    const plan = buildPlan(scenario, 'host-aware', 1, { p50Seconds: 0, p90Seconds: 0, runs: 1, lowerBoundSeconds: null });
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify(plan));
    const client = await connectAndLogin({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    const vcenter = new LiveVcenter(client);
    const quiet: RunView = { event: () => undefined, status: () => undefined };
    const control: Control = { stopping: false, abandoned: false, onChange: () => undefined };
    const start = process.hrtime.bigint();
    const s = await runPlan({ plan, planHash: 'bench', journalPath: join(dir, 'journal.jsonl'), vcenter, acceptChanges: false, control, view: quiet });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await vcenter.close();
    await client.close();
    const d = [...s.handoverDelays].sort((a, b) => a - b);
    const mean = d.reduce((a, b) => a + b, 0) / Math.max(1, d.length);
    return [
      line(`live: small lab on vcsim (${s.moved.length} VMs)`, {
        wall: `${seconds.toFixed(1)} s`,
        'calls/VM': s.callsPerMovedVm.toFixed(2),
        'task end → next submit': `mean ${(mean * 1000).toFixed(0)} ms, max ${((d[d.length - 1] ?? 0) * 1000).toFixed(0)} ms`,
      }),
    ];
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
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
