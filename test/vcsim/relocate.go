package main

// The harness's RelocateVM_Task. vcsim's own handler (virtual_machine.go RelocateVMTask) only
// rewrites the VM's `datastore`, `resourcePool` and `runtime.host` properties: disk backings,
// the vmx path, layoutEx, datastore free space and back-references stay where they were, per-disk
// locators (spec.disk) are ignored, a cancelled task later flips to success and the VM moves
// anyway, and an unknown reference in the spec panics the task goroutine. A test that checks each
// VM's disks after a migration would pass against vcsim without anything having moved, so the
// harness serves the method itself:
//   - the task runs for fixedMs + copied bytes / bytesPerSecond, reporting info.progress;
//   - it may wait for admission (maxPerHost / maxPerDatastore) in state running, with the
//     "Resources currently in use by other operations. Waiting." description;
//   - CancelTask (vcsim's) ends it in error with RequestCanceled and nothing moves;
//   - an injected fault ends it in error at its percentage and nothing moves;
//   - on success it moves the disk files (and the home files when spec.datastore changes the
//     home), rewrites backing.fileName/datastore, the vmx paths, layoutEx and storage (through
//     vcsim's RefreshStorageInfo), the VM's datastore list, host and pool, datastore free space
//     and the datastore/host/pool back-references, in one property-collector update per object.

