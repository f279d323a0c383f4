package main

// The harness spec: the inventory to build and how relocations behave. It is read as one JSON
// document (a file, or the first line of stdin) and checked before anything is built, so a bad
// spec fails with one message naming the object at fault instead of a simulator panic later
// (vcsim dereferences unknown names and references without checking).

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

type Spec struct {
	// ApiVersion overrides ServiceContent.about.apiVersion (vcsim says "6.5" by default).
	ApiVersion string          `json:"apiVersion,omitempty"`
	Clusters   []ClusterSpec   `json:"clusters"`
	Hosts      []HostSpec      `json:"hosts"`
	Datastores []DatastoreSpec `json:"datastores"`
	Vms        []VmSpec        `json:"vms"`
	Relocate   RelocateSpec    `json:"relocate"`
	// Remediation times the harness's snapshot-removal and consolidation tasks (snapshots.go).
	Remediation RemediationSpec `json:"remediation"`
	Faults      []FaultSpec     `json:"faults,omitempty"`
	// SessionIdleTimeout is a Go duration ("2s"); empty means sessions never expire (vcsim's default).
	SessionIdleTimeout string `json:"sessionIdleTimeout,omitempty"`
}

type ClusterSpec struct {
	Name string `json:"name"`
}

type HostSpec struct {
	Name string `json:"name"`
	// Cluster is empty for a standalone host.
	Cluster string `json:"cluster,omitempty"`
	Model   string `json:"model,omitempty"`
}

type DatastoreSpec struct {
	Name          string `json:"name"`
	CapacityBytes int64  `json:"capacityBytes"`
	// FreeBytes as reported by summary.freeSpace once the VMs are placed; nil means capacity minus
	// what the spec's VMs use on it.
	FreeBytes *int64 `json:"freeBytes,omitempty"`
	// Hosts mounting it; empty means every host.
	Hosts []string `json:"hosts,omitempty"`
	// Type for summary.type ("VMFS", "NFS", …); vcsim's own is "OTHER".
	Type string `json:"type,omitempty"`
}

type VmSpec struct {
	Name        string `json:"name"`
	Host        string `json:"host"`
	PowerState  string `json:"powerState,omitempty"` // poweredOn (default) | poweredOff | suspended
	MemoryBytes int64  `json:"memoryBytes,omitempty"`
	Cpus        int32  `json:"cpus,omitempty"`
	// HomeDatastore holds the vmx; defaults to the first disk's datastore.
	HomeDatastore string     `json:"homeDatastore,omitempty"`
	Template      bool       `json:"template,omitempty"`
	Disks         []DiskSpec `json:"disks"`
	// Snapshots is a chain, oldest first; the last is the current snapshot. Each adds a delta
	// layer of DeltaBytes to every disk (snapshots.go).
	Snapshots []SnapshotSpec `json:"snapshots,omitempty"`
	// UnconsolidatedBytes per disk is a delta left behind by a snapshot removed without
	// consolidation: it sets runtime.consolidationNeeded until ConsolidateVMDisks_Task.
	UnconsolidatedBytes int64 `json:"unconsolidatedBytes,omitempty"`
}

type SnapshotSpec struct {
	Name string `json:"name"`
	// DeltaBytes allocated in the snapshot's delta layer, on each disk.
	DeltaBytes int64 `json:"deltaBytes"`
}

// RemediationSpec times RemoveAllSnapshots_Task, RemoveSnapshot_Task and ConsolidateVMDisks_Task:
// FixedMs + the delta bytes merged / BytesPerSecond (simulated time, relocate.timeScale applies).
type RemediationSpec struct {
	FixedMs        int64   `json:"fixedMs,omitempty"`
	BytesPerSecond float64 `json:"bytesPerSecond,omitempty"`
	// ProgressIntervalMs between info.progress updates; 0 means 250 ms, negative means none.
	ProgressIntervalMs int64 `json:"progressIntervalMs,omitempty"`
}

type DiskSpec struct {
	CapacityBytes int64 `json:"capacityBytes"`
	// AllocatedBytes of a thin disk; thick disks are fully allocated. Nil means fully allocated.
	AllocatedBytes *int64 `json:"allocatedBytes,omitempty"`
	Thin           bool   `json:"thin,omitempty"`
	Datastore      string `json:"datastore"`
}

