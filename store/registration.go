package store

import (
	"context"
	"errors"
	"strings"
)

// Registration is how members sign up on their own (registration.mode,
// docs/API.md §3d). The operator's CreateUser (`pamps adduser`) works in
// every mode.
type Registration string

// The modes.
const (
	RegistrationOpen     Registration = "open"     // anyone, as the original app
	RegistrationApproval Registration = "approval" // anyone, pending until a moderator approves
	RegistrationInvite   Registration = "invite"   // with an invite code
	RegistrationClosed   Registration = "closed"   // nobody
)

// ParseRegistration reads a mode ("" is open).
func ParseRegistration(s string) (Registration, error) {
	switch m := Registration(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return RegistrationOpen, nil
	case RegistrationOpen, RegistrationApproval, RegistrationInvite, RegistrationClosed:
		return m, nil
	}
	return "", errors.New("must be open, approval, invite or closed")
}

// Registration is the mode sign-ups follow.
func (s *Store) Registration() Registration { return s.registration }

// SignUp is a member's own sign-up, from client (an address), as the
// registration mode allows: limited per client, hashed in the sign-up
// lane. One refused by a rule, which costs no hashing, gives its place
// back. In invite mode the code's use is spent in the transaction that
// creates the account; in approval mode the account waits, pending, and
// every moderator is notified (type signup) in that transaction.
func (s *Store) SignUp(ctx context.Context, client string, in NewUser) (User, error) {
	mode := s.registration
	if mode == RegistrationClosed {
		return User{}, ErrRegistrationClosed
	}
	release, wait, ok := s.gate.signups.Take(ctx, "addr:"+client)
	if !ok {
		return User{}, limited(wait, false)
	}
	var u User
	err := hash(ctx, s.gate.otherLane, func() error {
		in, pw, err := s.prepareUser(in)
		if err != nil {
			return err
		}
		return s.InTx(ctx, func(ctx context.Context, tx *Store) error {
			if mode == RegistrationInvite {
				if err := tx.spendInvite(ctx, in.Invite); err != nil {
					return err
				}
			}
			if u, err = tx.insertUser(ctx, in, pw); err != nil || mode != RegistrationApproval {
				return err
			}
			u.Status = StatusPending
			if _, err := tx.db.ExecContext(ctx, `UPDATE "user" SET status = 'pending' WHERE id = ?`, u.ID); err != nil {
				return err
			}
			return tx.notifyStaff(ctx, NotifySignup, u.ID, nil, nil)
		})
	})
	if errors.Is(err, ErrInvalid) {
		release()
	}
	if mode == RegistrationApproval {
		s.standingChanged()
	}
	return u, err
}

// WithRegistration is the store with another registration mode, on the same
// database and limits: tests, and a server that overrides the setting.
func (s *Store) WithRegistration(mode Registration) *Store {
	c := *s
	c.registration = mode
	return &c
}
