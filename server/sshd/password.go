package sshd

import (
	"errors"

	"charm.land/ssh"
	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/store"
	gossh "golang.org/x/crypto/ssh"
)

// sshPassword asks for the password of the SSH user name. An empty answer
// lets the client in to the screen that says how to add a key.
func (s *Server) sshPassword(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	// The client's user name is shown to it and logged: bounded, as no
	// username is longer.
	name := ctx.User()
	if len(name) > store.MaxUsernameLen {
		name = name[:store.MaxUsernameLen] + "…"
	}
	name = store.Printable(name)
	instruction := "Sign in to Pamps as " + name + " (leave the password empty to learn how to sign in with a key)."
	if other, _ := ctx.Value(sshKeyElsewhere).(bool); other {
		instruction = "The key you offered does not sign in " + name + ": it is on another account. " + instruction
	}
	// The client asks again after a refusal (ssh's NumberOfPasswordPrompts):
	// the next prompt says why.
	if wrong, _ := ctx.Value(sshWrongPassword).(bool); wrong {
		instruction = "Incorrect username or password. " + instruction
	}
	answers, err := challenge("", instruction, []string{"Password: "}, []bool{false})
	if err != nil || len(answers) != 1 {
		return false
	}
	if answers[0] == "" {
		ctx.SetValue(sshGuest, true)
		return true
	}
	return s.sshLogin(ctx, name, answers[0])
}

// sshLogin checks a password through the store's Login (its limits and
// lane), and logs how it went.
func (s *Server) sshLogin(ctx ssh.Context, name, password string) bool {
	addr := ctx.RemoteAddr().String()
	since := s.sshStarting(ctx)
	u, err := s.store.Login(ctx, conns.HostOf(addr), ctx.User(), password)
	var ce *store.CredentialsError
	switch {
	case errors.Is(err, store.ErrLimited):
		s.log.Info("ssh sign-in refused: over the login limit", "user", name, "addr", addr)
		return false
	case errors.As(err, &ce):
		s.log.Info("ssh sign-in refused: wrong username or password", "user", name, "addr", addr)
		ctx.SetValue(sshWrongPassword, true)
		return false
	case errors.Is(err, store.ErrSuspended), errors.Is(err, store.ErrPending):
		s.log.Info("ssh sign-in refused: "+err.Error(), "user", name, "addr", addr)
		return false
	case err != nil:
		s.log.Warn("ssh sign-in", "user", name, "error", err)
		return false
	}
	s.log.Info("ssh sign-in", "user", u.Username, "method", "password", "addr", addr)
	ctx.SetValue(sshMember, sshSignIn{user: u, since: since})
	return true
}
