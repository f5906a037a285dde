package api

import (
	"net/http"
	"strconv"

	"github.com/pamps/pamps/server/wire"
	"github.com/pamps/pamps/store"
)

// writeJSON writes v as compact JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := wire.Encode(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"Internal Server Error"}`)
	}
	b = append(b, '\n')
	// A known length lets net/http send the body in one write, not chunked.
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// noContent answers 204.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// writeCreated answers 201 for a new row, 200 for one that already existed
// (an idempotent like or follow).
func writeCreated(w http.ResponseWriter, created bool, v any) {
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, v)
}

// writePage answers one page of a list, with the Link to the next one.
func writePage[T any](s *Server, w http.ResponseWriter, r *http.Request, page store.Page[T], limit int) {
	s.link(w, r, r.URL.Path, nil, page.Next, limit)
	writeJSON(w, http.StatusOK, page.Items)
}
