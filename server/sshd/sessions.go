package sshd

import "sync"

// sshOpen are the TUI sessions running, each with the way to end it: a
// session never ends on its own, so a shutdown ends them, saying why,
// rather than waiting out server.shutdown_timeout and cutting them off.
type sshOpen struct {
	mu     sync.Mutex
	ends   map[*byte]func(why string)
	closed bool // shutting down: a session that starts now ends at once
}

// whyShutdown is what a session is told when the server stops.
const whyShutdown = "the server is restarting; connect again in a moment"

// add registers end until remove is called.
func (o *sshOpen) add(end func(why string)) (remove func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		end(whyShutdown)
		return func() {}
	}
	if o.ends == nil {
		o.ends = map[*byte]func(string){}
	}
	key := new(byte)
	o.ends[key] = end
	return func() {
		o.mu.Lock()
		delete(o.ends, key)
		o.mu.Unlock()
	}
}

// endAll ends every session, and those that start from now on.
func (o *sshOpen) endAll() {
	o.mu.Lock()
	o.closed = true
	ends := make([]func(string), 0, len(o.ends))
	for _, end := range o.ends {
		ends = append(ends, end)
	}
	o.mu.Unlock()
	for _, end := range ends {
		end(whyShutdown)
	}
}
