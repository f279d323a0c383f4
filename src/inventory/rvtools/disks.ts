// One VM's disks: from its vDisk rows (with what stops a Storage vMotion of each), or from vInfo's
// totals when vDisk has none; then the bytes a copy of each thin disk moves.

import type { Disk } from '../../domain/estate.js';
import { parseDatastorePath } from './paths.js';
import type { VDiskRecord, VInfoRecord, VPartitionRecord } from './records.js';

export function diskFromRow(d: VDiskRecord, n: number, blockers: string[], notes: string[]): Disk {
  const label = d.label ?? `disk ${d.key ?? n + 1}`;
  const path = parseDatastorePath(d.path);
  let thin = d.thin ?? false;
  if (d.raw) {
    const mode = (d.rawMode ?? '').toLowerCase();
    if (mode.startsWith('physical')) blockers.push(`physical-mode RDM: ${label}`);
    else {
      // svMotion moves a virtual RDM's mapping file only, unless told to convert it to a VMDK; leaving
      // a legacy array means converting, which copies the whole LUN: counted as a thick disk.
      thin = false;
      notes.push(`virtual-mode RDM: ${label} (counted as a full copy: converting it to a VMDK copies the LUN)`);
    }
  }
  const mode = d.diskMode;
  if (mode !== null && mode.toLowerCase() !== 'persistent') {
    blockers.push(mode.toLowerCase().startsWith('independent') ? `independent disk (${mode}): ${label}` : `disk mode ${mode}: ${label}`);
  }
  if (d.sharingMode !== null && d.sharingMode.toLowerCase() === 'sharingmultiwriter') blockers.push(`multi-writer disk: ${label}`);
  if (d.sharedBus !== null && d.sharedBus.toLowerCase() !== 'nosharing') blockers.push(`SCSI bus sharing (${d.sharedBus}): ${label}`);
  return {
    label,
    key: d.key,
    capacityBytes: d.capacityBytes,
    allocatedBytes: d.capacityBytes, // thin disks are sized by allocateThin
    thin,
    datastore: path?.datastore ?? null,
    path: path ? d.path : null,
  };
}

/** Without vDisk rows, one thin disk of the VM's provisioned storage, on its home datastore. */
export function diskFromTotals(r: VInfoRecord, home: string | null): Disk[] {
  if (r.diskCount === 0) return [];
  const capacity = r.totalDiskBytes ?? r.provisionedBytes;
  if (capacity === null || capacity === 0) return [];
  const label = r.diskCount !== null ? `${r.diskCount} disk${r.diskCount === 1 ? '' : 's'} (vInfo total)` : 'disks (vInfo total)';
  return [{ label, key: null, capacityBytes: capacity, allocatedBytes: capacity, thin: true, datastore: home, path: null }];
}

/**
 * Sizes thin disks. vInfo `In Use` is what the VM occupies on its datastores (disks, swap, logs,
 * snapshots): less the thick disks, it is shared over the thin ones in proportion to their capacity,
 * each capped at its capacity. Without `In Use`, the guest's consumed bytes (vPartition) are used:
 * by disk key where the row has one, the rest shared the same way. Without either, a thin disk
 * counts as full: copying more than will be copied is the safe side of a plan.
 */
export function allocateThin(disks: Disk[], r: VInfoRecord, parts: VPartitionRecord[] | null, notes: string[]): void {
  const thin = disks.filter((d) => d.thin);
  if (thin.length === 0) return;
  const thick = disks.reduce((s, d) => s + (d.thin ? 0 : d.capacityBytes), 0);
  if (r.inUseBytes !== null) {
    share(thin, Math.max(0, r.inUseBytes - thick));
    return;
  }
  if (parts !== null && parts.length > 0) {
    let pool = 0;
    const byKey = new Map<number, number>();
    for (const p of parts) {
      if (p.diskKey !== null && thin.some((d) => d.key === p.diskKey)) byKey.set(p.diskKey, (byKey.get(p.diskKey) ?? 0) + p.consumedBytes);
      else pool += p.consumedBytes;
    }
    for (const d of thin) d.allocatedBytes = Math.min(d.capacityBytes, d.key != null ? (byKey.get(d.key) ?? 0) : 0);
    const rest = thin.filter((d) => !(d.key != null && byKey.has(d.key)));
    if (rest.length > 0) share(rest, pool);
    notes.push('thin disks sized from guest partitions (vPartition; no In Use)');
    return;
  }
  for (const d of thin) d.allocatedBytes = d.capacityBytes;
  notes.push('thin disks counted as fully allocated (no In Use, no vPartition)');
}

/** Shares `pool` bytes over `disks` in proportion to capacity, capped at each capacity; sums exactly. */
export function share(disks: Disk[], pool: number): void {
  const total = disks.reduce((s, d) => s + d.capacityBytes, 0);
  let left = pool;
  disks.forEach((d, i) => {
    const part = i === disks.length - 1 ? left : total === 0 ? 0 : Math.round((pool * d.capacityBytes) / total);
    d.allocatedBytes = Math.max(0, Math.min(d.capacityBytes, part));
    left -= d.allocatedBytes;
  });
}
