// Command streamload measures the live event streams: it opens -subs
// concurrent GET /stream/public/ subscribers on -url, counts the
// database's statements while they sit idle (PostgreSQL's
// pg_stat_database, -pg), then writes -posts posts at -rate a second
// through -post-url (another replica, or the same server) and measures,
// for every post and every subscriber, the time from the 201 to the
// event's arrival. It prints the percentiles, one line per figure.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/bench/internal/pgidle"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8000", "the server the subscribers connect to")
	postURL := flag.String("post-url", "", "where posts are written (default: -url)")
	subs := flag.Int("subs", 5000, "concurrent subscribers")
	posts := flag.Int("posts", 100, "posts to write")
	rate := flag.Float64("rate", 10, "posts a second")
	token := flag.String("token", "", "an access token to post with")
	pg := flag.String("pg", "", "PostgreSQL URI, to count statements while the subscribers idle")
	idle := flag.Duration("idle", 10*time.Second, "how long the subscribers idle while statements are counted")
	flag.Parse()
	if *postURL == "" {
		*postURL = *url
	}
	if err := run(*url, *postURL, *subs, *posts, *rate, *token, *pg, *idle); err != nil {
		fmt.Fprintln(os.Stderr, "streamload:", err)
		os.Exit(1)
	}
}

// arrivals records when each subscriber saw each post, and how often.
type arrivals struct {
	mu   sync.Mutex
	seen map[int64][]time.Time // post id -> first arrival at each subscriber
	dup  int                   // a subscriber got a post it had already
	// byPost holds every post event each subscriber got, to tell misses,
	// duplicates and strays (posts this run did not write) apart.
	byPost []map[int64]int
}

func (a *arrivals) add(sub int, id int64, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byPost[sub][id]++; a.byPost[sub][id] > 1 {
		a.dup++
		return
	}
	a.seen[id] = append(a.seen[id], at)
}

func run(url, postURL string, subs, posts int, rate float64, token, pg string, idle time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	arr := &arrivals{seen: map[int64][]time.Time{}, byPost: make([]map[int64]int, subs)}
	for i := range arr.byPost {
		arr.byPost[i] = map[int64]int{}
	}
	var open, failed atomic.Int64
	tr := &http.Transport{MaxIdleConnsPerHost: -1, DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext}
	client := &http.Client{Transport: tr}
	began := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < subs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := subscribe(ctx, client, url, i, arr, &open); err != nil && ctx.Err() == nil {
				if failed.Add(1) == 1 {
					fmt.Fprintln(os.Stderr, "a subscriber failed:", err)
				}
			}
		}()
		if i%200 == 199 {
			time.Sleep(20 * time.Millisecond) // do not overflow the listen backlog
		}
	}
	for open.Load()+failed.Load() < int64(subs) {
		if time.Since(began) > 2*time.Minute {
			return fmt.Errorf("only %d of %d subscribers connected", open.Load(), subs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("subscribers\t%d open, %d failed, in %.1f s\n", open.Load(), failed.Load(), time.Since(began).Seconds())
	if failed.Load() > 0 {
		return fmt.Errorf("%d subscribers failed", failed.Load())
	}
	if pg != "" {
		n, err := pgidle.Transactions(pg, idle)
		if err != nil {
			return err
		}
		fmt.Printf("idle\t%d statements in %s with %d subscribers: %.4f per subscriber\n", n, idle, subs, float64(n)/float64(subs))
	}
	sent := map[int64]time.Time{}
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for i := 0; i < posts; i++ {
		<-tick.C
		id, at, err := post(client, postURL, token, i)
		if err != nil {
			return err
		}
		sent[id] = at
	}
	time.Sleep(3 * time.Second) // the last events arrive
	var lat []time.Duration
	missing, strays := 0, 0
	arr.mu.Lock()
	for id, at := range sent {
		got := arr.seen[id]
		missing += subs - len(got)
		for _, t := range got {
			lat = append(lat, max(0, t.Sub(at)))
		}
	}
	for _, got := range arr.byPost {
		for id := range got {
			if _, ours := sent[id]; !ours {
				strays++
			}
		}
	}
	dups := arr.dup
	arr.mu.Unlock()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("deliveries\t%d (%d posts x %d subscribers), %d missing, %d duplicates, %d strays (posts this run did not write)\n",
		len(lat), len(sent), subs, missing, dups, strays)
	fmt.Printf("latency\tp50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (201 to event)\n",
		ms(pct(0.5)), ms(pct(0.9)), ms(pct(0.99)), ms(pct(1)))
	cancel()
	wg.Wait()
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// subscribe reads one stream, recording each post event's arrival.
func subscribe(ctx context.Context, client *http.Client, url string, me int, arr *arrivals, open *atomic.Int64) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/stream/public/", nil)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("%d %s", res.StatusCode, b)
	}
	sc := bufio.NewScanner(res.Body)
	counted := false
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if !counted {
			open.Add(1)
			counted = true
		}
		switch {
		case strings.HasPrefix(line, "event: "):
			event = line[7:]
		case strings.HasPrefix(line, "data: ") && event == "post":
			// The data starts {"id":N,...: the id is read without decoding
			// the rest, so that 5,000 clients on the server's machine take
			// less of its CPU.
			at := time.Now()
			rest, ok := strings.CutPrefix(line, `data: {"id":`)
			if n := strings.IndexByte(rest, ','); ok && n > 0 {
				if id, err := strconv.ParseInt(rest[:n], 10, 64); err == nil {
					arr.add(me, id, at)
				}
			}
		}
	}
	return sc.Err()
}

// post writes one post and returns its id and when its 201 arrived.
func post(client *http.Client, url, token string, i int) (int64, time.Time, error) {
	req, _ := http.NewRequest("POST", url+"/post/", strings.NewReader(fmt.Sprintf(`{"text":"stream bench %d"}`, i)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return 0, time.Time{}, err
	}
	at := time.Now()
	defer res.Body.Close()
	var p struct {
		ID int64 `json:"id"`
	}
	if res.StatusCode != 201 || json.NewDecoder(res.Body).Decode(&p) != nil {
		return 0, at, fmt.Errorf("POST /post/: %d", res.StatusCode)
	}
	return p.ID, at, nil
}
