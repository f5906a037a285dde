package server_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sse is a client of one event stream.
type sse struct {
	t      *testing.T
	res    *http.Response
	lines  chan string
	raw    strings.Builder
	cancel context.CancelFunc
}

// sseEvent is one event as the client parsed it.
type sseEvent struct {
	id, name, data string
}

// stream opens path as an event stream; headers are name, value pairs.
func (a *api) stream(path, token string, headers ...string) *sse {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", a.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		a.t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		a.t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sse{t: a.t, res: res, lines: make(chan string, 1024), cancel: cancel}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	a.t.Cleanup(func() {
		// What was read, validated as the document says a stream is.
		a.checkAgainstDocument(req, res.StatusCode, res.Header, []byte(s.raw.String()))
		cancel()
		res.Body.Close()
	})
	return s
}

// lineWait bounds the wait for a stream's next line. On PostgreSQL an
// event is delivered once every transaction older than it has ended, in
// the whole cluster (the outbox's horizon), and the tests of every package
// share one cluster: under the full suite, a statement of another test
// held for seconds (20 replies queued on one parent's lock took 7.5 s)
// holds every stream back that long. Passing tests do not wait for it.
const lineWait = 30 * time.Second

// line returns the next line, or fails after lineWait.
func (s *sse) line() (string, bool) {
	s.t.Helper()
	select {
	case l, ok := <-s.lines:
		if ok {
			s.raw.WriteString(l + "\n")
		}
		return l, ok
	case <-time.After(lineWait):
		s.t.Fatalf("no line from the stream in %s", lineWait)
		return "", false
	}
}

// next returns the next event, comments skipped; skip names events to pass
// over. It fails after lineWait in all: the pings every 15 s must not keep
// a wait for an event that never comes alive.
func (s *sse) next(skip ...string) sseEvent {
	s.t.Helper()
	deadline := time.Now().Add(lineWait)
	for {
		if time.Now().After(deadline) {
			s.t.Fatalf("no event from the stream in %s", lineWait)
		}
		var e sseEvent
		for {
			l, ok := s.line()
			if !ok {
				s.t.Fatal("the stream ended")
			}
			if l == "" {
				break
			}
			field, value, _ := strings.Cut(l, ": ")
			switch field {
			case "id":
				e.id = value
			case "event":
				e.name = value
			case "data":
				e.data = value
			}
		}
		if e.name == "" {
			continue // retry: or a comment
		}
		skipped := false
		for _, k := range skip {
			skipped = skipped || e.name == k
		}
		if !skipped {
			return e
		}
	}
}

// ended reports whether the server closed the stream within d.
func (s *sse) ended(d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-s.lines:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
