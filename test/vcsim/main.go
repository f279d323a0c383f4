// Command vcsim-harness runs govmomi's vCenter simulator (vcsim) with an inventory built from a
// JSON spec, for svmig's live-world tests. See README.md for the spec and the control protocol.
//
// Protocol on stdout, one JSON object per line:
//
//	{"event":"ready","url":"https://127.0.0.1:PORT/sdk","thumbprintSha1":"AB:…","thumbprintSha256":"…",…}
//	{"id":N,"ok":true,…} or {"id":N,"ok":false,"error":"…"} in answer to each control line.
//
// stdin: the spec as the first line unless -spec is given, then control lines; end of stdin,
// SIGTERM or SIGINT stops the simulator. Credentials come from the environment
// (SVMIG_VCSIM_USERNAME, SVMIG_VCSIM_PASSWORD) or -credentials-file, never from argv.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/sim25"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

var out = struct {
	sync.Mutex
	enc *json.Encoder
}{enc: json.NewEncoder(os.Stdout)}

func emit(v any) {
	out.Lock()
	defer out.Unlock()
	_ = out.enc.Encode(v)
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "vcsim-harness: %v\n", err)
	os.Exit(1)
}

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func readCredentials(file string) (credentials, error) {
	var c credentials
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c, err
		}
		if err := json.Unmarshal(data, &c); err != nil {
			return c, fmt.Errorf("credentials file %s: %w", file, err)
		}
	} else {
		c.Username, c.Password = os.Getenv("SVMIG_VCSIM_USERNAME"), os.Getenv("SVMIG_VCSIM_PASSWORD")
	}
	if c.Username == "" || c.Password == "" {
		return c, errors.New("no credentials: set SVMIG_VCSIM_USERNAME and SVMIG_VCSIM_PASSWORD or give -credentials-file")
	}
	return c, nil
}

func main() {
	specFile := flag.String("spec", "", "spec file (default: the first line of stdin)")
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free one")
	credFile := flag.String("credentials-file", "", `JSON file {"username":…,"password":…} (default: environment)`)
	tlsDir := flag.String("tls-dir", "", "directory to keep cert.pem/key.pem in, reused across restarts")
	dataDir := flag.String("data-dir", defaultDataDir(), "where the simulated datastores' (empty or sparse) files go")
	flag.Parse()
	// vcsim makes its own temporary directories (os.MkdirTemp): keep them there too.
	if err := os.Setenv("TMPDIR", *dataDir); err != nil {
		fatal(err)
	}

	creds, err := readCredentials(*credFile)
	if err != nil {
		fatal(err)
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		fatal(fmt.Errorf("-listen %s: only loopback addresses are allowed for a test harness", *listen))
	}

	stdin := bufio.NewReaderSize(os.Stdin, 1<<20)
	var specData []byte
	if *specFile != "" {
		specData, err = os.ReadFile(*specFile)
	} else {
		specData, err = stdin.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(specData) > 0 {
			err = nil
		}
	}
	if err != nil {
		fatal(fmt.Errorf("reading the spec: %w", err))
	}
	spec, err := parseSpec(specData)
	if err != nil {
		fatal(err)
	}

	if spec.Relocate.Mode == "stock" {
		simulator.TaskDelay.MethodDelay = map[string]int{"RelocateVm": int(spec.Relocate.FixedMs)}
		if spec.Relocate.LockHandoff != nil && !*spec.Relocate.LockHandoff {
			simulator.TaskDelay.MethodDelay["LockHandoff"] = 0
		}
	}

	model := simulator.VPX()
	model.Datacenter, model.Cluster, model.ClusterHost, model.Host = 1, 0, 0, 0
	model.Datastore, model.Machine, model.Portgroup = 0, 0, 0
	if spec.ApiVersion != "" {
		model.ServiceContent.About.ApiVersion = spec.ApiVersion
	}
	if err := model.Create(); err != nil {
		fatal(err)
	}
	ctx := context.Background()
	started := time.Now()
	b, err := buildInventory(ctx, model, spec)
	if err != nil {
		fatal(err)
	}
	built := time.Since(started)

	client, err := vim25.NewClient(ctx, model.Service)
	if err != nil {
		fatal(err)
	}
	if spec.SessionIdleTimeout != "" {
		d, _ := time.ParseDuration(spec.SessionIdleTimeout)
		if err := sim25.SetSessionTimeout(ctx, client, d); err != nil {
			fatal(err)
		}
	}

	cert, err := loadOrCreateCert(*tlsDir)
	if err != nil {
		fatal(err)
	}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(creds.Username, creds.Password)}
	h := newHarness(model, b, spec)
	server := model.Service.NewServer()

	u := *server.URL
	u.User = nil // the URL carries the credentials; they are not for stdout
	sha1hex, sha256hex := thumbprints(cert.Certificate[0])
	emit(map[string]any{
		"event":            "ready",
		"url":              u.String(),
		"thumbprintSha1":   sha1hex,
		"thumbprintSha256": sha256hex,
		"apiVersion":       model.ServiceContent.About.ApiVersion,
		"pid":              os.Getpid(),
		"buildMs":          built.Milliseconds(),
	})

	stop := make(chan struct{})
	var once sync.Once
	shutdown := func() { once.Do(func() { close(stop) }) }
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-sigs; shutdown() }()
	go func() {
		for {
			line, err := stdin.ReadBytes('\n')
			if len(line) > 0 {
				h.control(ctx, client, line)
			}
			if err != nil {
				shutdown()
				return
			}
		}
	}()

	<-stop
	server.Close()
	model.Remove()
	_ = os.RemoveAll(b.root)
}