import (
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// relocatingVM is the proxy RelocateVM_Task calls are pointed at (see harness.go).
type relocatingVM struct {
	Self types.ManagedObjectReference
	vm   *simulator.VirtualMachine
	h    *harness
}

func (r *relocatingVM) Reference() types.ManagedObjectReference { return r.Self }

type diskMove struct {
	disk     *types.VirtualDisk
	fromDS   string
	toDS     string
	toRef    types.ManagedObjectReference
	relPaths []string // the chain's descriptors inside the datastore, top first: "vm/vm-000001.vmdk", "vm/vm.vmdk"
	copySize int64    // allocated bytes (the chain's extents)
}

type relocatePlan struct {
	vmName   string
	homeFrom string
	homeTo   string
	homeRef  types.ManagedObjectReference
	moves    []diskMove
	hostFrom types.ManagedObjectReference
	hostTo   *types.ManagedObjectReference
	poolTo   *types.ManagedObjectReference
	bytes    int64
	// resources the admission model charges
	hosts      []types.ManagedObjectReference
	datastores []types.ManagedObjectReference
}

var (
	msgWaiting = types.LocalizableMessage{
		Key:     "com.vmware.vim.vpxd.vpx.vmprov.WaitForResources",
		Message: "Resources currently in use by other operations. Waiting.",
	}
	msgCopying = types.LocalizableMessage{
		Key:     "com.vmware.vim.vpxd.vpx.vmprov.CopyVmFiles",
		Message: "Migrating Virtual Machine active state",
	}
)

func datastoreName(p string) string {
	var dp object.DatastorePath
	if dp.FromString(p) {
		return dp.Datastore
	}
	return ""
}

func (h *harness) lookup(ctx *simulator.Context, ref *types.ManagedObjectReference, kind string) (any, types.BaseMethodFault) {
	if ref == nil {
		return nil, nil
	}
	obj := ctx.Map.Get(*ref)
	if obj == nil || ref.Type != kind {
		return nil, &types.ManagedObjectNotFound{Obj: *ref}
	}
	return obj, nil
}

// plan checks the spec the way vCenter does before it returns a task: unknown references are
// method faults (vcsim would panic inside the task).
func (r *relocatingVM) plan(ctx *simulator.Context, spec *types.VirtualMachineRelocateSpec) (*relocatePlan, types.BaseMethodFault) {
	vm := r.vm
	p := &relocatePlan{vmName: vm.Name, hostFrom: *vm.Runtime.Host}
	p.homeFrom = datastoreName(vm.Config.Files.VmPathName)
	p.homeTo = p.homeFrom

	dsObj, fault := r.h.lookup(ctx, spec.Datastore, "Datastore")
	if fault != nil {
		return nil, fault
	}
	if dsObj != nil {
		ds := dsObj.(*simulator.Datastore)
		p.homeTo, p.homeRef = ds.Name, ds.Self
	}
	if _, fault := r.h.lookup(ctx, spec.Host, "HostSystem"); fault != nil {
		return nil, fault
	}
	p.hostTo = spec.Host
	if spec.Pool != nil {
		if _, fault := r.h.lookup(ctx, spec.Pool, "ResourcePool"); fault != nil {
			return nil, fault
		}
		p.poolTo = spec.Pool
	}

	locators := map[int32]*simulator.Datastore{}
	for _, loc := range spec.Disk {
		obj, fault := r.h.lookup(ctx, &loc.Datastore, "Datastore")
		if fault != nil {
			return nil, fault
		}
		locators[loc.DiskId] = obj.(*simulator.Datastore)
	}

	devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
	for _, loc := range spec.Disk {
		if d, ok := devices.FindByKey(loc.DiskId).(*types.VirtualDisk); !ok || d == nil {
			return nil, &types.InvalidArgument{InvalidProperty: "spec.disk.diskId"}
		}
	}
	for _, dev := range devices.SelectByType((*types.VirtualDisk)(nil)) {
		disk := dev.(*types.VirtualDisk)
		backing, ok := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo)
		if !ok {
			continue
		}
		var dp object.DatastorePath
		if !dp.FromString(backing.GetVirtualDeviceFileBackingInfo().FileName) {
			continue
		}
		to := p.homeTo
		toRef := p.homeRef
		if ds := locators[disk.Key]; ds != nil {
			to, toRef = ds.Name, ds.Self
		} else if spec.Datastore == nil {
			to = dp.Datastore
		}
		if to == dp.Datastore {
			continue
		}
		// The whole chain moves: snapshot deltas sit beside their parent disk.
		m := diskMove{disk: disk, fromDS: dp.Datastore, toDS: to, toRef: toRef}
		for _, b := range chainBackings(disk) {
			var bp object.DatastorePath
			bp.FromString(b.FileName)
			m.relPaths = append(m.relPaths, bp.Path)
			if fi, err := os.Stat(r.h.localPath(bp.Datastore, simulator.VirtualDiskBackingFileName(bp.Path))); err == nil {
				m.copySize += fi.Size()
			}
		}
		if len(m.relPaths) == 0 { // not a flat disk: its one file
			m.relPaths = []string{dp.Path}
			if fi, err := os.Stat(r.h.localPath(dp.Datastore, simulator.VirtualDiskBackingFileName(dp.Path))); err == nil {
				m.copySize = fi.Size()
			}
		}
		p.moves = append(p.moves, m)
		p.bytes += m.copySize
	}

	p.hosts = []types.ManagedObjectReference{p.hostFrom}
	if p.hostTo != nil && *p.hostTo != p.hostFrom {
		p.hosts = append(p.hosts, *p.hostTo)
	}
	seen := map[string]bool{}
	addDS := func(name string) {
		if !seen[name] {
			seen[name] = true
			p.datastores = append(p.datastores, r.h.built.datastores[name].Self)
		}
	}
	if p.homeTo != p.homeFrom {
		addDS(p.homeFrom)
		addDS(p.homeTo)
	}
	for _, m := range p.moves {
		addDS(m.fromDS)
		addDS(m.toDS)
	}
	return p, nil
}

// sources is how many distinct datastores the moved disks come from: the parallel streams of the copy.
func (p *relocatePlan) sources() int {
	seen := map[string]bool{}
	for _, m := range p.moves {
		if m.copySize > 0 {
			seen[m.fromDS] = true
		}
	}
	return len(seen)
}

func (h *harness) localPath(ds, rel string) string {
	return h.built.localPath(ds, rel)
}

