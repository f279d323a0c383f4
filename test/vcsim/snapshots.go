package main

// Snapshot chains, and the harness's own snapshot-removal and consolidation tasks.
//
// vcsim keeps a snapshot tree and a .vmsn file per snapshot but no delta disks: a disk's backing
// never changes when a snapshot is taken, RemoveSnapshot_Task ignores `consolidate`,
// ConsolidateVMDisks_Task does not exist and runtime.consolidationNeeded is never set. A campaign
// that removes snapshots before moving a VM needs all of it, so the harness models a chain per VM:
//   - each snapshot (built from the spec through vcsim's own CreateSnapshot_Task) has a delta
//     layer on every disk: "<disk>-00000N.vmdk" beside its parent, its extent a sparse file of the
//     snapshot's deltaBytes (vcsim's layout code names extents "-flat"), and each disk's backing is
//     the top layer with `parent` down to the base disk, as on ESXi 5.0 and later (redo logs beside
//     their parent disk); vcsim's layoutEx and the inventory reader see the chain and its sizes;
//   - RemoveAllSnapshots_Task, RemoveSnapshot_Task and ConsolidateVMDisks_Task are the harness's:
//     they take remediation.fixedMs + the bytes they merge / remediation.bytesPerSecond (time
//     scaled like relocations), report progress, can be cancelled, fail as injected faults say,
//     and leave vCenter's task names and history;
//   - removing a snapshot merges its layer into the one below (base or older delta); with
//     consolidate=false the snapshot leaves the tree but its layer stays, orphaned, and
//     runtime.consolidationNeeded turns true until ConsolidateVMDisks_Task merges the orphans.

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// chainLayer is one delta layer on every disk of a VM.
type chainLayer struct {
	index    int                           // file number: <disk>-00000<index>.vmdk
	snapshot *types.ManagedObjectReference // the snapshot it belongs to; nil once orphaned
	bytes    int64                         // allocated bytes of the layer, per disk
}

type vmChain struct {
	layers []chainLayer // oldest first
	next   int
}

// baseBacking is the bottom of a disk's backing chain.
func baseBacking(disk *types.VirtualDisk) *types.VirtualDiskFlatVer2BackingInfo {
	b, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
	if !ok {
		return nil
	}
	for b.Parent != nil {
		b = b.Parent
	}
	return b
}

// chainBackings lists a disk's backings from the top layer down to the base.
func chainBackings(disk *types.VirtualDisk) []*types.VirtualDiskFlatVer2BackingInfo {
	var out []*types.VirtualDiskFlatVer2BackingInfo
	b, _ := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
	for b != nil {
		out = append(out, b)
		b = b.Parent
	}
	return out
}

func layerFileName(base string, index int) string {
	return fmt.Sprintf("%s-%06d.vmdk", strings.TrimSuffix(base, ".vmdk"), index)
}

func vmDisks(vm *simulator.VirtualMachine) []*types.VirtualDisk {
	var out []*types.VirtualDisk
	for _, dev := range object.VirtualDeviceList(vm.Config.Hardware.Device).SelectByType((*types.VirtualDisk)(nil)) {
		out = append(out, dev.(*types.VirtualDisk))
	}
	return out
}

// flatPath is the local file of a backing's extent.
func (b *built) flatPath(fileName string) string {
	var dp object.DatastorePath
	dp.FromString(fileName)
	return b.localPath(dp.Datastore, simulator.VirtualDiskBackingFileName(dp.Path))
}

func (h *harness) chainOf(vm types.ManagedObjectReference) *vmChain {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.built.chains[vm]
	if c == nil {
		c = &vmChain{next: 1}
		h.built.chains[vm] = c
	}
	return c
}

// addLayer creates the layer's files on every disk (beside the disk's base) and stacks it.
func (b *built) addLayer(vm *simulator.VirtualMachine, c *vmChain, snapshot *types.ManagedObjectReference, bytes int64) error {
	layer := chainLayer{index: c.next, snapshot: snapshot, bytes: bytes}
	c.next++
	for _, disk := range vmDisks(vm) {
		base := baseBacking(disk)
		if base == nil {
			continue
		}
		name := layerFileName(base.FileName, layer.index)
		var dp object.DatastorePath
		dp.FromString(name)
		if err := os.WriteFile(b.localPath(dp.Datastore, dp.Path), nil, 0o600); err != nil {
			return err
		}
		f, err := os.Create(b.flatPath(name))
		if err != nil {
			return err
		}
		f.Close()
		if err := os.Truncate(b.flatPath(name), bytes); err != nil {
			return err
		}
	}
	c.layers = append(c.layers, layer)
	stackBackings(vm, c)
	return nil
}

