package main

// What the harness's own tasks leave in vCenter's history, as vCenter does:
//   - every task is in the TaskManager's history (vcsim puts it there when the task object is
//     registered) with queueTime, startTime and completeTime, and the descriptionId vCenter uses
//     ("VirtualMachine.relocate", not vcsim's "VirtualMachine.relocateVm");
//   - a TaskEvent is posted when the task is created; its key is the task's eventChainId, and
//     every later event of the operation carries that chainId (vcsim's PostEvent makes each
//     event a chain of its own; the harness sets the chain afterwards);
//   - a migration of a powered-on VM (vMotion or Storage vMotion) posts VmBeingHotMigratedEvent
//     when the copy starts and VmMigratedEvent when it ends, or VmFailedMigrateEvent; a powered-off
//     VM posts VmBeingRelocatedEvent / VmRelocatedEvent / VmRelocateFailedEvent. This is what
//     PowerCLI scripts that read the vMotion/svMotion history (vCheck, Get-VMotion) and VMware's
//     pyVmomi sample rely on.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// postEvent posts ev (vcsim fills key, createdTime, userName) and puts it in chain (0: its own).
func (h *harness) postEvent(ctx *simulator.Context, chain int32, ev types.BaseEvent) int32 {
	m := ctx.Map.EventManager()
	var key int32
	ctx.WithLock(m, func() {
		m.PostEvent(ctx, &types.PostEvent{EventToPost: ev})
		e := ev.GetEvent()
		if chain != 0 {
			e.ChainId = chain
		}
		key = e.Key
	})
	return key
}

// startTaskHistory posts the task's TaskEvent and makes its key the task's event chain.
func (h *harness) startTaskHistory(ctx *simulator.Context, task *simulator.Task, vm *simulator.VirtualMachine) int32 {
	ev := &types.TaskEvent{Event: h.vmEventBase(ctx, vm), Info: task.Info}
	chain := h.postEvent(ctx, 0, ev)
	task.Info.EventChainId = chain
	ev.Info.EventChainId = chain
	return chain
}

func (h *harness) dcArg() *types.DatacenterEventArgument {
	return &types.DatacenterEventArgument{EntityEventArgument: types.EntityEventArgument{Name: h.built.dcName}, Datacenter: h.built.dc}
}

func hostArg(ctx *simulator.Context, ref types.ManagedObjectReference) *types.HostEventArgument {
	name := ref.Value
	if host, ok := ctx.Map.Get(ref).(*simulator.HostSystem); ok {
		name = host.Name
	}
	return &types.HostEventArgument{EntityEventArgument: types.EntityEventArgument{Name: name}, Host: ref}
}

func computeArg(ctx *simulator.Context, hostRef types.ManagedObjectReference) *types.ComputeResourceEventArgument {
	host, ok := ctx.Map.Get(hostRef).(*simulator.HostSystem)
	if !ok || host.Parent == nil {
		return nil
	}
	parent, ok := ctx.Map.Get(*host.Parent).(mo.Entity)
	if !ok {
		return nil
	}
	return &types.ComputeResourceEventArgument{EntityEventArgument: types.EntityEventArgument{Name: parent.Entity().Name}, ComputeResource: *host.Parent}
}

func (h *harness) dsArg(name string) *types.DatastoreEventArgument {
	ds := h.built.datastores[name]
	if ds == nil {
		return nil
	}
	return &types.DatastoreEventArgument{EntityEventArgument: types.EntityEventArgument{Name: name}, Datastore: ds.Self}
}

// vmEventBase is the Event of vm where it is now: its host, cluster, datacenter, home datastore.
func (h *harness) vmEventBase(ctx *simulator.Context, vm *simulator.VirtualMachine) types.Event {
	return types.Event{
		Datacenter:      h.dcArg(),
		ComputeResource: computeArg(ctx, *vm.Runtime.Host),
		Host:            hostArg(ctx, *vm.Runtime.Host),
		Ds:              h.dsArg(datastoreName(vm.Config.Files.VmPathName)),
		Vm:              &types.VmEventArgument{EntityEventArgument: types.EntityEventArgument{Name: vm.Name}, Vm: vm.Self},
	}
}

func hot(vm *simulator.VirtualMachine) bool {
	return vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn
}

// migrationStarted posts VmBeingHotMigratedEvent (powered on) or VmBeingRelocatedEvent.
func (h *harness) migrationStarted(ctx *simulator.Context, chain int32, vm *simulator.VirtualMachine, p *relocatePlan) {
	base := h.vmEventBase(ctx, vm)
	destHost := *vm.Runtime.Host
	if p.hostTo != nil {
		destHost = *p.hostTo
	}
	if hot(vm) {
		h.postEvent(ctx, chain, &types.VmBeingHotMigratedEvent{VmEvent: types.VmEvent{Event: base},
			DestHost: *hostArg(ctx, destHost), DestDatacenter: h.dcArg(), DestDatastore: h.dsArg(p.homeTo)})
		return
	}
	h.postEvent(ctx, chain, &types.VmBeingRelocatedEvent{VmRelocateSpecEvent: types.VmRelocateSpecEvent{VmEvent: types.VmEvent{Event: base}},
		DestHost: *hostArg(ctx, destHost), DestDatacenter: h.dcArg(), DestDatastore: h.dsArg(p.homeTo)})
}

// migrationEnded posts VmMigratedEvent / VmRelocatedEvent after a success (the VM is where it
// went; the event names where it came from), or the failure events with the reason.
func (h *harness) migrationEnded(ctx *simulator.Context, chain int32, vm *simulator.VirtualMachine, p *relocatePlan, fault *types.LocalizedMethodFault) {
	base := h.vmEventBase(ctx, vm)
	if fault != nil {
		destHost := *vm.Runtime.Host
		if p.hostTo != nil {
			destHost = *p.hostTo
		}
		if hot(vm) {
			h.postEvent(ctx, chain, &types.VmFailedMigrateEvent{VmEvent: types.VmEvent{Event: base},
				DestHost: *hostArg(ctx, destHost), Reason: *fault, DestDatacenter: h.dcArg(), DestDatastore: h.dsArg(p.homeTo)})
		} else {
			h.postEvent(ctx, chain, &types.VmRelocateFailedEvent{VmRelocateSpecEvent: types.VmRelocateSpecEvent{VmEvent: types.VmEvent{Event: base}},
				DestHost: *hostArg(ctx, destHost), Reason: *fault, DestDatacenter: h.dcArg(), DestDatastore: h.dsArg(p.homeTo)})
		}
		return
	}
	if hot(vm) {
		h.postEvent(ctx, chain, &types.VmMigratedEvent{VmEvent: types.VmEvent{Event: base},
			SourceHost: *hostArg(ctx, p.hostFrom), SourceDatacenter: h.dcArg(), SourceDatastore: h.dsArg(p.homeFrom)})
		return
	}
	h.postEvent(ctx, chain, &types.VmRelocatedEvent{VmRelocateSpecEvent: types.VmRelocateSpecEvent{VmEvent: types.VmEvent{Event: base}},
		SourceHost: *hostArg(ctx, p.hostFrom), SourceDatacenter: h.dcArg(), SourceDatastore: h.dsArg(p.homeFrom)})
}
