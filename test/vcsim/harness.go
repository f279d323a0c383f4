package main

// The harness's changes to vcsim's behaviour, all made through the registry's Handler hook
// (consulted before every SOAP method) so the inventory objects stay vcsim's own types. The hook
// cannot hand back another handler (vcsim looks the object up again in the caller's session,
// which falls back to the global registry), but it can point the method at another object: it
// rewrites method.This to a proxy registered under its own type.
//   - RelocateVM_Task is served by relocate.go (unless relocate.mode is "stock");
//   - CreateFilter also wakes a WaitForUpdatesEx in flight on that collector, so the new filter's
//     current state is reported at once, as vCenter does (vcsim reports it only once some object
//     changes: a filter on an already finished task would never be reported);
//   - ModifyListView changes the view under the view's lock and tells the collectors after
//     releasing it (listView.go): vcsim tells them while holding it, and a WaitForUpdatesEx that
//     holds the filter's lock while it reads the view then deadlocks with it;
//   - sessions can be expired on command ("expireSessions"), as an idle timeout would;
//   - property reads need a session, as on a real vCenter (vcsim serves RetrieveProperties,
//     RetrievePropertiesEx and Fetch without one, which would hide a lost session).

import (
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type faultState struct {
	FaultSpec
	remaining int // strikes left when Times > 0
}

type harness struct {
	model *simulator.Model
	built *built

	mu           sync.Mutex
	relocate     RelocateSpec
	remediation  RemediationSpec
	faults       map[string]*faultState // by VM name and task kind
	expireBefore time.Time
	inflight     map[types.ManagedObjectReference]bool // VMs with a relocation in flight
	flight       flightStats                           // relocation tasks in flight, as tests check them
	admission    *admission
	engine       *copyEngine
	proxies      map[string]mo.Reference                 // proxy by what it serves and the object it stands for
	cancels      map[types.ManagedObjectReference]func() // what a CancelTask of a harness task frees
	calls        map[string]int                          // SOAP calls received, by method
	relocations  *gate                                   // RelocateVM_Task calls held unanswered (gate.go)
}

func newHarness(model *simulator.Model, b *built, spec *Spec) *harness {
	h := &harness{
		model:       model,
		built:       b,
		relocate:    spec.Relocate,
		remediation: spec.Remediation,
		faults:      map[string]*faultState{},
		inflight:    map[types.ManagedObjectReference]bool{},
		flight:      newFlightStats(),
		proxies:     map[string]mo.Reference{},
		cancels:     map[types.ManagedObjectReference]func(){},
		calls:       map[string]int{},
		relocations: newGate(),
	}
	h.admission = newAdmission(spec.Relocate.MaxPerHost, spec.Relocate.MaxPerDatastore)
	h.engine = newCopyEngine(h)
	for _, f := range spec.Faults {
		h.setFault(f)
	}
	model.Map().Handler = h.intercept
	return h
}

func faultKey(vm, task string) string {
	if task == "" {
		task = "relocate"
	}
	return vm + "\x00" + task
}

func (h *harness) setFault(f FaultSpec) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[faultKey(f.Vm, f.Task)] = &faultState{FaultSpec: f, remaining: f.Times}
}

// takeFault returns the fault this relocation attempt of vm must end in, if any, counting it.
func (h *harness) takeFault(vm string) *FaultSpec {
	return h.takeTaskFault(vm, "relocate")
}

// takeTaskFault returns the fault this attempt of a task of vm must end in, if any, counting it.
func (h *harness) takeTaskFault(vm, task string) *FaultSpec {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.faults[faultKey(vm, task)]
	if f == nil {
		return nil
	}
	if f.Times > 0 {
		if f.remaining == 0 {
			return nil
		}
		f.remaining--
	}
	spec := f.FaultSpec
	return &spec
}

func (h *harness) expireSessions() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expireBefore = time.Now()
}

func (h *harness) sessionExpired(s *simulator.Session) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.expireBefore.IsZero() && !s.LoginTime.After(h.expireBefore)
}

var sessionless = map[string]bool{
	"RetrieveServiceContent": true, "Login": true, "LoginByToken": true,
	"LoginExtensionByCertificate": true, "CloneSession": true,
}

