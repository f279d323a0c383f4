package main

// Per-VM DRS overrides (ReconfigureComputeResource_Task with ClusterConfigSpecEx.drsVmConfigSpec).
// vcsim applies them (add, edit, remove of ClusterDrsVmConfigInfo), but unlike vCenter:
//   - it applies the operations one by one, so a spec whose third operation is refused leaves the
//     first two applied; vCenter refuses the whole reconfiguration;
//   - it accepts an override for any reference, even one that is no VM of the cluster;
//   - it changes configurationEx in place without a property-collector update, so a filter on the
//     cluster never hears of it;
//   - its task is "ClusterComputeResource.reconfigureCluster" in the history, not vCenter's
//     "ClusterComputeResource.reconfigureEx".
// A spec that carries only drsVmConfigSpec is therefore served here: checked as a whole first
// (InvalidArgument naming the operation otherwise, nothing changed), applied at once with one
// update of configurationEx, as a task named as vCenter names it. Any other reconfiguration goes
// to vcsim.

import (
	"fmt"
	"reflect"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type reconfiguringCluster struct {
	Self    types.ManagedObjectReference
	cluster *simulator.ClusterComputeResource
	h       *harness
}

func (r *reconfiguringCluster) Reference() types.ManagedObjectReference { return r.Self }

// onlyDrsVmConfig reports whether the spec changes per-VM DRS overrides and nothing else.
func onlyDrsVmConfig(spec types.BaseComputeResourceConfigSpec) bool {
	s, ok := spec.(*types.ClusterConfigSpecEx)
	if !ok || len(s.DrsVmConfigSpec) == 0 {
		return false
	}
	rest := *s
	rest.DrsVmConfigSpec = nil
	return reflect.ValueOf(rest).IsZero()
}

// nextOverrides applies the operations to a copy of the overrides; the first that vCenter would
// refuse makes the whole spec fail.
func (r *reconfiguringCluster) nextOverrides(ctx *simulator.Context, current []types.ClusterDrsVmConfigInfo, ops []types.ClusterDrsVmConfigSpec) ([]types.ClusterDrsVmConfigInfo, types.BaseMethodFault, string) {
	next := append([]types.ClusterDrsVmConfigInfo(nil), current...)
	find := func(key types.ManagedObjectReference) int {
		for i, o := range next {
			if o.Key == key {
				return i
			}
		}
		return -1
	}
	for i, op := range ops {
		prop := fmt.Sprintf("spec.drsVmConfigSpec[%d]", i)
		var key types.ManagedObjectReference
		switch op.Operation {
		case types.ArrayUpdateOperationRemove:
			ref, ok := op.RemoveKey.(types.ManagedObjectReference)
			if !ok {
				return nil, &types.InvalidArgument{InvalidProperty: prop + ".removeKey"}, "A specified parameter was not correct: " + prop + ".removeKey"
			}
			key = ref
		case types.ArrayUpdateOperationAdd, types.ArrayUpdateOperationEdit:
			if op.Info == nil {
				return nil, &types.InvalidArgument{InvalidProperty: prop + ".info"}, "A specified parameter was not correct: " + prop + ".info"
			}
			key = op.Info.Key
		default:
			return nil, &types.InvalidArgument{InvalidProperty: prop + ".operation"}, "A specified parameter was not correct: " + prop + ".operation"
		}
		if op.Operation != types.ArrayUpdateOperationRemove && !r.inCluster(ctx, key) {
			return nil, &types.InvalidArgument{InvalidProperty: prop + ".info.key"},
				fmt.Sprintf("A specified parameter was not correct: %s: %s is not a virtual machine of cluster %s", prop, key.Value, r.cluster.Name)
		}
		at := find(key)
		switch op.Operation {
		case types.ArrayUpdateOperationAdd:
			if at >= 0 {
				return nil, &types.InvalidArgument{InvalidProperty: prop}, fmt.Sprintf("A specified parameter was not correct: %s: %s already has an override", prop, key.Value)
			}
			next = append(next, *op.Info)
		case types.ArrayUpdateOperationEdit:
			if at < 0 {
				return nil, &types.InvalidArgument{InvalidProperty: prop}, fmt.Sprintf("A specified parameter was not correct: %s: %s has no override", prop, key.Value)
			}
			if op.Info.Enabled != nil {
				next[at].Enabled = op.Info.Enabled
			}
			if op.Info.Behavior != "" {
				next[at].Behavior = op.Info.Behavior
			}
		case types.ArrayUpdateOperationRemove:
			if at < 0 {
				return nil, &types.InvalidArgument{InvalidProperty: prop}, fmt.Sprintf("A specified parameter was not correct: %s: %s has no override", prop, key.Value)
			}
			next = append(next[:at], next[at+1:]...)
		}
	}
	return next, nil, ""
}

// inCluster reports whether ref is a VM running on one of the cluster's hosts.
func (r *reconfiguringCluster) inCluster(ctx *simulator.Context, ref types.ManagedObjectReference) bool {
	vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok || vm.Runtime.Host == nil {
		return false
	}
	return simulator.FindReference(r.cluster.Host, *vm.Runtime.Host) != nil
}

func (r *reconfiguringCluster) ReconfigureComputeResourceTask(ctx *simulator.Context, req *types.ReconfigureComputeResource_Task) soap.HasFault {
	spec := req.Spec.(*types.ClusterConfigSpecEx)
	var taskRef types.ManagedObjectReference
	ctx.WithLock(r.cluster, func() {
		task := simulator.CreateTask(r.cluster, "harnessTask", nil)
		task.Info.Name = "ReconfigureComputeResource_Task"
		task.Info.DescriptionId = "ClusterComputeResource.reconfigureEx"
		task.Info.EntityName = r.cluster.Name
		task.Info.Reason = &types.TaskReasonUser{UserName: ctx.Session.UserName}
		ctx.Map.Put(task)
		task.Info.Key = task.Self.Value
		task.Info.Task = task.Self
		ev := &types.TaskEvent{Event: types.Event{
			Datacenter:      r.h.dcArg(),
			ComputeResource: &types.ComputeResourceEventArgument{EntityEventArgument: types.EntityEventArgument{Name: r.cluster.Name}, ComputeResource: r.cluster.Self},
		}, Info: task.Info}
		task.Info.EventChainId = r.h.postEvent(ctx, 0, ev)
		taskRef = task.Self

		cfg := r.cluster.ConfigurationEx.(*types.ClusterConfigInfoEx)
		next, fault, msg := r.nextOverrides(ctx, cfg.DrsVmConfig, spec.DrsVmConfigSpec)
		changes := []types.PropertyChange{
			{Name: "info.startTime", Val: time.Now()},
			{Name: "info.completeTime", Val: time.Now()},
		}
		if fault != nil {
			changes = append(changes,
				types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateError},
				types.PropertyChange{Name: "info.error", Val: &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}})
		} else {
			cfg.DrsVmConfig = next
			ctx.Update(r.cluster, []types.PropertyChange{{Name: "configurationEx", Val: cfg}})
			changes = append(changes, types.PropertyChange{Name: "info.state", Val: types.TaskInfoStateSuccess})
		}
		ctx.Map.AtomicUpdate(ctx, task, changes)
	})
	return &methods.ReconfigureComputeResource_TaskBody{Res: &types.ReconfigureComputeResource_TaskResponse{Returnval: taskRef}}
}
