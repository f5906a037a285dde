package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pamps/pamps/store/limit"
)

// Rate is a limit of N events per window; a zero Rate is no limit.
type Rate = limit.Rate

// Limits are the rules that count a member's actions over time. They hold
// whatever the front end (HTTP, SSH, the TUI acting as a member); the
// operator's CLI, acting with the database's full rights, is exempt.
type Limits struct {
	// Login bounds login attempts per client address and per (client,
	// account); per account across clients it is ten times as many.
	Login  Rate
	Signup Rate // sign-ups per client address
	Post   Rate // posts and replies per member
	Report Rate // reports per member
	// HashWorkers bounds concurrent bcrypt work of each lane; 0 is the
	// number of CPUs for logins and half as many for the rest.
	HashWorkers int
}

// LimitError is an action over one of the Limits; nothing of it was done.
type LimitError struct {
	Wait  time.Duration // until one more would fit, at least 1 ms
	Login bool          // a login attempt (the API words it apart)
}

func (e *LimitError) Error() string {
	if e.Login {
		return "Too many login attempts"
	}
	return "Too many requests"
}

// Is makes every LimitError match ErrLimited.
func (e *LimitError) Is(target error) bool { return target == ErrLimited }

// gate holds the limiters and the password hashing lanes, shared by a
// Store's copies: every member action passes here, below the front ends.
type gate struct {
	loginAddr limit.Limiter // per client address and per (client, account)
	loginUser limit.Limiter // per account, across clients
	signups   limit.Limiter
	posts     limit.Limiter
	reports   limit.Limiter
	// Password hashing lanes: logins never queue behind sign-ups and
	// password changes (docs/API.md §2).
	loginLane, otherLane chan struct{}
}

// newGate counts in the database on PostgreSQL, so that a limit holds
// across replicas, and in memory on SQLite (one machine).
func (s *Store) newGate(l Limits, log *slog.Logger) *gate {
	workers := l.HashWorkers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	mk := func(name string, r Rate) limit.Limiter {
		if s.sql.Dialect == Postgres {
			return limit.Shared(name, r, s.rates.Take, log)
		}
		return limit.Memory(r)
	}
	return &gate{
		loginAddr: mk("login", l.Login),
		loginUser: mk("login-user", Rate{N: 10 * l.Login.N, Per: l.Login.Per}),
		signups:   mk("signup", l.Signup),
		posts:     mk("post", l.Post),
		reports:   mk("report", l.Report),
		loginLane: make(chan struct{}, workers),
		otherLane: make(chan struct{}, max(1, workers/2)),
	}
}

// WithLimits is the store with limits of its own (fresh counters), on the
// same database: tests, and front ends that limit differently.
func (s *Store) WithLimits(l Limits) *Store {
	c := *s
	c.gate = s.newGate(l, s.log)
	return &c
}

// HashLanesBusy is how many password hashes run in the login lane and in
// the other (sign-up, password change) lane.
func (s *Store) HashLanesBusy() (login, other int) {
	return len(s.gate.loginLane), len(s.gate.otherLane)
}

// hash runs fn holding a slot of lane, so that a flood of bcrypt work
// queues here instead of starving every other request of CPU.
func hash(ctx context.Context, lane chan struct{}, fn func() error) error {
	select {
	case lane <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-lane }()
	return fn()
}

func limited(wait time.Duration, login bool) error {
	return &LimitError{Wait: max(wait, time.Millisecond), Login: login}
}

// Login is the one password check, for POST /token, SSH and the TUI's
// sign-in form; client is where it comes from (an address). An unknown
// user costs the same bcrypt work as a wrong password. The attempt
// takes its place in the limits before the password is hashed, so a burst
// gets no more checks than the limit. The per-account limits count the
// account the name resolves to, however it is spelled. A refused attempt
// (LimitError) leaves no trace.
func (s *Store) Login(ctx context.Context, client, username, password string) (User, error) {
	var row userRow
	found, plausible := false, plausibleName(username)
	if plausible {
		err := s.db.NewSelect().Model(&row).Column("id", "password").Where(nameMatch("u"), username).Scan(ctx)
		switch {
		case err == nil:
			found = true
		case !errors.Is(err, sql.ErrNoRows):
			return User{}, err
		}
	}
	keys := []string{"addr:" + client}
	var accountKeys []string
	switch {
	case found:
		accountKeys = []string{"user:" + strconv.FormatInt(row.ID, 10)}
	case plausible:
		// No account: the name still counts, bounded in length, so that
		// probing names costs as much as guessing passwords.
		accountKeys = []string{"name:" + strings.ToLower(username)}
	}
	for _, k := range accountKeys {
		keys = append(keys, "pair:"+client+"\x00"+k)
	}
	g := s.gate
	releaseAddr, wait, ok := g.loginAddr.Take(ctx, keys...)
	if !ok {
		return User{}, limited(wait, true)
	}
	if _, wait, ok := g.loginUser.Take(ctx, accountKeys...); !ok {
		releaseAddr() // refused: leaves no trace
		return User{}, limited(wait, true)
	}
	good := false
	err := hash(ctx, g.loginLane, func() error {
		if !found {
			checkPassword(string(s.dummy()), password)
			return nil
		}
		good = checkPassword(row.Password, password)
		return nil
	})
	if err != nil {
		return User{}, err
	}
	if !good {
		return User{}, ErrBadCredentials
	}
	u, err := s.UserByID(ctx, row.ID)
	if err == nil {
		err = u.Status.mayAct() // said only to who knows the password
	}
	return u, err
}

// takePost takes a member's place in the post limit, counted on the
// account (a legacy token names only its account's name).
func (s *Store) takePost(ctx context.Context, c Credential) (release func(), err error) {
	key := "user:" + strconv.FormatInt(c.UserID, 10)
	if c.Legacy() {
		key = "name:" + strings.ToLower(c.Username)
	}
	release, wait, ok := s.gate.posts.Take(ctx, key)
	if !ok {
		return nil, limited(wait, false)
	}
	return release, nil
}
