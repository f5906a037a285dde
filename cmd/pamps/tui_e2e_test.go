package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// tmuxSessions numbers the sessions, so that a test may open several.
var tmuxSessions atomic.Int64

// tmux drives a terminal program as a person would: keys in, screen out.
type tmux struct {
	t       *testing.T
	session string
}

func startTmux(t *testing.T, env []string, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (test.sh installs it)")
		}
		t.Skip("tmux is not installed")
	}
	x := &tmux{t: t, session: fmt.Sprintf("pamps-test-%d-%s-%d", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"), tmuxSessions.Add(1))}
	args := []string{"new-session", "-d", "-s", x.session, "-x", "100", "-y", "30"}
	for _, kv := range env {
		args = append(args, "-e", kv)
	}
	args = append(args, "PS1='$ ' bash --norc --noprofile")
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", x.session).Run() })
	x.send(command, "Enter")
	return x
}

func (x *tmux) send(keys ...string) {
	x.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", x.session}, keys...)...).CombinedOutput(); err != nil {
		x.t.Fatalf("send-keys: %v %s", err, out)
	}
}

func (x *tmux) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", x.session).Output()
	return string(out)
}

func (x *tmux) waitFor(s string) {
	x.t.Helper()
	x.waitForCount(s, 1)
}

// waitForCount waits until the screen shows s at least n times.
func (x *tmux) waitForCount(s string, n int) {
	x.t.Helper()
	eventually.True(x.t, 15*time.Second, func() bool { return strings.Count(x.screen(), s) >= n },
		"waited for %q (%d times); screen:\n%s", s, n, eventually.Lazy(x.screen))
}

func (x *tmux) waitGone(s string) {
	x.t.Helper()
	eventually.True(x.t, 15*time.Second, func() bool { return !strings.Contains(x.screen(), s) }, "%q stays on screen:\n%s", s, eventually.Lazy(x.screen))
}

