package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// NewUser is a registration.
type NewUser struct {
	Email    string
	Username string
	Password string
	Avatar   *string
	Bio      *string
	// Invite is the code a sign-up spends in invite mode.
	Invite string
}

// UserPatch changes a profile; nil fields stay, an empty avatar or bio clears it.
type UserPatch struct {
	Email  *string
	Avatar *string
	Bio    *string
}

// UserList selects users, oldest first.
type UserList struct {
	Prefix string // only usernames starting with this, ignoring case
	Cursor string
	Limit  int
	Viewer int64 // leaves out whom this member blocked or who blocked them
	// Role and Statuses narrow the list to a role and to standings (the
	// withheld ones show only to moderators and the operator: Accounts).
	Role     Role
	Statuses []Status
}

// emptyToNil stores "" as NULL.
func emptyToNil(p *string) *string {
	if p == nil || *p == "" {
		return nil
	}
	return p
}

// CreateUser validates and stores a new user with a bcrypt-hashed password:
// the operator's, whatever the registration mode.
func (s *Store) CreateUser(ctx context.Context, in NewUser) (User, error) {
	in, pw, err := s.prepareUser(in)
	if err != nil {
		return User{}, err
	}
	return s.insertUser(ctx, in, pw)
}

// prepareUser validates a registration and hashes its password.
func (s *Store) prepareUser(in NewUser) (NewUser, string, error) {
	in.Email = strings.TrimSpace(in.Email)
	in.Username = strings.TrimSpace(in.Username)
	if err := collect(
		s.rules.ValidEmail(in.Email),
		s.rules.ValidUsername(in.Username),
		s.rules.ValidPassword("password", in.Password),
		s.rules.ValidAvatar(in.Avatar),
		s.rules.ValidBio(in.Bio),
	); err != nil {
		return in, "", err
	}
	hash, err := HashPassword(in.Password, s.rules.BcryptCost)
	return in, hash, err
}

// insertUser stores a user whose password is already hashed.
func (s *Store) insertUser(ctx context.Context, in NewUser, hash string) (User, error) {
	row := &userRow{Email: in.Email, EmailKey: EmailKey(in.Email), Username: in.Username, Avatar: emptyToNil(in.Avatar), Bio: emptyToNil(in.Bio), Password: hash}
	if _, err := s.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return User{}, err
	}
	return User{ID: row.ID, Username: row.Username, Avatar: row.Avatar, Bio: row.Bio, Email: row.Email, Role: RoleMember, Status: StatusActive}, nil
}

// UserByName finds a user by username, ignoring case.
func (s *Store) UserByName(ctx context.Context, username string) (User, error) {
	if !plausibleName(username) {
		return User{}, ErrUserNotFound
	}
	return s.queryUser(ctx, everyone, "", nil, "WHERE "+nameMatch("u"), username)
}

// UserSeenBy is UserByName for a member looking (viewer; 0 for anyone):
// someone who blocked the viewer is not found, as if gone.
func (s *Store) UserSeenBy(ctx context.Context, username string, viewer int64) (User, error) {
	if !plausibleName(username) {
		return User{}, ErrUserNotFound
	}
	return s.queryUser(ctx, s.as(ctx, viewer).profile(), "", nil, "WHERE "+nameMatch("u"), username)
}

// UsernameTaken reports whether a user has this name (ignoring case), for
// a form that asks before it creates.
func (s *Store) UsernameTaken(ctx context.Context, username string) (bool, error) {
	var taken bool
	err := s.queryRow(ctx, []any{&taken}, `SELECT EXISTS (SELECT 1 FROM "user" AS u WHERE `+nameMatch("u")+`)`, username)
	return taken, err
}

// EmailTaken reports whether a user has this email, as the unique key
// compares them (EmailKey).
func (s *Store) EmailTaken(ctx context.Context, email string) (bool, error) {
	var taken bool
	err := s.queryRow(ctx, []any{&taken}, `SELECT EXISTS (SELECT 1 FROM "user" WHERE email_key = ?)`, EmailKey(email))
	return taken, err
}

// nameMatch is the condition for a username given as an argument: names
// are unique regardless of case (user_username_lower_key).
func nameMatch(alias string) string { return "lower(" + alias + ".username) = lower(?)" }

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return s.queryUser(ctx, everyone, "", nil, "WHERE u.id = ?", id)
}

// Profile is UserSeenBy plus the number of posts, for profile pages, and
// with a viewer how the viewer stands with them (User.Seen).
func (s *Store) Profile(ctx context.Context, username string, viewer int64) (User, error) {
	if !plausibleName(username) {
		return User{}, ErrUserNotFound
	}
	u, err := s.queryUser(ctx, s.as(ctx, viewer).profile(), "(SELECT count(*) FROM post AS p WHERE p.user_id = u.id)", func(u *User) any { return &u.Posts },
		"WHERE "+nameMatch("u"), username)
	if err != nil || viewer <= 0 {
		return u, err
	}
	rel, err := s.Relation(ctx, viewer, u.ID)
	u.Seen = &rel
	return u, err
}

