package server_test

import (
	"fmt"
	"io"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// TestSSHConnectionsPerClientAreBounded: server.max_conns_per_client holds
// on the SSH listener: past it a connection is closed before any handshake.
func TestSSHConnectionsPerClientAreBounded(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	addr, _, _ := sshServer(t, st, nil, func(o *httpapi.Options) { o.Conns.MaxPerClient = 2 })
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	banner := func(c net.Conn) error {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		b := make([]byte, 4)
		_, err := io.ReadFull(c, b)
		return err
	}
	for _, c := range held {
		if err := banner(c); err != nil {
			t.Fatalf("a connection within the bound got no banner: %v", err)
		}
	}
	over, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer over.Close()
	if err := banner(over); err == nil {
		t.Fatal("a third connection from one address got the SSH banner")
	}
	held[0].Close()
	// The server sees the close in its own time: a new connection gets
	// the banner once it has (a fixed pause was a guess at how long).
	eventually.True(t, 0, func() bool {
		var again net.Conn
		if again, err = net.Dial("tcp", addr); err != nil {
			t.Fatal(err)
		}
		err = banner(again)
		again.Close()
		return err == nil
	}, "the place given back was not reused: %v", eventually.Lazy(func() string { return fmt.Sprint(err) }))
}

// TestSSHHonoursNoColor: a client that sends NO_COLOR gets a screen without
// colours, as a local terminal does; without it, colours.
func TestSSHHonoursNoColor(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, key := memberWithKey(t, st, "ann")
	addr, _, _ := sshServer(t, st, nil)
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|38;[25];[0-9;]+)m`)
	for _, c := range []struct {
		env  []string
		want bool
	}{{nil, true}, {[]string{"NO_COLOR", "1"}, false}} {
		x, err := dialSSHEnv(t, addr, "ann", c.env, gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@ann")
		x.waitForText("help") // the footer: the first screen is whole
		if got := colour.MatchString(x.screen()); got != c.want {
			t.Errorf("env %v: colours %v, want %v", c.env, got, c.want)
		}
	}
}
