package main

// The harness's changes to vcsim's behaviour, all made through the registry's Handler hook
// (consulted before every SOAP method) so the inventory objects stay vcsim's own types:
//   - RelocateVM_Task is served by relocate.go (unless relocate.mode is "stock");
//   - sessions can be expired on command ("expireSessions"), as an idle timeout would;
//   - property reads need a session, as on a real vCenter (vcsim serves RetrieveProperties,
//     RetrievePropertiesEx and Fetch without one, which would hide a lost session).

import (
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
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
	admission    *admission
}

func newHarness(model *simulator.Model, b *built, spec *Spec) *harness {
	h := &harness{
		model:    model,
		built:    b,
		relocate: spec.Relocate,
		faults:   map[string]*faultState{},
		inflight: map[types.ManagedObjectReference]bool{},
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
	if m.Name == "RelocateVM_Task" && h.mode() == "harness" {
		if vm, ok := ctx.Map.Get(m.This).(*simulator.VirtualMachine); ok {
			return &relocatingVM{VirtualMachine: vm, h: h}, nil
		}
	}
	return nil, nil
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