// ListUsers lists users oldest first.
func (s *Store) ListUsers(ctx context.Context, opts UserList) (Page[User], error) {
	limit, err := checkLimit(opts.Limit)
	if err != nil {
		return Page[User]{}, err
	}
	after, err := parseIDCursor(opts.Cursor)
	if err != nil {
		return Page[User]{}, err
	}
	if !plausibleName(opts.Prefix) && opts.Prefix != "" {
		return Page[User]{Items: []User{}}, nil
	}
	where, args := "WHERE u.id > ?", []any{after}
	if opts.Prefix != "" {
		where += ` AND lower(u.username) LIKE ? ESCAPE '\'`
		args = append(args, likePrefix(strings.ToLower(opts.Prefix)))
	}
	if opts.Role != "" {
		where, args = where+" AND u.role = ?", append(args, string(opts.Role))
	}
	if len(opts.Statuses) > 0 {
		where += " AND u.status IN (" + marks(len(opts.Statuses)) + ")"
		for _, st := range opts.Statuses {
			args = append(args, string(st))
		}
	}
	users, err := s.queryUsers(ctx, s.as(ctx, opts.Viewer), "", nil, where+" ORDER BY u.id ASC LIMIT "+limitSQL(limit), args...)
	if err != nil {
		return Page[User]{}, err
	}
	return trim(users, limit, func(u User) string { return idCursor(u.ID) }), nil
}

// UpdateUser applies a patch and returns the updated user.
func (s *Store) UpdateUser(ctx context.Context, id int64, p UserPatch) (User, error) {
	var errs []*ValidationError
	if p.Email != nil {
		e := strings.TrimSpace(*p.Email)
		p.Email = &e
		errs = append(errs, s.rules.ValidEmail(e))
	}
	errs = append(errs, s.rules.ValidAvatar(p.Avatar), s.rules.ValidBio(p.Bio))
	if err := collect(errs...); err != nil {
		return User{}, err
	}
	q := s.db.NewUpdate().Model((*userRow)(nil)).Where("id = ?", id)
	set := 0
	if p.Email != nil {
		q.Set("email = ?, email_key = ?", *p.Email, EmailKey(*p.Email))
		set++
	}
	if p.Avatar != nil {
		q.Set("avatar = ?", emptyToNil(p.Avatar))
		set++
	}
	if p.Bio != nil {
		q.Set("bio = ?", emptyToNil(p.Bio))
		set++
	}
	if set > 0 {
		var res sql.Result
		var err error
		if res, err = q.Exec(ctx); err != nil {
			return User{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return User{}, ErrUserNotFound
		}
	}
	return s.UserByID(ctx, id)
}

// SetPassword replaces a user's password (operators; no current password
// needed) and revokes every token issued to the user so far.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	if err := s.rules.ValidPassword("password", password); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.rules.BcryptCost)
	if err != nil {
		return err
	}
	// A new password signs the user out everywhere (docs/API.md §2).
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		res, err := tx.db.NewUpdate().Model((*userRow)(nil)).Set("password = ?", hash).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrUserNotFound
		}
		return tx.signOut(ctx, id)
	})
}

// ChangePassword checks the current password before setting a new one.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string) error {
	if err := s.rules.ValidPassword("new_password", next); err != nil {
		return err
	}
	if err := s.verifyPassword(ctx, id, current); err != nil {
		return err
	}
	// Hashed in the lane that logins never queue behind.
	return hash(ctx, s.gate.otherLane, func() error { return s.SetPassword(ctx, id, next) })
}

// verifyPassword checks a member's password (ErrIncorrectPassword), hashed
// in the lane that logins never queue behind.
func (s *Store) verifyPassword(ctx context.Context, id int64, password string) error {
	var stored string
	err := s.db.NewSelect().Model((*userRow)(nil)).Column("password").Where("id = ?", id).Scan(ctx, &stored)
	if err != nil {
		return notFound(err, ErrUserNotFound)
	}
	return hash(ctx, s.gate.otherLane, func() error {
		if !checkPassword(stored, password) {
			return ErrIncorrectPassword
		}
		return nil
	})
}

// DeleteUser removes a user with their posts and the reply trees under them
// (at any depth, see deleteTrees), then their likes, follows and tokens by
// cascade.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		if err := tx.deleteTrees(ctx, "r.user_id = ?", id); err != nil {
			return err
		}
		res, err := tx.db.NewDelete().Model((*userRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrUserNotFound
		}
		return nil
	})
}

// notFound maps sql.ErrNoRows to want; other errors pass as they are.
func notFound(err error, want error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return want
	}
	return err
}

// plausibleName reports whether name could be a stored username; anything
// else (too long, NUL, invalid UTF-8) cannot match and never reaches SQL.
func plausibleName(name string) bool {
	return name != "" && len(name) <= 4*MaxUsernameLen && badText(name, false) == ""
}
