package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/store"
)

// httpError is an answer the handlers choose themselves (auth, body size...).
type httpError struct {
	status int
	detail any
	header http.Header
}

func (e *httpError) Error() string { return http.StatusText(e.status) }

func errStatus(status int, detail string) *httpError {
	return &httpError{status: status, detail: detail}
}

// statusClientClosed is logged when the client hung up before the answer.
const statusClientClosed = 499

// The contract's fixed answers.
var (
	errNotAuthenticated = &httpError{status: 401, detail: "Not authenticated", header: http.Header{"Www-Authenticate": {"Bearer"}}}
	errBadCredentials   = &httpError{status: 401, detail: "Could not validate credentials", header: http.Header{"Www-Authenticate": {"Bearer"}}}
	errIncorrectLogin   = &httpError{status: 401, detail: "Incorrect username or password", header: http.Header{"Www-Authenticate": {"Bearer"}}}
	errBodyTooLarge     = errStatus(http.StatusRequestEntityTooLarge, "Request body too large")
	errRequestTimeout   = &httpError{status: http.StatusRequestTimeout, detail: "Request Timeout", header: http.Header{"Connection": {"close"}}}
	errServiceUnavail   = errStatus(http.StatusServiceUnavailable, "Service Unavailable")
	errInternal         = errStatus(http.StatusInternalServerError, "Internal Server Error")
)

// answer is the server's one table from errors to HTTP answers. Anything it
// does not know is a server fault: logged with the request id, answered 500.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, err error) {
	var (
		he   *httpError
		ve   *store.ValidationError
		nf   *store.NotFoundError
		cf   *store.ConflictError
		rf   *store.RefusedError
		fb   *store.ForbiddenError
		ce   *store.CredentialsError
		le   *store.LimitError
		ive  *inputError
		full *conns.FullError
	)
	switch {
	case errors.As(err, &he):
	case errors.Is(r.Context().Err(), context.Canceled):
		// The client hung up; nobody reads this. 499 as nginx logs it, so
		// that the log does not count it as a server fault.
		he = errStatus(statusClientClosed, "Client Closed Request")
	case errors.Is(r.Context().Err(), context.DeadlineExceeded):
		s.log.Warn("request timed out", "request_id", requestID(r), "error", err)
		he = errServiceUnavail
	case errors.As(err, &ive):
		he = &httpError{status: http.StatusUnprocessableEntity, detail: ive.items}
	case errors.As(err, &ve):
		he = &httpError{status: http.StatusUnprocessableEntity, detail: validationItems(ve)}
	case errors.As(err, &nf):
		he = errStatus(http.StatusNotFound, nf.Msg)
	case errors.As(err, &cf):
		he = errStatus(http.StatusConflict, cf.Msg)
	case errors.As(err, &rf):
		he = errStatus(http.StatusBadRequest, rf.Msg)
	case errors.As(err, &fb):
		he = errStatus(http.StatusForbidden, fb.Msg)
	case errors.As(err, &ce):
		he = errIncorrectLogin
	case errors.As(err, &le):
		he = &httpError{status: http.StatusTooManyRequests, detail: le.Error(),
			header: http.Header{"Retry-After": {strconv.Itoa(int(math.Max(1, math.Ceil(le.Wait.Seconds()))))}}}
	case errors.As(err, &full): // a stream's place: one may free up any moment
		he = &httpError{status: http.StatusTooManyRequests, detail: full.Error(), header: http.Header{"Retry-After": {"1"}}}
	case errors.Is(err, store.ErrUnauthorized):
		he = errBadCredentials
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, store.ErrStaleSchema):
		s.log.Warn("database unavailable", "request_id", requestID(r), "error", err)
		he = errServiceUnavail
	default:
		s.log.Error("internal error", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "error", err)
		he = errInternal
	}
	for k, v := range he.header {
		w.Header()[k] = v
	}
	writeJSON(w, he.status, map[string]any{"detail": he.detail})
}

// validationItems renders store field errors as FastAPI's 422 items.
func validationItems(ve *store.ValidationError) []fieldIssue {
	items := make([]fieldIssue, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		where := "body"
		switch f.Field {
		case "limit", "cursor", "include_replies":
			where = "query"
		}
		items = append(items, fieldIssue{Loc: []any{where, f.Field}, Msg: f.Reason, Type: f.Type})
	}
	return items
}

// fieldIssue is one item of a 422 "detail" list.
type fieldIssue struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// inputError is a request that could not be read: bad JSON, wrong types,
// missing fields, bad path or query values.
type inputError struct{ items []fieldIssue }

func (e *inputError) Error() string { return "invalid input" }

// has reports whether an issue names field.
func (e *inputError) has(field string) bool {
	for _, it := range e.items {
		if len(it.Loc) > 1 && it.Loc[len(it.Loc)-1] == field {
			return true
		}
	}
	return false
}

func (e *inputError) add(msg, typ string, loc ...any) {
	e.items = append(e.items, fieldIssue{Loc: loc, Msg: msg, Type: typ})
}

// orNil returns e when it holds issues.
func (e *inputError) orNil() error {
	if len(e.items) == 0 {
		return nil
	}
	return e
}
