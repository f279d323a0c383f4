import { describe, expect, it } from 'vitest';
import { intentOf, OPERATIONS } from '../../src/core/operations.js';
import type { Operation } from '../../src/core/port.js';

// One operation of every kind, each field set to something a decoder could not invent.
const EXAMPLES: { readonly [K in Operation['kind']]: Extract<Operation, { kind: K }> } = {
  svmotion: { kind: 'svmotion', id: 41, vm: 'sql01', cluster: 'LAB', host: 'esx02', sourceDatastores: ['OLD-03', 'OLD-01'], targetDatastore: 'NEW-01', bytes: 231e9 },
  vmotion: { kind: 'vmotion', id: 42, vm: 'app06', cluster: 'LAB', host: 'esx01', toHost: 'esx04', bytes: 16e9 },
};

describe('the journal codec of each operation kind', () => {
  it.each(Object.keys(OPERATIONS) as Array<Operation['kind']>)('%s: an intent gives the whole operation back, as JSON would carry it', (kind) => {
    const op = EXAMPLES[kind];
    const intent = JSON.parse(JSON.stringify(intentOf(op))) as ReturnType<typeof intentOf>;
    expect(OPERATIONS[kind].decode(intent as never)).toEqual(op);
  });
});
