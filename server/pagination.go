package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// link sets `Link: <URL>; rel="next"` when another page follows. The URL is
// the request's own, with the cursor of the next page.
func link(w http.ResponseWriter, r *http.Request, next string, limit int) {
	if next == "" {
		return
	}
	q := r.URL.Query()
	q.Set("cursor", next)
	q.Set("limit", strconv.Itoa(limit))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, u.String()))
}
