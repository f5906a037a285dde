package sshd

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"charm.land/ssh"
	"github.com/pamps/pamps/store"
	gossh "golang.org/x/crypto/ssh"
)

// sshHowTo is the screen for someone with neither a known key nor a password.
func sshHowTo(sess ssh.Session, mode store.Registration) string {
	var b strings.Builder
	b.WriteString("\r\nWelcome to Pamps.\r\n\r\n")
	if k, ok := sess.Context().Value(sshOffered).(gossh.PublicKey); ok {
		fmt.Fprintf(&b, "The key you connected with is not on any account yet:\r\n  %s\r\n", gossh.FingerprintSHA256(k))
	} else {
		b.WriteString("You connected without a key this server knows.\r\n")
	}
	b.WriteString("To sign in with it, add it to your account, then connect again:\r\n\r\n")
	b.WriteString("  - with the API:  POST /user/me/keys/ {\"public_key\": \"<the line of ~/.ssh/id_ed25519.pub>\"}\r\n")
	b.WriteString("  - or sign in here once with your password (ssh USERNAME@host) and accept the offer to add it;\r\n")
	b.WriteString("  - an operator can run: pamps user key add USERNAME ~/.ssh/id_ed25519.pub\r\n\r\n")
	switch mode { // registration.mode (docs/API.md §3d)
	case store.RegistrationClosed:
		b.WriteString("No account yet? Sign-ups are closed here: ask the operator for one.\r\n")
	case store.RegistrationInvite:
		b.WriteString("No account yet? Sign up with POST /user/ and an invite code (\"invite\"): ask a member or a moderator for one.\r\n")
	case store.RegistrationApproval:
		b.WriteString("No account yet? Sign up with POST /user/: a moderator approves new accounts before they sign in.\r\n")
	default:
		b.WriteString("No account yet? Sign up with POST /user/.\r\n")
	}
	return b.String()
}

// syncWriter serializes writes: an SSH channel may interleave two writers'
// packets.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