func notAuthenticated(m *simulator.Method) types.BaseMethodFault {
	return &types.NotAuthenticated{NoPermission: types.NoPermission{Object: &m.This, PrivilegeId: "System.View"}}
}

func (h *harness) intercept(ctx *simulator.Context, m *simulator.Method) (mo.Reference, types.BaseMethodFault) {
	if internalSession(ctx) != nil {
		return nil, nil // the harness's own calls (idle timeout changes) are neither counted nor expired
	}
	h.mu.Lock()
	h.calls[m.Name]++
	h.mu.Unlock()
	if ctx.Session != nil && h.sessionExpired(ctx.Session) {
		sm := ctx.Map.SessionManager()
		// TerminateSession only refuses to end the caller's own session: call it as nobody.
		sm.TerminateSession(&simulator.Context{Session: &simulator.Session{}},
			&types.TerminateSession{SessionId: []string{ctx.Session.Key}})
		if !sessionless[m.Name] {
			return nil, notAuthenticated(m)
		}
		// A login that still carries the dead session's cookie starts a new session, as on vCenter
		// (vcsim would answer InvalidLogin because a session is attached).
		ctx.Session = nil
	}
	if ctx.Session == nil {
		switch m.Name {
		case "RetrieveProperties", "RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "Fetch":
			return nil, notAuthenticated(m)
		}
	}
	switch m.Name {
	case "RelocateVM_Task":
		if vm, ok := ctx.Map.Get(m.This).(*simulator.VirtualMachine); ok && h.mode() == "harness" {
			m.This = h.proxy(ctx, "Relocate", m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &relocatingVM{Self: self, vm: vm, h: h}
			})
		}
	case "RemoveAllSnapshots_Task", "ConsolidateVMDisks_Task":
		if vm, ok := ctx.Map.Get(m.This).(*simulator.VirtualMachine); ok {
			m.This = h.proxy(ctx, "Remediate", m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &remediatingVM{Self: self, vm: vm, h: h}
			})
		}
	case "RemoveSnapshot_Task":
		if snap, ok := ctx.Map.Get(m.This).(*simulator.VirtualMachineSnapshot); ok {
			if vm, ok := ctx.Map.Get(snap.Vm).(*simulator.VirtualMachine); ok {
				ref := m.This
				m.This = h.proxy(ctx, "Remediate", m.This, func(self types.ManagedObjectReference) mo.Reference {
					return &remediatingSnapshot{Self: self, snapshot: ref, vm: vm, h: h}
				})
			}
		}
	case "ReconfigureComputeResource_Task":
		if cluster, ok := ctx.Map.Get(m.This).(*simulator.ClusterComputeResource); ok {
			if req, ok := m.Body.(*types.ReconfigureComputeResource_Task); ok && req.Modify && onlyDrsVmConfig(req.Spec) {
				m.This = h.proxy(ctx, "Reconfigure", m.This, func(self types.ManagedObjectReference) mo.Reference {
					return &reconfiguringCluster{Self: self, cluster: cluster, h: h}
				})
			}
		}
	case "CancelTask":
		if task, ok := ctx.Map.Get(m.This).(*simulator.Task); ok && h.cancellable(m.This) {
			m.This = h.proxy(ctx, "Cancel", m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &cancellingTask{Self: self, task: task, h: h}
			})
		}
	case "ModifyListView":
		if ctx.Session == nil {
			break
		}
		if _, ok := ctx.Session.Get(m.This).(*simulator.ListView); ok {
			m.This = h.proxy(ctx, "Modify", m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &listViewProxy{Self: self, target: m.This}
			})
		}
	case "CreateFilter":
		if m.This.Type == "PropertyCollector" {
			m.This = h.proxy(ctx, "Filter", m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &collectorProxy{Self: self, target: m.This}
			})
		}
	}
	return nil, nil
}

