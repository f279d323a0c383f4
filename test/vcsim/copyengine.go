package main

// The copy engine: how fast the bytes of each admitted relocation move. Without a link or noise a
// copy runs at relocate.bytesPerSecond on its own, as before. With them it looks like a campaign
// observed on production storage, which is what a calibration must cope with:
//   - noise.perCopySpread: each copy's data mover runs at bytesPerSecond × a factor drawn once per
//     attempt (log-normal, mean 1), as copies of different VMs do;
//   - a VM whose disks come from several datastores copies them in parallel, one stream per source
//     datastore up to 4 (vSphere 5.1+, research/vsphere-facts.md §1): its copy runs at up to
//     streams × bytesPerSecond × its factor, as svmig's simulator models it (sim/models/tasks.ts);
//   - noise.load: a production-load fraction of the shared array that varies slowly (random knots
//     every periodSeconds, linearly interpolated) and takes its share of the link, or of each
//     copy's rate when there is no link;
//   - link: one bottleneck (bytes/s) that all copies in flight cross, shared max-min fairly
//     (progressive filling, each copy capped by its own rate) or in equal shares.
// Every random number comes from a hash of (noise.seed, what is drawn): the same seed gives the
// same factors and the same load curve whatever the order of events, so a pilot observed twice
// saw the same production load.
//
// All times here are simulated: real time × relocate.timeScale, so an hour of copying can pass in
// seconds. The engine advances its copies in small real-time steps while any copy is active.

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"sort"
	"sync"
	"time"
)

// LinkSpec is the one bottleneck concurrent copies share.
type LinkSpec struct {
	// BytesPerSecond the link carries (before production load takes its part).
	BytesPerSecond float64 `json:"bytesPerSecond"`
	// Share is "maxmin" (default: progressive filling, copies capped by their own rate) or "equal"
	// (capacity / copies, what a copy cannot use is lost).
	Share string `json:"share,omitempty"`
}

// NoiseSpec makes copy rates vary the way production does, reproducibly from Seed.
type NoiseSpec struct {
	Seed int64 `json:"seed"`
	// PerCopySpread is the standard deviation of ln(factor) of each copy attempt's rate; 0: none.
	PerCopySpread float64   `json:"perCopySpread,omitempty"`
	Load          *LoadSpec `json:"load,omitempty"`
}

// LoadSpec is the production-load fraction over time: knots every PeriodSeconds (simulated),
// uniform in Mean ± Amplitude, clamped to [0, 0.95], interpolated linearly.
type LoadSpec struct {
	Mean          float64 `json:"mean"`
	Amplitude     float64 `json:"amplitude,omitempty"`
	PeriodSeconds float64 `json:"periodSeconds"`
}

// ---- reproducible randomness ----

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniform is a number in (0, 1) determined by the seed and the parts named.
func uniform(seed int64, parts ...any) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			h.Write([]byte(v))
			h.Write([]byte{0})
		case int:
			binary.LittleEndian.PutUint64(b[:], uint64(v))
			h.Write(b[:])
		}
	}
	return (float64(splitmix64(h.Sum64())>>11) + 0.5) / (1 << 53)
}

// copyFactor is the rate factor of a copy attempt: log-normal with mean 1.
func (n *NoiseSpec) copyFactor(vm string, attempt int) float64 {
	if n == nil || n.PerCopySpread <= 0 {
		return 1
	}
	u1, u2 := uniform(n.Seed, "copy", vm, attempt, "u1"), uniform(n.Seed, "copy", vm, attempt, "u2")
	z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
	s := n.PerCopySpread
	return math.Exp(s*z - s*s/2)
}

// loadAt is the production-load fraction at simulated second t.
func (n *NoiseSpec) loadAt(t float64) float64 {
	if n == nil || n.Load == nil {
		return 0
	}
	l := n.Load
	knot := func(k int) float64 {
		v := l.Mean
		if l.Amplitude > 0 {
			v += l.Amplitude * (2*uniform(n.Seed, "load", k) - 1)
		}
		return math.Min(math.Max(v, 0), 0.95)
	}
	if l.PeriodSeconds <= 0 {
		return knot(0)
	}
	x := math.Max(t, 0) / l.PeriodSeconds
	k := int(math.Floor(x))
	f := x - float64(k)
	return knot(k)*(1-f) + knot(k+1)*f
}

// ---- sharing ----

// shareRates gives each copy its rate: caps[i] is the copy's own limit (Inf: none), avail the
// link capacity left by production (Inf: no link). Max-min: progressive filling, the smallest
// caps are satisfied first and the rest split what remains equally.
func shareRates(caps []float64, avail float64, share string) []float64 {
	rates := make([]float64, len(caps))
	if math.IsInf(avail, 1) {
		copy(rates, caps)
		return rates
	}
	if share == "equal" {
		for i, c := range caps {
			rates[i] = math.Min(c, avail/float64(len(caps)))
		}
		return rates
	}
	order := make([]int, len(caps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return caps[order[a]] < caps[order[b]] })
	left := avail
	for n, i := range order {
		fair := left / float64(len(order)-n)
		if caps[i] <= fair {
			rates[i] = caps[i]
			left -= caps[i]
			continue
		}
		for _, j := range order[n:] {
			rates[j] = fair
		}
		break
	}
	return rates
}