func (b *built) localPath(ds, rel string) string {
	return filepath.Join(b.dsDir[ds], filepath.FromSlash(rel))
}

// RelocateVMTask is called by vcsim's dispatcher with the proxy's lock held; it takes the VM's.
func (r *relocatingVM) RelocateVMTask(ctx *simulator.Context, req *types.RelocateVM_Task) soap.HasFault {
	defer r.h.relocations.enter()()
	var res soap.HasFault
	ctx.WithLock(r.vm, func() { res = r.relocate(ctx, req) })
	return res
}

func (r *relocatingVM) relocate(ctx *simulator.Context, req *types.RelocateVM_Task) soap.HasFault {
	body := &methods.RelocateVM_TaskBody{}
	plan, fault := r.plan(ctx, &req.Spec)
	if fault != nil {
		body.Fault_ = simulator.Fault("", fault)
		return body
	}

	task := r.h.newTask(ctx, r.vm, "RelocateVM_Task", "VirtualMachine.relocate")
	chain := r.h.startTaskHistory(ctx, task, r.vm)

	// The goroutine gets its own context: the request's one is the lock owner of the VM right
	// now, and sharing it would let the goroutine enter that lock while the request holds it.
	gctx := *ctx
	run := &relocation{h: r.h, ctx: &gctx, vm: r.vm, task: task, plan: plan, chain: chain}

	vmRef := r.vm.Self
	r.h.mu.Lock()
	busy := r.h.inflight[vmRef]
	hostName := plan.hostFrom.Value
	if host, ok := ctx.Map.Get(plan.hostFrom).(*simulator.HostSystem); ok {
		hostName = host.Name
	}
	run.hostName = hostName
	if !busy {
		r.h.inflight[vmRef] = true
		r.h.flight.start(hostName, r.vm.Name)
		run.attempt = r.h.flight.perVM[r.vm.Name]
		run.inFlight = true
	}
	r.h.mu.Unlock()

	// Admission is decided before the task is handed back, so its first state already says
	// whether it copies or waits: vCenter keeps a task that waits for resources in state
	// running and says so only in info.description.
	changes := []types.PropertyChange{
		{Name: "info.startTime", Val: time.Now()},
		{Name: "info.state", Val: types.TaskInfoStateRunning},
	}
	if !busy {
		run.admitted = r.h.admission.tryAcquire(plan)
		desc := msgCopying
		if !run.admitted {
			desc = msgWaiting
		}
		changes = append(changes, types.PropertyChange{Name: "info.description", Val: &desc})
	}
	ctx.Map.AtomicUpdate(ctx, task, changes)
	if busy {
		run.fail(&types.TaskInProgress{Task: task.Self}, "Another task is already in progress.")
	} else {
		r.h.onCancel(task.Self, run.endFlight)
		go run.run()
	}
	body.Res = &types.RelocateVM_TaskResponse{Returnval: task.Self}
	return body
}

// newTask registers a cancelable task of the harness's own, named as vCenter names it.
func (h *harness) newTask(ctx *simulator.Context, vm *simulator.VirtualMachine, name, descriptionId string) *simulator.Task {
	task := simulator.CreateTask(vm, "harnessTask", nil)
	task.Info.Name = name
	task.Info.DescriptionId = descriptionId
	task.Info.EntityName = vm.Name // vcsim puts the moid here; vCenter the VM's name
	task.Info.Cancelable = true
	task.Info.Reason = &types.TaskReasonUser{UserName: ctx.Session.UserName}
	ctx.Map.Put(task) // assigns task.Self
	task.Info.Key = task.Self.Value
	task.Info.Task = task.Self
	return task
}

type relocation struct {
	hostName string
	attempt  int
	chain    int32
	inFlight bool // counted in inflight/flight (not a TaskInProgress refusal)

	mu       sync.Mutex
	admitted bool // holds its admission slots
	ended    bool // endFlight ran (the task ended or was cancelled)
	h        *harness
	ctx      *simulator.Context
	vm       *simulator.VirtualMachine
	task     *simulator.Task
	plan     *relocatePlan
}

