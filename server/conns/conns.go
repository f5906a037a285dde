package conns

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Package conns holds what the HTTP and SSH servers share below their
// protocols: the bound on connections per client, the client's address
// behind trusted proxies, the places of long-lived sessions (Slots), a
// graceful stop (ServeUntil), and a peek at whether a client has gone.
//
// clientListener bounds the connections each client address holds
// (Options.MaxPerClient): one over it is answered 429 and closed at
// once, before any request is read. Each connection it hands out is a
// sniffConn.
type clientListener struct {
	net.Listener
	max    int
	ssh    bool              // SSH's listener: no HTTP answer, no sniffing
	exempt func(string) bool // peers not bounded (trusted proxies)

	mu    sync.Mutex
	conns map[string]int
}

// Options bound the connections of one client; both servers take them.
type Options struct {
	// MaxPerClient bounds the connections one client address holds at
	// once; 0 is no limit. A trusted proxy is not bounded: it carries many
	// clients.
	MaxPerClient int
	// TrustedProxies are the proxies whose Forwarded and X-Forwarded-For
	// headers name the client (the rightmost address not among them);
	// from any other peer the headers are ignored.
	TrustedProxies Trusted
}

// Listen bounds the connections per client on an HTTP listener: one over
// the bound is answered 429. Serve with ConnContext, so that Smuggling can
// see each request's connection.
func (o Options) Listen(ln net.Listener) net.Listener {
	return &clientListener{Listener: ln, max: o.MaxPerClient, exempt: o.TrustedProxies.Contains, conns: map[string]int{}}
}

// ListenSSH is Listen for SSH, which has no status line: one over the
// bound is closed.
func (o Options) ListenSSH(ln net.Listener) net.Listener {
	return &clientListener{Listener: ln, max: o.MaxPerClient, exempt: o.TrustedProxies.Contains, conns: map[string]int{}, ssh: true}
}

const (
	tooManyConnsBody = `{"detail":"Too many connections"}`
	tooManyConns     = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\n" +
		"X-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: 33\r\n\r\n" + tooManyConnsBody
)

func (l *clientListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := HostOf(c.RemoteAddr().String())
		if l.max > 0 && !l.exempt(addr) {
			l.mu.Lock()
			over := l.conns[addr] >= l.max
			if !over {
				l.conns[addr]++
			}
			l.mu.Unlock()
			if over && l.ssh {
				_ = c.Close() // SSH has no status line to say why
				continue
			}
			if over {
				go func() {
					_ = c.SetWriteDeadline(time.Now().Add(time.Second))
					_, _ = c.Write([]byte(tooManyConns))
					_ = c.Close()
				}()
				continue
			}
		}
		if l.ssh {
			return &releaseConn{Conn: c, release: func() { l.release(addr) }}, nil
		}
		return &sniffConn{Conn: c, release: func() { l.release(addr) }}, nil
	}
}

// releaseConn gives its client's place back when closed.
type releaseConn struct {
	net.Conn
	release func()
	once    sync.Once
}

// NetConn is the connection under the wrapper, as tls.Conn's.
func (c *releaseConn) NetConn() net.Conn { return c.Conn }

func (c *releaseConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

func (l *clientListener) release(addr string) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[addr]--; l.conns[addr] <= 0 {
		delete(l.conns, addr)
	}
}

// sniffConn watches the header lines a client sends for a request that
// carries both Content-Length and Transfer-Encoding, the start of request
// smuggling: net/http drops the Content-Length and reads the chunked body,
// and the server answers that request, then closes the connection, so that
// a proxy in front that framed it the other way cannot slip a second request
// in. Body bytes may look like header lines too; such a false alarm costs
// only a new connection.
type sniffConn struct {
	net.Conn
	release func()
	once    sync.Once

	line       []byte // the start of the current line, lower-cased
	sawLength  bool   // in the current header block
	sawEncode  bool
	smuggling  atomic.Bool
	lineLength int
}

// NetConn is the connection under the wrapper, as tls.Conn's.
func (c *sniffConn) NetConn() net.Conn { return c.Conn }

func (c *sniffConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

func (c *sniffConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	for _, b := range p[:n] {
		c.sniff(b)
	}
	return n, err
}

var (
	lengthHeader   = []byte("content-length:")
	encodingHeader = []byte("transfer-encoding:")
)

func (c *sniffConn) sniff(b byte) {
	if b == '\n' {
		if c.lineLength <= 1 { // "\r\n" or "\n": the end of a header block
			c.sawLength, c.sawEncode = false, false
		}
		c.line, c.lineLength = c.line[:0], 0
		return
	}
	c.lineLength++
	if len(c.line) < len(encodingHeader) {
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		c.line = append(c.line, b)
		switch {
		case bytes.Equal(c.line, lengthHeader):
			c.sawLength = true
		case bytes.Equal(c.line, encodingHeader):
			c.sawEncode = true
		}
		if c.sawLength && c.sawEncode {
			c.smuggling.Store(true)
		}
	}
}

type connKey struct{}

// ConnContext puts the connection where Smuggling can ask it
// (http.Server.ConnContext).
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if sc, ok := c.(*sniffConn); ok {
		return context.WithValue(ctx, connKey{}, sc)
	}
	return ctx
}

// Smuggling reports whether the request's connection carried a request
// with both Content-Length and Transfer-Encoding.
func Smuggling(ctx context.Context) bool {
	sc, ok := ctx.Value(connKey{}).(*sniffConn)
	return ok && sc.smuggling.Load()
}

// rawConn is the connection under the listener's wrappers: the streams
// peek at its socket (gone), which the wrappers do not expose.
func rawConn(c net.Conn) net.Conn {
	for {
		w, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return c
		}
		c = w.NetConn()
	}
}