// stackBackings makes each disk's backing the chain's top layer, parents down to the base.
func stackBackings(vm *simulator.VirtualMachine, c *vmChain) {
	for _, disk := range vmDisks(vm) {
		base := baseBacking(disk)
		if base == nil {
			continue
		}
		top := base
		for _, l := range c.layers {
			name := layerFileName(base.FileName, l.index)
			ds := base.Datastore
			thin := true
			top = &types.VirtualDiskFlatVer2BackingInfo{
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: name, Datastore: ds},
				DiskMode:                     base.DiskMode,
				ThinProvisioned:              &thin,
				Parent:                       top,
			}
		}
		disk.Backing = top
	}
}

// mergeLayer merges layer i into the layer below it (or the base disk, which grows by the
// layer's bytes up to the disk's capacity) and deletes its files.
func (b *built) mergeLayer(vm *simulator.VirtualMachine, c *vmChain, i int) {
	l := c.layers[i]
	for _, disk := range vmDisks(vm) {
		base := baseBacking(disk)
		if base == nil {
			continue
		}
		below := base.FileName
		limit := int64(math.MaxInt64)
		if i > 0 {
			below = layerFileName(base.FileName, c.layers[i-1].index)
		} else {
			limit = disk.CapacityInBytes
		}
		if fi, err := os.Stat(b.flatPath(below)); err == nil {
			_ = os.Truncate(b.flatPath(below), min(fi.Size()+l.bytes, limit))
		}
		name := layerFileName(base.FileName, l.index)
		var dp object.DatastorePath
		dp.FromString(name)
		_ = os.Remove(b.localPath(dp.Datastore, dp.Path))
		_ = os.Remove(b.flatPath(name))
	}
	if i > 0 {
		c.layers[i-1].bytes += l.bytes
	}
	c.layers = append(c.layers[:i], c.layers[i+1:]...)
}

// refreshLayout has vcsim rebuild layout, layoutEx and storage from the files.
func refreshLayout(ctx *simulator.Context, vm *simulator.VirtualMachine) {
	vm.Layout.ConfigFile, vm.Layout.LogFile, vm.Layout.SwapFile = nil, nil, ""
	vm.LayoutEx.File = nil
	vm.RefreshStorageInfo(ctx, &types.RefreshStorageInfo{This: vm.Self})
}

func hasOrphans(c *vmChain) bool {
	for _, l := range c.layers {
		if l.snapshot == nil {
			return true
		}
	}
	return false
}

// ---- the tasks ----

// remediatingVM is the proxy the snapshot and consolidation methods are pointed at.
type remediatingVM struct {
	Self types.ManagedObjectReference
	vm   *simulator.VirtualMachine
	h    *harness
}

func (r *remediatingVM) Reference() types.ManagedObjectReference { return r.Self }

// remediatingSnapshot is the proxy RemoveSnapshot_Task on a snapshot is pointed at.
type remediatingSnapshot struct {
	Self     types.ManagedObjectReference
	snapshot types.ManagedObjectReference
	vm       *simulator.VirtualMachine
	h        *harness
}

func (r *remediatingSnapshot) Reference() types.ManagedObjectReference { return r.Self }

// remediation is one running snapshot-removal or consolidation task.
type remediation struct {
	h       *harness
	ctx     *simulator.Context
	vm      *simulator.VirtualMachine
	task    *simulator.Task
	kind    string // fault key: removeSnapshot, removeAllSnapshots, consolidate
	bytes   int64  // what it merges, all disks
	apply   func() // the change, under the VM lock, when the work is done
	vmName  string
	chain   int32
	release func() // frees the VM for other tasks (once)
}