// RelocateSpec says how long a RelocateVM_Task stays in flight and what limits it waits on.
type RelocateSpec struct {
	// Mode "harness" (default) runs the harness's own RelocateVM_Task (moves disk files and
	// backings, cancelable, fault injection, admission limits); "stock" leaves vcsim's handler
	// in place and delays it with TaskDelay, for checking what vcsim itself does.
	Mode string `json:"mode,omitempty"`
	// FixedMs is spent by every relocation, whatever it copies.
	FixedMs int64 `json:"fixedMs,omitempty"`
	// BytesPerSecond adds bytes/BytesPerSecond seconds for the bytes the relocation copies
	// (allocated bytes of thin disks, capacity of thick ones); 0 adds nothing.
	BytesPerSecond float64 `json:"bytesPerSecond,omitempty"`
	// ProgressIntervalMs between info.progress updates; 0 means 250 ms, negative means none.
	ProgressIntervalMs int64 `json:"progressIntervalMs,omitempty"`
	// MaxPerHost and MaxPerDatastore model vCenter's admission costs (2 svMotions per host,
	// 8 per datastore counting source and target); 0 means unlimited. A task over a limit
	// stays running at its progress with description "Resources currently in use by other
	// operations. Waiting." until a slot frees, as a cost-blocked migration does.
	MaxPerHost      int `json:"maxPerHost,omitempty"`
	MaxPerDatastore int `json:"maxPerDatastore,omitempty"`
	// LockHandoff is only for mode "stock": false adds TaskDelay's LockHandoff:0.
	LockHandoff *bool `json:"lockHandoff,omitempty"`
	// TimeScale runs simulated time this many times faster than real time (default 1): fixedMs,
	// copy time, progressIntervalMs and the load curve are simulated, so an hour-long copy with
	// progress every 10 s can pass in 6 s with timeScale 600. Task timestamps stay real.
	TimeScale float64 `json:"timeScale,omitempty"`
	// Link, when set, is one bottleneck every copy in flight shares (copyengine.go).
	Link *LinkSpec `json:"link,omitempty"`
	// Noise makes copy rates vary per copy and over time, reproducibly (copyengine.go).
	Noise *NoiseSpec `json:"noise,omitempty"`
}

// scale is the simulated seconds per real second.
func (r RelocateSpec) scale() float64 {
	if r.TimeScale <= 0 {
		return 1
	}
	return r.TimeScale
}

// real converts a simulated duration to real time.
func (r RelocateSpec) real(simMs float64) time.Duration {
	return time.Duration(simMs / r.scale() * float64(time.Millisecond))
}

func (r RelocateSpec) validateModel() error {
	if r.FixedMs < 0 || r.BytesPerSecond < 0 || r.MaxPerHost < 0 || r.MaxPerDatastore < 0 || r.TimeScale < 0 {
		return fmt.Errorf("relocate: values must not be negative")
	}
	if l := r.Link; l != nil {
		if l.BytesPerSecond <= 0 {
			return fmt.Errorf("relocate.link.bytesPerSecond must be positive")
		}
		if l.Share != "" && l.Share != "maxmin" && l.Share != "equal" {
			return fmt.Errorf("relocate.link.share %q is not maxmin or equal", l.Share)
		}
	}
	if n := r.Noise; n != nil {
		if n.PerCopySpread < 0 || n.PerCopySpread > 2 {
			return fmt.Errorf("relocate.noise.perCopySpread must be between 0 and 2")
		}
		if l := n.Load; l != nil {
			if l.Mean < 0 || l.Mean >= 1 || l.Amplitude < 0 || l.PeriodSeconds <= 0 {
				return fmt.Errorf("relocate.noise.load: mean must be in [0, 1), amplitude not negative, periodSeconds positive")
			}
		}
	}
	return nil
}

// FaultSpec makes a task of one VM end in error: its relocation by default.
type FaultSpec struct {
	Vm string `json:"vm"`
	// Task is the kind of task that fails: "relocate" (default), "removeSnapshot",
	// "removeAllSnapshots" or "consolidate".
	Task string `json:"task,omitempty"`
	// Fault is a vim25 fault type name (default "SystemError").
	Fault   string `json:"fault,omitempty"`
	Message string `json:"message"`
	// AtPercent of the copy at which the task fails (default 50).
	AtPercent *float64 `json:"atPercent,omitempty"`
	// Times the fault strikes before relocations of this VM succeed again; 0 means always.
	Times int `json:"times,omitempty"`
}

func parseSpec(data []byte) (*Spec, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return &s, nil
}