// defaultDataDir prefers a memory file system: vcsim writes several files per VM and on a disk
// file system that made building 3000 VMs take 25 s instead of 12 s. The files are empty or
// sparse, so they cost next to no memory.
func defaultDataDir() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", "svmig-probe-"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

type controlRequest struct {
	ID any    `json:"id"`
	Op string `json:"op"`
	// fault
	FaultSpec
	// relocate
	FixedMs            *int64     `json:"fixedMs"`
	BytesPerSecond     *float64   `json:"bytesPerSecond"`
	ProgressIntervalMs *int64     `json:"progressIntervalMs"`
	TimeScale          *float64   `json:"timeScale"`
	Link               *LinkSpec  `json:"link"`
	Noise              *NoiseSpec `json:"noise"`
	// clearLink / clearNoise take the link or the noise away
	ClearLink  bool `json:"clearLink"`
	ClearNoise bool `json:"clearNoise"`
	// sessionIdleTimeout
	Value string `json:"value"`
	// load: simulated seconds
	At []float64 `json:"at"`
}

func (h *harness) control(ctx context.Context, client *vim25.Client, line []byte) {
	var req controlRequest
	reply := map[string]any{}
	fail := func(err error) {
		reply["ok"] = false
		reply["error"] = err.Error()
	}
	if err := json.Unmarshal(line, &req); err != nil {
		fail(fmt.Errorf("control line is not JSON: %w", err))
		emit(reply)
		return
	}
	reply["id"] = req.ID
	reply["ok"] = true
	switch req.Op {
	case "ping":
	case "fault":
		vms := map[string]bool{}
		for name := range h.built.vms {
			vms[name] = true
		}
		if err := req.FaultSpec.validate(vms); err != nil {
			fail(err)
		} else {
			h.setFault(req.FaultSpec)
		}
	case "clearFaults":
		h.mu.Lock()
		h.faults = map[string]*faultState{}
		h.mu.Unlock()
	case "expireSessions":
		h.expireSessions()
	case "holdRelocations":
		h.relocations.close()
	case "releaseRelocations":
		h.relocations.open()
	case "expireTasks":
		// Ended tasks leave every recentTask and no longer resolve; the task history keeps them.
		reply["forgotten"] = h.expireTasks(ctx)
	case "relocate":
		h.mu.Lock()
		next := h.relocate
		if req.FixedMs != nil {
			next.FixedMs = *req.FixedMs
		}
		if req.BytesPerSecond != nil {
			next.BytesPerSecond = *req.BytesPerSecond
		}
		if req.ProgressIntervalMs != nil {
			next.ProgressIntervalMs = *req.ProgressIntervalMs
		}
		if req.TimeScale != nil {
			next.TimeScale = *req.TimeScale
		}
		if req.Link != nil {
			next.Link = req.Link
		}
		if req.ClearLink {
			next.Link = nil
		}
		if req.Noise != nil {
			next.Noise = req.Noise
		}
		if req.ClearNoise {
			next.Noise = nil
		}
		if err := next.validateModel(); err != nil {
			fail(err)
		} else {
			h.relocate = next
		}
		h.mu.Unlock()
	case "copies":
		// The copies in flight (bytes, copied, rate, factor) and the production load now.
		for k, v := range h.engine.snapshot() {
			reply[k] = v
		}
	case "load":
		// The production-load fraction at the simulated seconds asked for.
		h.mu.Lock()
		noise := h.relocate.Noise
		h.mu.Unlock()
		loads := []float64{}
		for _, t := range req.At {
			loads = append(loads, noise.loadAt(t))
		}
		reply["load"] = loads
	case "sessionIdleTimeout":
		d, err := time.ParseDuration(req.Value)
		if err == nil && d <= 0 {
			err = errors.New("must be positive")
		}
		if err == nil {
			err = sim25.SetSessionTimeout(ctx, client, d)
		}
		if err != nil {
			fail(fmt.Errorf("sessionIdleTimeout %q: %w", req.Value, err))
		}
	case "stats":
		// SOAP calls the simulator received (from clients, not the harness itself), by method.
		h.mu.Lock()
		calls := map[string]int{}
		total := 0
		for k, v := range h.calls {
			calls[k] = v
			total += v
		}
		h.mu.Unlock()
		reply["calls"] = calls
		reply["total"] = total
	case "relocations":
		// Relocation tasks in flight at most at once (in all, per host) and per VM, since the start.
		h.mu.Lock()
		peak := map[string]int{}
		for k, v := range h.flight.peak {
			peak[k] = v
		}
		perVM := map[string]int{}
		for k, v := range h.flight.perVM {
			perVM[k] = v
		}
		reply["peakTotal"] = h.flight.peakTotal
		reply["peakPerHost"] = peak
		reply["perVm"] = perVM
		h.mu.Unlock()
		reply["held"] = h.relocations.waiting()
	case "inventory":
		// Managed object ids by name, for tests that need to address an object directly.
		ids := func(refs map[string]types.ManagedObjectReference) map[string]string {
			m := map[string]string{}
			for k, v := range refs {
				m[k] = v.Value
			}
			return m
		}
		dss := map[string]types.ManagedObjectReference{}
		for name, ds := range h.built.datastores {
			dss[name] = ds.Self
		}
		reply["vms"] = ids(h.built.vms)
		reply["datastores"] = ids(dss)
		reply["hosts"] = ids(h.built.hosts)
	default:
		fail(fmt.Errorf("unknown op %q", req.Op))
	}
	emit(reply)
}
