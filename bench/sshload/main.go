// Command sshload measures the TUI over SSH: it opens -sessions concurrent
// SSH sessions (a pty each) as -user with -key, times each first screen
// after authentication, counts the database's transactions while they sit
// idle (-pg), then posts through the API at -rate a second and times each
// post's appearance on every session's screen from its 201.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pamps/pamps/bench/internal/pgidle"
	gossh "golang.org/x/crypto/ssh"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:2222", "the SSH server")
	keyPath := flag.String("key", "", "private key of -user")
	user := flag.String("user", "ann", "member to sign in as")
	sessions := flag.Int("sessions", 300, "concurrent sessions")
	url := flag.String("url", "http://127.0.0.1:8000", "the API, to post through")
	token := flag.String("token", "", "access token of -user")
	posts := flag.Int("posts", 20, "posts to write")
	rate := flag.Float64("rate", 2, "posts a second")
	pg := flag.String("pg", "", "PostgreSQL URI, to count statements while the sessions idle")
	idle := flag.Duration("idle", 10*time.Second, "how long the sessions idle while statements are counted")
	flag.Parse()
	if err := run(*addr, *keyPath, *user, *sessions, *url, *token, *posts, *rate, *pg, *idle); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

// screen collects one session's output and tells waiters, as the bytes
// arrive, that their text has come: no polling, which would take the CPU
// the server is measured on.
type screen struct {
	mu      sync.Mutex
	out     bytes.Buffer
	waiters []*waiter
}

// A waiter is told the time its text first appears after from.
type waiter struct {
	text string
	from int
	at   chan time.Time
}

func (s *screen) Write(p []byte) (int, error) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.out.Len()
	s.out.Write(p)
	kept := s.waiters[:0]
	for _, w := range s.waiters {
		// The text may straddle this write and the last.
		if start := max(w.from, before-len(w.text)+1); bytes.Contains(s.out.Bytes()[start:], []byte(w.text)) {
			w.at <- now
			continue
		}
		kept = append(kept, w)
	}
	s.waiters = kept
	return len(p), nil
}

// wait says when text appears after offset (at once if it already has).
func (s *screen) wait(offset int, text string) <-chan time.Time {
	w := &waiter{text: text, from: offset, at: make(chan time.Time, 1)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if offset <= s.out.Len() && bytes.Contains(s.out.Bytes()[offset:], []byte(text)) {
		w.at <- time.Now()
	} else {
		s.waiters = append(s.waiters, w)
	}
	return w.at
}

func (s *screen) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Len()
}

func run(addr, keyPath, user string, n int, url, token string, posts int, rate float64, pg string, idle time.Duration) error {
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		return err
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		return err
	}
	cfg := &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}
	screens := make([]*screen, n)
	first := make([]time.Duration, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	began := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := gossh.Dial("tcp", addr, cfg)
			if err != nil {
				errs <- err
				return
			}
			sess, err := c.NewSession()
			if err != nil {
				errs <- err
				return
			}
			sc := &screen{}
			sess.Stdout = sc
			in, _ := sess.StdinPipe()
			shown := sc.wait(0, "@"+user)
			authed := time.Now()
			if err := sess.RequestPty("xterm-256color", 40, 100, gossh.TerminalModes{}); err != nil {
				errs <- err
				return
			}
			if err := sess.Shell(); err != nil {
				errs <- err
				return
			}
			select {
			case at := <-shown:
				first[i] = at.Sub(authed)
			case <-time.After(30 * time.Second):
				errs <- fmt.Errorf("no first screen in 30 s")
				return
			}
			in.Write([]byte("2")) // Everyone: where the member's own posts show
			screens[i] = sc
		}()
		if i%20 == 19 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return fmt.Errorf("a session failed: %w", err)
	}
	fmt.Printf("sessions\t%d open in %.1f s\n", n, time.Since(began).Seconds())
	slices.Sort(first)
	fmt.Printf("first screen\tp50 %.1f ms, p99 %.1f ms, max %.1f ms (after authentication)\n",
		ms(first[n/2]), ms(first[min(n-1, n*99/100)]), ms(first[n-1]))
	time.Sleep(time.Second) // the Everyone tab is shown
	if pg != "" {
		k, err := pgidle.Transactions(pg, idle)
		if err != nil {
			return err
		}
		fmt.Printf("idle\t%d statements in %s with %d sessions: %.4f per session\n", k, idle, n, float64(k)/float64(n))
	}
	var lat []time.Duration
	missing := 0
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for p := range posts {
		<-tick.C
		// A run of one letter: the line it lands on held another letter
		// everywhere, so the terminal gets the whole run in one piece.
		text := strings.Repeat(string(rune('a'+p%26)), 12)
		shown := make([]<-chan time.Time, n)
		for i, sc := range screens {
			shown[i] = sc.wait(sc.len(), text)
		}
		at, err := post(url, token, text)
		if err != nil {
			return err
		}
		end := at.Add(5 * time.Second)
		for _, c := range shown {
			select {
			case seen := <-c:
				// Its screen can have shown it before the 201 came back.
				lat = append(lat, max(seen.Sub(at), 0))
			case <-time.After(time.Until(end)):
				missing++
			}
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return ms(lat[min(len(lat)-1, int(p*float64(len(lat))))])
	}
	fmt.Printf("post on every screen\t%d shown, %d missing in 5 s; p50 %.1f ms, p99 %.1f ms, max %.1f ms (201 to screen)\n",
		len(lat), missing, pct(0.5), pct(0.99), pct(1))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func post(url, token, text string) (time.Time, error) {
	b, _ := json.Marshal(map[string]string{"text": text})
	req, _ := http.NewRequest("POST", url+"/post/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		return time.Time{}, fmt.Errorf("POST /post/: %d", res.StatusCode)
	}
	return time.Now(), nil
}
