import { describe, expect, it } from 'vitest';
import type { OperationRecord } from '../../src/core/result.js';
import { datastoresEmptied } from '../../src/sim/results.js';

const record = (vm: string, sources: string[], outcome: OperationRecord['outcome'], finishedAt: number | null, extra: Partial<OperationRecord> = {}): OperationRecord => ({
  vm,
  kind: 'svmotion',
  cluster: 'C',
  host: 'C-esx01',
  toHost: null,
  sourceDatastores: sources,
  targetDatastore: 'NEW-01',
  bytes: 1e9,
  submittedAt: 0,
  startedAt: finishedAt === null ? null : 0,
  finishedAt,
  outcome,
  ...extra,
});

describe('datastoresEmptied: when each legacy datastore became empty', () => {
  it('takes the last successful copy off each, and never for one a VM stayed on', () => {
    // Worked out by hand from the rules: OLD-1 is left by a at 100 and by b at 250 (its first
    // attempt failed, its retry moved it): empty at 250. OLD-2 keeps c, which failed and was never
    // retried, so it is never empty although d left it at 50. OLD-3 is left by e at 300 and by a
    // vMotion DRS started (not a copy of the campaign, ignored). Ties by name. OLD-4 holds f, skipped: never.
    // OLD-5 was left by g at 80 and its failed first attempt comes after its success in the list.
    const records = [
      record('a', ['OLD-1'], 'success', 100),
      record('b', ['OLD-1'], 'failed', 120),
      record('c', ['OLD-2'], 'failed', 130),
      record('d', ['OLD-2'], 'success', 50),
      record('b', ['OLD-1'], 'success', 250),
      record('e', ['OLD-3', 'OLD-1'], 'success', 300),
      record('x', ['OLD-3'], 'success', 400, { kind: 'vmotion', by: 'drs' }),
      record('f', ['OLD-4'], 'skipped', null),
      record('g', ['OLD-5'], 'success', 80),
      record('g', ['OLD-5'], 'failed', 60),
    ];
    expect(datastoresEmptied(records)).toEqual([
      { name: 'OLD-5', at: 80 },
      { name: 'OLD-1', at: 300 },
      { name: 'OLD-3', at: 300 },
      { name: 'OLD-2', at: null },
      { name: 'OLD-4', at: null },
    ]);
  });
});
