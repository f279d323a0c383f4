package main

// Builds the spec's inventory inside a vcsim model through vcsim's own API (in process), then
// edits what vcsim cannot be told: datastore capacity and free space (vcsim fixes capacity at
// 1 TB per mounting host) and the allocated size of each disk (vcsim's layoutEx sizes are the
// sizes of the files it writes; the harness makes each disk's -flat.vmdk a sparse file of the
// allocated size, so vcsim's own RefreshStorageInfo reports truthful layoutEx and committed
// figures without using disk space).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

type built struct {
	root       string // where the datastores' directories live
	dc         types.ManagedObjectReference
	dcName     string
	hosts      map[string]types.ManagedObjectReference
	datastores map[string]*simulator.Datastore // by name
	dsDir      map[string]string               // datastore name -> local directory
	vms        map[string]types.ManagedObjectReference
	chains     map[types.ManagedObjectReference]*vmChain // snapshot delta layers by VM (snapshots.go)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func buildInventory(ctx context.Context, model *simulator.Model, spec *Spec) (*built, error) {
	c, err := vim25.NewClient(ctx, model.Service)
	if err != nil {
		return nil, err
	}
	reg := model.Map()
	dcEntity := reg.Any("Datacenter")
	if dcEntity == nil {
		return nil, fmt.Errorf("the model has no datacenter")
	}
	dc := object.NewDatacenter(c, dcEntity.Reference())
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}

	clusters := map[string]*object.ClusterComputeResource{}
	for _, cs := range spec.Clusters {
		cl, err := folders.HostFolder.CreateCluster(ctx, cs.Name, types.ClusterConfigSpecEx{})
		if err != nil {
			return nil, fmt.Errorf("cluster %s: %w", cs.Name, err)
		}
		clusters[cs.Name] = cl
	}

	hosts := map[string]*object.HostSystem{}
	pools := map[string]*object.ResourcePool{}
	for _, hs := range spec.Hosts {
		connect := types.HostConnectSpec{HostName: hs.Name}
		var task *object.Task
		if hs.Cluster != "" {
			task, err = clusters[hs.Cluster].AddHost(ctx, connect, true, nil, nil)
		} else {
			task, err = folders.HostFolder.AddStandaloneHost(ctx, connect, true, nil, nil)
		}
		if err != nil {
			return nil, fmt.Errorf("host %s: %w", hs.Name, err)
		}
		info, err := waitTask(reg, task)
		if err != nil {
			return nil, fmt.Errorf("host %s: %w", hs.Name, err)
		}
		ref := info.Result.(types.ManagedObjectReference)
		host := object.NewHostSystem(c, ref)
		hosts[hs.Name] = host
		pool, err := host.ResourcePool(ctx)
		if err != nil {
			return nil, fmt.Errorf("host %s: %w", hs.Name, err)
		}
		pools[hs.Name] = pool
		if hs.Model != "" {
			h := reg.Get(ref).(*simulator.HostSystem)
			h.Summary.Hardware.Model = hs.Model
			if h.Hardware != nil {
				h.Hardware.SystemInfo.Model = hs.Model
			}
		}
	}

	b := &built{
		dc:         dcEntity.Reference(),
		dcName:     dcEntity.Entity().Name,
		hosts:      map[string]types.ManagedObjectReference{},
		datastores: map[string]*simulator.Datastore{},
		dsDir:      map[string]string{},
		vms:        map[string]types.ManagedObjectReference{},
		chains:     map[types.ManagedObjectReference]*vmChain{},
	}
	root, err := os.MkdirTemp("", "svmig-vcsim-ds-")
	if err != nil {
		return nil, err
	}
	b.root = root
	for name, h := range hosts {
		b.hosts[name] = h.Reference()
	}
	for i, ds := range spec.Datastores {
		dir := filepath.Join(root, fmt.Sprintf("%03d-%s", i, unsafeChars.ReplaceAllString(ds.Name, "_")))
		if err := os.Mkdir(dir, 0o700); err != nil {
			return nil, err
		}
		mount := ds.Hosts
		if len(mount) == 0 {
			for _, h := range spec.Hosts {
				mount = append(mount, h.Name)
			}
		}
		var ref types.ManagedObjectReference
		for _, hn := range mount {
			dss, err := hosts[hn].ConfigManager().DatastoreSystem(ctx)
			if err != nil {
				return nil, err
			}
			d, err := dss.CreateLocalDatastore(ctx, ds.Name, dir)
			if err != nil {
				return nil, fmt.Errorf("datastore %s on host %s: %w", ds.Name, hn, err)
			}
			// vcsim answers an empty reference when the datastore already exists (mounted on
			// an earlier host): keep the first one.
			if ref.Value == "" {
				ref = d.Reference()
			}
		}
		b.datastores[ds.Name] = reg.Get(ref).(*simulator.Datastore)
		b.dsDir[ds.Name] = dir
	}

	used := map[string]int64{} // datastore -> bytes the spec's VMs occupy
	for _, vs := range spec.Vms {
		ref, err := b.createVM(ctx, c, reg, folders, hosts[vs.Host], pools[vs.Host], &vs)
		if err != nil {
			return nil, fmt.Errorf("VM %s: %w", vs.Name, err)
		}
		b.vms[vs.Name] = ref
		for _, d := range vs.Disks {
			used[d.Datastore] += allocated(d) + deltaBytes(vs)
		}
	}

	// Capacity and free space last: vcsim subtracted each disk's capacity while creating them.
	for _, ds := range spec.Datastores {
		free := ds.CapacityBytes - used[ds.Name]
		if ds.FreeBytes != nil {
			free = *ds.FreeBytes
		}
		if free < 0 {
			free = 0
		}
		d := b.datastores[ds.Name]
		d.Summary.Capacity = ds.CapacityBytes
		d.Summary.FreeSpace = free
		if ds.Type != "" {
			d.Summary.Type = ds.Type
		}
		info := d.Info.GetDatastoreInfo()
		info.FreeSpace = free
		info.MaxFileSize = ds.CapacityBytes
		info.MaxVirtualDiskCapacity = ds.CapacityBytes
	}
	return b, nil
}

