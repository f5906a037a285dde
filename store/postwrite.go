package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// CreatePost stores a post, or a reply when parentID is set, as the
// operator writes it for authorID: no limit holds. It is one statement (no
// transaction, one round trip): the insert selects its author (none: no
// post), the foreign keys check the parent, and it returns the author's name.
func (s *Store) CreatePost(ctx context.Context, authorID int64, text string, parentID *int64) (Post, error) {
	if err := s.mayAct(ctx, authorID); err != nil { // not even the operator writes as a withheld account
		return Post{}, err
	}
	return s.createPost(ctx, "u.id = ?", []any{authorID}, ErrUserNotFound, text, parentID)
}

// CreatePostAs is a member's own post (HTTP, SSH, the TUI), by the holder of
// a credential, whom the same statement finds and checks: a separate lookup
// would cost every post a second round trip. It takes its place in the post
// limit first (LimitError), and gives it back when nothing was written. A
// credential that no longer holds gives ErrNotSignedIn, and no post.
func (s *Store) CreatePostAs(ctx context.Context, c Credential, text string, parentID *int64) (Post, error) {
	if _, verr := s.rules.PostText(text); verr != nil {
		return Post{}, verr // a refused post takes no place
	}
	release, err := s.takePost(ctx, c)
	if err != nil {
		return Post{}, err
	}
	p, err := s.createPost(ctx, c.match("u"), c.args(), ErrNotSignedIn, text, parentID)
	if err != nil {
		release()
	}
	return p, err
}

// createPost inserts the post of the user matching who (a condition on u,
// whose placeholders take author); noAuthor is the error when none does. A
// reply, or a post that names someone, is written with its notifications:
// on PostgreSQL in the same statement, on SQLite (no INSERT in a WITH) in
// one transaction.
func (s *Store) createPost(ctx context.Context, who string, author []any, noAuthor error, text string, parentID *int64) (Post, error) {
	text, verr := s.rules.PostText(text)
	if verr != nil {
		return Post{}, verr
	}
	names := mentionedNames(text)
	if s.sql.Dialect == Postgres || (parentID == nil && len(names) == 0) {
		return s.insertPost(ctx, who, author, noAuthor, text, parentID, names)
	}
	var p Post
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		var err error
		if p, err = tx.insertPost(ctx, who, author, noAuthor, text, parentID, nil); err != nil {
			return err
		}
		return tx.notifyPost(ctx, p.ID, parentID != nil, names)
	})
	return p, err
}

// insertPost is createPost's statement; on PostgreSQL it also notifies
// the parent's author and names (mentionedNames' output).
func (s *Store) insertPost(ctx context.Context, who string, author []any, noAuthor error, text string, parentID *int64, names []string) (Post, error) {
	date := Now()
	p := Post{Text: text, Date: date, ParentID: parentID}
	const returning = `
RETURNING id, user_id, (SELECT u.username FROM "user" AS u WHERE u.id = post.user_id)`
	with, insert := "", `INSERT INTO post (text, date, user_id, parent_id) SELECT ?, ?, u.id, NULL FROM "user" AS u WHERE `+who
	args := append([]any{text, s.timeArg(date)}, author...)
	switch {
	case parentID != nil && s.sql.Dialect == Postgres:
		// The reply's counter trigger updates the parent. Taking that lock
		// first, rather than after the foreign key check's share lock, keeps
		// a concurrent delete of the parent from deadlocking with the reply
		// or missing it in its cascade (TestDeletingAThreadWhileRepliesArrive):
		// either the reply commits first and the cascade removes it, or the
		// parent is gone when the lock is granted and nothing is inserted.
		with = `WITH parent AS (SELECT id FROM post WHERE id = ? FOR NO KEY UPDATE)`
		insert = `INSERT INTO post (text, date, user_id, parent_id) SELECT ?, ?, u.id, parent.id FROM parent, "user" AS u WHERE ` + who +
			` AND ` + unblockedReply("parent.id") // no reply across a block, either way
		args = append([]any{*parentID}, args...)
	case parentID != nil:
		insert = `INSERT INTO post (text, date, user_id, parent_id) SELECT ?, ?, u.id, ? FROM "user" AS u WHERE ` + who + ` AND ` + unblockedReply("?")
		args = append(append([]any{text, s.timeArg(date), *parentID}, author...), *parentID, *parentID)
	}
	query := with + "\n" + insert + returning
	if s.sql.Dialect == Postgres && (parentID != nil || len(names) > 0) {
		// The notifications read the new row from the insert's CTE.
		with = strings.TrimPrefix(with+",", ",")
		if with == "" {
			with = "WITH"
		}
		query = with + ` np AS (` + insert + ` RETURNING id, user_id, parent_id, date)`
		if parentID != nil {
			query += `,
nr AS (` + replyNotifySQL("np", "") + `)`
		}
		if len(names) > 0 {
			query += `,
nm AS (` + mentionNotifySQL("np", "", len(names)) + `)`
			args = append(args, stringArgs(names)...)
		}
		query += `
SELECT np.id, np.user_id, (SELECT u.username FROM "user" AS u WHERE u.id = np.user_id) FROM np`
	}
	err := s.queryRow(ctx, []any{&p.ID, &p.UserID, &p.Username}, query, args...)
	// Nothing inserted (no such author, or the parent's lock found it gone)
	// or a foreign key failed meanwhile (SQLite does not say which): ask which.
	if errors.Is(err, sql.ErrNoRows) || isFKRace(err) {
		return Post{}, s.whyNoPost(ctx, who, author, noAuthor, parentID)
	}
	if err != nil {
		return Post{}, err
	}
	return p, nil
}

