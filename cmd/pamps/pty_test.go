package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"golang.org/x/sys/unix"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// TestMain removes the binary the end-to-end tests built (34 MB a run).
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// binary builds pamps once for the end-to-end tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pamps-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "pamps")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// pty is a pseudo-terminal running one command, as a person at a keyboard.
type pty struct {
	t      *testing.T
	master *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	screen bytes.Buffer
	done   chan struct{} // closed when the program has exited
	read   chan struct{} // closed when the terminal has no more output
}

func startPTY(t *testing.T, env []string, args ...string) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminals here: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	p := &pty{t: t, master: master, cmd: cmd, done: make(chan struct{}), read: make(chan struct{})}
	go func() {
		defer close(p.read)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.screen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		master.Close()
	})
	return p
}

func (p *pty) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

// waitFor waits until the screen shows s, count times in all.
func (p *pty) waitFor(s string, count int) {
	p.t.Helper()
	eventually.True(p.t, 0, func() bool { return bytes.Count([]byte(p.text()), []byte(s)) >= count },
		"the screen never showed %q; screen:\n%s", s, eventually.Lazy(p.text))
}

// echo reports whether the terminal echoes typed characters. The master
// side reads the same settings as the program's side.
func (p *pty) echo() bool {
	p.t.Helper()
	tio, err := unix.IoctlGetTermios(int(p.master.Fd()), unix.TCGETS)
	if err != nil {
		p.t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// waitNoEcho waits until the program has turned echo off (a password prompt).
func (p *pty) waitNoEcho() {
	p.t.Helper()
	eventually.True(p.t, 0, func() bool { return !p.echo() }, "echo never turned off; screen:\n%s", eventually.Lazy(p.text))
}

func (p *pty) typeText(s string) {
	p.t.Helper()
	if _, err := p.master.Write([]byte(s)); err != nil {
		p.t.Fatal(err)
	}
}

// exitCode waits for the program to exit and for its last output to be
// read: the exit alone could be seen before the final "Error:" line was.
func (p *pty) exitCode() int {
	p.t.Helper()
	timeout := time.After(20 * time.Second)
	for _, ch := range []chan struct{}{p.done, p.read} {
		select {
		case <-ch:
		case <-timeout:
			p.t.Fatalf("did not exit; screen:\n%s", p.text())
		}
	}
	return p.cmd.ProcessState.ExitCode()
}
