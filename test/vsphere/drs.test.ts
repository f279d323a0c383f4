// Per-VM DRS overrides against the harness: added, edited, read back and removed; refused as a
// whole when one change is wrong; seen by a property filter on the cluster.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VimClient } from '../../src/vsphere/client.js';
import { changeDrsVmOverrides, readClusterDrs, readDrsVmOverrides } from '../../src/vsphere/drs.js';
import * as methods from '../../src/vsphere/methods.js';
import { propertiesOf, retrieveAll, PropertyCollector } from '../../src/vsphere/property-collector.js';
import { waitForTask } from '../../src/vsphere/tasks.js';
import { decodeMor, type ManagedObjectReference } from '../../src/vsphere/types.js';
import { text } from '../../src/vsphere/xml.js';
import { startVcsim, type Vcsim } from '../vcsim/harness.js';
import { login, smallSpec, vmRef } from './fixture.js';

let vc: Vcsim;
let c: VimClient;
let c1: ManagedObjectReference;

beforeAll(async () => {
  vc = await startVcsim(smallSpec());
  c = await login(vc);
  // The cluster of web01's host.
  const [vm] = await retrieveAll(c, [{ propSet: [{ type: 'VirtualMachine', pathSet: ['runtime.host'] }], objectSet: [{ obj: vmRef(vc, 'web01') }] }]);
  const host = decodeMor(propertiesOf(vm!).get('runtime.host'));
  const [h] = await retrieveAll(c, [{ propSet: [{ type: 'HostSystem', pathSet: ['parent'] }], objectSet: [{ obj: host! }] }]);
  c1 = decodeMor(propertiesOf(h!).get('parent'))!;
});

afterAll(async () => {
  await c?.close();
  await vc?.stop();
});

describe('per-VM DRS overrides', () => {
  it('adds a partially automated override, reads it back, edits it and removes it', async () => {
    expect(await readDrsVmOverrides(c, c1)).toEqual([]);
    const web01 = vmRef(vc, 'web01');
    const db01 = vmRef(vc, 'db01');

    const added = await waitForTask(c, await changeDrsVmOverrides(c, c1, { add: [{ key: web01, enabled: true, behavior: 'partiallyAutomated' }, { key: db01, behavior: 'manual' }] }));
    expect([added.state, added.name, added.descriptionId, added.entity?.value]).toEqual(['success', 'ReconfigureComputeResource_Task', 'ClusterComputeResource.reconfigureEx', c1.value]);
    expect(await readDrsVmOverrides(c, c1)).toEqual([
      { key: web01, enabled: true, behavior: 'partiallyAutomated' },
      { key: db01, behavior: 'manual' },
    ]);

    expect((await waitForTask(c, await changeDrsVmOverrides(c, c1, { edit: [{ key: db01, behavior: 'fullyAutomated', enabled: false }] }))).state).toBe('success');
    expect((await readDrsVmOverrides(c, c1)).find((o) => o.key.value === db01.value)).toEqual({ key: db01, enabled: false, behavior: 'fullyAutomated' });

    expect((await waitForTask(c, await changeDrsVmOverrides(c, c1, { remove: [web01, db01] }))).state).toBe('success');
    expect(await readDrsVmOverrides(c, c1)).toEqual([]);
    const drs = await readClusterDrs(c, c1);
    expect(drs.overrides).toEqual([]);
  });

  it('refuses the whole change when one part is wrong, and changes nothing', async () => {
    const web01 = vmRef(vc, 'web01');
    const tmpl = vmRef(vc, 'tmpl01');
    await waitForTask(c, await changeDrsVmOverrides(c, c1, { add: [{ key: web01, enabled: true, behavior: 'partiallyAutomated' }] }));
    // tmpl01 is new, web01 has one already: the second add is wrong, so tmpl01 is not added either.
    const refused = await waitForTask(c, await changeDrsVmOverrides(c, c1, { add: [{ key: tmpl, behavior: 'partiallyAutomated' }, { key: web01, behavior: 'manual' }] }));
    expect([refused.state, refused.error?.fault.faultName]).toEqual(['error', 'InvalidArgument']);
    expect(refused.error?.localizedMessage).toContain('already has an override');
    expect((await readDrsVmOverrides(c, c1)).map((o) => o.key.value)).toEqual([web01.value]);
    // Removing or editing an override that does not exist is refused too.
    const missing = await waitForTask(c, await changeDrsVmOverrides(c, c1, { remove: [tmpl] }));
    expect([missing.state, missing.error?.fault.faultName]).toEqual(['error', 'InvalidArgument']);
    // A VM of another cluster (app01 runs on esx-b1, cluster C2) cannot have an override here.
    const foreign = await waitForTask(c, await changeDrsVmOverrides(c, c1, { add: [{ key: vmRef(vc, 'app01'), behavior: 'manual' }] }));
    expect([foreign.state, foreign.error?.fault.faultName]).toEqual(['error', 'InvalidArgument']);
    await waitForTask(c, await changeDrsVmOverrides(c, c1, { remove: [web01] }));
    expect(await readDrsVmOverrides(c, c1)).toEqual([]);
  });

  it('is seen by a property filter on the cluster, as a resumed run watching it would', async () => {
    const pc = await PropertyCollector.create(c);
    try {
      await pc.createFilter({ propSet: [{ type: 'ClusterComputeResource', pathSet: ['configurationEx'] }], objectSet: [{ obj: c1 }] });
      const first = await pc.waitForUpdatesEx('', { maxWaitSeconds: 5 });
      const task = await changeDrsVmOverrides(c, c1, { add: [{ key: vmRef(vc, 'db01'), enabled: true, behavior: 'partiallyAutomated' }] });
      const next = await pc.waitForUpdatesEx(first?.version ?? '', { maxWaitSeconds: 10 });
      const change = next?.filterSet[0]?.objectSet[0]?.changeSet.find((ch) => ch.name === 'configurationEx');
      expect(change).toBeDefined();
      expect(JSON.stringify(change?.val)).toContain('partiallyAutomated');
      await waitForTask(c, task);
      await waitForTask(c, await changeDrsVmOverrides(c, c1, { remove: [vmRef(vc, 'db01')] }));
    } finally {
      await pc.destroy();
    }
  });

  it('leaves the name of the cluster in the task, for a report', async () => {
    const [cluster] = await retrieveAll(c, [{ propSet: [{ type: 'ClusterComputeResource', pathSet: ['name'] }], objectSet: [{ obj: c1 }] }]);
    const info = await waitForTask(c, await methods.ReconfigureComputeResource_Task(c, c1, { drsVmConfigSpec: [{ operation: 'add', info: { key: vmRef(vc, 'web01'), behavior: 'manual' } }] }, true));
    expect(info.entityName).toBe(text(propertiesOf(cluster!).get('name')));
    await waitForTask(c, await changeDrsVmOverrides(c, c1, { remove: [vmRef(vc, 'web01')] }));
  });
});
