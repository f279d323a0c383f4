// Units are strict and case-aware: `Mb/s` is megabits, `MB/s` megabytes; what could be either is
// refused with both readings. Values worked out by hand: 1 Mb = 10^6 bits = 125,000 bytes.

import { describe, expect, it } from 'vitest';
import { UnitError, parseDuration, parseRate, parseSize } from '../../src/domain/units.js';
import { parseScenario } from '../../src/scenario/load.js';

describe('case-aware units', () => {
  it('reads bits and bytes by their case', () => {
    expect(parseRate('800MB/s')).toBe(800e6);
    expect(parseRate('800Mb/s')).toBe(100e6);
    expect(parseRate('10Gbps')).toBe(1.25e9);
    expect(parseRate('1GiB/s')).toBe(2 ** 30);
    expect(parseRate('8Gib/s')).toBe(2 ** 30);
    expect(parseSize('500GiB')).toBe(500 * 2 ** 30);
    expect(parseSize('1.5TB')).toBe(1.5e12);
    expect(parseSize('4KB')).toBe(4000);
    expect(parseSize('4kB')).toBe(4000);
  });

  it('refuses what could be either, offering both readings', () => {
    expect(() => parseRate('250mb/s')).toThrow(/"250mb\/s" is ambiguous: write 250MB\/s for megabytes or 250Mb\/s for megabits per second/);
    expect(() => parseRate('1GIB/s')).toThrow(/write 1GiB\/s for gibibytes or 1Gib\/s for gibibits/);
    expect(() => parseSize('500gb')).toThrow(/"500gb" is ambiguous: write 500GB for gigabytes/);
  });

  it('refuses a size in bits, saying it is one', () => {
    expect(() => parseSize('16Gb')).toThrow(/"16Gb" is in gigabits, and a size is in bytes: write 16GB for gigabytes/);
  });

  it('refuses units it does not know, and upper-case duration letters', () => {
    expect(() => parseSize('5 bananas')).toThrow(UnitError);
    expect(() => parseDuration('5M')).toThrow(/units are lower case .* like 5m/);
    expect(parseDuration('1h30m')).toBe(5400);
  });

  it('names the scenario field with both readings', () => {
    const text = `fabric:
  hosts: { hbaPorts: 2, portSpeed: 16Gb }
  arrays: [ { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }, { name: NEW, frontEndPorts: 4, portSpeed: 16Gb } ]
  perCopyRate: 250mb/s
estate:
  synthetic: { vcenter: vc, clusters: [ { name: C1, hosts: 2 } ], vms: 2, vmSize: { median: 80GiB, sigma: 1, min: 20GiB, max: 2TiB }, legacy: { array: OLD, capacity: 8TiB }, new: { array: NEW, capacity: 32TiB, fill: 70% } }
`;
    expect(() => parseScenario(text, 's.yaml')).toThrow(/^s\.yaml line 4: fabric\.perCopyRate: "250mb\/s" is ambiguous: write 250MB\/s for megabytes or 250Mb\/s for megabits per second/);
  });
});
