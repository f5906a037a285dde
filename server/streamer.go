package server

import (
	"bufio"
	"context"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pamps/pamps/store"
)

// The streams' writers. A stream's connection is taken from net/http once
// its headers are out (hijacked): it then holds no goroutine and no
// buffers of its own. When its subscription has events, it is queued, and
// one of a few writer goroutines writes everything waiting in one write
// with a deadline. A client that left is found at the next write (a ping
// comes every StreamPing). At 5,000 streams net/http's two goroutines and
// two buffers per connection were most of the server's memory.

// liveStream is one hijacked stream.
type liveStream struct {
	conn      net.Conn
	sub       *store.Subscription
	release   func()
	until     time.Time   // it ends then (its token's expiry); zero: never
	added     atomic.Bool // its head is out: writers may serve it
	queued    atomic.Bool // waits in the writers' queue
	pingDue   atomic.Bool
	closeOnce sync.Once
	batch     []byte
}

type streamer struct {
	s       *Server
	work    chan *liveStream
	mu      sync.Mutex
	streams map[*liveStream]struct{}
}

func newStreamer(s *Server) *streamer {
	st := &streamer{s: s, work: make(chan *liveStream, 1<<16), streams: map[*liveStream]struct{}{}}
	for range max(4, 2*runtime.GOMAXPROCS(0)) {
		go st.writer()
	}
	go st.pinger()
	go func() { // Serve's graceful shutdown ends every stream at once
		<-s.draining.Done()
		st.closeAll()
	}()
	return st
}

// add serves a hijacked connection: the head written, events from sub.
func (st *streamer) add(ls *liveStream) {
	st.mu.Lock()
	st.streams[ls] = struct{}{}
	st.mu.Unlock()
	ls.added.Store(true)
	if st.s.draining.Err() != nil {
		st.close(ls)
		return
	}
	st.schedule(ls)
}

// schedule queues ls for a writer, once however often it is called.
func (st *streamer) schedule(ls *liveStream) {
	if ls.added.Load() && ls.queued.CompareAndSwap(false, true) {
		select {
		case st.work <- ls:
		default: // the queue is full: the writers are far behind; drop the stream
			ls.queued.Store(false)
			go st.close(ls)
		}
	}
}

func (st *streamer) writer() {
	for ls := range st.work {
		ls.queued.Store(false) // what arrives from now on queues it again
		st.serve(ls)
	}
}

// serve writes what waits for ls; a failure or the subscription's end
// closes it.
func (st *streamer) serve(ls *liveStream) {
	ctx, cancel := context.WithTimeout(context.Background(), st.s.opt.StreamWriteTimeout)
	defer cancel()
	ls.batch = ls.batch[:0]
	if ls.pingDue.Swap(false) {
		ls.batch = append(ls.batch, ": ping\n\n"...)
	}
	var ended error
	for len(ls.batch) < 64<<10 {
		e, ok, err := ls.sub.TryNext(ctx)
		if err != nil {
			ended = err
			break
		}
		if !ok {
			break
		}
		ls.batch = append(ls.batch, e.Memo.Bytes(func() []byte { return appendEvent(nil, &e) })...)
	}
	if len(ls.batch) > 0 {
		_ = ls.conn.SetWriteDeadline(time.Now().Add(st.s.opt.StreamWriteTimeout))
		if _, err := ls.conn.Write(ls.batch); err != nil {
			ended = err
		}
	}
	if cap(ls.batch) > 4<<10 {
		ls.batch = nil // a burst's buffer is not kept for an idle stream
	}
	if ended != nil {
		st.close(ls)
		return
	}
	if len(ls.batch) >= 64<<10 {
		st.schedule(ls) // more waits
	}
}

// pinger marks every stream for a ping each StreamPing, and every
// second closes the streams whose client has gone (gone): a departed
// client no longer holds its place in the limits until the next ping.
func (st *streamer) pinger() {
	ping := time.NewTicker(st.s.opt.StreamPing)
	defer ping.Stop()
	sweep := time.NewTicker(time.Second)
	defer sweep.Stop()
	for {
		var pinging bool
		select {
		case <-st.s.draining.Done():
			return
		case <-ping.C:
			pinging = true
		case <-sweep.C:
		}
		now := time.Now()
		for _, ls := range st.all() {
			switch {
			case gone(ls.conn), !ls.until.IsZero() && now.After(ls.until):
				st.close(ls)
			case pinging:
				ls.pingDue.Store(true)
				st.schedule(ls)
			}
		}
	}
}

func (st *streamer) all() []*liveStream {
	st.mu.Lock()
	defer st.mu.Unlock()
	all := make([]*liveStream, 0, len(st.streams))
	for ls := range st.streams {
		all = append(all, ls)
	}
	return all
}

// gone reports, without waiting, whether the client closed its end: a
// stream's client sends nothing, so a readable connection is at its end
// (or sent something it should not have).
func gone(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	closed := false
	var b [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = err == nil || (err != syscall.EAGAIN && err != syscall.EWOULDBLOCK) || n > 0
		return true // never wait
	})
	return closed || err != nil
}

func (st *streamer) close(ls *liveStream) {
	ls.closeOnce.Do(func() {
		st.mu.Lock()
		delete(st.streams, ls)
		st.mu.Unlock()
		ls.sub.Close()
		ls.conn.Close()
		ls.release()
	})
}

func (st *streamer) closeAll() {
	for _, ls := range st.all() {
		st.close(ls)
	}
}

// discardBuffered drops what net/http had read ahead of the client: a
// stream reads nothing from it.
func discardBuffered(rw *bufio.ReadWriter) {
	if rw != nil && rw.Reader != nil {
		rw.Reader.Discard(rw.Reader.Buffered())
	}
}
