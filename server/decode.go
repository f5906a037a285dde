package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// body is a JSON object read from a request, field by field, so that each
// problem is reported once with its place (FastAPI's 422 shape).
type body struct {
	fields map[string]json.RawMessage
	issues inputError
}

// readBody reads a JSON object body; bodies over the limit are refused.
// As FastAPI does, a body without a Content-Type is read as JSON and one of
// another media type is a 422 ("value is not a valid dict"). Unknown fields
// are ignored.
func readBody(r *http.Request) (*body, error) {
	ctype := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	if ctype != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, errBodyTooLarge
			}
		}
		var e inputError
		e.add("value is not a valid dict: send application/json", "type_error.dict", "body")
		return nil, &e
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errBodyTooLarge
		}
		return nil, err
	}
	b := &body{fields: map[string]json.RawMessage{}}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		b.issues.add("JSON decode error: "+jsonProblem(err), "value_error.jsondecode", "body", jsonOffset(err, dec))
		return nil, &b.issues
	}
	if _, err := dec.Token(); err != io.EOF {
		b.issues.add("JSON decode error: extra data after the JSON value", "value_error.jsondecode", "body", dec.InputOffset())
		return nil, &b.issues
	}
	obj, ok := v.(map[string]any)
	if !ok {
		b.issues.add("value is not a valid dict", "type_error.dict", "body")
		return nil, &b.issues
	}
	for k := range obj {
		b.fields[k], _ = json.Marshal(obj[k])
	}
	return b, nil
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
}

var (
	trueWords  = map[string]bool{"1": true, "true": true, "t": true, "yes": true, "y": true, "on": true}
	falseWords = map[string]bool{"0": true, "false": true, "f": true, "no": true, "n": true, "off": true}
)

func readListQuery(r *http.Request) (listQuery, error) {
	q := r.URL.Query()
	lq := listQuery{limit: 100, cursor: q.Get("cursor")}
	var e inputError
	if v := q.Get("limit"); v != "" || q.Has("limit") {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			e.add("value is not a valid integer", "type_error.integer", "query", "limit")
		case n < 1 || n > 1000:
			e.add("ensure this value is between 1 and 1000", "value_error.number.not_in_range", "query", "limit")
		default:
			lq.limit = n
		}
	}
	if q.Has("include_replies") {
		v := strings.ToLower(q.Get("include_replies"))
		switch {
		case trueWords[v]:
			lq.includeReplies = true
		case falseWords[v]:
		default:
			e.add("value could not be parsed to a boolean", "type_error.bool", "query", "include_replies")
		}
	}
	return lq, e.orNil()
}
