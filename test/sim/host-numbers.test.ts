import { describe, expect, it } from 'vitest';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { HostNumbers } from '../../src/sim/host-numbers.js';
import { Admission, Resources } from '../../src/sim/models/admission.js';
import { hostNumbersOf, Placement } from '../../src/sim/models/placement.js';
import { RunVmNumbers, VmNumbers } from '../../src/sim/vm-numbers.js';

describe('hosts by number', () => {
  // The estate lists them as esx-c, esx-a, esx-b: numbered in name order, esx-a 0, esx-b 1, esx-c 2.
  const hosts = new HostNumbers(['esx-c', 'esx-a', 'esx-b', 'esx-a']);

  it('numbers hosts in name order, once each', () => {
    expect(hosts.names).toEqual(['esx-a', 'esx-b', 'esx-c']);
    expect(['esx-a', 'esx-b', 'esx-c', 'esx-z'].map((h) => hosts.of(h))).toEqual([0, 1, 2, -1]);
  });

  it("charges a host known by number and the same host named to one resource, and its vMotion network to another", () => {
    const resources = new Resources(VSPHERE_6_PLUS, hosts);
    for (const [h, name] of hosts.names.entries()) {
      expect(resources.id('host', name)).toBe(resources.host(h));
      expect(resources.id('network', name)).toBe(resources.network(h));
      expect(resources.budget(resources.host(h))).toBe(VSPHERE_6_PLUS.hostMax);
      expect(resources.budget(resources.network(h))).toBe(VSPHERE_6_PLUS.networkMax);
    }
    // Datastores and hosts the estate lacks come after the estate's hosts, each once.
    const ds = resources.id('datastore', 'esx-a');
    const stranger = resources.id('host', 'esx-z');
    expect(new Set([ds, stranger, ...[0, 1, 2].flatMap((h) => [resources.host(h), resources.network(h)])]).size).toBe(8);
    // A budget is shared by the two ways of naming the host: a second svMotion by name waits for
    // the first charged by number, once the host's budget is full.
    const admission = new Admission(resources);
    expect(admission.submit(1, [resources.host(1), VSPHERE_6_PLUS.hostMax])).toBe(true);
    expect(admission.submit(2, [resources.id('host', 'esx-b'), 1])).toBe(false);
    expect(admission.release(1)).toEqual([2]);
  });

  it('keeps where each VM runs by host number, -1 on a host the estate lacks', () => {
    const vms = new VmNumbers(['vm1', 'vm2']);
    const initial = ['esx-c', undefined];
    const placement = new Placement(initial, hostNumbersOf(initial, hosts), new RunVmNumbers(vms), hosts);
    expect([placement.hostNumber(0), placement.hostNumber(1)]).toEqual([2, -1]);
    placement.move(1, 'esx-a');
    placement.move(0, 'esx-z');
    expect([placement.hostNumber(0), placement.hostNumber(1)]).toEqual([-1, 0]);
    expect([placement.host(0), placement.host(1)]).toEqual(['esx-z', 'esx-a']);
  });
});
