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
	faults       map[string]*faultState // by VM name
	expireBefore time.Time
	inflight     map[types.ManagedObjectReference]bool // VMs with a relocation in flight
	flight       flightStats                           // relocation tasks in flight, as tests check them
	admission    *admission
	proxies      map[types.ManagedObjectReference]mo.Reference // proxy by the object it stands for
	calls        map[string]int                                // SOAP calls received, by method
}

func newHarness(model *simulator.Model, b *built, spec *Spec) *harness {
	h := &harness{
		model:    model,
		built:    b,
		relocate: spec.Relocate,
		faults:   map[string]*faultState{},
		inflight: map[types.ManagedObjectReference]bool{},
		flight:   newFlightStats(),
		proxies:  map[types.ManagedObjectReference]mo.Reference{},
		calls:    map[string]int{},
	}
	h.admission = newAdmission(spec.Relocate.MaxPerHost, spec.Relocate.MaxPerDatastore)
	for _, f := range spec.Faults {
		h.setFault(f)
	}
	model.Map().Handler = h.intercept
	return h
}

func (h *harness) setFault(f FaultSpec) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[f.Vm] = &faultState{FaultSpec: f, remaining: f.Times}
}

// takeFault returns the fault this relocation attempt of vm must end in, if any, counting it.
func (h *harness) takeFault(vm string) *FaultSpec {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.faults[vm]
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
			m.This = h.proxy(ctx, m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &relocatingVM{Self: self, vm: vm, h: h}
			})
		}
	case "CreateFilter":
		if m.This.Type == "PropertyCollector" {
			m.This = h.proxy(ctx, m.This, func(self types.ManagedObjectReference) mo.Reference {
				return &collectorProxy{Self: self, target: m.This}
			})
		}
	}
	return nil, nil
}

// proxy returns the reference of the proxy standing for ref, registering it the first time.
func (h *harness) proxy(ctx *simulator.Context, ref types.ManagedObjectReference, create func(types.ManagedObjectReference) mo.Reference) types.ManagedObjectReference {
	h.mu.Lock()
	p := h.proxies[ref]
	if p == nil {
		p = create(types.ManagedObjectReference{Type: "SvmigProxy" + ref.Type, Value: ref.Value})
		h.proxies[ref] = p
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
