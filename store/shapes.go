package store

import (
	"context"
	"database/sql"
)

// reader is whom a statement reads for: by id (0: nobody), or by the
// credential in a token, which the statement then checks itself: one round
// trip where the caller knows only what a token says.
type reader struct {
	id    int64
	cred  *Credential
	scope hideScope // what it hides (viewer.go)
	// noLiked: Post.Liked is not read (a front end that does not show it:
	// the probe per row was half the cost of a signed-in API list).
	noLiked bool
	// noWithheld: the withheld accounts are not hidden (live).
	noWithheld bool
	// std is the standing cache it reads by (standing.go); nil: the
	// statements ask the database who is withheld.
	std *standing
}

// unliked is r for a read that leaves Post.Liked false.
func (r reader) unliked() reader { r.noLiked = true; return r }

func (r reader) anonymous() bool { return r.id == 0 && r.cred == nil }

// likes reports whether r's likes are read (Post.Liked): a member's.
func (r reader) likes() bool { return !r.anonymous() && !r.seesAll() && !r.noLiked }

// sql is the reader's user id as an expression whose placeholders take args:
// for a credential, NULL unless its user is there and its token not revoked.
func (r reader) sql() string {
	if r.cred != nil {
		return `(SELECT m.id FROM "user" AS m WHERE ` + r.cred.match("m") + `)`
	}
	return "?"
}

func (r reader) args() []any {
	if r.cred != nil {
		return r.cred.args()
	}
	return []any{r.id}
}

// postSQL selects a post with its author's name, its counts and whether the
// viewer likes it (viewerArgs(viewer) are its first arguments); extra is one
// more column, or "". This and userSQL are the one definition of each shape
// the store reads.
//
// On PostgreSQL the author's name is a lookup per row, by primary key: a page
// is small, and a cached plan, not knowing how small, hashed the whole user
// table for a join. SQLite plans each statement afresh and does better with
// the join. The like stays an EXISTS, which PostgreSQL may answer from a
// hash of the viewer's likes: faster than a probe per row at the likes per
// user measured. Without a viewer (0: anonymous readers, most of the reads)
// nothing is looked up: the probe per row was a good part of a post's
// statement. (The figures are in the commits that made each choice.)
func (s *Store) postSQL(extra string, viewer reader) string {
	from, _ := viewer.postsFrom()
	if s.sql.Dialect == SQLite {
		return postColumns(extra, viewer, "u.username") + `FROM ` + from + ` JOIN "user" AS u ON u.id = p.user_id `
	}
	return postColumns(extra, viewer, authorLookup) + `FROM ` + from + ` `
}

// authorLookup is PostgreSQL's author name for a row p of post (see postSQL).
const authorLookup = `(SELECT u.username FROM "user" AS u WHERE u.id = p.user_id)`

// postColumns is postSQL's select list, up to its FROM, for a row p of post
// and the author's name given by author.
func postColumns(extra string, viewer reader, author string) string {
	if extra != "" {
		extra = ", " + extra
	}
	liked := `EXISTS (SELECT 1 FROM "like" AS l WHERE l.user_id = ` + viewer.sql() + ` AND l.post_id = p.id)`
	if !viewer.likes() {
		liked = "FALSE"
	}
	return `SELECT p.id, p.text, p.date, p.user_id, p.parent_id, ` + author + `, p.like_count, p.reply_count,
` + liked + extra + "\n"
}

// viewerArgs are the arguments postSQL(_, viewer) takes first: the
// like's, then what the viewer hides.
func viewerArgs(viewer reader) []any {
	_, hidden := viewer.postsFrom()
	return append(likedArgs(viewer), hidden...)
}

// likedArgs are the arguments of postColumns(_, viewer, _).
func likedArgs(viewer reader) []any {
	if !viewer.likes() {
		return nil
	}
	return viewer.args()
}

// queryPosts runs s.postSQL("", viewer) + rest.
func (s *Store) queryPosts(ctx context.Context, viewer reader, rest string, args ...any) ([]Post, error) {
	return s.queryPostsWith(ctx, "", nil, viewer, rest, args...)
}

// queryPostsWith also selects extra, scanned into what into(p) returns.
func (s *Store) queryPostsWith(ctx context.Context, extra string, into func(*Post) any, viewer reader, rest string, args ...any) ([]Post, error) {
	return s.scanPosts(ctx, into, s.postSQL(extra, viewer)+rest, append(viewerArgs(viewer), args...)...)
}

// scanPosts runs a statement whose columns are postColumns' (and into's).
func (s *Store) scanPosts(ctx context.Context, into func(*Post) any, query string, args ...any) ([]Post, error) {
	rows, done, err := s.rawQuery(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	posts := []Post{}
	for rows.Next() {
		var p Post
		var parent sql.NullInt64
		dest := []any{&p.ID, &p.Text, &p.Date, &p.UserID, &parent, &p.Username, &p.Likes, &p.ReplyCount, &p.Liked}
		if into != nil {
			dest = append(dest, into(&p))
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if parent.Valid {
			p.ParentID = &parent.Int64
		}
		posts = append(posts, p)
	}
	return posts, rows.Err()
}

// userSQL selects a public profile with its counts, as viewer sees the
// users, and its arguments (they come first); extra is one more column, or
// "". A mute hides posts, not people: a list of users hides by blocks.
func userSQL(extra string, viewer reader) (string, []any) {
	if extra != "" {
		extra = ", " + extra
	}
	if viewer.scope == hideListed { // hideSilenced stays: notifications' actors
		viewer = viewer.opened()
	}
	from, args := viewer.usersFrom()
	return `SELECT u.id, u.username, u.avatar, u.bio, u.email, u.follower_count, u.following_count, u.tokens_after, u.role, u.status, u.suspended_at, u.suspend_reason` + extra + ` FROM ` + from + ` `, args
}

// queryUsers runs userSQL(extra, viewer) + rest, scanning extra into what into(u) returns.
func (s *Store) queryUsers(ctx context.Context, viewer reader, extra string, into func(*User) any, rest string, args ...any) ([]User, error) {
	q, first := userSQL(extra, viewer)
	rows, done, err := s.rawQuery(ctx, q+rest, append(first, args...)...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	users := []User{}
	for rows.Next() {
		var u User
		var avatar, bio, reason sql.NullString
		var suspended Timestamp
		dest := []any{&u.ID, &u.Username, &avatar, &bio, &u.Email, &u.Followers, &u.Following, &u.TokensAfter, &u.Role, &u.Status, &suspended, &reason}
		if into != nil {
			if more, ok := into(&u).([]any); ok { // extra names several columns
				dest = append(dest, more...)
			} else {
				dest = append(dest, into(&u))
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if avatar.Valid {
			u.Avatar = &avatar.String
		}
		if bio.Valid {
			u.Bio = &bio.String
		}
		if !suspended.IsZero() {
			u.SuspendedAt = &suspended
		}
		u.SuspendReason = reason.String
		users = append(users, u)
	}
	return users, rows.Err()
}

// queryUser is queryUsers for one user: ErrUserNotFound when there is none.
func (s *Store) queryUser(ctx context.Context, viewer reader, extra string, into func(*User) any, rest string, args ...any) (User, error) {
	users, err := s.queryUsers(ctx, viewer, extra, into, rest, args...)
	if err != nil {
		return User{}, err
	}
	if len(users) == 0 {
		return User{}, ErrUserNotFound
	}
	return users[0], nil
}