// whyNoPost names what a post could not be attached to: its author first,
// as the API checks the caller before anything else, then its parent.
func (s *Store) whyNoPost(ctx context.Context, who string, author []any, noAuthor error, parentID *int64) error {
	var n int
	err := s.queryRow(ctx, []any{&n}, `SELECT count(*) FROM "user" AS u WHERE `+who, author...)
	switch {
	case err != nil:
		return err
	case n == 0:
		return noAuthor
	case parentID != nil:
		var blocked bool
		err := s.queryRow(ctx, []any{&blocked}, `SELECT NOT `+unblockedReply("?")+` FROM "user" AS u WHERE `+who,
			append([]any{*parentID, *parentID}, author...)...)
		if err == nil && blocked {
			return ErrParentNotFound // as if it were gone (docs/API.md §3c)
		}
		switch err := s.postExists(ctx, *parentID); {
		case errors.Is(err, ErrPostNotFound):
			return ErrParentNotFound
		case err != nil:
			return err
		}
	}
	// Both are there now; the author was not when the insert ran.
	return noAuthor
}

// unblockedReply is the condition that no block stands between the author
// u and the author of the parent post given by parent (an expression), and
// that the parent's author is not withheld, unless u moderates: a reply
// goes only where its author may read.
func unblockedReply(parent string) string {
	return `NOT EXISTS (SELECT 1 FROM post AS pp JOIN block AS bk ON (bk.from_id = pp.user_id AND bk.to_id = u.id)
OR (bk.from_id = u.id AND bk.to_id = pp.user_id) WHERE pp.id = ` + parent + `)
AND (u.role <> 'member' OR NOT EXISTS (SELECT 1 FROM post AS pw JOIN "user" AS pu ON pu.id = pw.user_id WHERE pw.id = ` + parent + ` AND pu.status <> 'active'))`
}

// isFKRace recognises SQLite's anonymous foreign key failure.
func isFKRace(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) && nf.Msg == "Referenced row not found"
}

// UpdatePost changes a post's text; only its author (or an operator) may.
func (s *Store) UpdatePost(ctx context.Context, by Actor, id int64, text string) (Post, error) {
	text, verr := s.rules.PostText(text)
	if verr != nil {
		return Post{}, verr
	}
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		if err := tx.checkAuthor(ctx, by, id); err != nil {
			return err
		}
		_, err := tx.db.NewUpdate().Model((*postRow)(nil)).Set("text = ?", text).Where("id = ?", id).Exec(ctx)
		return err
	})
	if err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, id, by.UserID)
}

// DeletePost removes a post, its whole reply tree and their likes. Its
// author may; so may a moderator, an admin or the operator, whose deletion
// of another's post is a moderation action, in the audit log.
func (s *Store) DeletePost(ctx context.Context, by Actor, id int64) error {
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error { return tx.deletePost(ctx, by, id, "") })
}

// deletePost is DeletePost in a transaction; reason goes to the audit log.
func (s *Store) deletePost(ctx context.Context, by Actor, id int64, reason string) error {
	var (
		author     int64
		name, text string
	)
	err := s.queryRow(ctx, []any{&author, &name, &text}, `SELECT p.user_id, u.username, p.text FROM post AS p JOIN "user" AS u ON u.id = p.user_id WHERE p.id = ?`, id)
	if err != nil {
		return notFound(err, ErrPostNotFound)
	}
	if by.Operator || by.UserID != author {
		who, err := s.staff(ctx, by)
		if errors.Is(err, ErrNotAllowed) {
			return ErrNotAllowed
		}
		if err != nil {
			return err
		}
		if err := s.audit(ctx, who, AuditDeletePost, &id, postTarget(id, name, text), reason); err != nil {
			return err
		}
	}
	return s.deleteTrees(ctx, "r.id = ?", id)
}

// postTarget names a post in the audit log: its id, author and first words.
func postTarget(id int64, author, text string) string {
	if r := []rune(text); len(r) > 80 {
		text = string(r[:79]) + "…"
	}
	return "post " + strconv.FormatInt(id, 10) + " by " + author + ": " + text
}

func (s *Store) checkAuthor(ctx context.Context, by Actor, id int64) error {
	var author int64
	err := s.db.NewSelect().Model((*postRow)(nil)).Column("user_id").Where("id = ?", id).Scan(ctx, &author)
	if err != nil {
		return notFound(err, ErrPostNotFound)
	}
	if !by.mayChange(author) {
		return ErrNotAllowed
	}
	return nil
}
