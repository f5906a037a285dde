package server_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// terminal is one SSH session with a pseudo-terminal: keys in, screen out.
type terminal struct {
	t    *testing.T
	sess *gossh.Session
	in   interface{ Write([]byte) (int, error) }
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func (x *terminal) Write(p []byte) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.out.Write(p)
}

func (x *terminal) screen() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.out.String()
}

func (x *terminal) waitFor(s string) {
	x.t.Helper()
	eventually.True(x.t, 10*time.Second, func() bool { return strings.Contains(x.screen(), s) }, "never showed %q:\n%q", s, eventually.Lazy(x.screen))
}

// waitForText is waitFor on the screen's text, its styles taken out.
func (x *terminal) waitForText(s string) {
	x.t.Helper()
	eventually.True(x.t, 10*time.Second, func() bool { return strings.Contains(ansi.Strip(x.screen()), s) }, "never showed %q:\n%q", s, eventually.Lazy(func() string { return ansi.Strip(x.screen()) }))
}

func (x *terminal) ended(d time.Duration) bool {
	select {
	case <-x.done:
		return true
	case <-time.After(d):
		return false
	}
}

// dialSSH signs in as user with the given methods and opens a shell.
func dialSSH(t *testing.T, addr, user string, auth ...gossh.AuthMethod) (*terminal, error) {
	t.Helper()
	return dialSSHEnv(t, addr, user, nil, auth...)
}

// dialSSHEnv is dialSSH sending the environment variables env (name, value).
func dialSSHEnv(t *testing.T, addr, user string, env []string, auth ...gossh.AuthMethod) (*terminal, error) {
	t.Helper()
	return dialSSHPty(t, addr, user, env, 30, 100, auth...)
}

// dialSSHPty is dialSSHEnv asking for a terminal of rows×cols.
func dialSSHPty(t *testing.T, addr, user string, env []string, rows, cols int, auth ...gossh.AuthMethod) (*terminal, error) {
	t.Helper()
	c, err := signInSSH(t, addr, user, auth...)
	if err != nil {
		return nil, err
	}
	return openTerminal(c, t, env, rows, cols)
}

// signInSSH connects and authenticates, opening no session yet.
func signInSSH(t *testing.T, addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	return c, nil
}

// openTerminal opens a session on c with a pty of rows×cols and a shell.
func openTerminal(c *gossh.Client, t *testing.T, env []string, rows, cols int) (*terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	x := &terminal{t: t, sess: sess, done: make(chan struct{})}
	sess.Stdout, sess.Stderr = x, x
	in, _ := sess.StdinPipe()
	x.in = in
	for i := 0; i+1 < len(env); i += 2 {
		if err := sess.Setenv(env[i], env[i+1]); err != nil {
			return nil, err
		}
	}
	if err := sess.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	// As OpenSSH does, the client hangs up once its session has ended.
	go func() { sess.Wait(); c.Close(); close(x.done) }()
	return x, nil
}

// memberWithKey makes a member whose new key signs them in.
func memberWithKey(t *testing.T, st *store.Store, name string) (store.User, gossh.Signer) {
	t.Helper()
	u := storetest.MustUser(t, st, name)
	key := newSigner(t)
	if _, err := st.AddSSHKey(ctx, u.ID, authorized(key)); err != nil {
		t.Fatal(err)
	}
	return u, key
}

func newSigner(t *testing.T) gossh.Signer {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func password(p string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
		answers := make([]string, len(questions))
		for i := range answers {
			answers[i] = p
		}
		return answers, nil
	})
}

func authorized(s gossh.Signer) string { return string(gossh.MarshalAuthorizedKey(s.PublicKey())) }