func (r *remediatingVM) RemoveAllSnapshotsTask(ctx *simulator.Context, req *types.RemoveAllSnapshots_Task) soap.HasFault {
	body := &methods.RemoveAllSnapshots_TaskBody{}
	var task types.ManagedObjectReference
	ctx.WithLock(r.vm, func() {
		consolidate := req.Consolidate == nil || *req.Consolidate
		c := r.h.chainOf(r.vm.Self)
		disks := int64(len(vmDisks(r.vm)))
		var bytes int64
		if consolidate {
			for _, l := range c.layers {
				if l.snapshot != nil {
					bytes += l.bytes * disks
				}
			}
		}
		task = r.h.startRemediation(ctx, r.vm, "RemoveAllSnapshots_Task", "VirtualMachine.removeAllSnapshots", "removeAllSnapshots", bytes, func() {
			var snaps []types.ManagedObjectReference
			for i := len(c.layers) - 1; i >= 0; i-- {
				if c.layers[i].snapshot == nil {
					continue
				}
				snaps = append(snaps, *c.layers[i].snapshot)
				if consolidate {
					r.h.built.mergeLayer(r.vm, c, i)
				} else {
					c.layers[i].snapshot = nil
				}
			}
			r.h.dropSnapshots(ctx, r.vm, snaps, c)
		})
	})
	body.Res = &types.RemoveAllSnapshots_TaskResponse{Returnval: task}
	return body
}

func (r *remediatingVM) ConsolidateVMDisksTask(ctx *simulator.Context, req *types.ConsolidateVMDisks_Task) soap.HasFault {
	body := &methods.ConsolidateVMDisks_TaskBody{}
	var task types.ManagedObjectReference
	ctx.WithLock(r.vm, func() {
		c := r.h.chainOf(r.vm.Self)
		disks := int64(len(vmDisks(r.vm)))
		var bytes int64
		for _, l := range c.layers {
			if l.snapshot == nil {
				bytes += l.bytes * disks
			}
		}
		task = r.h.startRemediation(ctx, r.vm, "ConsolidateVMDisks_Task", "VirtualMachine.consolidateDisks", "consolidate", bytes, func() {
			for i := len(c.layers) - 1; i >= 0; i-- {
				if c.layers[i].snapshot == nil {
					r.h.built.mergeLayer(r.vm, c, i)
				}
			}
			stackBackings(r.vm, c)
			refreshLayout(ctx, r.vm)
			ctx.Update(r.vm, []types.PropertyChange{
				{Name: "config.hardware.device", Val: r.vm.Config.Hardware.Device},
				{Name: "runtime.consolidationNeeded", Val: false},
			})
		})
	})
	body.Res = &types.ConsolidateVMDisks_TaskResponse{Returnval: task}
	return body
}

func (r *remediatingSnapshot) RemoveSnapshotTask(ctx *simulator.Context, req *types.RemoveSnapshot_Task) soap.HasFault {
	body := &methods.RemoveSnapshot_TaskBody{}
	var task types.ManagedObjectReference
	var fault types.BaseMethodFault
	ctx.WithLock(r.vm, func() {
		consolidate := req.Consolidate == nil || *req.Consolidate
		c := r.h.chainOf(r.vm.Self)
		at := -1
		for i, l := range c.layers {
			if l.snapshot != nil && *l.snapshot == r.snapshot {
				at = i
			}
		}
		if at < 0 {
			fault = &types.ManagedObjectNotFound{Obj: r.snapshot}
			return
		}
		last := at
		if req.RemoveChildren {
			last = len(c.layers) - 1
		}
		disks := int64(len(vmDisks(r.vm)))
		var bytes int64
		if consolidate {
			for i := at; i <= last; i++ {
				if c.layers[i].snapshot != nil {
					bytes += c.layers[i].bytes * disks
				}
			}
		}
		task = r.h.startRemediation(ctx, r.vm, "RemoveSnapshot_Task", "vm.Snapshot.remove", "removeSnapshot", bytes, func() {
			var snaps []types.ManagedObjectReference
			for i := last; i >= at; i-- {
				if c.layers[i].snapshot == nil {
					continue
				}
				snaps = append(snaps, *c.layers[i].snapshot)
				if consolidate {
					r.h.built.mergeLayer(r.vm, c, i)
				} else {
					c.layers[i].snapshot = nil
				}
			}
			r.h.dropSnapshots(ctx, r.vm, snaps, c)
		})
	})
	if fault != nil {
		body.Fault_ = simulator.Fault("", fault)
		return body
	}
	body.Res = &types.RemoveSnapshot_TaskResponse{Returnval: task}
	return body
}