// proxy returns the reference of the proxy of this kind standing for ref, registering it the
// first time (one object may have several: one per kind of method the harness serves for it).
func (h *harness) proxy(ctx *simulator.Context, kind string, ref types.ManagedObjectReference, create func(types.ManagedObjectReference) mo.Reference) types.ManagedObjectReference {
	self := types.ManagedObjectReference{Type: "Svmig" + kind + ref.Type, Value: ref.Value}
	h.mu.Lock()
	p := h.proxies[self.Type+":"+self.Value]
	if p == nil {
		p = create(self)
		h.proxies[self.Type+":"+self.Value] = p
	}
	h.mu.Unlock()
	if ctx.Map.Get(p.Reference()) == nil {
		ctx.Map.Put(p)
	}
	return p.Reference()
}

// collectorProxy serves CreateFilter for a property collector (whichever session's it is).
type collectorProxy struct {
	Self   types.ManagedObjectReference
	target types.ManagedObjectReference
}

func (p *collectorProxy) Reference() types.ManagedObjectReference { return p.Self }

func (p *collectorProxy) CreateFilter(ctx *simulator.Context, req *types.CreateFilter) soap.HasFault {
	pc, ok := ctx.Session.Get(p.target).(*simulator.PropertyCollector)
	if !ok {
		return &methods.CreateFilterBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: p.target})}
	}
	res := pc.CreateFilter(ctx, req)
	// Any object event makes a waiting WaitForUpdatesEx collect its filters again, reporting the
	// new one's objects; the collector's own reference is a harmless object to name.
	pc.PutObject(ctx, pc)
	return res
}

// internalSession is the session of vcsim's in-process client (the harness's own calls, such as
// setting the idle timeout), or nil for a client's call. It is recognised by what it lacks: it
// never logged in, so it has no user name and no login time.
func internalSession(ctx *simulator.Context) *simulator.Session {
	if ctx.Session != nil && ctx.Session.UserName == "" && ctx.Session.Key != "" && ctx.Session.LoginTime.IsZero() {
		return ctx.Session
	}
	return nil
}

func (h *harness) mode() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.relocate.Mode == "" {
		return "harness"
	}
	return h.relocate.Mode
}

func (h *harness) remediationSettings() RemediationSpec {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.remediation
}

func (h *harness) relocateSettings() RelocateSpec {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.relocate
}

// flightStats counts the relocation tasks the simulator holds, from the moment a task exists until
// it ends (waiting for admission included): how many at most were in flight at once, in all and
// per host, and how many each VM got. Tests check a policy's limits against these, not against the
// executor's own counters. Guarded by harness.mu.
type flightStats struct {
	now       map[string]int
	peak      map[string]int
	total     int
	peakTotal int
	perVM     map[string]int
}

func newFlightStats() flightStats {
	return flightStats{now: map[string]int{}, peak: map[string]int{}, perVM: map[string]int{}}
}

func (f *flightStats) start(host, vm string) {
	f.now[host]++
	if f.now[host] > f.peak[host] {
		f.peak[host] = f.now[host]
	}
	f.total++
	if f.total > f.peakTotal {
		f.peakTotal = f.total
	}
	f.perVM[vm]++
}

func (f *flightStats) end(host string) {
	f.now[host]--
	f.total--
}

// onCancel registers what to free when a harness task is cancelled; forgetCancel drops it.
func (h *harness) onCancel(task types.ManagedObjectReference, free func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cancels[task] = free
}

func (h *harness) forgetCancel(task types.ManagedObjectReference) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.cancels, task)
}

func (h *harness) cancellable(task types.ManagedObjectReference) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cancels[task] != nil
}

// cancellingTask serves CancelTask for a harness task: vcsim's CancelTask ends it, then the VM and
// the admission slots are freed at once, so the next task of the VM is not refused as busy while
// the task's goroutine winds down.
type cancellingTask struct {
	Self types.ManagedObjectReference
	task *simulator.Task
	h    *harness
}

func (p *cancellingTask) Reference() types.ManagedObjectReference { return p.Self }

func (p *cancellingTask) CancelTask(ctx *simulator.Context, req *types.CancelTask) soap.HasFault {
	var res soap.HasFault
	ctx.WithLock(p.task, func() { res = p.task.CancelTask(ctx, req) })
	if res.Fault() == nil {
		p.h.mu.Lock()
		free := p.h.cancels[p.task.Self]
		p.h.mu.Unlock()
		if free != nil {
			free()
		}
	}
	return res
}
