package main

import (
	"strings"
	"sync"
	"testing"
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

func TestLogBufferDeliversEveryLineInOrder(t *testing.T) {
	out := &lockedBuilder{}
	l := newLogBuffer(out, 20*time.Millisecond)
	l.Write([]byte("one\n"))
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "one\n" {
		if time.Now().After(deadline) {
			t.Fatalf("the timer did not flush: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
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