// ---- the engine ----

type copyJob struct {
	vm      string
	factor  float64
	streams float64 // parallel disk streams: distinct source datastores, 1 to 4
	total   float64 // bytes
	copied  float64
	rate    float64 // bytes per simulated second, as last computed
	done    chan struct{}
	stopped bool
}

// fraction is how much of the copy is done, 0..1.
func (j *copyJob) fraction(e *copyEngine) float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j.total <= 0 {
		return 1
	}
	return math.Min(j.copied/j.total, 1)
}

type copyEngine struct {
	h     *harness
	epoch time.Time // simulated time 0 of the load curve

	mu      sync.Mutex
	jobs    []*copyJob
	last    time.Time
	running bool
}

func newCopyEngine(h *harness) *copyEngine {
	return &copyEngine{h: h, epoch: time.Now()}
}

const engineStep = 10 * time.Millisecond

// maxStreams is the most disks one svMotion copies in parallel.
const maxStreams = 4

// start adds a copy of bytes for vm, read from `sources` distinct datastores; its done channel
// closes when the last byte has moved.
func (e *copyEngine) start(vm string, attempt int, bytes float64, sources int) *copyJob {
	s := e.h.relocateSettings()
	streams := float64(min(max(sources, 1), maxStreams))
	j := &copyJob{vm: vm, factor: s.Noise.copyFactor(vm, attempt), streams: streams, total: bytes, done: make(chan struct{})}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advanceLocked(time.Now())
	if bytes <= 0 || (s.BytesPerSecond <= 0 && s.Link == nil) {
		j.copied = bytes // nothing limits it: instant
		close(j.done)
		return j
	}
	e.jobs = append(e.jobs, j)
	e.rebalanceLocked(time.Now())
	if !e.running {
		e.running = true
		go e.loop()
	}
	return j
}

// stop takes a copy out (cancelled or failed) without finishing it.
func (e *copyEngine) stop(j *copyJob) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advanceLocked(time.Now())
	e.removeLocked(j)
	j.stopped = true
	e.rebalanceLocked(time.Now())
}

func (e *copyEngine) removeLocked(j *copyJob) {
	for i, x := range e.jobs {
		if x == j {
			e.jobs = append(e.jobs[:i], e.jobs[i+1:]...)
			return
		}
	}
}

func (e *copyEngine) loop() {
	ticker := time.NewTicker(engineStep)
	defer ticker.Stop()
	for now := range ticker.C {
		e.mu.Lock()
		e.advanceLocked(now)
		e.rebalanceLocked(now)
		if len(e.jobs) == 0 {
			e.running = false
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
	}
}

func (e *copyEngine) simSeconds(t time.Time) float64 {
	return t.Sub(e.epoch).Seconds() * e.h.relocateSettings().scale()
}

// advanceLocked moves every copy on at its current rate up to now and finishes those that are done.
func (e *copyEngine) advanceLocked(now time.Time) {
	if !e.last.IsZero() && now.After(e.last) {
		dt := now.Sub(e.last).Seconds() * e.h.relocateSettings().scale()
		kept := e.jobs[:0]
		for _, j := range e.jobs {
			j.copied += j.rate * dt
			if j.copied >= j.total*(1-1e-12) {
				j.copied = j.total
				close(j.done)
				continue
			}
			kept = append(kept, j)
		}
		e.jobs = kept
	}
	e.last = now
}

// rebalanceLocked sets each copy's rate for the present: load, caps and the link's share.
func (e *copyEngine) rebalanceLocked(now time.Time) {
	if len(e.jobs) == 0 {
		return
	}
	s := e.h.relocateSettings()
	load := s.Noise.loadAt(e.simSeconds(now))
	caps := make([]float64, len(e.jobs))
	for i, j := range e.jobs {
		caps[i] = math.Inf(1)
		if s.BytesPerSecond > 0 {
			caps[i] = s.BytesPerSecond * j.factor * j.streams
			if s.Link == nil {
				caps[i] *= 1 - load
			}
		}
	}
	avail, share := math.Inf(1), ""
	if s.Link != nil {
		avail, share = s.Link.BytesPerSecond*(1-load), s.Link.Share
	}
	for i, r := range shareRates(caps, avail, share) {
		e.jobs[i].rate = r
	}
}

// snapshot describes the copies in flight and the load now, for the control protocol.
func (e *copyEngine) snapshot() map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	e.advanceLocked(now)
	e.rebalanceLocked(now)
	copies := []map[string]any{}
	for _, j := range e.jobs {
		copies = append(copies, map[string]any{"vm": j.vm, "bytes": j.total, "copied": j.copied, "rate": j.rate, "factor": j.factor, "streams": j.streams})
	}
	sort.Slice(copies, func(a, b int) bool { return copies[a]["vm"].(string) < copies[b]["vm"].(string) })
	t := e.simSeconds(now)
	return map[string]any{"copies": copies, "simSeconds": t, "load": e.h.relocateSettings().Noise.loadAt(t)}
}
