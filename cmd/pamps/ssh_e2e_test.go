package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestOpenSSHReachesTheTUI: Debian's OpenSSH client, in tmux, signs in to
// `pamps serve` with a key added by `pamps user key add`, reaches the home
// timeline, and posts as its member. The host key is made once, 0600.
func TestOpenSSHReachesTheTUI(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ssh (OpenSSH's client) is not installed (test.sh installs it)")
		}
		t.Skip("ssh is not installed")
	}
	uri := storetest.SQLiteURI(t)
	port := freePort(t)
	env := append(e2eEnv(t, uri), "PAMPS_SERVER__SSH_PORT="+strconv.Itoa(port))
	runBinary(t, env, "password1\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin")
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ann@test", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	if _, errs, code := runBinary(t, env, "", "user", "key", "add", "ann", key+".pub"); code != 0 {
		t.Fatal(errs)
	}
	srv := startServe(t, env)
	if !strings.Contains(srv.log(), "over SSH") {
		t.Fatalf("no SSH server:\n%s", srv.log())
	}
	ssh := "ssh -p " + strconv.Itoa(port) + " -i " + key + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ann@127.0.0.1"
	x := startTmux(t, []string{"TERM=xterm-256color", "HOME=" + dir}, ssh)
	x.waitFor("@ann")
	x.waitFor("1 Home")
	x.send("n")
	x.waitFor("New post")
	x.send("typed over ssh")
	x.send("C-s")
	x.waitFor("Posted")
	x.send("q")
	x.waitGone("1 Home")
	st := storetest.Open(t, uri, store.Options{})
	page, err := st.ListPosts(t.Context(), store.PostList{Author: "ann"})
	if err != nil || len(page.Items) != 1 || page.Items[0].Text != "typed over ssh" {
		t.Fatalf("stored: %v %+v", err, page.Items)
	}
	hostKey := filepath.Join(strings.TrimPrefix(envValue(env, "HOME"), ""), ".local/share/pamps/ssh_host_ed25519")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key %s: %v", hostKey, err)
	}
}

func envValue(env []string, name string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}
