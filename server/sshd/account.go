package sshd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// sshSignIn is a member signed in, and since when their session is watched.
type sshSignIn struct {
	user  store.User
	since sshStart
	key   string // the fingerprint of the key it signed in with ("": a password)
}

// sshStart is where a member's session is watched from: the time and the
// event position taken before their user row was read, so that a sign-out
// or a deletion after that read, even before the session opens, ends it.
type sshStart struct {
	began time.Time
	from  int64 // the account stream starts after it (-1: now)
}

func (s *Server) sshStarting(ctx context.Context) sshStart {
	since := sshStart{began: time.Now(), from: -1}
	if pos, err := s.opt.Live.Position(ctx); err == nil {
		since.from = pos
	}
	return since
}

// watchAccount calls ended when the account's tokens are revoked after
// since, the account is gone, or the key the session signed in with (key,
// when not "") is removed, until ctx ends.
func (s *Server) watchAccount(ctx context.Context, userID int64, since sshStart, key string, ended func(why string)) {
	sub, err := s.opt.Live.Subscribe(ctx, store.Stream{Kind: store.StreamAccount, UserID: userID}, live.SubscribeOptions{After: since.from})
	if err != nil {
		return
	}
	defer sub.Close()
	for {
		if _, err := sub.Next(ctx); err != nil {
			return
		}
		u, err := s.store.UserByID(ctx, userID)
		switch {
		case errors.Is(err, store.ErrUserNotFound):
			ended("the account was deleted")
			return
		case err == nil && u.Status == store.StatusSuspended:
			ended("the account was suspended by a moderator")
			return
		case err == nil && u.TokensAfter > since.began.UnixMilli():
			why := "signed out everywhere (a password change or a sign-out)"
			// Tokens are revoked, keys are not: say which still sign in.
			if keys, err := s.store.SSHKeys(ctx, userID); err == nil && len(keys) > 0 {
				prints := make([]string, len(keys))
				for i, k := range keys {
					prints[i] = k.Fingerprint
				}
				why += fmt.Sprintf("; %d SSH key(s) still sign you in (%s): remove one with DELETE /user/me/keys/{id}/",
					len(keys), strings.Join(prints, ", "))
			}
			ended(why)
			return
		}
		if key != "" {
			if has, err := s.store.HasSSHKey(ctx, userID, key); err == nil && !has {
				ended("the key it signed in with was removed from the account")
				return
			}
		}
	}
}
