package stream

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/server/wire"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// The streams' writers. A stream's connection is taken from net/http once
// its headers are out (hijacked): it then holds no goroutine and no
// buffers of its own. When its subscription has events, it is queued, and
// one of a few writer goroutines writes everything waiting in one write.
// A write gets writeSlice at most: what a client that stopped reading did
// not take waits in the stream's own buffer, and the writer goes on to the
// next stream, so a few stalled clients never hold the writers that the
// others need. A stream stuck for StreamWriteTimeout is closed. A client
// that left is found within a second (conns.Gone), or at the next write.
// With thousands of streams, net/http's two goroutines and two buffers per
// connection were most of the server's memory (bench/stream.sh).

// writeSlice bounds one write to one stream's client: a client that
// reads gets the rest at once, one that took nothing is tried again after
// stuckRetry. A thousand stalled clients so cost the writers a few
// milliseconds each per retry.
const (
	writeSlice = 2 * time.Millisecond
	stuckRetry = 50 * time.Millisecond
	maxBatch   = 64 << 10
)

// liveStream is one hijacked stream.
type liveStream struct {
	conn      net.Conn
	sub       *live.Subscription
	release   func()
	until     time.Time   // it ends then (its token's expiry); zero: never
	added     atomic.Bool // its head is out: writers may serve it
	queued    atomic.Bool // waits in the writers' queue
	pingDue   atomic.Bool
	closeOnce sync.Once
	// serving lets one writer at a time serve the stream; again says that
	// another was handed it meanwhile, so the one serving looks once more.
	// Two writers on one stream shared its batch, and a client got an
	// event twice (bench/stream.sh counts duplicates).
	serving sync.Mutex
	again   atomic.Bool
	// Writers only, one at a time: batch is what waits to be written
	// (from sent on), stuck since when its client took nothing of it.
	batch []byte
	sent  int
	stuck time.Time
}

type streamer struct {
	s       *Streams
	work    chan *liveStream
	mu      sync.Mutex
	streams map[*liveStream]struct{}
}

func newStreamer(s *Streams) *streamer {
	st := &streamer{s: s, work: make(chan *liveStream, 1<<16), streams: map[*liveStream]struct{}{}}
	for range max(4, 2*runtime.GOMAXPROCS(0)) {
		go st.writer()
	}
	go st.pinger()
	go func() { // Close (the server's graceful shutdown) ends every stream at once
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
		st.serveAlone(ls)
	}
}

// serveAlone serves ls unless another writer is serving it, in which case
// that writer serves it once more when it is done.
func (st *streamer) serveAlone(ls *liveStream) {
	for {
		if !ls.serving.TryLock() {
			ls.again.Store(true)
			if !ls.serving.TryLock() {
				return // the writer serving it sees again
			}
		}
		ls.again.Store(false)
		st.serve(ls)
		ls.serving.Unlock()
		if !ls.again.Load() {
			return
		}
	}
}

// errRevoked ends a signed stream whose member's tokens were revoked.
var errRevoked = errors.New("the stream's token was revoked")

// serve writes what waits for ls: first the rest of a write its client did
// not take, else the next events (a replay drains a page after another).
// A failure, a stream stuck too long or the subscription's end closes it.
func (st *streamer) serve(ls *liveStream) {
	var ended error
	if ls.sent >= len(ls.batch) {
		ls.batch, ls.sent = ls.batch[:0], 0
		if ls.pingDue.Swap(false) {
			ls.batch = append(ls.batch, ": ping\n\n"...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), st.s.opt.WriteTimeout)
		for len(ls.batch) < maxBatch {
			e, ok, err := ls.sub.TryNext(ctx)
			if err != nil {
				ended = err
				break
			}
			if !ok {
				break
			}
			if e.Kind == store.EventAccount { // the token it was opened with is revoked
				ended = errRevoked
				break
			}
			ls.batch = append(ls.batch, e.Memo.Bytes(func() []byte { return wire.AppendEvent(nil, &e) })...)
		}
		cancel()
	}
	more := len(ls.batch) >= maxBatch // a replay's next page waits
	if ls.sent < len(ls.batch) {
		_ = ls.conn.SetWriteDeadline(time.Now().Add(writeSlice))
		n, err := ls.conn.Write(ls.batch[ls.sent:])
		ls.sent += n
		switch {
		case err == nil:
			ls.stuck = time.Time{}
		case errors.Is(err, os.ErrDeadlineExceeded):
			if n > 0 || ls.stuck.IsZero() {
				ls.stuck = time.Now()
			}
			if time.Since(ls.stuck) >= st.s.opt.WriteTimeout {
				ended = err // it stopped reading
				break
			}
			if ended == nil {
				if n > 0 {
					st.schedule(ls) // it reads: the rest behind the others
				} else {
					time.AfterFunc(stuckRetry, func() { st.schedule(ls) })
				}
				return // the rest waits for its client, not for a writer
			}
		default:
			ended = err
		}
	}
	if ls.sent >= len(ls.batch) && cap(ls.batch) > 4<<10 {
		ls.batch, ls.sent = nil, 0 // a burst's buffer is not kept for an idle stream
	}
	if ended != nil {
		st.close(ls)
		return
	}
	if more {
		st.schedule(ls)
	}
}

// pinger marks every stream for a ping each Options.Ping, and every
// second closes the streams whose client has gone (conns.Gone): a departed
// client no longer holds its place in the limits until the next ping.
func (st *streamer) pinger() {
	ping := time.NewTicker(st.s.opt.Ping)
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
			case conns.Gone(ls.conn), !ls.until.IsZero() && now.After(ls.until):
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
