// vCenter runs one relocation per VM at a time: an operation submitted for a VM another task holds
// (a DRS vMotion, say) waits for it, and runs after it, in the order they came.

export class VmLocks {
  private readonly holder = new Map<string, number>();
  private readonly waiters = new Map<string, number[]>();

  held(vm: string): boolean {
    return this.holder.has(vm);
  }

  /** Takes the VM for operation `id`, or queues `id` behind the holder and returns false. */
  acquire(vm: string, id: number): boolean {
    if (this.holder.has(vm)) {
      const list = this.waiters.get(vm);
      if (list) list.push(id);
      else this.waiters.set(vm, [id]);
      return false;
    }
    this.holder.set(vm, id);
    return true;
  }

  /** Hands the VM to operation `id` (the next in line, now admitted). */
  hold(vm: string, id: number): void {
    this.holder.set(vm, id);
  }

  /** Operation `id` let go of the VM; returns the next operation in line, if any. */
  release(vm: string, id: number): number | undefined {
    if (this.holder.get(vm) !== id) return undefined;
    this.holder.delete(vm);
    const list = this.waiters.get(vm);
    const next = list?.shift();
    if (list && list.length === 0) this.waiters.delete(vm);
    return next;
  }
}
