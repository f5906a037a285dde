package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest/eventually"

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
	needSSH(t)
	uri := storetest.SQLiteURI(t)
	port := freePort(t)
	env := append(e2eEnv(t, uri), "PAMPS_SERVER__SSH_PORT="+strconv.Itoa(port))
	members(t, env, "ann")
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
	hostKey := filepath.Join(getenv(env, "HOME"), ".local/share/pamps/ssh_host_ed25519")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key %s: %v", hostKey, err)
	}
}

// TestOpenSSHMembersInTmux: with OpenSSH's client in tmux, a key signs in
// its owner whatever user name is given (no impersonation), and liking,
// replying and following land as her; signing her out everywhere ends the
// session; a member without a key signs in with the password, which the
// login limit bounds; an unknown key without a password is told how.
func TestOpenSSHMembersInTmux(t *testing.T) {
	needSSH(t)
	uri := storetest.SQLiteURI(t)
	port := freePort(t)
	env := append(e2eEnv(t, uri), "PAMPS_SERVER__SSH_PORT="+strconv.Itoa(port), "PAMPS_SECURITY__LOGIN_RATE_LIMIT=4/hour")
	members(t, env, "ann", "bob")
	cliPost(t, env, "bob", "bob's first")
	dir := t.TempDir()
	keygen := func(name string) string {
		path := filepath.Join(dir, name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
		return path
	}
	annKey, strangerKey := keygen("ann"), keygen("stranger")
	if _, errs, code := runBinary(t, env, "", "user", "key", "add", "ann", annKey+".pub"); code != 0 {
		t.Fatal(errs)
	}
	startServe(t, env)
	ssh := func(args string) string {
		return "ssh -p " + strconv.Itoa(port) + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR " + args + " 127.0.0.1"
	}
	term := []string{"TERM=xterm-256color", "HOME=" + dir}

	// ann's key, claiming to be bob: the key signs in only ann, so ssh
	// goes on to bob's password.
	claim := startTmux(t, term, ssh("-i "+annKey+" -l bob"))
	claim.waitFor("Password:")
	claim.send("C-c")
	// ann's key as ann: ann it is.
	x := startTmux(t, term, ssh("-i "+annKey+" -l ann"))
	x.waitFor("@ann")
	x.send("2")
	x.waitFor("bob's first")
	x.send("l")
	x.waitFor("♥ 1")
	x.send("f")
	x.waitFor("You now follow bob")
	x.send("r")
	x.waitFor("Reply")
	x.send("a reply over ssh")
	x.send("C-s")
	x.waitFor("↩ 1")
	st := storetest.Open(t, uri, store.Options{})
	ann, _ := st.UserByName(t.Context(), "ann")
	bob, _ := st.UserByName(t.Context(), "bob")
	var stored string
	eventually.True(t, 0, func() bool {
		liked, _ := st.LikedPosts(t.Context(), ann.ID, 0, "", 10)
		follows, _ := st.IsFollowing(t.Context(), ann.ID, bob.ID)
		replies, _ := st.ListPosts(t.Context(), store.PostList{Author: "ann", Replies: true})
		stored = fmt.Sprintf("liked %d, follows %v, replies %+v", len(liked.Items), follows, replies.Items)
		return len(liked.Items) == 1 && follows && len(replies.Items) == 1 && replies.Items[0].ParentID != nil
	}, "not stored as ann: %s", eventually.Lazy(func() string { return stored }))
	if posts, _ := st.ListPosts(t.Context(), store.PostList{Author: "bob", Replies: true}); len(posts.Items) != 1 {
		t.Fatalf("something landed as bob: %+v", posts.Items)
	}
	// Signed out everywhere: the session ends, saying why.
	if _, errs, code := runBinary(t, env, "", "user", "logout", "ann"); code != 0 {
		t.Fatal(errs)
	}
	x.waitFor("your session ended")
	x.waitGone("@ann")

	// bob has no key: his password, asked by ssh.
	y := startTmux(t, term, ssh("-o PubkeyAuthentication=no -l bob"))
	y.waitFor("Password:")
	y.send("password1", "Enter")
	y.waitFor("@bob")
	y.send("q")
	y.waitGone("@bob")

	// An unknown key and no password: told how to add one.
	z := startTmux(t, term, ssh("-i "+strangerKey+" -l someone"))
	z.waitFor("Password:")
	z.send("Enter")
	z.waitFor("not on any account")
	z.waitFor("POST /user/me/keys/")

	// Wrong passwords use up bob's login limit (4 an hour, one spent
	// above): then even the right one is refused.
	w := startTmux(t, term, ssh("-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=3 -l bob"))
	for i := range 3 {
		w.waitForCount("Password:", i+1) // each prompt once the last answer was refused
		w.send("wrong", "Enter")
	}
	w.waitFor("Permission denied")
	v := startTmux(t, term, ssh("-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 -l bob"))
	v.waitFor("Password:")
	v.send("password1", "Enter")
	v.waitFor("Permission denied")
	if strings.Contains(v.screen(), "@bob") {
		t.Fatal("the right password went through past the limit")
	}
}

// needSSH fails the test in CI when OpenSSH's client is missing (test.sh
// installs it), and skips it elsewhere.
func needSSH(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ssh (OpenSSH's client) is not installed (test.sh installs it)")
		}
		t.Skip("ssh is not installed")
	}
}
