package limit_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/pamps/pamps/store/limit"
)

// TestMemoryLimiterWindows drives the in-memory limiter through its windows
// on synctest's clock: exact instants, no real waiting. N events fit in a
// window; the next is refused with the wait until one fits, and fits after
// exactly that wait; a refused take with several keys counts none of them;
// release gives a place back; after two idle windows a key starts afresh.
func TestMemoryLimiterWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := limit.Memory(limit.Rate{N: 3, Per: time.Minute})
		take := func(keys ...string) (func(), time.Duration, bool) { return l.Take(ctx, keys...) }
		for i := range 3 {
			if _, _, ok := take("ann"); !ok {
				t.Fatalf("take %d of 3 refused", i+1)
			}
			time.Sleep(10 * time.Second)
		}
		_, wait, ok := take("ann")
		if ok || wait <= 0 || wait > time.Minute {
			t.Fatalf("a fourth take in the window: ok %v, wait %s", ok, wait)
		}
		if _, _, ok := take("bob", "ann"); ok {
			t.Fatal("a take with one key over its limit went through")
		}
		for i := range 3 { // the refused take counted nothing for bob
			if _, _, ok := take("bob"); !ok {
				t.Fatalf("bob's take %d refused: the refusal counted him", i+1)
			}
		}
		time.Sleep(wait - time.Millisecond)
		if _, _, ok := take("ann"); ok {
			t.Fatal("a take just before the wait it was told went through")
		}
		time.Sleep(time.Millisecond)
		release, _, ok := take("ann")
		if !ok {
			t.Fatalf("a take after the wait it was told (%s) was refused", wait)
		}
		release()
		if _, _, ok := take("ann"); !ok {
			t.Fatal("release did not give the place back")
		}
		time.Sleep(2 * time.Minute)
		for i := range 3 {
			if _, _, ok := take("ann"); !ok {
				t.Fatalf("after two idle windows, take %d of 3 refused", i+1)
			}
		}
	})
}
