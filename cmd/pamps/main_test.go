package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// cli runs pamps in-process against one database, as an operator would.
type cli struct {
	t       *testing.T
	uri     string
	environ []string
	dir     string
}

// newCLI runs commands on uri, in an empty folder, with fast bcrypt.
func newCLI(t *testing.T, uri string) *cli {
	return &cli{t: t, uri: uri, dir: t.TempDir(), environ: []string{
		"HOME=" + t.TempDir(), "PAMPS_SECURITY__BCRYPT_COST=4", "PAMPS_DB__URI=" + uri,
	}}
}

// each runs fn with a CLI on SQLite and on PostgreSQL.
func each(t *testing.T, fn func(t *testing.T, c *cli)) {
	storetest.EachURI(t, func(t *testing.T, uri string) { fn(t, newCLI(t, uri)) })
}

type result struct {
	out, err string
	code     int
}

func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	a := NewApp(strings.NewReader(stdin), &out, &errb, c.environ)
	a.Dir = c.dir
	code := a.Run(context.Background(), args)
	return result{out: out.String(), err: errb.String(), code: code}
}

// ok runs a command that must succeed and returns its stdout.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run("", args...)
	if r.code != 0 {
		c.t.Fatalf("pamps %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// fails runs a command that must fail with code and one "Error:" line containing want.
func (c *cli) fails(code int, want string, args ...string) result {
	c.t.Helper()
	r := c.run("", args...)
	if r.code != code || !strings.HasPrefix(r.err, "Error: ") || !strings.Contains(r.err, want) {
		c.t.Fatalf("pamps %s: exit %d (want %d), stderr %q (want an Error: line with %q)", strings.Join(args, " "), r.code, code, r.err, want)
	}
	if n := strings.Count(strings.TrimSpace(r.err), "\n"); n != 0 {
		c.t.Fatalf("pamps %s: want one error line, got:\n%s", strings.Join(args, " "), r.err)
	}
	return r
}

// decode parses JSON output into v.
func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}