func TestTUIInTmux(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	env := e2eEnv(t, uri)
	if _, errs, code := runBinary(t, env, "password1\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	x := startTmux(t, append(env, "TERM=xterm-256color"), binary(t)+" tui")
	x.waitFor("sign in")
	x.send("ann", "Enter")
	x.send("password1")
	x.waitFor("•••••••••")
	if strings.Contains(x.screen(), "password1") {
		t.Fatal("the password is visible")
	}
	x.send("Enter")
	x.waitFor("Signed in as ann")
	x.send("n")
	x.waitFor("New post")
	x.send("hello from tmux")
	x.waitFor("15/280")
	x.send("C-s")
	x.waitFor("Posted")
	x.send("3")
	x.waitFor("hello from tmux")
	x.send("q")
	x.waitGone("1 Home") // keys sent before the TUI exits would go to it
	x.send("echo back-at-the-shell", "Enter")
	x.waitFor("\nback-at-the-shell") // the shell has the terminal again, the screen restored
	if strings.Contains(x.screen(), "1 Home") {
		t.Fatalf("the TUI is still on screen:\n%s", x.screen())
	}
	st := storetest.Open(t, uri, store.Options{})
	page, err := st.ListPosts(context.Background(), store.PostList{Author: "ann"})
	if err != nil || len(page.Items) != 1 || page.Items[0].Text != "hello from tmux" {
		t.Fatalf("stored: %v %+v", err, page.Items)
	}
}

func TestTUIWithoutTerminal(t *testing.T) {
	env := e2eEnv(t, storetest.SQLiteURI(t))
	_, errs, code := runBinary(t, env, "", "tui", "--as", "ann")
	if code != 1 || !strings.Contains(errs, "Error: pamps tui needs a terminal") {
		t.Fatalf("exit %d: %q", code, errs)
	}
}

// TestTUIScreensInTmux: at 80×24, a thread's keys work (r replied to
// nothing and each press added an esc), the footer keeps "? help • q quit",
// and an empty database says how to make a user.
func TestTUIScreensInTmux(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	env := append(e2eEnv(t, uri), "TERM=xterm-256color")
	if _, errs, code := runBinary(t, env, "", "db", "migrate"); code != 0 {
		t.Fatalf("db migrate: %s", errs)
	}
	x := startTmux(t, env, binary(t)+" tui")
	x.waitFor("No users yet")
	x.waitFor("pamps adduser")
	x.send("Escape")
	x.waitGone("No users yet")
	for _, args := range [][]string{{"adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin"}} {
		if _, errs, code := runBinary(t, env, "password1\n", args...); code != 0 {
			t.Fatal(errs)
		}
	}
	runBinary(t, env, "", "post", "create", "--as", "ann", "the first post")
	if out, err := exec.Command("tmux", "resize-window", "-t", x.session, "-x", "80", "-y", "24").CombinedOutput(); err != nil {
		t.Fatalf("resize: %v %s", err, out)
	}
	x.send(binary(t)+" tui --as ann", "Enter")
	x.waitFor("the first post") // Home has my own posts too
	x.send("3")
	x.waitFor("the first post")
	x.waitFor("? help • q quit")
	x.send("Enter")
	x.waitFor("Thread #1")
	x.waitFor("esc back")
	x.send("r")
	x.waitFor("Reply to ann (#1)")
	x.send("a reply from the thread")
	x.send("C-s")
	x.waitFor("Replied")
	x.waitFor("a reply from the thread")
	x.send("Escape")
	x.waitGone("Thread #1")
	x.waitFor("enter thread") // one esc: back on the tabs
	x.send("q")
	x.waitGone("1 Home")
}

// TestTryItInAMinute follows the README's "Try it in a minute" with the
// binary: seed, a name, the API, then the TUI signed in on a timeline of
// seeded posts.
func TestTryItInAMinute(t *testing.T) {
	env := e2eEnv(t, storetest.SQLiteURI(t))
	if _, errs, code := runBinary(t, env, "", "seed", "--users", "50", "--posts", "1000", "--password", "demo-pass"); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ := runBinary(t, env, "", "user", "list", "--limit", "1", "-o", "plain")
	name := strings.Split(out, "\t")[1]
	s := startServe(t, env)
	token, _, _ := runBinary(t, env, "", "token", name)
	req, _ := http.NewRequest("GET", s.base+"/user/timeline/?limit=2", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the timeline over the API: %v %v", err, res)
	}
	res.Body.Close()
	out, _, _ = runBinary(t, env, "", "post", "list", "--limit", "1", "-o", "plain")
	other := strings.Split(out, "\t")[1]
	if _, errs, code := runBinary(t, env, "", "post", "create", "--as", other, "hello @"+name); code != 0 {
		t.Fatal(errs)
	}
	if out, _, _ = runBinary(t, env, "", "notifications", name); !strings.Contains(out, "\tmention\t"+other+"\t") {
		t.Fatalf("%s's notifications lack %s's mention:\n%s", name, other, out)
	}
	if _, errs, code := runBinary(t, env, "", "block", name, other); code != 0 {
		t.Fatal(errs)
	}
	if out, _, _ = runBinary(t, env, "", "post", "list", "--as", name, "--limit", "5", "-o", "plain"); strings.Contains(out, "\t"+other+"\t") || out == "" {
		t.Fatalf("%s sees %s after the block:\n%s", name, other, out)
	}
	x := startTmux(t, append(env, "TERM=xterm-256color"), binary(t)+" tui")
	x.waitFor("sign in")
	x.send(name, "Enter")
	x.send("demo-pass", "Enter")
	x.waitFor("Signed in as " + name)
	x.waitFor("♥") // posts on the Home timeline
	if strings.Contains(x.screen(), "Nothing here yet") {
		t.Fatalf("an empty timeline:\n%s", x.screen())
	}
	// A server started with & in this terminal writes its log over the
	// TUI: the next key repaints the whole screen.
	tty, err := exec.Command("tmux", "display", "-p", "-t", x.session, "#{pane_tty}").Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSpace(string(tty)), []byte("\r\nFOREIGN LOG LINE\r\n"), 0); err != nil {
		t.Fatal(err)
	}
	x.waitFor("FOREIGN LOG LINE")
	x.send("j")
	x.waitGone("FOREIGN LOG LINE")
	x.waitFor("1 Home")
	// At 60 columns the header still names who is signed in.
	if out, err := exec.Command("tmux", "resize-window", "-t", x.session, "-x", "60", "-y", "24").CombinedOutput(); err != nil {
		t.Fatalf("resize: %v %s", err, out)
	}
	eventually.True(t, 0, func() bool {
		first, _, _ := strings.Cut(strings.TrimLeft(x.screen(), "\n"), "\n")
		return strings.Contains(first, "@"+name) && strings.Contains(first, "1 Home")
	}, "the header at 60 columns lacks @%s:\n%s", name, eventually.Lazy(x.screen))
}