// running reports whether the task is still running (a CancelTask ends it from outside).
func (rl *relocation) running() bool {
	var state types.TaskInfoState
	rl.ctx.Map.WithLock(rl.ctx, rl.task, func() { state = rl.task.Info.State })
	return state == types.TaskInfoStateRunning
}

func (rl *relocation) update(changes ...types.PropertyChange) {
	rl.ctx.Map.WithLock(rl.ctx, rl.task, func() {
		if rl.task.Info.State == types.TaskInfoStateRunning {
			rl.ctx.Update(rl.task, changes)
		}
	})
}

// finish ends the task unless it already ended (cancelled), running apply first under the task
// lock so that a CancelTask cannot slip in between the move and the success. It reports the
// fault the task ended with (nil on success) and whether this call ended it.
func (rl *relocation) finish(apply func() (types.BaseMethodFault, string)) (*types.LocalizedMethodFault, bool) {
	var ended *types.LocalizedMethodFault
	mine := false
	rl.ctx.Map.WithLock(rl.ctx, rl.task, func() {
		if rl.task.Info.State != types.TaskInfoStateRunning {
			return
		}
		mine = true
		fault, msg := apply()
		rl.endFlight() // a new relocation of the VM is accepted as soon as this one is seen to end
		changes := []types.PropertyChange{{Name: "info.completeTime", Val: time.Now()}}
		if fault != nil {
			ended = &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}
			changes = append(changes,
				types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateError},
				types.PropertyChange{Name: "info.error", Val: ended})
		} else {
			changes = append(changes, types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateSuccess})
		}
		rl.ctx.Update(rl.task, changes)
	})
	return ended, mine
}

func (rl *relocation) fail(fault types.BaseMethodFault, msg string) {
	rl.finish(func() (types.BaseMethodFault, string) { return fault, msg })
}

// cancelledFault is what a task ended by CancelTask carries, for the failure event.
func (rl *relocation) cancelledFault() *types.LocalizedMethodFault {
	var f *types.LocalizedMethodFault
	rl.ctx.Map.WithLock(rl.ctx, rl.task, func() { f = rl.task.Info.Error })
	return f
}

// endFlight frees the VM for another relocation and the admission slots, once: when the task
// ends, or at once when CancelTask ends it (vCenter frees the resources of a cancelled migration).
func (rl *relocation) endFlight() {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.ended {
		return
	}
	rl.ended = true
	rl.h.forgetCancel(rl.task.Self)
	if !rl.inFlight {
		return
	}
	rl.h.mu.Lock()
	delete(rl.h.inflight, rl.vm.Self)
	rl.h.flight.end(rl.hostName)
	rl.h.mu.Unlock()
	if rl.admitted {
		rl.h.admission.release(rl.plan)
	}
}

// markAdmitted records the slots taken; false when the task ended meanwhile (the caller gives
// them back).
func (rl *relocation) markAdmitted() bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.ended {
		return false
	}
	rl.admitted = true
	return true
}

