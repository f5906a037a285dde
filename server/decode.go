package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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

// readForm reads an OAuth2 form body (urlencoded or multipart) and keeps
// the named fields, each at most maxFormField bytes; the others are skipped
// without being stored, so the form costs no memory beyond its fields. As
// FastAPI does, a body that is no form has none of the fields.
func readForm(r *http.Request, fields ...string) (map[string]string, error) {
	form := map[string]string{}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var issues inputError
	keep := func(name, value string) {
		if !slices.Contains(fields, name) {
			return
		}
		if len(value) > maxFormField {
			issues.add(fmt.Sprintf("ensure this value has at most %d bytes", maxFormField), "value_error.any_str.max_length", "body", name)
			return
		}
		form[name] = value
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, bodyError(r, err)
		}
		for pair := range strings.SplitSeq(string(raw), "&") {
			k, v, _ := strings.Cut(pair, "=")
			name, err1 := url.QueryUnescape(k)
			if err1 != nil || !slices.Contains(fields, name) {
				continue
			}
			value, err2 := url.QueryUnescape(v)
			if err2 != nil {
				issues.add("could not read the form: bad escape", "value_error.form", "body", name)
				continue
			}
			keep(name, value)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if berr := bodyError(r, err); berr != err {
					return nil, berr
				}
				issues.add("could not read the form: "+err.Error(), "value_error.form", "body")
				return nil, &issues
			}
			name := part.FormName()
			if !slices.Contains(fields, name) {
				if _, err := io.Copy(io.Discard, part); err != nil {
					return nil, bodyError(r, err)
				}
				continue
			}
			value, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
			if err != nil {
				return nil, bodyError(r, err)
			}
			keep(name, string(value))
		}
	default:
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, bodyError(r, err)
		}
	}
	for _, f := range fields {
		if _, ok := form[f]; !ok && !issues.has(f) {
			issues.add("field required", "value_error.missing", "body", f)
		}
	}
	if bad := badFormText(form); bad != "" {
		issues.add("must be valid UTF-8", "value_error.encoding", "body", bad)
	}
	return form, issues.orNil()
}

// maxFormField bounds one field of a form; a username or password is far shorter.
const maxFormField = 4 << 10

func badFormText(form map[string]string) string {
	for k, v := range form {
		if !utf8.ValidString(v) {
			return k
		}
	}
	return ""
}

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
	// A repeated parameter counts by its last value, as FastAPI reads it.
	for k, v := range q {
		q[k] = v[len(v)-1:]
	}
	lq := listQuery{limit: store.DefaultLimit, cursor: q.Get("cursor")}
	var e inputError
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
