package main

import (
	"io"
	"sync"
	"time"
)

// logBuffer batches the server's log lines: written one by one, the access
// log cost a system call per request. Lines reach out within every, at once
// when 64 KiB are waiting, and on Close.
type logBuffer struct {
	mu   sync.Mutex
	out  io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
}

func newLogBuffer(out io.Writer, every time.Duration) *logBuffer {
	l := &logBuffer{out: out, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.Flush()
			case <-l.stop:
				return
			}
		}
	}()
	return l
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) >= 64<<10 {
		l.flushLocked()
	}
	return len(p), nil
}

// Flush writes out what is waiting.
func (l *logBuffer) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

func (l *logBuffer) flushLocked() {
	if len(l.buf) > 0 {
		_, _ = l.out.Write(l.buf)
		l.buf = l.buf[:0]
	}
}

// Close stops the timer and flushes.
func (l *logBuffer) Close() {
	close(l.stop)
	<-l.done
	l.Flush()
}
