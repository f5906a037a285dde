// Package eventually is how the tests wait for something asynchronous:
// never a fixed sleep, never a polling loop of their own. It imports
// nothing of Pamps, so that every package's tests can use it.
package eventually

import (
	"testing"
	"time"
)

// True waits until cond holds, looking at growing intervals (1 ms up to
// 50 ms), and fails the test when it has not within timeout (0 is 10 s)
// with the message format and args (a Lazy among them is read then).
func True(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	if timeout <= 0 { // generous: a wait passes as soon as cond holds, and on PostgreSQL a live event waits for every older transaction of the shared test cluster
		timeout = 30 * time.Second
	}
	if !Poll(timeout, cond) {
		t.Fatalf("waited %s: "+format, append([]any{timeout}, args...)...)
	}
}

// Poll is True's wait without the failure: whether cond came true
// within timeout.
func Poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; !cond(); wait = min(2*wait, 50*time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(wait)
	}
	return true
}

// Lazy is a message part computed when the message is written (a screen's
// contents at the time of the failure).
type Lazy func() string

func (l Lazy) String() string { return l() }
