package tui

import (
	"os"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// BenchmarkTUIPages measures, on the database in PAMPS_BENCH_DATABASE_URL
// (bench/tui.sh seeds one with 1,000,000 posts), the first screen of a
// signed-in user and each next page of Everyone, loaded and drawn.
func BenchmarkTUIPages(b *testing.B) {
	uri := os.Getenv("PAMPS_BENCH_DATABASE_URL")
	if uri == "" {
		b.Skip("PAMPS_BENCH_DATABASE_URL is not set (bench/tui.sh sets it)")
	}
	st, err := store.Open(ctx, store.Options{URI: uri})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	users, err := st.ListUsers(ctx, store.UserList{Limit: 1, Cursor: "100"})
	if err != nil || len(users.Items) == 0 {
		b.Fatalf("no users: %v", err)
	}
	name := users.Items[0].Username

	start := time.Now()
	m := New(Options{Store: st, As: name})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	runSync(m, m.login.init(m))
	_ = m.draw()
	firstScreen := time.Since(start)

	_, cmd := m.Update(keys("2"))
	runSync(m, cmd)
	l := m.feeds[tabEveryone]
	if len(l.items) == 0 {
		b.Fatal("Everyone is empty")
	}
	b.ResetTimer()
	for range b.N {
		l.sel = len(l.items) - 1
		runSync(m, l.load(m, true))
		_ = m.draw()
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(firstScreen.Microseconds())/1000, "first-screen-ms")
	b.ReportMetric(float64(len(l.items)), "posts-loaded")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
}

// runSync runs one command and feeds its message back, with its follow-ups.
func runSync(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return
		}
		_, cmd = m.Update(msg)
	}
}

// BenchmarkNewSignedIn is what each SSH session's model costs to build
// (the member is known: no sign-in form).
func BenchmarkNewSignedIn(b *testing.B) {
	u := store.User{ID: 1, Username: "ann"}
	b.ReportAllocs()
	for b.Loop() {
		New(Options{User: &u})
	}
}
