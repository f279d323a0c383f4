// Resolution of the non-estate sections: units to bytes/s and seconds, defaults, cost overrides,
// and JSON scenarios read like YAML ones.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { GiB } from '../../src/domain/units.js';
import { parseScenario } from '../../src/scenario/load.js';

const ESTATE = `estate:
  vcenter: vc.test
  arrays: { legacy: [OLD], new: [NEW] }
  clusters: [ { name: C, hosts: [ { name: h1, enclosure: E1, hbaPorts: 4 }, { name: h2 } ] } ]
  datastores:
    - { name: D1, array: OLD, capacity: 1TiB, free: 600GiB, clusters: [C] }
    - { name: D2, array: NEW, capacity: 2TiB }
    - { name: LOCAL, capacity: 100GiB }
  vms:
    - { name: v1, host: h2, memory: 4GiB, power: off, disks: [ { size: 40GiB, datastore: D1 }, { label: data, size: 100GiB, allocated: 30GiB, thin: true, datastore: D1 } ] }
`;

const FULL = `name: full
description: every section written
seed: 7
vsphere:
  costs: vsphere-7
  overrides: { hostMax: 24, datastoreMax: 256 }
policy: fixed:4
targets: { headroom: 15% }
fabric:
  hosts: { hbaPorts: 2, portSpeed: 32Gb }
  enclosures: { uplinkPorts: 4, portSpeed: 16GFC }
  arrays:
    - { name: OLD, frontEndPorts: 8, portSpeed: 4Gb }
    - { name: NEW, frontEndPorts: 16, portSpeed: 16 }
  core: 20GB/s
  perCopyRate: 1.5GiB/s
  maxParallelDiskCopies: 2
  vmotion: { rate: 800MiB/s, setup: 1m30s }
  svmotionSetup: 45
${ESTATE}`;

const MINIMAL = `fabric:
  hosts: { hbaPorts: 2, portSpeed: 8Gb }
  enclosures: { uplinkPorts: 4, portSpeed: 8Gb }
  arrays: [ { name: OLD, frontEndPorts: 8, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 8, portSpeed: 8Gb } ]
  perCopyRate: 250000000
${ESTATE}`;

