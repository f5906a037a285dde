package store

import (
	"context"
	"time"
)

// Credential is what a verified token says of its holder. A token names one
// account, not a name: it holds while the user with UserID is still called
// Username and has not revoked tokens issued at IssuedAt (docs/API.md §2).
type Credential struct {
	UserID   int64  // 0 for a token of the original Python Pamps (legacy)
	Username string // the token's sub
	IssuedAt int64  // Unix milliseconds (iat); 0 for a legacy token
}

// Legacy reports whether the token came from the original app, which wrote
// neither uid nor iat: it holds only for a user who never revoked a token.
func (c Credential) Legacy() bool { return c.UserID == 0 }

// holds is the condition, on the user table under alias, that the
// credential's token still holds; its placeholders take args.
func (c Credential) holds(alias string) string {
	if c.Legacy() {
		return nameMatch(alias) + " AND " + alias + ".tokens_after = 0"
	}
	return alias + ".id = ? AND " + nameMatch(alias) + " AND " + alias + ".tokens_after <= ?"
}

// match is holds for an account that may act: not withheld. (A
// suspension revokes the tokens too; this also refuses one issued by a
// login whose password check overlapped the suspension.)
func (c Credential) match(alias string) string {
	return c.holds(alias) + " AND " + alias + ".status = 'active'"
}

func (c Credential) args() []any {
	if c.Legacy() {
		return []any{c.Username}
	}
	return []any{c.UserID, c.Username, c.IssuedAt}
}

// UserByCredential is the user a token's credential names, or
// ErrNotSignedIn when it no longer holds (ErrSuspended, ErrPending when
// the account is withheld).
func (s *Store) UserByCredential(ctx context.Context, c Credential) (User, error) {
	if !plausibleName(c.Username) {
		return User{}, ErrNotSignedIn
	}
	u, err := s.queryUser(ctx, everyone, "", nil, "WHERE "+c.holds("u"), c.args()...)
	if err == ErrUserNotFound {
		return User{}, ErrNotSignedIn
	}
	if err == nil {
		err = u.Status.mayAct()
	}
	return u, err
}

// maxRefreshTokens is how many live refresh tokens (sessions) a user keeps;
// issuing another forgets the one that expires first.
const maxRefreshTokens = 100

// SignOut revokes every token issued to userID so far: access tokens by
// their issue time, refresh tokens by forgetting them. TokensAfter moves
// past now and past its own last value, to the millisecond, so that tokens
// issued between two revocations in one second are refused by the second;
// tokens are issued no earlier than TokensAfter, so new ones hold at once.
func (s *Store) SignOut(ctx context.Context, userID int64) error {
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error { return tx.signOut(ctx, userID) })
}

func (s *Store) signOut(ctx context.Context, userID int64) error {
	after := time.Now().UnixMilli() + 1
	res, err := s.db.ExecContext(ctx, `UPDATE "user" SET tokens_after = CASE WHEN tokens_after >= ? THEN tokens_after + 1 ELSE ? END WHERE id = ?`, after, after, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrUserNotFound
	}
	_, err = s.db.ExecContext(ctx, `DELETE FROM refresh_token WHERE user_id = ?`, userID)
	return err
}

// AddRefreshToken records a refresh token given out, by its id, so that it
// can be used once (UseRefreshToken). Expired ones of the user are dropped,
// and past maxRefreshTokens the oldest.
func (s *Store) AddRefreshToken(ctx context.Context, userID int64, jti string, expires time.Time) error {
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error { return tx.addRefreshToken(ctx, userID, jti, expires) })
}

func (s *Store) addRefreshToken(ctx context.Context, userID int64, jti string, expires time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM refresh_token WHERE user_id = ? AND expires_at < ?`, userID, time.Now().Unix()); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM refresh_token WHERE user_id = ? AND jti NOT IN
		(SELECT jti FROM refresh_token WHERE user_id = ? ORDER BY expires_at DESC LIMIT ?)`, userID, userID, maxRefreshTokens-1); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO refresh_token (jti, user_id, expires_at) VALUES (?, ?, ?)`, jti, userID, expires.Unix())
	return err
}

// Issue makes a new token pair for u (the caller signs it) and says the
// new refresh token's id and expiry, to be recorded with it.
type Issue func(u User) (jti string, expires time.Time, err error)

// UseRefreshToken retires the refresh token jti of the credential's user and
// issues the next pair with issue, in one transaction that holds the user's
// row: a concurrent revocation (a reuse detected, a sign-out everywhere)
// either comes first, and nothing is issued, or waits for it and revokes
// what it issued too. A token used before is a reuse: every token of the
// user is revoked (OAuth 2.0 security best practice) and ErrRefreshReused
// returned. An unknown one, or a credential that no longer holds, is
// ErrNotSignedIn.
func (s *Store) UseRefreshToken(ctx context.Context, c Credential, jti string, issue Issue) (User, error) {
	var (
		u      User
		reused bool
	)
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		reused = false
		if s.sql.Dialect == Postgres { // SQLite's transactions run one at a time already
			if _, err := tx.db.ExecContext(ctx, `SELECT 1 FROM "user" WHERE id = ? FOR NO KEY UPDATE`, c.UserID); err != nil {
				return err
			}
		}
		res, err := tx.db.ExecContext(ctx, `UPDATE refresh_token SET used = TRUE WHERE jti = ? AND user_id = ? AND used = FALSE`, jti, c.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if u, err = tx.UserByCredential(ctx, c); err != nil {
				return err
			}
			next, expires, err := issue(u)
			if err != nil {
				return err
			}
			return tx.addRefreshToken(ctx, u.ID, next, expires)
		}
		var known int
		if err := tx.db.QueryRowContext(ctx, `SELECT count(*) FROM refresh_token WHERE jti = ? AND user_id = ?`, jti, c.UserID).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return ErrNotSignedIn
		}
		reused = true
		return tx.signOut(ctx, c.UserID)
	})
	if err != nil {
		return User{}, err
	}
	if reused {
		return User{}, ErrRefreshReused
	}
	return u, nil
}
