package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store/storetest"
)

// liveClient reads one server's /stream/public/ and resumes with
// Last-Event-ID when the stream ends (as an EventSource does).
type liveClient struct {
	t    *testing.T
	data chan string // each event's data line
	stop context.CancelFunc
}

func openLive(t *testing.T, base string) *liveClient {
	return openLiveAt(t, func() string { return base })
}

// openLiveAt is openLive at whatever base returns at each (re)connection.
func openLiveAt(t *testing.T, base func() string) *liveClient {
	ctx, stop := context.WithCancel(context.Background())
	c := &liveClient{t: t, data: make(chan string, 100), stop: stop}
	opened := make(chan struct{})
	go func() {
		last := ""
		first := true
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, "GET", base()+"/stream/public/", nil)
			if last != "" {
				req.Header.Set("Last-Event-ID", last)
			}
			res, err := http.DefaultClient.Do(req)
			if err == nil && res.StatusCode == 200 {
				if first {
					close(opened)
					first = false
				}
				sc := bufio.NewScanner(res.Body)
				for sc.Scan() {
					if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
						last = id
					}
					if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
						c.data <- d
					}
				}
				res.Body.Close()
			}
			time.Sleep(200 * time.Millisecond) // a client's pause: the server or its database is away
		}
	}()
	t.Cleanup(stop)
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not open")
	}
	return c
}

// await waits for an event whose data contains s.
func (c *liveClient) await(s string, within time.Duration) time.Duration {
	c.t.Helper()
	began := time.Now()
	deadline := time.After(within)
	for {
		select {
		case d := <-c.data:
			if strings.Contains(d, s) {
				return time.Since(began)
			}
		case <-deadline:
			c.t.Fatalf("no event with %q within %s", s, within)
		}
	}
}

// liveWait is how long an end-to-end test waits for an event: long enough
// for a loaded machine. The latency targets are measured by bench/stream.sh.
const liveWait = 10 * time.Second

// TestLiveAcrossProcesses: a post written by the CLI (another process) and,
// on PostgreSQL, one written through a second `pamps serve` reach a stream
// subscriber of the first (how soon is logged).
func TestLiveAcrossProcesses(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		members(t, env, "ann")
		one := startServe(t, env)
		live := openLive(t, one.base)
		cliPost(t, env, "ann", "from the CLI")
		t.Logf("the CLI's post arrived %s after the CLI returned", live.await("from the CLI", liveWait).Round(time.Millisecond))
		if strings.HasPrefix(uri, "sqlite") {
			return
		}
		two := startServe(t, env)
		tok := loginToken(t, two.base, "ann", "password1")
		postJSON(t, two.base, tok, `{"text":"through the other replica"}`)
		t.Logf("the other replica's post arrived %s after its 201", live.await("through the other replica", liveWait).Round(time.Millisecond))
	})
}

// TestStreamsSurviveADatabaseRestart: with PostgreSQL stopped under a
// stream, the server stays up; once it is back, a new post reaches the
// subscriber (resuming with Last-Event-ID if its stream ended), and one
// committed just before the stop is not lost.
func TestStreamsSurviveADatabaseRestart(t *testing.T) {
	cluster := storetest.PrivatePostgres(t)
	env := e2eEnv(t, cluster.URI)
	members(t, env, "ann")
	srv := startServe(t, env)
	live := openLive(t, srv.base)
	cliPost(t, env, "ann", "before the stop")
	cluster.Stop()
	if res, err := http.Get(srv.base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("the server did not stay up: %v", err)
	}
	// The outage is real once the server has seen it.
	eventually.True(t, 0, func() bool {
		res, err := http.Get(srv.base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 503
	}, "/readyz never said the database was away")
	cluster.Start()
	live.await("before the stop", 15*time.Second)
	cliPost(t, env, "ann", "after the restart")
	live.await("after the restart", 15*time.Second)
}

// TestStreamsSurviveAReplicaRestart: a post written while the subscriber's
// server is down reaches it when it reconnects, with Last-Event-ID, to the
// server started again.
func TestStreamsSurviveAReplicaRestart(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		members(t, env, "ann")
		var mu sync.Mutex
		srv := startServe(t, env)
		base := srv.base
		live := openLiveAt(t, func() string { mu.Lock(); defer mu.Unlock(); return base })
		cliPost(t, env, "ann", "seen live")
		live.await("seen live", liveWait)
		srv.cmd.Process.Kill()
		<-srv.done
		cliPost(t, env, "ann", "while the server was down")
		again := startServe(t, env)
		mu.Lock()
		base = again.base
		mu.Unlock()
		live.await("while the server was down", 15*time.Second)
	})
}

// TestFollowPrintsNewPostsUntilInterrupted: `post list -f -o json` prints
// the list, then each new post as a line of JSON, and ends on Ctrl-C with
// exit 130. A post made as soon as the list is out is not lost.
func TestFollowPrintsNewPostsUntilInterrupted(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		members(t, env, "ann")
		cliPost(t, env, "ann", "already there")
		cmd := exec.Command(binary(t), "post", "list", "-f", "-o", "json")
		cmd.Env = env
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 10)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		next := func() string {
			select {
			case l := <-lines:
				return l
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("no line in 10 s")
				return ""
			}
		}
		if l := next(); !strings.Contains(l, `"event":"post"`) || !strings.Contains(l, "already there") {
			t.Fatalf("first line %s", l)
		}
		// No pause: the stream was opened before the list was read.
		cliPost(t, env, "ann", "new, followed")
		if l := next(); !strings.Contains(l, `"event":"post","id":`) || !strings.Contains(l, "new, followed") {
			t.Fatalf("followed line %s", l)
		}
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
			t.Fatalf("after Ctrl-C: %v, want exit 130", err)
		}
	})
}

// loginToken logs in through the API and returns the access token.
func loginToken(t *testing.T, base, user, password string) string {
	t.Helper()
	res, err := http.PostForm(base+"/token", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	return tok.AccessToken
}

// postJSON writes a post through the API.
func postJSON(t *testing.T, base, token, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/post/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("POST /post/: %d", res.StatusCode)
	}
}

// members migrates the database of env and adds each name as a user with
// the password "password1", failing the test on any error.
func members(t *testing.T, env []string, names ...string) {
	t.Helper()
	if _, errs, code := runBinary(t, env, "", "db", "migrate"); code != 0 {
		t.Fatalf("db migrate: %s", errs)
	}
	for _, u := range names {
		if _, errs, code := runBinary(t, env, "password1\n", "adduser", "--username", u, "--email", u+"@example.com", "--password-stdin"); code != 0 {
			t.Fatalf("adduser %s: %s", u, errs)
		}
	}
}

// cliPost writes a post as name with the CLI, failing the test on an error.
func cliPost(t *testing.T, env []string, name, text string) {
	t.Helper()
	if _, errs, code := runBinary(t, env, "", "post", "create", "--as", name, text); code != 0 {
		t.Fatalf("post create: %s", errs)
	}
}