// dropSnapshots takes snapshots out of the VM's tree and the registry, deletes their .vmsn
// files, restacks the disks and says whether the VM needs consolidation.
func (h *harness) dropSnapshots(ctx *simulator.Context, vm *simulator.VirtualMachine, snaps []types.ManagedObjectReference, c *vmChain) {
	gone := map[types.ManagedObjectReference]bool{}
	for _, s := range snaps {
		gone[s] = true
	}
	// .vmsn files of the removed snapshots.
	files := map[int32]string{}
	for _, f := range vm.LayoutEx.File {
		files[f.Key] = f.Name
	}
	for _, sl := range vm.LayoutEx.Snapshot {
		if gone[sl.Key] {
			// Only a snapshot's own state file: layoutEx's file keys may have been renumbered since
			// the snapshot layout was made, and a stale key must not name a disk's descriptor.
			if name, ok := files[sl.DataKey]; ok && strings.HasSuffix(name, ".vmsn") {
				var dp object.DatastorePath
				dp.FromString(name)
				_ = os.Remove(h.localPath(dp.Datastore, dp.Path))
			}
		}
	}
	kept := vm.LayoutEx.Snapshot[:0]
	for _, sl := range vm.LayoutEx.Snapshot {
		if !gone[sl.Key] {
			kept = append(kept, sl)
		}
	}
	vm.LayoutEx.Snapshot = kept
	keptLayout := vm.Layout.Snapshot[:0]
	for _, sl := range vm.Layout.Snapshot {
		if !gone[sl.Key] {
			keptLayout = append(keptLayout, sl)
		}
	}
	vm.Layout.Snapshot = keptLayout

	// The tree: a chain, so the survivors stay a chain; the current snapshot is the newest left.
	var tree []types.VirtualMachineSnapshotTree
	var current *types.ManagedObjectReference
	var walk func(nodes []types.VirtualMachineSnapshotTree) []types.VirtualMachineSnapshotTree
	walk = func(nodes []types.VirtualMachineSnapshotTree) []types.VirtualMachineSnapshotTree {
		var out []types.VirtualMachineSnapshotTree
		for _, n := range nodes {
			children := walk(n.ChildSnapshotList)
			if gone[n.Snapshot] {
				out = append(out, children...)
				continue
			}
			n.ChildSnapshotList = children
			out = append(out, n)
		}
		return out
	}
	if vm.Snapshot != nil {
		tree = walk(vm.Snapshot.RootSnapshotList)
	}
	for i := len(c.layers) - 1; i >= 0 && current == nil; i-- {
		if s := c.layers[i].snapshot; s != nil {
			ref := *s
			current = &ref
		}
	}
	stackBackings(vm, c)
	refreshLayout(ctx, vm)
	changes := []types.PropertyChange{{Name: "config.hardware.device", Val: vm.Config.Hardware.Device}}
	if len(tree) == 0 {
		changes = append(changes, types.PropertyChange{Name: "snapshot", Val: nil}, types.PropertyChange{Name: "rootSnapshot", Val: nil})
	} else {
		roots := make([]types.ManagedObjectReference, len(tree))
		for i, n := range tree {
			roots[i] = n.Snapshot
		}
		changes = append(changes,
			types.PropertyChange{Name: "snapshot", Val: &types.VirtualMachineSnapshotInfo{CurrentSnapshot: current, RootSnapshotList: tree}},
			types.PropertyChange{Name: "rootSnapshot", Val: roots})
	}
	changes = append(changes, types.PropertyChange{Name: "runtime.consolidationNeeded", Val: hasOrphans(c)})
	ctx.Update(vm, changes)
	for _, s := range snaps {
		ctx.Map.Remove(ctx, s)
	}
}