func (rl *relocation) run() {
	defer rl.endFlight()

	injected := rl.h.takeFault(rl.plan.vmName)

	// Checks vCenter makes inside the task.
	hostRef := rl.plan.hostFrom
	if rl.plan.hostTo != nil {
		hostRef = *rl.plan.hostTo
	}
	var problem types.BaseMethodFault
	var problemMsg string
	rl.ctx.Map.WithLock(rl.ctx, hostRef, func() {
		host := rl.ctx.Map.Get(hostRef).(*simulator.HostSystem)
		for _, ds := range rl.plan.datastores {
			if simulator.FindReference(host.Datastore, ds) == nil {
				name := rl.ctx.Map.Get(ds).(*simulator.Datastore).Name
				problem = &types.InvalidDatastore{Datastore: &ds, Name: name}
				problemMsg = fmt.Sprintf("The datastore '%s' is not accessible from host '%s'.", name, host.Name)
			}
		}
	})
	if problem == nil {
		need := map[string]int64{}
		for _, m := range rl.plan.moves {
			need[m.toDS] += m.copySize
		}
		for name, bytes := range need {
			ds := rl.h.built.datastores[name]
			var free int64
			rl.ctx.WithLock(ds, func() { free = ds.Summary.FreeSpace })
			if bytes > free {
				problem = &types.NoDiskSpace{Datastore: name}
				problemMsg = fmt.Sprintf("Insufficient disk space on datastore '%s'.", name)
			}
		}
	}
	if problem != nil {
		if !rl.admitted {
			rl.h.admission.leave(rl.plan)
		}
		rl.fail(problem, problemMsg)
		return
	}

	// Admission: wait, still running, until the host and datastore limits allow the copy.
	if !rl.admitted {
		for !rl.h.admission.waitAcquire(rl.plan, 50*time.Millisecond) {
			if !rl.running() {
				rl.h.admission.leave(rl.plan)
				return
			}
		}
		if !rl.markAdmitted() {
			rl.h.admission.release(rl.plan)
			return
		}
		copying := msgCopying
		rl.update(types.PropertyChange{Name: "info.description", Val: &copying})
	}
	rl.ctx.WithLock(rl.vm, func() { rl.h.migrationStarted(rl.ctx, rl.chain, rl.vm, rl.plan) })

	fault, mine := rl.copy(injected)
	if !mine {
		fault = rl.cancelledFault()
	}
	rl.ctx.WithLock(rl.vm, func() { rl.h.migrationEnded(rl.ctx, rl.chain, rl.vm, rl.plan, fault) })
}

