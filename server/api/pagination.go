package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// link sets `Link: <URL>; rel="next"` when another page follows: path with
// query (nil: the request's own), the next page's cursor and limit. The URL
// is a path, or built on server.public_url; never on the Host header, which
// the client chooses.
func (s *Server) link(w http.ResponseWriter, r *http.Request, path string, query url.Values, next string, limit int) {
	if next == "" {
		return
	}
	if query == nil {
		query = r.URL.Query()
	}
	query.Set("cursor", next)
	query.Set("limit", strconv.Itoa(limit))
	u := (&url.URL{Path: path, RawQuery: query.Encode()}).String()
	w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, s.opt.PublicURL, u))
}
