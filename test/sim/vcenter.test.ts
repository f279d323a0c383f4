import { describe, expect, it } from 'vitest';
import { VSPHERE_5, VSPHERE_6_PLUS } from '../../src/domain/costs.js';
import { Admission, svmotionCharges, vmotionCharges } from '../../src/sim/vcenter.js';

// Concurrency limits derived by hand from the cost table (host 16 / svMotion 8 / vMotion 2;
// datastore 128 / svMotion 16 on source and destination; network 8 / vMotion 1).
const sv = (host: string, src: string, dst: string) => svmotionCharges(VSPHERE_6_PLUS, host, [src], dst);

describe('vCenter cost admission', () => {
  it('starts 2 svMotions per host and queues the third until one ends', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    expect(a.submit(1, sv('h1', 'A1', 'B1'))).toBe(true);
    expect(a.submit(2, sv('h1', 'A2', 'B2'))).toBe(true);
    expect(a.submit(3, sv('h1', 'A3', 'B3'))).toBe(false);
    expect(a.waiting).toBe(1);
    expect(a.release(1)).toEqual([3]);
    expect(a.waiting).toBe(0);
  });

  it('starts 8 svMotions per datastore, counting copies in and out alike', () => {
    // 4 svMotions out of DS and 4 into it (from other hosts) fill 8 × 16 = 128.
    const a = new Admission(VSPHERE_6_PLUS);
    for (let i = 0; i < 4; i++) expect(a.submit(i, sv(`h${i}`, 'DS', `T${i}`))).toBe(true);
    for (let i = 4; i < 8; i++) expect(a.submit(i, sv(`h${i}`, `S${i}`, 'DS'))).toBe(true);
    expect(a.usage('datastore:DS')).toBe(128);
    expect(a.submit(8, sv('h8', 'DS', 'T8'))).toBe(false);
    expect(a.release(5)).toEqual([8]);
  });

  it('fits 1 svMotion and 4 vMotions on a host, or 8 vMotions, and no more', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    expect(a.submit(1, sv('h1', 'A', 'B'))).toBe(true);
    for (let i = 0; i < 4; i++) expect(a.submit(10 + i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `x${i}`, ['A']))).toBe(true);
    expect(a.submit(20, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'x9', ['A']))).toBe(false);

    const b = new Admission(VSPHERE_6_PLUS);
    for (let i = 0; i < 8; i++) expect(b.submit(i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `y${i}`, ['A']))).toBe(true);
    expect(b.submit(9, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'y9', ['A']))).toBe(false);
  });

  it('limits vMotions by the network budget on 1GbE (4 per host)', () => {
    const a = new Admission({ ...VSPHERE_6_PLUS, networkMax: 4 });
    for (let i = 0; i < 4; i++) expect(a.submit(i, vmotionCharges(VSPHERE_6_PLUS, 'h1', `y${i}`, ['A']))).toBe(true);
    expect(a.submit(5, vmotionCharges(VSPHERE_6_PLUS, 'h1', 'y5', ['A']))).toBe(false);
  });

  it('gives the same concurrency under the vSphere 5 scale', () => {
    const a = new Admission(VSPHERE_5);
    expect(a.submit(1, svmotionCharges(VSPHERE_5, 'h', ['A'], 'B'))).toBe(true);
    expect(a.submit(2, svmotionCharges(VSPHERE_5, 'h', ['C'], 'D'))).toBe(true);
    expect(a.submit(3, svmotionCharges(VSPHERE_5, 'h', ['E'], 'F'))).toBe(false);
  });

  it('lets a later operation that fits start past one that does not (first fit, in arrival order)', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    expect(a.submit(3, sv('h1', 'E', 'F'))).toBe(false); // h1 full
    expect(a.submit(4, sv('h2', 'G', 'H'))).toBe(true); // h2 idle: not held up by 3
    expect(a.release(2)).toEqual([3]);
  });

  it('serves waiting operations in arrival order when several fit', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    a.submit(3, sv('h1', 'E', 'F'));
    a.submit(4, sv('h1', 'G', 'H'));
    expect(a.release(1)).toEqual([3]);
    expect(a.release(2)).toEqual([4]);
  });

  it('charges a datastore once for an svMotion whose disks share it', () => {
    const charges = svmotionCharges(VSPHERE_6_PLUS, 'h', ['A', 'A', 'B'], 'T');
    expect(charges.filter((c) => c.resource.startsWith('datastore:')).map((c) => c.resource).sort()).toEqual(['datastore:A', 'datastore:B', 'datastore:T']);
  });

  it('withdraws a waiting operation', () => {
    const a = new Admission(VSPHERE_6_PLUS);
    a.submit(1, sv('h1', 'A', 'B'));
    a.submit(2, sv('h1', 'C', 'D'));
    a.submit(3, sv('h1', 'E', 'F'));
    expect(a.withdraw(3)).toBe(true);
    expect(a.release(1)).toEqual([]);
  });
});