// copy runs the setup time and the copy, reporting progress, and ends the task: success after
// moving the VM, the injected fault at its percentage, or nothing when CancelTask ended it.
func (rl *relocation) copy(injected *FaultSpec) (*types.LocalizedMethodFault, bool) {
	settings := rl.h.relocateSettings()
	setup := settings.real(float64(settings.FixedMs))
	tickMs := float64(settings.ProgressIntervalMs)
	if settings.ProgressIntervalMs == 0 {
		tickMs = 250
	}
	tick := settings.real(tickMs)
	failAt := math.Inf(1)
	if injected != nil {
		failAt = 50
		if injected.AtPercent != nil {
			failAt = *injected.AtPercent
		}
		failAt /= 100
	}
	const cancelCheck = 50 * time.Millisecond
	// Progress counts copied bytes when a rate limits the copy, else the setup time.
	byBytes := rl.plan.bytes > 0 && (settings.BytesPerSecond > 0 || settings.Link != nil)

	start := time.Now()
	var job *copyJob
	lastProgress := time.Time{}
	lastPct := int32(-1)
	for {
		elapsed := time.Since(start)
		setupDone := elapsed >= setup
		if setupDone && job == nil {
			job = rl.h.engine.start(rl.vm.Name, rl.attempt, float64(rl.plan.bytes), rl.plan.sources())
		}
		fraction := 1.0
		if byBytes {
			fraction = 0
			if job != nil {
				fraction = job.fraction(rl.h.engine)
			}
		} else if setup > 0 {
			fraction = math.Min(float64(elapsed)/float64(setup), 1)
		}
		copied := job != nil && isClosed(job.done)
		if fraction >= failAt {
			if job != nil {
				rl.h.engine.stop(job)
			}
			f, err := newFault(injected.Fault, injected.Message)
			if err != nil { // validated when the fault was set
				f = &types.SystemError{Reason: injected.Message}
			}
			return rl.finish(func() (types.BaseMethodFault, string) { return f, injected.Message })
		}
		if copied {
			break
		}
		if !rl.running() {
			if job != nil {
				rl.h.engine.stop(job)
			}
			return nil, false
		}
		if tick > 0 && settings.ProgressIntervalMs >= 0 && time.Since(lastProgress) >= tick {
			pct := int32(100 * fraction)
			if pct != lastPct && pct < 100 {
				rl.update(types.PropertyChange{Name: "info.progress", Val: pct})
				lastPct = pct
			}
			lastProgress = time.Now()
		}
		wait := cancelCheck
		if tick > 0 && tick < wait {
			wait = max(tick, 5*time.Millisecond)
		}
		if !setupDone && setup-elapsed < wait {
			wait = setup - elapsed
		}
		if job != nil {
			select {
			case <-job.done:
			case <-time.After(wait):
			}
		} else {
			time.Sleep(wait)
		}
	}
	return rl.finish(rl.apply)
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// apply moves the VM: files on disk first, then the objects the property collector serves.
func (rl *relocation) apply() (types.BaseMethodFault, string) {
	ctx, p, vm, h := rl.ctx, rl.plan, rl.vm, rl.h
	var fault types.BaseMethodFault
	var msg string

	oldDatastores := []types.ManagedObjectReference{}
	oldHost := *vm.Runtime.Host
	oldPool := vm.ResourcePool

	ctx.AutoUpdate(vm, func() {
		oldDatastores = append(oldDatastores, vm.Datastore...)
		for _, m := range p.moves {
			for _, relPath := range m.relPaths {
				for _, rel := range []string{relPath, simulator.VirtualDiskBackingFileName(relPath)} {
					if err := moveFile(h.localPath(m.fromDS, rel), h.localPath(m.toDS, rel)); err != nil {
						fault, msg = &types.FileFault{File: rel}, fmt.Sprintf("Cannot move file '%s': %s", rel, err)
						return
					}
				}
			}
			backings := chainBackings(m.disk)
			if len(backings) == 0 {
				info := m.disk.Backing.(types.BaseVirtualDeviceFileBackingInfo).GetVirtualDeviceFileBackingInfo()
				info.FileName = fmt.Sprintf("[%s] %s", m.toDS, m.relPaths[0])
				ref := m.toRef
				info.Datastore = &ref
			}
			for _, b := range backings {
				var bp object.DatastorePath
				bp.FromString(b.FileName)
				b.FileName = fmt.Sprintf("[%s] %s", m.toDS, bp.Path)
				ref := m.toRef
				b.Datastore = &ref
			}
		}

		if p.homeTo != p.homeFrom {
			var home object.DatastorePath
			home.FromString(vm.Config.Files.VmPathName)
			dir := home.Path
			if path.Ext(dir) == ".vmx" {
				dir = path.Dir(dir)
			}
			// Disk files that stay behind (kept by a locator) are not home files.
			staying := map[string]bool{}
			for _, dev := range object.VirtualDeviceList(vm.Config.Hardware.Device).SelectByType((*types.VirtualDisk)(nil)) {
				disk := dev.(*types.VirtualDisk)
				names := []string{disk.Backing.(types.BaseVirtualDeviceFileBackingInfo).GetVirtualDeviceFileBackingInfo().FileName}
				for _, b := range chainBackings(disk) {
					names = append(names, b.FileName)
				}
				for _, fn := range names {
					var dp object.DatastorePath
					if dp.FromString(fn) && dp.Datastore == p.homeFrom {
						staying[dp.Path] = true
						staying[simulator.VirtualDiskBackingFileName(dp.Path)] = true
					}
				}
			}
			entries, _ := os.ReadDir(h.localPath(p.homeFrom, dir))
			for _, e := range entries {
				rel := path.Join(dir, e.Name())
				if e.IsDir() || staying[rel] {
					continue
				}
				if err := moveFile(h.localPath(p.homeFrom, rel), h.localPath(p.homeTo, rel)); err != nil {
					fault, msg = &types.FileFault{File: rel}, fmt.Sprintf("Cannot move file '%s': %s", rel, err)
					return
				}
			}
			swap := func(s string) string {
				prefix := "[" + p.homeFrom + "]"
				if strings.HasPrefix(s, prefix) {
					return "[" + p.homeTo + "]" + strings.TrimPrefix(s, prefix)
				}
				return s
			}
			files := &vm.Config.Files
			files.VmPathName = swap(files.VmPathName)
			files.LogDirectory = swap(files.LogDirectory)
			files.SnapshotDirectory = swap(files.SnapshotDirectory)
			files.SuspendDirectory = swap(files.SuspendDirectory)
			vm.Summary.Config.VmPathName = swap(vm.Summary.Config.VmPathName)
		}

		if p.hostTo != nil {
			ref := *p.hostTo
			vm.Runtime.Host = &ref
			vm.Summary.Runtime.Host = &ref
		}
		if p.poolTo != nil {
			ref := *p.poolTo
			vm.ResourcePool = &ref
		}

		// vcsim rebuilds layout, layoutEx and storage from the files; stale entries go first.
		vm.Layout.ConfigFile, vm.Layout.LogFile, vm.Layout.SwapFile = nil, nil, ""
		vm.LayoutEx.File = nil
		vm.RefreshStorageInfo(ctx, &types.RefreshStorageInfo{This: vm.Self})

		// The datastores the VM uses now, home first.
		list := []types.ManagedObjectReference{h.built.datastores[datastoreName(vm.Config.Files.VmPathName)].Self}
		for _, dev := range object.VirtualDeviceList(vm.Config.Hardware.Device).SelectByType((*types.VirtualDisk)(nil)) {
			if ds := dev.(*types.VirtualDisk).Backing.(types.BaseVirtualDeviceFileBackingInfo).GetVirtualDeviceFileBackingInfo().Datastore; ds != nil {
				if simulator.FindReference(list, *ds) == nil {
					list = append(list, *ds)
				}
			}
		}
		vm.Datastore = list
	})
	if fault != nil {
		return fault, msg
	}

	// Free space and back-references, one update per object.
	delta := map[string]int64{}
	for _, m := range p.moves {
		delta[m.fromDS] += m.copySize
		delta[m.toDS] -= m.copySize
	}
	for name, ds := range h.built.datastores {
		was := simulator.FindReference(oldDatastores, ds.Self) != nil
		is := simulator.FindReference(vm.Datastore, ds.Self) != nil
		if delta[name] == 0 && was == is {
			continue
		}
		ctx.AutoUpdate(ds, func() {
			ds.Summary.FreeSpace = clamp(ds.Summary.FreeSpace+delta[name], 0, ds.Summary.Capacity)
			ds.Info.GetDatastoreInfo().FreeSpace = ds.Summary.FreeSpace
			if was && !is {
				simulator.RemoveReference(&ds.Vm, vm.Self)
			} else if is && simulator.FindReference(ds.Vm, vm.Self) == nil {
				ds.Vm = append(ds.Vm, vm.Self)
			}
		})
	}
	if p.hostTo != nil && *p.hostTo != oldHost {
		moveBackRef(ctx, oldHost, *p.hostTo, vm.Self)
	}
	if p.poolTo != nil && oldPool != nil && *p.poolTo != *oldPool {
		moveBackRef(ctx, *oldPool, *p.poolTo, vm.Self)
	}
	return nil, ""
}

// moveBackRef moves vm from the `Vm` list of one host or pool to another's.
func moveBackRef(ctx *simulator.Context, from, to, vm types.ManagedObjectReference) {
	field := func(obj any) *[]types.ManagedObjectReference {
		v := reflect.ValueOf(obj).Elem().FieldByName("Vm")
		return v.Addr().Interface().(*[]types.ManagedObjectReference)
	}
	if obj := ctx.Map.Get(from); obj != nil {
		ctx.AutoUpdate(obj, func() { simulator.RemoveReference(field(obj), vm) })
	}
	if obj := ctx.Map.Get(to); obj != nil {
		ctx.AutoUpdate(obj, func() {
			if simulator.FindReference(*field(obj), vm) == nil {
				*field(obj) = append(*field(obj), vm)
			}
		})
	}
}

func clamp(v, lo, hi int64) int64 {
	return max(lo, min(v, hi))
}

func moveFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	return os.Rename(from, to)
}