describe('resolving a scenario', () => {
  it('turns every unit into bytes, bytes per second and seconds', () => {
    const s = parseScenario(FULL, 'full.yaml');
    expect(s.fabric).toEqual({
      hostPorts: 2,
      hostPortRate: 3200e6, // 32GFC: ~3200 MB/s per direction
      enclosureUplinkPorts: 4,
      enclosureUplinkPortRate: 1600e6,
      arrays: [
        { name: 'OLD', ports: 8, portRate: 400e6 },
        { name: 'NEW', ports: 16, portRate: 1600e6 }, // a plain 16 is the FC generation
      ],
      coreRate: 20e9,
      perCopyRate: 1.5 * GiB,
      maxParallelDiskCopies: 2,
      vmotionRate: 800 * 1024 * 1024,
      vmotionSetupSeconds: 90,
      svmotionSetupSeconds: 45,
    });
    expect(s).toMatchObject({ name: 'full', description: 'every section written', seed: 7, policy: 'fixed:4', file: 'full.yaml' });
    expect(s.targets.headroom).toBeCloseTo(0.15, 12);
  });

  it('applies cost overrides on top of the named profile', () => {
    const s = parseScenario(FULL, 'full.yaml');
    // vSphere 6+/7 table with host and datastore maxima overridden.
    expect(s.costs).toMatchObject({ hostMax: 24, datastoreMax: 256, svmotionHost: 8, svmotionDatastore: 16, vmotionHost: 2, networkMax: 8 });
    expect(s.costs.name).toContain('hostMax=24');
  });

  it('fills defaults: name from the file, seed 1, field policy, 10 % headroom, 4 disk copies, vSphere 7 costs', () => {
    const s = parseScenario(MINIMAL, 'dir/my-lab.yml');
    expect(s).toMatchObject({ name: 'my-lab', description: '', seed: 1, policy: 'field' });
    expect(s.targets.headroom).toBeCloseTo(0.1, 12);
    expect(s.fabric.maxParallelDiskCopies).toBe(4);
    expect(s.fabric.coreRate).toBeNull();
    expect(s.fabric.perCopyRate).toBe(250e6);
    expect([s.costs.hostMax, s.costs.svmotionHost, s.costs.datastoreMax, s.costs.svmotionDatastore]).toEqual([16, 8, 128, 16]);
  });

  it('resolves the explicit estate: roles by array, mounts by cluster, thin and thick disks, free space', () => {
    const { estate } = parseScenario(MINIMAL, 'm.yaml');
    expect(estate.datastores.map((d) => [d.name, d.role, d.hosts])).toEqual([
      ['D1', 'legacy', ['h1', 'h2']],
      ['D2', 'new', null],
      ['LOCAL', 'other', null],
    ]);
    // D1's free space was written; D2's is computed (nothing on it).
    expect(estate.datastores[0]!.freeBytes).toBe(600 * GiB);
    expect(estate.datastores[1]!.freeBytes).toBe(estate.datastores[1]!.capacityBytes);
    expect(estate.hosts).toEqual([
      { name: 'h1', cluster: 'C', enclosure: 'E1', hbaPorts: 4 },
      { name: 'h2', cluster: 'C', enclosure: null },
    ]);
    const v1 = estate.vms[0]!;
    expect(v1).toMatchObject({ cluster: 'C', host: 'h2', powerState: 'poweredOff', memoryBytes: 4 * GiB, homeDatastore: 'D1' });
    expect(v1.disks).toEqual([
      { label: 'Hard disk 1', key: 2000, capacityBytes: 40 * GiB, allocatedBytes: 40 * GiB, thin: false, datastore: 'D1' },
      { label: 'data', key: 2001, capacityBytes: 100 * GiB, allocatedBytes: 30 * GiB, thin: true, datastore: 'D1' },
    ]);
  });

  it('reads a JSON scenario by its content, with the same result as the YAML one', () => {
    const yaml = parseScenario(MINIMAL, 'same.yaml');
    const json = parseScenario(
      JSON.stringify({
        fabric: {
          hosts: { hbaPorts: 2, portSpeed: '8Gb' },
          enclosures: { uplinkPorts: 4, portSpeed: '8Gb' },
          arrays: [
            { name: 'OLD', frontEndPorts: 8, portSpeed: '8Gb' },
            { name: 'NEW', frontEndPorts: 8, portSpeed: '8Gb' },
          ],
          perCopyRate: 250e6,
        },
        estate: {
          vcenter: 'vc.test',
          arrays: { legacy: ['OLD'], new: ['NEW'] },
          clusters: [{ name: 'C', hosts: [{ name: 'h1', enclosure: 'E1', hbaPorts: 4 }, { name: 'h2' }] }],
          datastores: [
            { name: 'D1', array: 'OLD', capacity: '1TiB', free: '600GiB', clusters: ['C'] },
            { name: 'D2', array: 'NEW', capacity: '2TiB' },
            { name: 'LOCAL', capacity: '100GiB' },
          ],
          vms: [
            {
              name: 'v1',
              host: 'h2',
              memory: '4GiB',
              power: 'off',
              disks: [
                { size: '40GiB', datastore: 'D1' },
                { label: 'data', size: '100GiB', allocated: '30GiB', thin: true, datastore: 'D1' },
              ],
            },
          ],
        },
      }),
      'same.json',
    );
    expect({ ...json, file: null }).toEqual({ ...yaml, file: null });
  });

  it('rejects a thick disk that claims to allocate less than its size', () => {
    const text = MINIMAL.replace('{ size: 40GiB, datastore: D1 }', '{ size: 40GiB, allocated: 10GiB, datastore: D1 }');
    expect(() => parseScenario(text, 'm.yaml')).toThrow(
      new UserError('m.yaml line 15: estate.vms[0].disks[0].allocated: a thick disk allocates its whole size, so leave allocated out or set thin: true'),
    );
  });

  it('rejects a zero copy rate', () => {
    expect(() => parseScenario(MINIMAL.replace('perCopyRate: 250000000', 'perCopyRate: 0MB/s'), 'm.yaml')).toThrow(
      'm.yaml line 5: fabric.perCopyRate: "0MB/s" is zero, and a rate must be more than that',
    );
  });

  it('rejects a headroom over 100 %', () => {
    expect(() => parseScenario(`targets: { headroom: 150% }\n${MINIMAL}`, 'm.yaml')).toThrow(
      'm.yaml line 1: targets.headroom: "150%" is not a fraction between 0 % and 100 %',
    );
  });
});
