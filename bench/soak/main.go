// Command soak drives mixed traffic at a running pamps serve for a bounded
// time and checks that it held: 70% reads, 20% posts, 5% likes and follows,
// 5% logins, from -conns connections. It prints requests, answers by status,
// p99 per kind, and the server's RSS at start and end (-pid), then checks
// zero 5xx and that the posts it was told were created (201) all exist.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8000", "pamps serve")
	duration := flag.Duration("duration", 60*time.Second, "how long to run")
	conns := flag.Int("conns", 32, "concurrent connections")
	users := flag.String("users", "", "file of usernames, one a line (seeded, sharing -password)")
	password := flag.String("password", "", "their password")
	pid := flag.Int("pid", 0, "pamps serve's pid, for RSS")
	flag.Parse()
	names := readLines(*users)
	if len(names) == 0 {
		fail("no users in %q", *users)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conns}}
	tokens := make([]string, min(len(names), 50))
	for i := range tokens {
		tokens[i] = login(client, *base, names[i], *password)
		if tokens[i] == "" {
			fail("cannot log in as %s", names[i])
		}
	}
	var maxPost int
	var first []struct{ ID int }
	getJSON(client, *base+"/post/?limit=1", &first)

	rssStart := rss(*pid)
	var (
		mu       sync.Mutex
		statuses = map[string]map[int]int{}
		lat      = map[string][]time.Duration{}
		created  []int
	)
	record := func(kind string, status int, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if statuses[kind] == nil {
			statuses[kind] = map[int]int{}
		}
		statuses[kind][status]++
		lat[kind] = append(lat[kind], d)
	}
	maxPost = 1000
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for c := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 42))
			for n := 0; time.Now().Before(deadline); n++ {
				tok := tokens[r.IntN(len(tokens))]
				roll := r.IntN(100)
				var req *http.Request
				kind := ""
				switch {
				case roll < 70:
					kind = "read"
					switch r.IntN(3) {
					case 0:
						req, _ = http.NewRequest("GET", fmt.Sprintf("%s/post/%d/", *base, 1+r.IntN(maxPost)), nil)
					case 1:
						req, _ = http.NewRequest("GET", *base+"/post/user/"+names[r.IntN(len(names))]+"/?limit=50", nil)
					default:
						req, _ = http.NewRequest("GET", *base+"/user/timeline/?limit=50", nil)
						req.Header.Set("Authorization", "Bearer "+tok)
					}
				case roll < 90:
					kind = "post"
					body, _ := json.Marshal(map[string]string{"text": fmt.Sprintf("soak %d/%d", c, n)})
					req, _ = http.NewRequest("POST", *base+"/post/", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tok)
				case roll < 95:
					kind = "like/follow"
					if r.IntN(2) == 0 {
						req, _ = http.NewRequest("POST", fmt.Sprintf("%s/post/%d/like/", *base, 1+r.IntN(maxPost)), nil)
					} else {
						req, _ = http.NewRequest("POST", fmt.Sprintf("%s/user/follow/%d/", *base, 1+r.IntN(len(names))), nil)
					}
					req.Header.Set("Authorization", "Bearer "+tok)
				default:
					kind = "login"
					form := url.Values{"username": {names[r.IntN(len(names))]}, "password": {*password}}
					req, _ = http.NewRequest("POST", *base+"/token", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				began := time.Now()
				res, err := client.Do(req)
				if err != nil {
					record(kind, 0, time.Since(began))
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				record(kind, res.StatusCode, time.Since(began))
				if kind == "post" && res.StatusCode == 201 {
					var p struct{ ID int }
					json.Unmarshal(b, &p)
					mu.Lock()
					created = append(created, p.ID)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	rssEnd := rss(*pid)

	total, fivexx, failed := 0, 0, 0
	kinds := make([]string, 0, len(statuses))
	for k := range statuses {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		d := lat[k]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		n := 0
		for code, c := range statuses[k] {
			n += c
			if code >= 500 {
				fivexx += c
			}
			if code == 0 {
				failed += c
			}
		}
		total += n
		fmt.Printf("%-12s %7d requests  p99 %7.1f ms  statuses %v\n", k, n, float64(d[len(d)*99/100].Microseconds())/1000, statuses[k])
	}
	fmt.Printf("total        %7d requests in %s (%.0f/s); 5xx: %d; transport errors: %d\n", total, *duration, float64(total)/duration.Seconds(), fivexx, failed)
	fmt.Printf("RSS of pamps serve: %.1f MB at start, %.1f MB at end\n", rssStart, rssEnd)
	missing := 0
	for _, id := range created {
		res, err := client.Get(fmt.Sprintf("%s/post/%d/", *base, id))
		if err != nil || res.StatusCode != 200 {
			missing++
		}
		if res != nil {
			res.Body.Close()
		}
	}
	fmt.Printf("posts answered 201: %d; missing afterwards: %d\n", len(created), missing)
	if fivexx > 0 || failed > 0 || missing > 0 {
		fail("the service did not hold")
	}
	fmt.Println("OK: no 5xx, nothing lost")
}

func login(c *http.Client, base, name, password string) string {
	res, err := c.PostForm(base+"/token", url.Values{"username": {name}, "password": {password}})
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(res.Body).Decode(&t)
	return t.AccessToken
}

func getJSON(c *http.Client, u string, v any) {
	if res, err := c.Get(u); err == nil {
		json.NewDecoder(res.Body).Decode(v)
		res.Body.Close()
	}
}

// rss is the resident set of pid in MB (0 when unknown).
func rss(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			var kb float64
			fmt.Sscan(f[1], &kb)
			return kb / 1024
		}
	}
	return 0
}

func readLines(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Fields(string(b))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "soak: "+format+"\n", args...)
	os.Exit(1)
}
