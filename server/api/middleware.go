package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/pamps/pamps/server/conns"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyUser
	keyCred
	keyExpires // the access token's expiry (time.Time)
	keyFresh   // when a password login issued the access token (time.Time)
	keyLog
)

// requestLog collects what the access log line says about a request.
type requestLog struct {
	pattern string
	user    string
}

var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// maxLoggedPath bounds a path asked for that no route matched, in the log.
const maxLoggedPath = 256

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (streams flush
// and set deadlines through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// middleware wraps every request: request id, one log line, panic recovery,
// body limit, request timeout and CORS.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !saneRequestID.MatchString(id) {
			id = newRequestID()
		}
		h := w.Header()
		h.Set("X-Request-ID", id)
		h.Set("X-Content-Type-Options", "nosniff")
		if conns.Smuggling(r.Context()) {
			h.Set("Connection", "close")
		}
		info := &requestLog{}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLog, info)
		// A stream's handler returns once it has handed its connection to
		// the writers (server/stream): it is bounded like every request.
		ctx, cancel := context.WithTimeout(ctx, s.opt.RequestTimeout)
		defer cancel()
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.answer(sw, r, errInternal)
				}
			}
			path := info.pattern
			if path == "" { // no route: the path asked for (404, 405, 307, /docs assets), bounded
				path = r.URL.EscapedPath()
				if len(path) > maxLoggedPath {
					path = path[:maxLoggedPath] + "…"
				}
			}
			route := info.pattern
			if route == "" {
				route = "unrouted" // a bounded label, not the path asked for
			}
			s.metrics.Observe(route, r.Method, sw.status, time.Since(start))
			attrs := []any{"method", r.Method, "path", path, "status", sw.status,
				"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "request_id", id}
			if info.user != "" {
				attrs = append(attrs, "user", info.user)
			}
			s.log.Info("request", attrs...)
		}()
		if s.cors(sw, r) {
			return
		}
		if r.ContentLength > s.opt.MaxBodyBytes {
			s.answer(sw, r, errBodyTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, s.opt.MaxBodyBytes)
		// A body that trickles in times out as a 408, the client's doing,
		// before the request's own deadline would call it a 503. Requests
		// without a body (most) skip the deadline's timer update.
		if r.ContentLength != 0 {
			_ = http.NewResponseController(w).SetReadDeadline(start.Add(s.opt.BodyTimeout))
		}
		next.ServeHTTP(sw, r)
	})
}

// cors answers preflights and marks responses for allowed origins only.
// It reports whether the request was fully answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || !(slices.Contains(s.opt.CORSOrigins, origin) || slices.Contains(s.opt.CORSOrigins, "*")) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Link, X-Request-ID, Retry-After")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// dispatch routes a request; what the route table does not match is answered
// the way FastAPI does: 405 with Allow when another method fits, a 307 to the
// other spelling of the path when that fits, else a JSON 404.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	// The mux would redirect /post to /post/ itself, with an HTML body; the
	// redirect below answers that case the contract's way.
	if _, pattern := s.mux.Handler(r); routed(r.URL.Path, pattern) {
		s.mux.ServeHTTP(w, r) // sets the path values
		return
	}
	s.unrouted(w, r)
}

// unrouted answers a request no route takes.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	if allowed := s.allowedMethods(r.URL.Path); len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": "Method Not Allowed"})
		return
	}
	if loc, ok := s.otherSpelling(r); ok {
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
}

// otherSpelling is the Location of the 307 from a path to its canonical
// spelling (with or without the trailing slash), when a route answers there.
// It is built from the cleaned, re-escaped path, so it is always a path on
// this server: never "//host" or "/\host", which browsers read as another
// site, whatever encoded slashes the request held (docs/API.md §1).
func (s *Server) otherSpelling(r *http.Request) (string, bool) {
	p := r.URL.Path
	if p == "" || p[0] != '/' || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	clean := path.Clean(p)
	for _, other := range []string{clean + "/", clean} {
		if other == p || other == "/" || len(s.allowedMethods(other)) == 0 {
			continue
		}
		loc := (&url.URL{Path: other}).EscapedPath()
		if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			return "", false
		}
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		return loc, true
	}
	return "", false
}

// allowedMethods lists the methods the route table answers on path.
func (s *Server) allowedMethods(path string) []string {
	var out []string
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		req := &http.Request{Method: m, URL: &url.URL{Path: path}, Host: "x"}
		_, pattern := s.mux.Handler(req)
		if pattern == "GET "+repliesMux+"{$}" && !strings.HasSuffix(path, "/replies/") {
			continue // the replies route's wide pattern (repliesMux)
		}
		if routed(path, pattern) {
			out = append(out, m)
		}
	}
	if slices.Contains(out, "GET") {
		out = append(out, "HEAD")
	}
	return out
}

// routed reports whether the mux matched path to a route itself (and not
// merely to its redirect from the spelling without the trailing slash).
func routed(path, pattern string) bool {
	return pattern != "" && (strings.HasSuffix(path, "/") || !strings.HasSuffix(pattern, "{$}"))
}