// createSnapshots takes the spec's snapshots through vcsim (tree, .vmsn files) and gives each a
// delta layer on every disk (snapshots.go); an unconsolidated layer comes last.
func (b *built) createSnapshots(ctx context.Context, reg *simulator.Registry, vm *object.VirtualMachine, vs *VmSpec) error {
	if len(vs.Snapshots) == 0 && vs.UnconsolidatedBytes == 0 {
		return nil
	}
	sim := reg.Get(vm.Reference()).(*simulator.VirtualMachine)
	c := &vmChain{next: 1}
	b.chains[vm.Reference()] = c
	for _, sn := range vs.Snapshots {
		task, err := vm.CreateSnapshot(ctx, sn.Name, "", false, false)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", sn.Name, err)
		}
		info, err := waitTask(reg, task)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", sn.Name, err)
		}
		ref := info.Result.(types.ManagedObjectReference)
		if err := b.addLayer(sim, c, &ref, sn.DeltaBytes); err != nil {
			return fmt.Errorf("snapshot %s: %w", sn.Name, err)
		}
	}
	if vs.UnconsolidatedBytes > 0 {
		if err := b.addLayer(sim, c, nil, vs.UnconsolidatedBytes); err != nil {
			return err
		}
		sim.Runtime.ConsolidationNeeded = true
	}
	sim.Layout.ConfigFile, sim.Layout.LogFile, sim.Layout.SwapFile = nil, nil, ""
	sim.LayoutEx.File = nil
	return vm.RefreshStorageInfo(ctx)
}

// deltaBytes is what a VM's snapshot layers hold on each disk.
func deltaBytes(vs VmSpec) int64 {
	n := vs.UnconsolidatedBytes
	for _, sn := range vs.Snapshots {
		n += sn.DeltaBytes
	}
	return n
}

func allocated(d DiskSpec) int64 {
	if d.Thin && d.AllocatedBytes != nil {
		return *d.AllocatedBytes
	}
	return d.CapacityBytes
}

func diskFileName(vm string, index int) string {
	if index == 0 {
		return fmt.Sprintf("%s/%s.vmdk", vm, vm)
	}
	return fmt.Sprintf("%s/%s_%d.vmdk", vm, vm, index)
}