// newFault makes a vim25 fault of the given type name carrying message where the type has a
// place for it (SystemError.reason); the task's localizedMessage always carries it.
func newFault(name, message string) (types.BaseMethodFault, error) {
	if name == "" {
		name = "SystemError"
	}
	t, ok := types.TypeFunc()(name)
	if !ok {
		return nil, fmt.Errorf("unknown fault type %q", name)
	}
	f, ok := reflect.New(t).Interface().(types.BaseMethodFault)
	if !ok {
		return nil, fmt.Errorf("%q is not a fault type", name)
	}
	if se, ok := f.(*types.SystemError); ok {
		se.Reason = message
	}
	return f, nil
}

// admission charges each running relocation to its hosts and datastores, as vCenter's
// resource-cost model does for svMotion (limits of N per host and M per datastore).
type admission struct {
	maxHost, maxDS int
	mu             sync.Mutex
	changed        *sync.Cond
	hosts, dss     map[types.ManagedObjectReference]int
	queue          []*relocatePlan
}

func newAdmission(maxHost, maxDS int) *admission {
	a := &admission{maxHost: maxHost, maxDS: maxDS,
		hosts: map[types.ManagedObjectReference]int{}, dss: map[types.ManagedObjectReference]int{}}
	a.changed = sync.NewCond(&a.mu)
	return a
}

