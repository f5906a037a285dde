package server_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/store/storetest/eventually"
	gossh "golang.org/x/crypto/ssh"
)

// TestSSHSaysWhyAndLogsWhoCameIn: a key on another account than the name
// given is refused, and the password prompt says so (not whose it is); a
// wrong password is said at the next prompt; the log has each sign-in (by
// key with its fingerprint, by password), each refusal and each session's
// end, so that an operator can see who came in. No password is logged.
func TestSSHSaysWhyAndLogsWhoCameIn(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, key := memberWithKey(t, st, "ann")
	storetest.MustUser(t, st, "bob")
	logs := &logBuffer{}
	addr, _, _ := sshServer(t, st, nil, func(o *httpapi.Options) { o.Logger = slog.New(slog.NewJSONHandler(logs, nil)) })

	var mu sync.Mutex
	var prompts []string
	answer := gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		prompts = append(prompts, instruction)
		if len(prompts) == 1 {
			return []string{"not-the-password"}, nil
		}
		return []string{"password1"}, nil
	})
	x, err := dialSSH(t, addr, "bob", gossh.PublicKeys(key), gossh.RetryableAuthMethod(answer, 3))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@bob")
	mu.Lock()
	if len(prompts) != 2 || !strings.Contains(prompts[0], "The key you offered does not sign in bob: it is on another account.") ||
		strings.Contains(prompts[0], "ann") || !strings.Contains(prompts[1], "Incorrect username or password.") {
		t.Errorf("the prompts: %q", prompts)
	}
	mu.Unlock()
	x.in.Write([]byte("q"))
	<-x.done

	y, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	y.waitFor("@ann")
	for _, want := range []string{
		`"msg":"ssh key refused: it is another member's","user":"bob","key_owner":"ann"`,
		`"msg":"ssh sign-in refused: wrong username or password","user":"bob"`,
		`"msg":"ssh sign-in","user":"bob","method":"password"`,
		`"msg":"ssh session ended","user":"bob"`,
		`"msg":"ssh sign-in","user":"ann","method":"key","fingerprint":"` + gossh.FingerprintSHA256(key.PublicKey()) + `"`,
	} {
		eventually.True(t, 0, func() bool { return strings.Contains(logs.String(), want) }, "the log lacks %s:\n%s", want, eventually.Lazy(logs.String))
	}
	if strings.Contains(logs.String(), "not-the-password") || strings.Contains(logs.String(), "password1") {
		t.Error("a password is in the log")
	}
}