func (b *built) createVM(ctx context.Context, c *vim25.Client, reg *simulator.Registry, folders *object.DatacenterFolders,
	host *object.HostSystem, pool *object.ResourcePool, vs *VmSpec) (types.ManagedObjectReference, error) {
	var none types.ManagedObjectReference
	memMB := vs.MemoryBytes / (1 << 20)
	if memMB <= 0 {
		memMB = 1024
	}
	cpus := vs.Cpus
	if cpus <= 0 {
		cpus = 1
	}
	config := types.VirtualMachineConfigSpec{
		Name:     vs.Name,
		GuestId:  string(types.VirtualMachineGuestOsIdentifierOtherGuest64),
		MemoryMB: memMB,
		NumCPUs:  cpus,
		Files:    &types.VirtualMachineFileInfo{VmPathName: fmt.Sprintf("[%s]", vs.HomeDatastore)},
	}

	var devices object.VirtualDeviceList
	var controllers []types.BaseVirtualController
	for i, d := range vs.Disks {
		if i%15 == 0 {
			ctl, err := devices.CreateSCSIController("pvscsi")
			if err != nil {
				return none, err
			}
			ctl.(types.BaseVirtualSCSIController).GetVirtualSCSIController().BusNumber = int32(i / 15)
			devices = append(devices, ctl)
			controllers = append(controllers, ctl.(types.BaseVirtualController))
		}
		name := diskFileName(vs.Name, i)
		if err := os.MkdirAll(filepath.Join(b.dsDir[d.Datastore], vs.Name), 0o700); err != nil {
			return none, err
		}
		ds := b.datastores[d.Datastore].Self
		disk := devices.CreateDisk(controllers[len(controllers)-1], ds, fmt.Sprintf("[%s] %s", d.Datastore, name))
		// vCenter's keys and labels (vcsim would number from 200-something and label "disk-…").
		disk.Key = int32(2000 + i)
		disk.DeviceInfo = &types.Description{Label: fmt.Sprintf("Hard disk %d", i+1), Summary: fmt.Sprintf("%d KB", d.CapacityBytes/1024)}
		disk.CapacityInBytes = d.CapacityBytes
		disk.CapacityInKB = d.CapacityBytes / 1024
		backing := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
		backing.ThinProvisioned = types.NewBool(d.Thin)
		if !d.Thin {
			backing.EagerlyScrub = types.NewBool(false)
		}
		devices = append(devices, disk)
	}
	var err error
	config.DeviceChange, err = devices.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	if err != nil {
		return none, err
	}
	// Disk files are created by vcsim (the Create file operation), as on a real host.
	for _, ch := range config.DeviceChange {
		if _, ok := ch.GetVirtualDeviceConfigSpec().Device.(*types.VirtualDisk); ok {
			ch.GetVirtualDeviceConfigSpec().FileOperation = types.VirtualDeviceConfigSpecFileOperationCreate
		}
	}

	task, err := folders.VmFolder.CreateVM(ctx, config, pool, host)
	if err != nil {
		return none, err
	}
	info, err := waitTask(reg, task)
	if err != nil {
		return none, err
	}
	ref := info.Result.(types.ManagedObjectReference)
	vm := object.NewVirtualMachine(c, ref)

	for i, d := range vs.Disks {
		flat := filepath.Join(b.dsDir[d.Datastore], simulator.VirtualDiskBackingFileName(diskFileName(vs.Name, i)))
		if err := os.Truncate(flat, allocated(d)); err != nil {
			return none, fmt.Errorf("sizing disk %d: %w", i, err)
		}
	}
	if err := vm.RefreshStorageInfo(ctx); err != nil {
		return none, err
	}
	if err := b.createSnapshots(ctx, reg, vm, vs); err != nil {
		return none, err
	}

	switch vs.PowerState {
	case "poweredOn", "suspended":
		t, err := vm.PowerOn(ctx)
		if err == nil {
			_, err = waitTask(reg, t)
		}
		if err == nil && vs.PowerState == "suspended" {
			t, err = vm.Suspend(ctx)
			if err == nil {
				_, err = waitTask(reg, t)
			}
		}
		if err != nil {
			return none, err
		}
	}
	if vs.Template {
		if err := vm.MarkAsTemplate(ctx); err != nil {
			return none, err
		}
	}
	return ref, nil
}

// waitTask waits for one of vcsim's tasks by looking at it in the registry. govmomi's Task.Wait
// goes through a property collector whose WaitForUpdatesEx ticks every 20 ms, which made
// building 3000 VMs (two tasks each) take two minutes; the tasks themselves take well under a
// millisecond.
func waitTask(reg *simulator.Registry, task *object.Task) (*types.TaskInfo, error) {
	t, ok := reg.Get(task.Reference()).(*simulator.Task)
	if !ok {
		return nil, fmt.Errorf("task %s not found", task.Reference().Value)
	}
	lock := &simulator.Context{} // a lock owner of its own, as simulator.Task.Wait does
	for delay := 50 * time.Microsecond; ; delay = min(2*delay, 5*time.Millisecond) {
		var info types.TaskInfo
		reg.WithLock(lock, t, func() { info = t.Info })
		switch info.State {
		case types.TaskInfoStateSuccess:
			return &info, nil
		case types.TaskInfoStateError:
			if info.Error != nil {
				return nil, fmt.Errorf("%s: %T %s", info.DescriptionId, info.Error.Fault, info.Error.LocalizedMessage)
			}
			return nil, fmt.Errorf("%s failed", info.DescriptionId)
		}
		time.Sleep(delay)
	}
}
