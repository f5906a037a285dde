package server_test

import (
	"io"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/tui"
)

// frontEnd is one door a member comes through: what it can do to test a rule.
type frontEnd struct {
	name string
	// post writes text as ann and reports whether a post landed; refused
	// is the limit's answer as this door shows it.
	post func(t *testing.T, st *store.Store, text string) (refused bool)
	// login tries ann's password and reports whether it was refused by
	// the limit (not by the password); nil: the door has no password check
	// of its own.
	login func(t *testing.T, st *store.Store, password string) (limited bool)
}

// TestMemberRulesHoldOnEveryFrontEnd drives each rule a member's action
// meets through every front end that can trigger it: the HTTP API, the TUI
// over SSH and the local TUI acting as a member. Before the rules moved
// below the front ends, a member posting over SSH was not held by the
// post limit at all.
func TestMemberRulesHoldOnEveryFrontEnd(t *testing.T) {
	for _, door := range []frontEnd{httpDoor(), sshDoor(), localTUIDoor()} {
		t.Run(door.name+"/post limit", func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				st = st.WithLimits(store.Limits{Post: store.Rate{N: 2, Per: time.Hour}})
				storetest.MustUser(t, st, "ann")
				for i := range 2 {
					if door.post(t, st, "within the limit "+string(rune('a'+i))) {
						t.Fatalf("post %d refused within the limit", i+1)
					}
				}
				if !door.post(t, st, "over the limit") {
					t.Fatal("the third post in an hour was not refused")
				}
				if n := countPosts(t, st); n != 2 {
					t.Fatalf("posts stored: %d; want 2", n)
				}
			})
		})
		if door.login == nil {
			continue
		}
		t.Run(door.name+"/login limit", func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				st = st.WithLimits(store.Limits{Login: store.Rate{N: 2, Per: time.Hour}})
				storetest.MustUser(t, st, "ann")
				// The right password first: the door signs in, so that a
				// refusal below is the limit's, not a broken door's.
				for i, pw := range []string{"password1", "wrong-password"} {
					if door.login(t, st, pw) {
						t.Fatalf("attempt %d limited within the limit", i+1)
					}
				}
				if !door.login(t, st, "password1") {
					t.Fatal("the third attempt was checked: the login limit does not hold here")
				}
			})
		})
	}
}

func httpDoor() frontEnd {
	return frontEnd{
		name: "http",
		post: func(t *testing.T, st *store.Store, text string) bool {
			a := newAPI(t, st)
			tok := a.login("ann", "password1")
			r := a.do("POST", "/post/", map[string]any{"text": text}, tok)
			switch r.status {
			case 201:
				return false
			case 429:
				if r.header.Get("Retry-After") == "" {
					t.Fatal("429 without Retry-After")
				}
				return true
			}
			t.Fatalf("POST /post/: %d %s", r.status, r.body)
			return false
		},
		login: func(t *testing.T, st *store.Store, pw string) bool {
			a := newAPI(t, st)
			r := a.do("POST", "/token", url.Values{"username": {"ann"}, "password": {pw}}, "")
			return r.status == 429
		},
	}
}

// screenPost writes text through a TUI on a terminal: n, the text, ctrl+s;
// then waits for the post in the store or the limit's status line.
func screenPost(t *testing.T, st *store.Store, in io.Writer, screen func() string, text string) bool {
	t.Helper()
	before := countPosts(t, st)
	in.Write([]byte("n"))
	in.Write([]byte(text))
	in.Write([]byte{0x13}) // ctrl+s
	var limited bool
	eventually.True(t, 0, func() bool {
		limited = strings.Contains(screen(), "Too many requests")
		return limited || countPosts(t, st) > before
	}, "neither posted nor refused:\n%q", eventually.Lazy(screen))
	return limited
}

func countPosts(t *testing.T, st *store.Store) int {
	page, err := st.ListPosts(ctx, store.PostList{Author: "ann", Replies: true})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func sshDoor() frontEnd {
	var (
		mu    sync.Mutex
		terms = map[*store.Store]*terminal{}
	)
	return frontEnd{
		name: "ssh",
		post: func(t *testing.T, st *store.Store, text string) bool {
			mu.Lock()
			x := terms[st]
			if x == nil {
				addr, _, _ := sshServer(t, st, nil)
				var err error
				if x, err = dialSSH(t, addr, "ann", password("password1")); err != nil {
					t.Fatal(err)
				}
				x.waitFor("@ann")
				terms[st] = x
			}
			mu.Unlock()
			return screenPost(t, st, x.in, x.screen, text)
		},
		login: func(t *testing.T, st *store.Store, pw string) bool {
			mu.Lock()
			defer mu.Unlock()
			addr, _, _ := sshServer(t, st, nil)
			x, err := dialSSH(t, addr, "ann", password(pw))
			if err == nil {
				x.sess.Close()
			}
			if pw == "password1" {
				return err != nil // the right password refused: only the limit does that
			}
			if err == nil {
				t.Fatal("a wrong password signed in")
			}
			return false // refused either way; the right password's attempt tells
		},
	}
}

// localTUIDoor runs the TUI as `pamps tui --as ann` does, on a terminal
// made of pipes.
func localTUIDoor() frontEnd {
	type running struct {
		in  *io.PipeWriter
		out *logBuffer
	}
	var (
		mu    sync.Mutex
		progs = map[*store.Store]running{}
	)
	start := func(t *testing.T, st *store.Store, as string) running {
		pr, pw := io.Pipe()
		out := &logBuffer{} // a terminal's screen, written by the program, read by the test
		p := tea.NewProgram(tui.New(tui.Options{Store: st, As: as}), tea.WithInput(pr), tea.WithOutput(out),
			tea.WithWindowSize(100, 30), tea.WithoutSignals(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
		done := make(chan struct{})
		go func() { defer close(done); p.Run() }()
		t.Cleanup(func() { p.Kill(); pw.Close(); <-done })
		return running{pw, out}
	}
	return frontEnd{
		name: "local tui",
		post: func(t *testing.T, st *store.Store, text string) bool {
			mu.Lock()
			r, ok := progs[st]
			if !ok {
				r = start(t, st, "ann")
				progs[st] = r
			}
			mu.Unlock()
			eventually.True(t, 10*time.Second, func() bool { return strings.Contains(r.out.String(), "@ann") }, "never signed in:\n%q", eventually.Lazy(r.out.String))
			return screenPost(t, st, r.in, r.out.String, text)
		},
		login: func(t *testing.T, st *store.Store, pw string) bool {
			r := start(t, st, "")
			eventually.True(t, 10*time.Second, func() bool { return strings.Contains(r.out.String(), "sign in") }, "no sign-in form:\n%q", eventually.Lazy(r.out.String))
			r.in.Write([]byte("ann\r" + pw + "\r"))
			var limited bool
			eventually.True(t, 0, func() bool {
				s := r.out.String()
				limited = strings.Contains(s, "Too many login attempts")
				return limited || strings.Contains(s, "Incorrect username or password") || strings.Contains(s, "Signed in as")
			}, "no answer to the sign-in:\n%q", eventually.Lazy(r.out.String))
			return limited
		},
	}
}
