package main

// A vCenter that does not answer a call: `holdRelocations` makes every RelocateVM_Task received
// from then on wait unanswered (the client's request stays in flight, its connection open) until
// `releaseRelocations`, whose answer comes once every held call has gone on and created its task.
// With the process frozen as well (SIGSTOP), a test has a client whose submission is known to be
// under way on a vCenter that has gone silent, reached by what the harness saw, not by timing.

import "sync"

type gate struct {
	mu      sync.Mutex
	cond    *sync.Cond
	closed  bool
	held    int // calls waiting at the gate
	passing int // calls let through that have not yet created their task
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// enter waits while the gate is closed; the caller calls the returned function once done.
func (g *gate) enter() func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		return func() {}
	}
	g.held++
	g.cond.Broadcast()
	for g.closed {
		g.cond.Wait()
	}
	g.held--
	g.passing++
	return func() {
		g.mu.Lock()
		g.passing--
		g.cond.Broadcast()
		g.mu.Unlock()
	}
}

func (g *gate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// open lets the held calls go on and returns once each has done its work.
func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = false
	g.cond.Broadcast()
	for g.held > 0 || g.passing > 0 {
		g.cond.Wait()
	}
}

func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}
