// Where each VM runs now. vMotions (the campaign's and DRS's) and HA restarts change it; vCenter
// runs an operation wherever the VM is when it is admitted, whatever host the planner had in mind.

export class Placement {
  private readonly hostOf = new Map<string, string>();
  private readonly on = new Map<string, Set<string>>();

  constructor(vms: Iterable<{ name: string; host: string | null }>) {
    for (const v of vms) if (v.host !== null) this.move(v.name, v.host);
  }

  host(vm: string): string | undefined {
    return this.hostOf.get(vm);
  }

  move(vm: string, host: string): void {
    const from = this.hostOf.get(vm);
    if (from !== undefined) this.on.get(from)?.delete(vm);
    this.hostOf.set(vm, host);
    let set = this.on.get(host);
    if (!set) this.on.set(host, (set = new Set()));
    set.add(vm);
  }

  /** The VMs on `host`, by name. */
  vmsOn(host: string): string[] {
    return [...(this.on.get(host) ?? [])].sort();
  }
}
