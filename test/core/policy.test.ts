import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/policy.js';

describe('policy specs', () => {
  it('reads the field preset as its parts', () => {
    const p = parsePolicy('field');
    expect(p).toMatchObject({ ordering: 'largest-first', perCluster: 'half-hosts', pick: 'in-order', placementFix: 'least-busy', retries: 0 });
  });

  it('reads fixed:N', () => {
    expect(parsePolicy('fixed:6')).toMatchObject({ perCluster: 6, placementFix: 'off', pick: 'in-order' });
  });

  it('lets parts override a preset', () => {
    const p = parsePolicy('field+retries:3:10m+order:drain-datastore');
    expect(p).toMatchObject({ retries: 3, retryBackoffSeconds: 600, ordering: 'drain-datastore', perCluster: 'half-hosts' });
    expect(p.spec).toBe('field+retries:3:10m+order:drain-datastore');
  });

  it('builds a policy from parts alone', () => {
    const p = parsePolicy('order:smallest-first+cluster:3+host:1+global:40+enclosure:6+pick:host-aware');
    expect(p).toMatchObject({ ordering: 'smallest-first', perCluster: 3, perHost: 1, global: 40, perEnclosure: 6, pick: 'host-aware' });
  });

  it('reads adaptive with its bounds', () => {
    expect(parsePolicy('adaptive').adaptive).toMatchObject({ start: 8, max: 512, periodSeconds: 600 });
    expect(parsePolicy('order:largest-first+adaptive:4:40:5m').adaptive).toMatchObject({ start: 4, max: 40, periodSeconds: 300 });
  });

  it('rejects what it cannot read, in one sentence naming the part', () => {
    expect(() => parsePolicy('field+order:random')).toThrow(/"order:random" is not an order/);
    expect(() => parsePolicy('cluster:0')).toThrow(/cluster:N needs a whole number of at least 1/);
    expect(() => parsePolicy('order:largest-first')).toThrow(/sets no concurrency limit/);
    expect(() => parsePolicy('adaptive:10:5')).toThrow(/MAX below its START/);
    expect(() => parsePolicy('')).toThrow(/empty/);
  });
});
