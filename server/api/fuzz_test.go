package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzReadBody: any body, any content type, never a panic; every refusal is
// one of the answers the error table knows as a 4xx.
func FuzzReadBody(f *testing.F) {
	for _, s := range []string{`{"text":"hi"}`, `{"text":null,"parent_id":1}`, `[]`, `{`, `{"a":{"b":{"c":[1,2,{"d":null}]}}}`,
		`{"text":"\u0000"}`, "{\"text\":\"\xff\"}", `{"parent_id":99999999999999999999999}`, `"string"`, `{"text":"a"} trailing`} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`x=1`), "application/x-www-form-urlencoded")
	f.Fuzz(func(t *testing.T, raw []byte, ctype string) {
		r := httptest.NewRequest("POST", "/post/", strings.NewReader(string(raw)))
		r.Header.Set("Content-Type", ctype)
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 1<<16)
		b, err := readBody(r)
		if err != nil {
			var ie *inputError
			var he *httpError
			if !errors.As(err, &ie) && !(errors.As(err, &he) && he.status >= 400 && he.status < 500) {
				t.Fatalf("not a client error: %T %v", err, err)
			}
			return
		}
		_ = b.str("text")
		_ = b.optID("parent_id")
		_ = b.optStr("bio")
		if err := b.err(); err != nil {
			var ie *inputError
			if !errors.As(err, &ie) || len(ie.items) == 0 {
				t.Fatalf("field errors: %T %v", err, err)
			}
		}
	})
}

// FuzzListQuery: any query string gives defaults, values in range, or a 422.
func FuzzListQuery(f *testing.F) {
	for _, s := range []string{"limit=5", "limit=0", "limit=-1", "limit=1001", "include_replies=yes", "include_replies=2", "cursor=abc&limit=10", "%zz", "limit=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest("GET", "/post/", nil)
		r.URL.RawQuery = q
		lq, err := readListQuery(r)
		if err != nil {
			var ie *inputError
			if !errors.As(err, &ie) {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		if lq.limit < 1 || lq.limit > 1000 {
			t.Fatalf("limit %d accepted", lq.limit)
		}
	})
}
