// vCenter runs one relocation per VM at a time: an operation submitted for a VM another task holds
// (a DRS vMotion, say) waits for it, and runs after it, in the order they came. VMs by number
// (vm-numbers.ts).

export class VmLocks {
  /** The operation holding each VM, by VM number (undefined: none). */
  private readonly holder: Array<number | undefined>;
  private readonly waiters = new Map<number, number[]>();

  /** `vms`: how many VMs the estate numbers (others may come, numbered after them). */
  constructor(vms: number) {
    this.holder = new Array<number | undefined>(vms).fill(undefined);
  }

  held(vm: number): boolean {
    return this.holder[vm] !== undefined;
  }

  /** Takes the VM for operation `id`, or queues `id` behind the holder and returns false. */
  acquire(vm: number, id: number): boolean {
    if (this.holder[vm] !== undefined) {
      const list = this.waiters.get(vm);
      if (list) list.push(id);
      else this.waiters.set(vm, [id]);
      return false;
    }
    this.holder[vm] = id;
    return true;
  }

  /** Hands the VM to operation `id` (the next in line, now admitted). */
  hold(vm: number, id: number): void {
    this.holder[vm] = id;
  }

  /** Operation `id` let go of the VM; returns the next operation in line, if any. */
  release(vm: number, id: number): number | undefined {
    if (this.holder[vm] !== id) return undefined;
    this.holder[vm] = undefined;
    if (this.waiters.size === 0) return undefined;
    const list = this.waiters.get(vm);
    const next = list?.shift();
    if (list && list.length === 0) this.waiters.delete(vm);
    return next;
  }
}
