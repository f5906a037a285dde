package store

import (
	"context"
	"crypto/rsa"
	"database/sql"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// SSHKey is a public key a member signs in to the SSH TUI with.
type SSHKey struct {
	ID          int64     `json:"id"`
	Fingerprint string    `json:"fingerprint"` // SHA256:…, as ssh-keygen -l shows it
	Type        string    `json:"type"`
	PublicKey   string    `json:"public_key"` // the authorized_keys line, without its comment
	Comment     string    `json:"comment"`
	Created     Timestamp `json:"created"`
}

// The keys' rules.
const (
	MaxSSHKeys       = 20       // per member
	MaxSSHKeyLen     = 16 << 10 // bytes of an authorized_keys line
	MinRSAKeyBits    = 2048
	maxSSHCommentLen = 200
)

// Key errors.
var (
	ErrKeyTaken    = &ConflictError{Msg: "This key is already added to an account"}
	ErrKeyNotFound = &NotFoundError{Msg: "Key not found"}
	ErrTooManyKeys = &RefusedError{Msg: "Too many keys: remove one first"}
)

// ParseSSHKey reads one authorized_keys line ("ssh-ed25519 AAAA… comment"),
// checking it is a key members may use.
func ParseSSHKey(line string) (ssh.PublicKey, string, error) {
	line = strings.TrimSpace(line)
	if len(line) > MaxSSHKeyLen {
		return nil, "", invalid("public_key", "value_error.any_str.max_length", "must be at most %d bytes", MaxSSHKeyLen)
	}
	key, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil || len(options) > 0 || strings.TrimSpace(string(rest)) != "" {
		return nil, "", invalid("public_key", "value_error.ssh_key", "must be one public key as in ~/.ssh/id_ed25519.pub (type, base64, comment)")
	}
	if ck, ok := key.(ssh.CryptoPublicKey); ok {
		if r, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && r.N.BitLen() < MinRSAKeyBits {
			return nil, "", invalid("public_key", "value_error.ssh_key", "an RSA key must have at least %d bits", MinRSAKeyBits)
		}
	}
	comment = Printable(strings.TrimSpace(comment))
	if len(comment) > maxSSHCommentLen {
		comment = comment[:maxSSHCommentLen]
	}
	return key, comment, nil
}

// Fingerprint is a key's SHA-256 fingerprint, the store's name for it.
func Fingerprint(key ssh.PublicKey) string { return ssh.FingerprintSHA256(key) }

// AddSSHKey attaches a public key (an authorized_keys line) to a member.
func (s *Store) AddSSHKey(ctx context.Context, userID int64, line string) (SSHKey, error) {
	return s.addSSHKey(ctx, userID, line)
}

// Proof is a member's recent proof of their password, which a stolen
// access token lacks: the password itself, or the time a password sign-in
// issued the credential they act with (zero when it came from a refresh).
type Proof struct {
	Password string
	SignedIn time.Time
}

// ProofWindow is how long a password sign-in proves the password, as
// GitHub's sudo mode.
const ProofWindow = 5 * time.Minute

// ErrNeedsPassword refuses an action a stolen token must not take.
var ErrNeedsPassword = &ForbiddenError{Msg: "This needs your password: send it as \"password\", or sign in with it again (within 5 minutes)"}

// prove checks a member's proof: the password, or a password sign-in of
// the last minutes.
func (s *Store) prove(ctx context.Context, userID int64, p Proof) error {
	if p.Password == "" {
		if !p.SignedIn.IsZero() && time.Since(p.SignedIn) <= ProofWindow {
			return nil
		}
		return ErrNeedsPassword
	}
	return s.verifyPassword(ctx, userID, p.Password)
}

// AddMemberSSHKey is a member adding a key to their own account: a key
// outlives a password change and a sign-out everywhere, so it takes a
// recent proof of the password (ErrNeedsPassword, ErrIncorrectPassword).
// The operator's AddSSHKey needs none.
func (s *Store) AddMemberSSHKey(ctx context.Context, userID int64, proof Proof, line string) (SSHKey, error) {
	if _, _, err := ParseSSHKey(line); err != nil {
		return SSHKey{}, err // a malformed key costs no hashing
	}
	if err := s.prove(ctx, userID, proof); err != nil {
		return SSHKey{}, err
	}
	return s.addSSHKey(ctx, userID, line)
}

func (s *Store) addSSHKey(ctx context.Context, userID int64, line string) (SSHKey, error) {
	key, comment, err := ParseSSHKey(line)
	if err != nil {
		return SSHKey{}, err
	}
	k := SSHKey{Fingerprint: Fingerprint(key), Type: key.Type(), Comment: comment, Created: Now(),
		PublicKey: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))}
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		if err := tx.userExists(ctx, userID); err != nil {
			return err
		}
		n, err := tx.db.NewSelect().Table("ssh_key").Where("user_id = ?", userID).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxSSHKeys {
			return ErrTooManyKeys
		}
		return tx.queryRow(ctx, []any{&k.ID}, `INSERT INTO ssh_key (user_id, fingerprint, public_key, comment, created) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			userID, k.Fingerprint, k.PublicKey, k.Comment, tx.timeArg(k.Created))
	})
	return k, err
}

// SSHKeys lists a member's keys, oldest first.
func (s *Store) SSHKeys(ctx context.Context, userID int64) ([]SSHKey, error) {
	if err := s.userExists(ctx, userID); err != nil {
		return nil, err
	}
	rows, done, err := s.rawQuery(ctx, `SELECT id, fingerprint, public_key, comment, created FROM ssh_key WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	keys := []SSHKey{}
	for rows.Next() {
		var k SSHKey
		if err := rows.Scan(&k.ID, &k.Fingerprint, &k.PublicKey, &k.Comment, &k.Created); err != nil {
			return nil, err
		}
		k.Type, _, _ = strings.Cut(k.PublicKey, " ")
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// RemoveSSHKey detaches one of a member's keys.
func (s *Store) RemoveSSHKey(ctx context.Context, userID, keyID int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM ssh_key WHERE id = ? AND user_id = ?`, keyID, userID)
	if n, _ := rowsAffected(res, err); err == nil && n == 0 {
		return ErrKeyNotFound
	}
	return err
}

// RemoveSSHKeys removes every key of a member, and says how many there were.
func (s *Store) RemoveSSHKeys(ctx context.Context, userID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM ssh_key WHERE user_id = ?`, userID)
	n, err := rowsAffected(res, err)
	return int(n), err
}

// HasSSHKey reports whether the key with fingerprint is still on userID's
// account.
func (s *Store) HasSSHKey(ctx context.Context, userID int64, fingerprint string) (bool, error) {
	var n int
	err := s.queryRow(ctx, []any{&n}, `SELECT count(*) FROM ssh_key WHERE user_id = ? AND fingerprint = ?`, userID, fingerprint)
	return n > 0, err
}

// UserBySSHKey finds the member a key belongs to (ErrUserNotFound when none).
func (s *Store) UserBySSHKey(ctx context.Context, key ssh.PublicKey) (User, error) {
	var id int64
	err := s.queryRow(ctx, []any{&id}, `SELECT user_id FROM ssh_key WHERE fingerprint = ?`, Fingerprint(key))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrUserNotFound
	}
	if err != nil {
		return User{}, err
	}
	u, err := s.UserByID(ctx, id)
	if err == nil {
		err = u.Status.mayAct()
	}
	return u, err
}
