import { describe, expect, it } from 'vitest';
import { intentOf, OPERATIONS } from '../../src/core/operations.js';
import type { Operation } from '../../src/core/port.js';

// One operation of every kind, each field set to something a decoder could not invent.
const EXAMPLES: { readonly [K in Operation['kind']]: Extract<Operation, { kind: K }> } = {
  svmotion: { kind: 'svmotion', id: 41, vm: 'sql01', cluster: 'LAB', host: 'esx02', sourceDatastores: ['OLD-03', 'OLD-01'], targetDatastore: 'NEW-01', bytes: 231e9 },
  vmotion: { kind: 'vmotion', id: 42, vm: 'app06', cluster: 'LAB', host: 'esx01', toHost: 'esx04', bytes: 16e9 },
  'remove-all-snapshots': { kind: 'remove-all-snapshots', id: 43, vm: 'web02', cluster: 'LAB', host: 'esx03', bytes: 12e9 },
  'remove-oldest-snapshot': { kind: 'remove-oldest-snapshot', id: 44, vm: 'web03', cluster: 'LAB', host: 'esx03', bytes: 3e9, depthAfter: 2 },
  'consolidate-disks': { kind: 'consolidate-disks', id: 45, vm: 'web04', cluster: 'LAB', host: 'esx01', bytes: 7e9 },
  'drs-override': {
    kind: 'drs-override',
    id: 46,
    vm: 'LAB',
    cluster: 'LAB',
    host: '',
    bytes: 0,
    vms: [
      { vm: 'db01', action: 'set', previous: null },
      { vm: 'db02', action: 'restore', previous: { behavior: 'manual', enabled: true } },
    ],
  },
};

// Per-disk targets: the VM's home and second disk stay on OLD-02, which the copy still charges
// though no moved disk comes from it.
const PER_DISK: Operation = {
  kind: 'svmotion',
  id: 47,
  vm: 'file01',
  cluster: 'LAB',
  host: 'esx02',
  sourceDatastores: ['OLD-01', 'OLD-02'],
  targetDatastore: 'NEW-02',
  bytes: 900e9,
  disks: [{ disk: 'Hard disk 1', source: 'OLD-01', target: 'NEW-03', bytes: 900e9 }],
};

describe('the journal codec of each operation kind', () => {
  it.each(Object.keys(OPERATIONS) as Array<Operation['kind']>)('%s: an intent gives the whole operation back, as JSON would carry it', (kind) => {
    const op = EXAMPLES[kind];
    const intent = JSON.parse(JSON.stringify(intentOf(op))) as ReturnType<typeof intentOf>;
    expect(OPERATIONS[kind].decode(intent as never)).toEqual(op);
  });

  it('svmotion with per-disk targets: the whole operation back, its untouched source datastores included', () => {
    const intent = JSON.parse(JSON.stringify(intentOf(PER_DISK))) as ReturnType<typeof intentOf>;
    expect(OPERATIONS.svmotion.decode(intent as never)).toEqual(PER_DISK);
  });
});
