// Where each VM runs now. vMotions (the campaign's and DRS's) and HA restarts change it; vCenter
// runs an operation wherever the VM is when it is admitted, whatever host the planner had in mind.
// The placement a run starts from is shared by the runs of a scenario; a run copies it once.

import type { HostNumbers } from '../host-numbers.js';
import type { RunVmNumbers, VmNumbers } from '../vm-numbers.js';

export class Placement {
  /** Each VM's host by VM number (undefined: not placed). */
  private readonly hosts: Array<string | undefined>;
  /** The same hosts by number (-1: not placed, or a host the estate does not have). */
  private readonly hostNumbers: number[];

  /** `initial`: each VM's host at the start (see initialHosts), by name and by number (hostNumbersOf). */
  constructor(
    initial: ReadonlyArray<string | undefined>,
    initialNumbers: readonly number[],
    private readonly numbers: RunVmNumbers,
    private readonly estateHosts: HostNumbers,
  ) {
    this.hosts = initial.slice();
    this.hostNumbers = initialNumbers.slice();
  }

  host(vm: number): string | undefined {
    return this.hosts[vm];
  }

  /** The number of VM `vm`'s host, -1 when it has none the estate knows. */
  hostNumber(vm: number): number {
    return this.hostNumbers[vm] ?? -1;
  }

  move(vm: number, host: string): void {
    this.hosts[vm] = host;
    this.hostNumbers[vm] = this.estateHosts.of(host);
  }

  /** The VMs on `host`, by name, sorted (a host failure asks: rare, so a look at every VM). */
  vmsOn(host: string): string[] {
    const out: string[] = [];
    for (let vm = 0; vm < this.hosts.length; vm++) if (this.hosts[vm] === host) out.push(this.numbers.name(vm));
    return out.sort();
  }
}

/** Each VM's host in an estate by VM number (VMs without one are not placed). */
export function initialHosts(vms: ReadonlyArray<{ name: string; host: string | null }>, numbers: VmNumbers): Array<string | undefined> {
  const hosts = new Array<string | undefined>(numbers.size).fill(undefined);
  for (let i = 0; i < vms.length; i++) {
    const v = vms[i]!;
    if (v.host !== null) hosts[numbers.at(i, v.name)] = v.host;
  }
  return hosts;
}

/** The hosts of `initialHosts` by number (-1: not placed). */
export function hostNumbersOf(hosts: ReadonlyArray<string | undefined>, numbers: HostNumbers): number[] {
  return Array.from(hosts, (h) => (h === undefined ? -1 : numbers.of(h)));
}
