import { describe, expect, it } from 'vitest';
import { campaignFromEstate, defaultRules } from '../../src/core/campaign.js';
import { VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import type { Vm } from '../../src/domain/estate.js';
import { datastore, estate, hosts } from '../helpers/build.js';

const rules = defaultRules(VSPHERE_6_PLUS);
const disk = (label: string, ds: string | null, allocatedBytes: number, thin = true) => ({ label, capacityBytes: 100, allocatedBytes, thin, datastore: ds });
const vm = (name: string, home: string | null, disks: Vm['disks']): Vm => ({ name, cluster: 'C', host: 'C-esx01', powerState: 'poweredOn', memoryBytes: 8, disks, homeDatastore: home });

describe('campaignFromEstate', () => {
  const e = estate({
    hosts: hosts('C', 1),
    datastores: [datastore('OLD-01', 'legacy'), datastore('OLD-02', 'legacy'), datastore('NEW-01', 'new')],
    vms: [
      // Home on OLD-02, disks on OLD-01, NEW-01 (not moved), OLD-01 again and OLD-02: sources OLD-02
      // (home first), OLD-01; moved disks 1, 3, 4; bytes 10 + 30 (thin: allocated) + 100 (thick: capacity) = 140.
      vm('a', 'OLD-02', [disk('Hard disk 1', 'OLD-01', 10), disk('Hard disk 2', 'NEW-01', 20), disk('Hard disk 3', 'OLD-01', 30), disk('Hard disk 4', 'OLD-02', 40, false)]),
      // Home elsewhere, one disk on OLD-01: sources OLD-01 alone.
      vm('b', 'NEW-01', [disk('Hard disk 1', 'OLD-01', 5)]),
      // A disk on no known datastore after one on OLD-01: blocked, naming the first unknown disk.
      vm('c', 'OLD-01', [disk('Hard disk 1', 'OLD-01', 5), disk('Hard disk 2', null, 5), disk('Hard disk 3', null, 5)]),
      // Nothing on legacy storage: not in the campaign.
      vm('d', 'NEW-01', [disk('Hard disk 1', 'NEW-01', 5)]),
    ],
  });
  const c = campaignFromEstate(e, rules);

  it("takes each VM's legacy datastores (home first, once each), moved disks and bytes", () => {
    expect(c.items.map((i) => [i.vm, i.sourceDatastores, i.disks.map((d) => `${d.label}@${d.datastore}:${d.bytes}`), i.bytes, i.home])).toEqual([
      ['a', ['OLD-02', 'OLD-01'], ['Hard disk 1@OLD-01:10', 'Hard disk 3@OLD-01:30', 'Hard disk 4@OLD-02:100'], 140, 'OLD-02'],
      ['b', ['OLD-01'], ['Hard disk 1@OLD-01:5'], 5, null],
    ]);
    expect(c.items.map((i) => i.estateIndex)).toEqual([0, 1]);
  });

  it('keeps a VM with a disk on no known datastore, naming the first such disk', () => {
    expect(c.blocked).toEqual([{ vm: 'c', cluster: 'C', host: 'C-esx01', bytes: 5, sourceDatastores: ['OLD-01'], reason: 'Hard disk 2 has no known datastore' }]);
  });
});
