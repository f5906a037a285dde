package main

import (
	"bufio"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store/storetest"
)

// served is a running `pamps serve` process.
type served struct {
	cmd    *exec.Cmd
	base   string
	mu     sync.Mutex
	stderr strings.Builder
	done   chan struct{}
}

var servingLine = regexp.MustCompile(`pamps serving on (http://[^ ]+)`)

func startServe(t *testing.T, env []string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--port", "0"}, args...)...)
	cmd.Env = env
	errPipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(errPipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); <-s.done })
	select {
	case s.base = <-found:
	case <-s.done:
		t.Fatalf("serve exited: %s", s.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not start: %s", s.log())
	}
	return s
}

func (s *served) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

func TestServeMigratesAndShutsDownGracefully(t *testing.T) {
	env := e2eEnv(t, storetest.SQLiteURI(t))
	env = append(env, "PAMPS_SECURITY__BCRYPT_COST=12") // a login takes a while: it will be in flight
	metrics := "127.0.0.1:" + strconv.Itoa(freePort(t))
	env = append(env, "PAMPS_SERVER__METRICS_ADDR="+metrics)
	s := startServe(t, env)
	res, err := http.Post(s.base+"/user/", "application/json",
		strings.NewReader(`{"email":"ann@example.com","username":"ann","password":"sup3r-secret-pw"}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("register: %v %v", err, res)
	}
	res.Body.Close()

	type result struct {
		status int
		body   string
		err    error
	}
	inflight := make(chan result, 1)
	go func() {
		res, err := http.PostForm(s.base+"/token", url.Values{"username": {"ann"}, "password": {"sup3r-secret-pw"}})
		if err != nil {
			inflight <- result{err: err}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		inflight <- result{status: res.StatusCode, body: string(b)}
	}()
	// The login is hashing now: the signal comes while it is in flight
	// (a fixed pause could send it before the request arrived).
	eventually.True(t, 0, func() bool {
		res, err := http.Get("http://" + metrics + "/metrics")
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return strings.Contains(string(b), "\npamps_hash_lane_busy 1")
	}, "the login never started hashing")
	began := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-inflight
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "access_token") {
		t.Fatalf("the request in flight did not complete: %+v", r)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d after SIGTERM; log:\n%s", code, s.log())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(began).Round(time.Millisecond))
	if _, err := http.Get(s.base + "/healthz"); err == nil {
		t.Fatal("still taking connections after shutdown")
	}
	// One JSON line a request, and no secret in any of them.
	log := s.log()
	token := r.body[strings.Index(r.body, `"access_token":"`)+16:]
	token = token[:strings.Index(token, `"`)]
	if strings.Contains(log, "sup3r-secret-pw") || strings.Contains(log, token) || strings.Contains(log, "$2b$") {
		t.Fatalf("a secret reached the log:\n%s", log)
	}
	for _, want := range []string{`"msg":"request","method":"POST","path":"/token","status":200`, `"request_id":"`, `"duration_ms":`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
}

func TestServeRefusesStaleSchemaWithoutAutoMigrate(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "PAMPS_DB__AUTO_MIGRATE=false")
	_, errs, code := runBinary(t, env, "", "serve", "--port", "0")
	if code != 1 || !strings.Contains(errs, "Error: Database schema is out of date") || !strings.Contains(errs, "run `pamps db migrate`") {
		t.Fatalf("exit %d: %q", code, errs)
	}
}

func TestServeProductionRefusesDevelopmentSecret(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "PAMPS_ENV=production")
	_, errs, code := runBinary(t, env, "", "serve", "--port", "0")
	if code != 1 || !strings.Contains(errs, "development secret is refused in production") {
		t.Fatalf("exit %d: %q", code, errs)
	}
}

// TestServeSIGTERMUnderLoad: with 16 clients busy, SIGTERM lets answers in
// flight complete (none is a 5xx or cut short), then refuses connections, and
// the process exits 0 within server.shutdown_timeout.
func TestServeSIGTERMUnderLoad(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "PAMPS_SERVER__SHUTDOWN_TIMEOUT=5s")
	s := startServe(t, env)
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		refused  int
		other    []string
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(s.base + "/post/?limit=100")
				mu.Lock()
				switch {
				case err == nil:
					_, rerr := io.ReadAll(res.Body)
					res.Body.Close()
					if rerr != nil {
						other = append(other, "body cut short: "+rerr.Error())
					}
					statuses[res.StatusCode]++
				case strings.Contains(err.Error(), "connection refused"):
					refused++
				default:
					other = append(other, err.Error())
				}
				mu.Unlock()
			}
		}()
	}
	count := func(f func() int) func() int { return func() int { mu.Lock(); defer mu.Unlock(); return f() } }
	answered, refusals := count(func() int { return statuses[200] }), count(func() int { return refused })
	eventually.True(t, 0, func() bool { return answered() >= 50 }, "the load got no answers before the signal")
	began := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("no exit within 10 s of SIGTERM")
	}
	exited := time.Since(began)
	eventually.True(t, 0, func() bool { return refusals() >= 16 }, "no connection was refused after the exit")
	close(stop)
	wg.Wait()
	t.Logf("exit after %s; answers %v; refused %d; other %d", exited.Round(time.Millisecond), statuses, refused, len(other))
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.log())
	}
	for code := range statuses {
		if code != 200 {
			t.Errorf("answer %d during shutdown", code)
		}
	}
	if refused == 0 || statuses[200] == 0 {
		t.Fatalf("the load did not straddle the shutdown: %v, refused %d", statuses, refused)
	}
	// A keep-alive connection closed by the server between requests surfaces
	// as EOF on the client's next request, which it may retry; any other
	// failure is a fault.
	for _, e := range other {
		if !strings.Contains(e, "EOF") && !strings.Contains(e, "connection reset") {
			t.Errorf("client error: %s", e)
		}
	}
}

// TestServeRefusesWeakSecretBeyondLoopback: a known or short secret lets
// anyone forge tokens, so serve refuses to listen anywhere but on loopback
// with one, in every environment, and warns on loopback.
func TestServeRefusesWeakSecretBeyondLoopback(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	for name, secret := range map[string]string{"development secret": "", "short secret": "only-20-bytes-long!!"} {
		env := e2eEnv(t, uri)
		if secret != "" {
			env = append(env, "PAMPS_SECURITY__SECRET_KEY="+secret)
		}
		for _, host := range []string{"0.0.0.0", "::", "192.0.2.1", "pamps.example.org"} {
			_, errs, code := runBinary(t, env, "", "serve", "--host", host, "--port", "0")
			if code != 1 || !strings.Contains(errs, "Error: Refusing to listen on \""+host+"\" with security.secret_key") || !strings.Contains(errs, "PAMPS_SECURITY__SECRET_KEY") {
				t.Errorf("%s on %s: exit %d: %q", name, host, code, errs)
			}
		}
	}
	s := startServe(t, e2eEnv(t, uri), "--host", "127.0.0.1")
	if !strings.Contains(s.log(), "Warning: security.secret_key is the shipped development secret: accepted on loopback only") {
		t.Errorf("no warning on loopback: %s", s.log())
	}
	strong := append(e2eEnv(t, uri), "PAMPS_SECURITY__SECRET_KEY="+"3f9c1e7a5b2d4c8e9a0f6b1d7e3c5a2948f1b6d0c7e2a9f35b8d4e1c6a0f7b29")
	s = startServe(t, strong, "--host", "0.0.0.0")
	if strings.Contains(s.log(), "Warning: security.secret_key") {
		t.Errorf("a strong secret warned: %s", s.log())
	}
}
