// Sizing thin disks: vInfo In Use shared over thin disks, vPartition as fallback, full otherwise.

import { describe, expect, it } from 'vitest';
import type { Disk } from '../../src/domain/estate.js';
import { GiB, MiB } from '../../src/domain/units.js';
import { allocateThin, share } from '../../src/inventory/rvtools/disks.js';
import type { VInfoRecord, VPartitionRecord } from '../../src/inventory/rvtools/records.js';

const d = (capacityGiB: number, thin: boolean, key: number | null = null): Disk => ({
  label: `disk ${key}`, key, capacityBytes: capacityGiB * GiB, allocatedBytes: capacityGiB * GiB, thin, datastore: 'ds', path: null,
});
const info = (inUseGiB: number | null) => ({ inUseBytes: inUseGiB === null ? null : inUseGiB * GiB }) as VInfoRecord;
const part = (diskKey: number | null, consumedMiB: number): VPartitionRecord => ({ row: 2, vm: 'v', vmId: null, diskKey, consumedBytes: consumedMiB * MiB });

describe('share', () => {
  it('shares in proportion to capacity, capped at each capacity, summing exactly', () => {
    const disks = [d(10, true), d(30, true)];
    share(disks, 20 * GiB);
    expect(disks.map((x) => x.allocatedBytes)).toEqual([5 * GiB, 15 * GiB]);
    share(disks, 50 * GiB);
    expect(disks.map((x) => x.allocatedBytes)).toEqual([10 * GiB, 30 * GiB]);
    const three = [d(1, true), d(1, true), d(1, true)];
    share(three, 100);
    expect(three.map((x) => x.allocatedBytes)).toEqual([33, 33, 34]);
  });
});

describe('allocateThin', () => {
  it('takes In Use less the thick disks for the thin ones; thick disks stay full', () => {
    const disks = [d(100, false), d(50, true), d(150, true)];
    const notes: string[] = [];
    allocateThin(disks, info(140), null, notes);
    // 140 − 100 thick = 40 GiB over 50 and 150 GiB thin: 10 and 30.
    expect(disks.map((x) => x.allocatedBytes / GiB)).toEqual([100, 10, 30]);
    expect(notes).toEqual([]);
  });

  it('never goes below zero when In Use is less than the thick disks (thin copy nothing)', () => {
    const disks = [d(100, false), d(50, true)];
    allocateThin(disks, info(20), null, []);
    expect(disks.map((x) => x.allocatedBytes / GiB)).toEqual([100, 0]);
  });

  it('without In Use, uses vPartition: by disk key, the rest shared over the other thin disks', () => {
    const disks = [d(100, true, 2000), d(100, true, 2001), d(300, true, 2002)];
    const notes: string[] = [];
    // 1,024 + 512 MiB on 2000; 4,096 MiB on no known key, shared 1:3 over 2001 and 2002.
    allocateThin(disks, info(null), [part(2000, 1024), part(2000, 512), part(null, 4096)], notes);
    expect(disks.map((x) => x.allocatedBytes / MiB)).toEqual([1536, 1024, 3072]);
    expect(notes).toEqual(['thin disks sized from guest partitions (vPartition; no In Use)']);
  });

  it('without either, a thin disk counts as full, and says so', () => {
    const disks = [d(100, true)];
    const notes: string[] = [];
    allocateThin(disks, info(null), [], notes);
    expect(disks[0]!.allocatedBytes).toBe(100 * GiB);
    expect(notes).toEqual(['thin disks counted as fully allocated (no In Use, no vPartition)']);
  });
});