// startRemediation registers the task and runs it: refused at once with TaskInProgress while
// another harness task holds the VM.
func (h *harness) startRemediation(ctx *simulator.Context, vm *simulator.VirtualMachine, name, descriptionId, kind string, bytes int64, apply func()) types.ManagedObjectReference {
	task := h.newTask(ctx, vm, name, descriptionId)
	chain := h.startTaskHistory(ctx, task, vm)
	h.mu.Lock()
	busy := h.inflight[vm.Self]
	if !busy {
		h.inflight[vm.Self] = true
	}
	h.mu.Unlock()
	gctx := *ctx
	rm := &remediation{h: h, ctx: &gctx, vm: vm, task: task, kind: kind, bytes: bytes, apply: apply, vmName: vm.Name, chain: chain}
	var once sync.Once
	rm.release = func() {
		once.Do(func() {
			if busy {
				return // the VM belongs to the task in flight
			}
			h.forgetCancel(task.Self)
			h.mu.Lock()
			delete(h.inflight, vm.Self)
			h.mu.Unlock()
		})
	}
	ctx.Map.AtomicUpdate(ctx, task, []types.PropertyChange{
		{Name: "info.startTime", Val: time.Now()},
		{Name: "info.state", Val: types.TaskInfoStateRunning},
	})
	if busy {
		rm.end(&types.TaskInProgress{Task: task.Self}, "Another task is already in progress.", false)
	} else {
		h.onCancel(task.Self, rm.release)
		go rm.run()
	}
	return task.Self
}

// end finishes the task unless CancelTask already did; with ok, the change is applied first.
func (rm *remediation) end(fault types.BaseMethodFault, msg string, ok bool) {
	rm.ctx.Map.WithLock(rm.ctx, rm.task, func() {
		if rm.task.Info.State != types.TaskInfoStateRunning {
			return
		}
		if ok {
			rm.ctx.WithLock(rm.vm, rm.apply)
		}
		rm.release() // another task of the VM is accepted as soon as this one is seen to end
		changes := []types.PropertyChange{{Name: "info.completeTime", Val: time.Now()}}
		if fault != nil {
			changes = append(changes,
				types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateError},
				types.PropertyChange{Name: "info.error", Val: &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}})
		} else {
			changes = append(changes, types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateSuccess})
		}
		rm.ctx.Update(rm.task, changes)
	})
}

func (rm *remediation) running() bool {
	var state types.TaskInfoState
	rm.ctx.Map.WithLock(rm.ctx, rm.task, func() { state = rm.task.Info.State })
	return state == types.TaskInfoStateRunning
}

func (rm *remediation) run() {
	defer rm.release()
	s := rm.h.remediationSettings()
	scale := rm.h.relocateSettings()
	total := float64(s.FixedMs)
	if s.BytesPerSecond > 0 {
		total += float64(rm.bytes) / s.BytesPerSecond * 1000
	}
	duration := scale.real(total)
	tick := scale.real(float64(s.ProgressIntervalMs))
	if s.ProgressIntervalMs == 0 {
		tick = scale.real(250)
	}
	failAt := time.Duration(math.MaxInt64)
	injected := rm.h.takeTaskFault(rm.vmName, rm.kind)
	if injected != nil {
		pct := 50.0
		if injected.AtPercent != nil {
			pct = *injected.AtPercent
		}
		failAt = time.Duration(float64(duration) * pct / 100)
	}
	start := time.Now()
	lastPct := int32(-1)
	lastTick := time.Time{}
	for {
		elapsed := time.Since(start)
		if elapsed >= failAt {
			f, err := newFault(injected.Fault, injected.Message)
			if err != nil {
				f = &types.SystemError{Reason: injected.Message}
			}
			rm.end(f, injected.Message, false)
			return
		}
		if elapsed >= duration {
			break
		}
		if !rm.running() {
			return
		}
		if s.ProgressIntervalMs >= 0 && time.Since(lastTick) >= tick {
			pct := int32(100 * float64(elapsed) / float64(duration))
			if pct != lastPct {
				rm.ctx.Map.WithLock(rm.ctx, rm.task, func() {
					if rm.task.Info.State == types.TaskInfoStateRunning {
						rm.ctx.Update(rm.task, []types.PropertyChange{{Name: "info.progress", Val: pct}})
					}
				})
				lastPct = pct
			}
			lastTick = time.Now()
		}
		wait := min(50*time.Millisecond, duration-elapsed, failAt-elapsed)
		if tick > 0 && tick < wait {
			wait = max(tick, 5*time.Millisecond)
		}
		time.Sleep(wait)
	}
	rm.end(nil, "", true)
}
