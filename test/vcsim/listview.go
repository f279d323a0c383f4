package main

// ModifyListView without vcsim's lock-order inversion. vcsim's ListView.ModifyListView runs under
// the view's lock (every method runs under its object's lock) and tells the registry's handlers of
// the change from there; a PropertyFilter's handler then takes the filter's lock. A
// WaitForUpdatesEx that collects a filter anew after a view change does it the other way round:
// the filter's lock, then the view's (to read it). When a view change lands while a wait is
// between the two, both goroutines wait for each other for good: that wait never returns, every
// later wait on the collector blocks on the filter's lock, and the ends of the tasks in the view
// are never reported (nor is the view ever changed or destroyed again).
//
// Here the view is changed under its lock, as vcsim does it, and the handlers are told after the
// lock is released, with the one kind of change that assigns nothing (a keyed path: "Key is only
// used for notifications", mo.ApplyPropertyChange). The proxy's own lock (one proxy per view)
// keeps two changes of a view in order.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type listViewProxy struct {
	Self   types.ManagedObjectReference
	target types.ManagedObjectReference
}

func (p *listViewProxy) Reference() types.ManagedObjectReference { return p.Self }

func (p *listViewProxy) ModifyListView(ctx *simulator.Context, req *types.ModifyListView) soap.HasFault {
	body := &methods.ModifyListViewBody{}
	view, ok := ctx.Session.Get(p.target).(*simulator.ListView)
	if !ok {
		body.Fault_ = simulator.Fault("", &types.ManagedObjectNotFound{Obj: p.target})
		return body
	}
	var unresolved []types.ManagedObjectReference
	ctx.WithLock(view, func() {
		// As vcsim's ListView.add: an object unknown to the session is named and still listed.
		for _, ref := range req.Add {
			if ctx.Session.Get(ref) == nil {
				unresolved = append(unresolved, ref)
			}
			view.View = append(view.View, ref)
		}
		for _, ref := range req.Remove {
			simulator.RemoveReference(&view.View, ref)
		}
	})
	if len(req.Add) != 0 || len(req.Remove) != 0 {
		ctx.Update(view, []types.PropertyChange{{Name: `view["svmig"]`}})
	}
	body.Res = &types.ModifyListViewResponse{Returnval: unresolved}
	return body
}
