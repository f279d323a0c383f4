// Where each VM runs now. vMotions (the campaign's and DRS's) and HA restarts change it; vCenter
// runs an operation wherever the VM is when it is admitted, whatever host the planner had in mind.
// The placement a run starts from is shared by the runs of a scenario; a run keeps only its moves.

export class Placement {
  private readonly moved = new Map<string, string>();

  /** `initial`: each VM's host at the start (see initialHosts). */
  constructor(private readonly initial: ReadonlyMap<string, string>) {}

  host(vm: string): string | undefined {
    return this.moved.get(vm) ?? this.initial.get(vm);
  }

  move(vm: string, host: string): void {
    this.moved.set(vm, host);
  }

  /** The VMs on `host`, by name (a host failure asks: rare, so a look at every VM). */
  vmsOn(host: string): string[] {
    const out: string[] = [];
    for (const [vm, h] of this.initial) if ((this.moved.get(vm) ?? h) === host) out.push(vm);
    for (const [vm, h] of this.moved) if (h === host && !this.initial.has(vm)) out.push(vm);
    return out.sort();
  }
}

/** Each VM's host in an estate (VMs without one are not placed). */
export function initialHosts(vms: Iterable<{ name: string; host: string | null }>): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const v of vms) if (v.host !== null) hosts.set(v.name, v.host);
  return hosts;
}
