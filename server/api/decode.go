package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/pamps/pamps/store"
)

// body is a JSON object read from a request, field by field, so that each
// problem is reported once with its place (FastAPI's 422 shape).
type body struct {
	fields map[string]json.RawMessage
	issues inputError
}

// readBody reads a JSON object body and keeps the named fields; the others
// are ignored without being decoded, so a body costs memory in proportion
// to its size whatever its shape (BenchmarkReadBodyHostile). Bodies over the
// limit are refused (413), slow ones time out (408), and a body that is not
// UTF-8 or holds a lone surrogate escape is a 422: nothing is silently
// replaced. As FastAPI does, a body without a Content-Type is read as JSON
// and one of another media type is a 422 ("value is not a valid dict").
func readBody(r *http.Request, fields ...string) (*body, error) {
	ctype := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	if ctype != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, bodyError(r, err)
		}
		var e inputError
		e.add("value is not a valid dict: send application/json", "type_error.dict", "body")
		return nil, &e
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(r, err)
	}
	b := &body{fields: make(map[string]json.RawMessage, len(fields))}
	if at := badJSONText(raw); at >= 0 {
		b.issues.add("JSON decode error: invalid UTF-8 or a lone surrogate escape", "value_error.jsondecode", "body", at)
		return nil, &b.issues
	}
	if !json.Valid(raw) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		var v json.RawMessage
		err := dec.Decode(&v)
		switch {
		case err != nil:
			b.issues.add("JSON decode error: "+jsonProblem(err), "value_error.jsondecode", "body", jsonOffset(err, dec))
		default:
			b.issues.add("JSON decode error: extra data after the JSON value", "value_error.jsondecode", "body", dec.InputOffset())
		}
		return nil, &b.issues
	}
	if !topLevelFields(raw, fields, b.fields) {
		b.issues.add("value is not a valid dict", "type_error.dict", "body")
		return nil, &b.issues
	}
	return b, nil
}

// bodyError names why a body could not be read: too large (413), too slow
// (408), or a connection that broke (the client is gone).
func bodyError(r *http.Request, err error) error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return errBodyTooLarge
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded), errors.Is(r.Context().Err(), context.DeadlineExceeded):
		return errRequestTimeout
	}
	return err
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

func jsonOffset(err error, dec *json.Decoder) int64 {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Offset
	}
	return dec.InputOffset()
}

// has reports whether the field was sent (even as null).
func (b *body) has(name string) bool { _, ok := b.fields[name]; return ok }

func (b *body) isNull(name string) bool { return string(b.fields[name]) == "null" }

// str reads a required string field.
func (b *body) str(name string) string {
	raw, ok := b.fields[name]
	if !ok {
		b.issues.add("field required", "value_error.missing", "body", name)
		return ""
	}
	if string(raw) == "null" {
		b.issues.add("none is not an allowed value", "type_error.none.not_allowed", "body", name)
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		b.issues.add("str type expected", "type_error.str", "body", name)
		return ""
	}
	return s
}

// optStr reads an optional string field: nil when absent or null.
func (b *body) optStr(name string) *string {
	if !b.has(name) || b.isNull(name) {
		return nil
	}
	s := b.str(name)
	return &s
}

// optID reads an optional integer id: nil when absent or null.
func (b *body) optID(name string) *int64 {
	if !b.has(name) || b.isNull(name) {
		return nil
	}
	raw := b.fields[name]
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		b.issues.add("value is not a valid integer", "type_error.integer", "body", name)
		return nil
	}
	return &n
}

// err returns the collected problems, if any.
func (b *body) err() error { return b.issues.orNil() }

// pathID reads an integer path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		var e inputError
		e.add("value is not a valid integer", "type_error.integer", "path", name)
		return 0, &e
	}
	return n, nil
}

// listQuery is the query of every list: limit, cursor and include_replies.
type listQuery struct {
	limit          int
	cursor         string
	includeReplies bool
	newest         bool // order=desc, read by readOrder
}

var (
	trueWords  = map[string]bool{"1": true, "true": true, "t": true, "yes": true, "y": true, "on": true}
	falseWords = map[string]bool{"0": true, "false": true, "f": true, "no": true, "n": true, "off": true}
)

func readListQuery(r *http.Request) (listQuery, error) {
	var e inputError
	lq := readList(r, &e)
	return lq, e.orNil()
}

// readList reads a list's parameters, adding what is wrong to e.
func readList(r *http.Request, e *inputError) listQuery {
	q := lastValues(r)
	lq := listQuery{limit: store.DefaultLimit, cursor: q.Get("cursor")}
	if v := q.Get("limit"); v != "" || q.Has("limit") {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			e.add("value is not a valid integer", "type_error.integer", "query", "limit")
		case n < 1 || n > store.MaxLimit:
			e.add(fmt.Sprintf("ensure this value is between 1 and %d", store.MaxLimit), "value_error.number.not_in_range", "query", "limit")
		default:
			lq.limit = n
		}
	}
	lq.includeReplies = queryBool(q, "include_replies", e)
	return lq
}

// readOrdered is readListQuery for the lists that also take order: asc
// (the default, the original's) or desc, newest first.
func readOrdered(r *http.Request) (listQuery, error) {
	var e inputError
	lq := readList(r, &e)
	switch strings.ToLower(lastValues(r).Get("order")) {
	case "", "asc":
	case "desc":
		lq.newest = true
	default:
		e.add("value is not a valid enumeration member; permitted: 'asc', 'desc'", "type_error.enum", "query", "order")
	}
	return lq, e.orNil()
}

// lastValues is the request's query, a repeated parameter by its last
// value, as FastAPI reads it.
func lastValues(r *http.Request) url.Values {
	q := r.URL.Query()
	for k, v := range q {
		q[k] = v[len(v)-1:]
	}
	return q
}

// queryBool reads a boolean query parameter as FastAPI does (true, 1, yes,
// on...); absent is false.
func queryBool(q url.Values, name string, e *inputError) bool {
	if !q.Has(name) {
		return false
	}
	v := strings.ToLower(q.Get(name))
	switch {
	case trueWords[v]:
		return true
	case falseWords[v]:
	default:
		e.add("value could not be parsed to a boolean", "type_error.bool", "query", name)
	}
	return false
}

// readOptionalBody is readBody for a route whose body may be left out: no
// body reads as {}.
func readOptionalBody(r *http.Request, fields ...string) (*body, error) {
	if r.ContentLength == 0 {
		return &body{fields: map[string]json.RawMessage{}}, nil
	}
	return readBody(r, fields...)
}

// optBool reads an optional boolean field: def when absent or null.
func (b *body) optBool(name string, def bool) bool {
	if !b.has(name) || b.isNull(name) {
		return def
	}
	var v bool
	if err := json.Unmarshal(b.fields[name], &v); err != nil {
		b.issues.add("value could not be parsed to a boolean", "type_error.bool", "body", name)
	}
	return v
}