func (s *Spec) validate() error {
	clusters := map[string]bool{}
	for _, c := range s.Clusters {
		if c.Name == "" || clusters[c.Name] {
			return fmt.Errorf("cluster name %q is empty or repeated", c.Name)
		}
		clusters[c.Name] = true
	}
	hosts := map[string]bool{}
	for _, h := range s.Hosts {
		if h.Name == "" || hosts[h.Name] {
			return fmt.Errorf("host name %q is empty or repeated", h.Name)
		}
		if h.Cluster != "" && !clusters[h.Cluster] {
			return fmt.Errorf("host %q: unknown cluster %q", h.Name, h.Cluster)
		}
		hosts[h.Name] = true
	}
	if len(s.Hosts) == 0 {
		return fmt.Errorf("at least one host is needed")
	}
	mounts := map[string]map[string]bool{} // datastore -> hosts
	for _, d := range s.Datastores {
		if d.Name == "" || mounts[d.Name] != nil {
			return fmt.Errorf("datastore name %q is empty or repeated", d.Name)
		}
		if d.CapacityBytes <= 0 {
			return fmt.Errorf("datastore %q: capacityBytes must be positive", d.Name)
		}
		if d.FreeBytes != nil && (*d.FreeBytes < 0 || *d.FreeBytes > d.CapacityBytes) {
			return fmt.Errorf("datastore %q: freeBytes must be between 0 and capacityBytes", d.Name)
		}
		m := map[string]bool{}
		if len(d.Hosts) == 0 {
			for h := range hosts {
				m[h] = true
			}
		}
		for _, h := range d.Hosts {
			if !hosts[h] {
				return fmt.Errorf("datastore %q: unknown host %q", d.Name, h)
			}
			m[h] = true
		}
		mounts[d.Name] = m
	}
	vms := map[string]bool{}
	for i := range s.Vms {
		v := &s.Vms[i]
		if v.Name == "" || vms[v.Name] {
			return fmt.Errorf("VM name %q is empty or repeated", v.Name)
		}
		vms[v.Name] = true
		if !hosts[v.Host] {
			return fmt.Errorf("VM %q: unknown host %q", v.Name, v.Host)
		}
		switch v.PowerState {
		case "":
			v.PowerState = "poweredOn"
		case "poweredOn", "poweredOff", "suspended":
		default:
			return fmt.Errorf("VM %q: powerState %q is not poweredOn, poweredOff or suspended", v.Name, v.PowerState)
		}
		if v.Template && v.PowerState != "poweredOff" {
			return fmt.Errorf("VM %q: a template must be poweredOff", v.Name)
		}
		if v.HomeDatastore == "" && len(v.Disks) > 0 {
			v.HomeDatastore = v.Disks[0].Datastore
		}
		if v.HomeDatastore == "" {
			return fmt.Errorf("VM %q: no homeDatastore and no disks", v.Name)
		}
		used := []string{v.HomeDatastore}
		for j, d := range v.Disks {
			if d.CapacityBytes < 1024 {
				return fmt.Errorf("VM %q disk %d: capacityBytes must be at least 1024", v.Name, j)
			}
			if d.AllocatedBytes != nil && (*d.AllocatedBytes < 0 || *d.AllocatedBytes > d.CapacityBytes) {
				return fmt.Errorf("VM %q disk %d: allocatedBytes must be between 0 and capacityBytes", v.Name, j)
			}
			if !d.Thin && d.AllocatedBytes != nil && *d.AllocatedBytes != d.CapacityBytes {
				return fmt.Errorf("VM %q disk %d: a thick disk is fully allocated", v.Name, j)
			}
			used = append(used, d.Datastore)
		}
		for j, sn := range v.Snapshots {
			if sn.Name == "" || sn.DeltaBytes < 0 {
				return fmt.Errorf("VM %q snapshot %d: a name and deltaBytes ≥ 0 are needed", v.Name, j)
			}
		}
		if v.UnconsolidatedBytes < 0 {
			return fmt.Errorf("VM %q: unconsolidatedBytes must not be negative", v.Name)
		}
		if len(v.Disks) > 60 {
			return fmt.Errorf("VM %q: at most 60 disks (4 SCSI controllers)", v.Name)
		}
		for _, ds := range used {
			m := mounts[ds]
			if m == nil {
				return fmt.Errorf("VM %q: unknown datastore %q", v.Name, ds)
			}
			if !m[v.Host] {
				return fmt.Errorf("VM %q: datastore %q is not mounted on host %q", v.Name, ds, v.Host)
			}
		}
	}
	switch s.Relocate.Mode {
	case "", "harness", "stock":
	default:
		return fmt.Errorf("relocate.mode %q is not harness or stock", s.Relocate.Mode)
	}
	if err := s.Relocate.validateModel(); err != nil {
		return err
	}
	if s.Remediation.FixedMs < 0 || s.Remediation.BytesPerSecond < 0 {
		return fmt.Errorf("remediation: values must not be negative")
	}
	for _, f := range s.Faults {
		if err := f.validate(vms); err != nil {
			return err
		}
	}
	if s.SessionIdleTimeout != "" {
		if d, err := time.ParseDuration(s.SessionIdleTimeout); err != nil || d <= 0 {
			return fmt.Errorf("sessionIdleTimeout %q is not a positive Go duration such as \"2s\"", s.SessionIdleTimeout)
		}
	}
	return nil
}

func (f *FaultSpec) validate(vms map[string]bool) error {
	if !vms[f.Vm] {
		return fmt.Errorf("fault: unknown VM %q", f.Vm)
	}
	switch f.Task {
	case "", "relocate", "removeSnapshot", "removeAllSnapshots", "consolidate":
	default:
		return fmt.Errorf("fault for VM %q: task %q is not relocate, removeSnapshot, removeAllSnapshots or consolidate", f.Vm, f.Task)
	}
	if f.Message == "" {
		return fmt.Errorf("fault for VM %q: message is empty", f.Vm)
	}
	if f.AtPercent != nil && (*f.AtPercent < 0 || *f.AtPercent > 100) {
		return fmt.Errorf("fault for VM %q: atPercent must be between 0 and 100", f.Vm)
	}
	if _, err := newFault(f.Fault, f.Message); err != nil {
		return fmt.Errorf("fault for VM %q: %w", f.Vm, err)
	}
	return nil
}