func (a *admission) fits(p *relocatePlan) bool {
	for _, h := range p.hosts {
		if a.maxHost > 0 && a.hosts[h] >= a.maxHost {
			return false
		}
	}
	for _, d := range p.datastores {
		if a.maxDS > 0 && a.dss[d] >= a.maxDS {
			return false
		}
	}
	return true
}

func (a *admission) take(p *relocatePlan) {
	for _, h := range p.hosts {
		a.hosts[h]++
	}
	for _, d := range p.datastores {
		a.dss[d]++
	}
}

// tryAcquire admits p at once if it fits and nobody waits before it; otherwise queues it.
func (a *admission) tryAcquire(p *relocatePlan) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue) == 0 && a.fits(p) {
		a.take(p)
		return true
	}
	a.queue = append(a.queue, p)
	return false
}

// waitAcquire waits up to d for p's turn: the first queued plan that fits goes first, so a
// small move is not held behind a big one that waits for a busy datastore.
func (a *admission) waitAcquire(p *relocatePlan, d time.Duration) bool {
	timer := time.AfterFunc(d, func() { a.mu.Lock(); a.changed.Broadcast(); a.mu.Unlock() })
	defer timer.Stop()
	a.mu.Lock()
	defer a.mu.Unlock()
	deadline := time.Now().Add(d)
	for {
		for i, q := range a.queue {
			if !a.fits(q) {
				continue
			}
			if q == p {
				a.queue = append(a.queue[:i], a.queue[i+1:]...)
				a.take(p)
				return true
			}
			break // an earlier plan fits: it goes first
		}
		if !time.Now().Before(deadline) {
			return false
		}
		a.changed.Wait()
	}
}

// leave drops p from the queue (its task was cancelled while waiting).
func (a *admission) leave(p *relocatePlan) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, q := range a.queue {
		if q == p {
			a.queue = append(a.queue[:i], a.queue[i+1:]...)
			break
		}
	}
	a.changed.Broadcast()
}

func (a *admission) release(p *relocatePlan) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, h := range p.hosts {
		a.hosts[h]--
	}
	for _, d := range p.datastores {
		a.dss[d]--
	}
	a.changed.Broadcast()
}
