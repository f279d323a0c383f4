package main

// vCenter forgets ended tasks: TaskManager.recentTask and each entity's recentTask keep a completed
// task for 10 minutes (and vCenter only the last 200), after which its reference no longer
// resolves (ManagedObjectNotFound); the task history (TaskHistoryCollector) keeps it. vcsim never
// forgets ("TODO: tasks completed > 10m ago should be removed", task_manager.go) and keeps every
// task object registered. `expireTasks` does at once what those 10 minutes do, so that a test can
// put a restart after the moment vCenter stopped listing a task, without waiting for it.

import (
	"context"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// expireTasks drops every ended task from the recentTask lists and the registry and says how many.
func (h *harness) expireTasks(parent context.Context) int {
	reg := h.model.Map()
	ctx := &simulator.Context{Context: parent, Map: reg}
	ended := map[types.ManagedObjectReference]bool{}
	isEnded := func(ref types.ManagedObjectReference) bool {
		if done, seen := ended[ref]; seen {
			return done
		}
		done := false
		if task, ok := reg.Get(ref).(*simulator.Task); ok {
			reg.WithLock(ctx, task, func() {
				done = task.Info.State == types.TaskInfoStateSuccess || task.Info.State == types.TaskInfoStateError
			})
		}
		ended[ref] = done
		return done
	}
	keep := func(recent []types.ManagedObjectReference) ([]types.ManagedObjectReference, bool) {
		kept := []types.ManagedObjectReference{}
		for _, ref := range recent {
			if !isEnded(ref) {
				kept = append(kept, ref)
			}
		}
		return kept, len(kept) != len(recent)
	}

	content := reg.Get(vim25.ServiceInstance).(interface{ ServiceContent() types.ServiceContent }).ServiceContent()
	if m, ok := reg.Get(*content.TaskManager).(*simulator.TaskManager); ok {
		reg.WithLock(ctx, m, func() {
			if kept, changed := keep(m.RecentTask); changed {
				ctx.Update(m, []types.PropertyChange{{Name: "recentTask", Val: kept}})
			}
		})
	}
	for _, e := range reg.All("") {
		reg.WithLock(ctx, e, func() {
			if kept, changed := keep(e.Entity().RecentTask); changed {
				ctx.Update(e, []types.PropertyChange{{Name: "recentTask", Val: kept}})
			}
		})
	}
	forgotten := 0
	for ref, done := range ended {
		if done {
			reg.Remove(ctx, ref)
			forgotten++
		}
	}
	return forgotten
}
