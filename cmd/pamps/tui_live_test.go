package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store/storetest"
)

// within waits at most d for s on screen and says how long it took.
func (x *tmux) within(s string, d time.Duration) time.Duration {
	x.t.Helper()
	began := time.Now()
	eventually.True(x.t, d, func() bool { return strings.Contains(x.screen(), s) }, "%q not on screen:\n%s", s, eventually.Lazy(x.screen))
	return time.Since(began)
}

// TestTUIIsLiveInTmux: the TUI in a real terminal shows a post written by
// the CLI, one through the API, and on PostgreSQL one through a second
// `pamps serve`; nothing polls. How soon is logged here and measured by
// bench/ssh.sh (a post on every session's screen): a deadline of a second
// failed on a loaded machine, so the test waits up to liveWait.
func TestTUIIsLiveInTmux(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		members(t, env, "ann", "bob")
		one := startServe(t, env)
		x := startTmux(t, append(env, "TERM=xterm-256color"), binary(t)+" tui --as ann")
		x.waitFor("Signed in as ann")
		x.send("2")
		x.waitFor("2 Everyone") // read after the TUI subscribed: no pause needed
		cliPost(t, env, "bob", "typed in the CLI")
		t.Logf("the CLI's post on screen after %s", x.within("typed in the CLI", liveWait).Round(time.Millisecond))
		tok := loginToken(t, one.base, "bob", "password1")
		postJSON(t, one.base, tok, `{"text":"sent to the API"}`)
		t.Logf("the API's post on screen after %s", x.within("sent to the API", liveWait).Round(time.Millisecond))
		if strings.HasPrefix(uri, "sqlite") {
			return
		}
		two := startServe(t, env)
		postJSON(t, two.base, tok, `{"text":"through replica two"}`)
		t.Logf("replica two's post on screen after %s", x.within("through replica two", liveWait).Round(time.Millisecond))
	})
}
