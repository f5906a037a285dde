package main

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogBufferDeliversEveryLineInOrder runs on synctest's clock: the
// flush timer fires at its exact instant, with no real wait.
func TestLogBufferDeliversEveryLineInOrder(t *testing.T) {
	synctest.Test(t, logBufferInOrder)
}

func logBufferInOrder(t *testing.T) {
	out := &lockedBuilder{}
	l := newLogBuffer(out, 20*time.Millisecond)
	l.Write([]byte("one\n"))
	time.Sleep(19 * time.Millisecond)
	synctest.Wait()
	if got := out.String(); got != "" {
		t.Fatalf("written before the timer: %q", got)
	}
	time.Sleep(time.Millisecond)
	synctest.Wait()
	if got := out.String(); got != "one\n" {
		t.Fatalf("the timer did not flush: %q", got)
	}
	big := strings.Repeat("x", 70<<10) + "\n"
	l.Write([]byte(big))
	if out.String() != "one\n"+big {
		t.Fatal("64 KiB waiting were not written at once")
	}
	l.Write([]byte("last\n"))
	l.Close()
	if out.String() != "one\n"+big+"last\n" {
		t.Fatalf("Close lost a line: %q", out.String()[len(out.String())-10:])
	}
}
