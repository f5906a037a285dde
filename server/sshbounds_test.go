package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// sshMember is a server with ann, whose key signs her in.
func sshMember(t *testing.T) (addr string, key gossh.Signer) {
	t.Helper()
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, key = memberWithKey(t, st, "ann")
	addr, _, _ = sshServer(t, st, nil)
	return addr, key
}

// TestSSHBoundsWhatComesBeforeTheSession: the SSH library keeps every env
// request; a client that sends them without end is cut off at the
// prelude's bound (256 KB), not kept in memory.
func TestSSHBoundsWhatComesBeforeTheSession(t *testing.T) {
	addr, key := sshMember(t)
	c, err := signInSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	value := strings.Repeat("v", 16<<10)
	sent := 0
	for ; sent < 64; sent++ { // 1 MB, four times the bound
		if err := sess.Setenv("X", value); err != nil {
			break
		}
	}
	if sent*len(value) > 512<<10 {
		t.Fatalf("the server took %d KB of env requests before the session started", sent*len(value)>>10)
	}
	// A client within the bound still gets its TUI.
	x, err := dialSSHEnv(t, addr, "ann", []string{"LANG", "C.UTF-8"}, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@ann")
}

// TestSSHOneSessionPerConnection: a second session channel on a connection
// whose TUI runs is refused (each would be a TUI outside the per-member
// session count, with env requests of its own to keep).
func TestSSHOneSessionPerConnection(t *testing.T) {
	addr, key := sshMember(t)
	c, err := signInSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.NewSession(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.NewSession(); err == nil || !strings.Contains(err.Error(), "one session per connection") {
		t.Fatalf("a second session on one connection: %v, want it refused", err)
	}
}

// TestSSHHugeTerminalIsBounded: a pty request says any size up to 2^32 a
// side, as does a window change. Bubble Tea drops such a size, which left
// the session blank; it is drawn at 1000×500 instead, and the server
// serves on.
func TestSSHHugeTerminalIsBounded(t *testing.T) {
	addr, key := sshMember(t)
	x, err := dialSSHPty(t, addr, "ann", nil, 1<<30, 1<<30, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@ann")
	// Window changes: a plausible one is taken, bounded (2000 columns are
	// drawn as 1000); one Bubble Tea finds implausible is ignored.
	if err := x.sess.WindowChange(450, 2000); err != nil {
		t.Fatal(err)
	}
	x.waitFor("\x1b[450;1H")
	if err := x.sess.WindowChange(1<<30, 1<<30); err != nil {
		t.Fatal(err)
	}
	// A plausible change after it is drawn once it has been seen to.
	if err := x.sess.WindowChange(460, 2000); err != nil {
		t.Fatal(err)
	}
	x.waitFor("\x1b[460;1H")
	rows := regexp.MustCompile(`\x1b\[(\d+);1H`)
	for _, m := range rows.FindAllStringSubmatch(x.screen(), -1) {
		if n, _ := strconv.Atoi(m[1]); n > 500 {
			t.Fatalf("drew row %d of a terminal that asked for 2^30", n)
		}
	}
	if strings.Contains(x.screen(), strings.Repeat(" ", 1001)) { // the TUI pads its lines to the width
		t.Error("a line wider than 1000 columns was drawn")
	}
	y, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	y.waitFor("@ann")
}
