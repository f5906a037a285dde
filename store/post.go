package store

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
)

// PostList selects posts. By default: everyone's top-level posts, oldest first.
type PostList struct {
	AuthorID int64  // only this author's posts (0: everyone)
	Author   string // only this author's, by username; an unknown name gives an empty page
	Parent   int64  // only the direct replies of this post (with Replies)
	Replies  bool   // include replies
	Newest   bool   // newest first
	Cursor   string // continue after this cursor (Page.Next of the previous page)
	Limit    int
	Viewer   int64 // reads as this member: leaves out whom they hide
	Liked    bool  // with Viewer, fills Post.Liked (the TUI shows it)
}

// GetPost reads one post or reply, as viewer (0: anyone) may open it:
// a post of someone blocked either way is not found.
func (s *Store) GetPost(ctx context.Context, id, viewer int64) (Post, error) {
	posts, err := s.queryPosts(ctx, s.as(ctx, viewer).opened(), "WHERE p.id = ?", id)
	if err != nil {
		return Post{}, err
	}
	if len(posts) == 0 {
		return Post{}, ErrPostNotFound
	}
	return posts[0], nil
}

// DetailReplies is how many direct replies PostDetail carries at most; the
// rest are a page of Replies away (docs/API.md §3: no response grows without
// bound with the data).
const DetailReplies = 100

// PostDetail reads a post with its first DetailReplies direct replies,
// oldest first, in one statement: planning dominates a lookup this small, so
// one beats two. The two halves are a UNION ALL, each on its own index (an
// OR needed a bitmap of both and a sort); the rows are put in order here
// rather than by a sort in the statement. RepliesNext is the cursor of
// Replies after the last one carried, when more follow. The post is opened
// (GetPost); its replies are a list, which the viewer's mutes also filter.
func (s *Store) PostDetail(ctx context.Context, id, viewer int64) (PostDetail, error) {
	opened, list := s.as(ctx, viewer).opened().unliked(), s.as(ctx, viewer).unliked()
	args := append(append(append(viewerArgs(opened), id), viewerArgs(list)...), id)
	replies := s.postSQL("", list) + "WHERE p.parent_id = ? ORDER BY p.id LIMIT " + limitSQL(DetailReplies)
	if s.sql.Dialect == SQLite { // no parentheses around a member of a compound select
		replies = "SELECT * FROM (" + replies + ")"
	} else {
		replies = "(" + replies + ")"
	}
	rows, err := s.scanPosts(ctx, nil, s.postSQL("", opened)+"WHERE p.id = ? UNION ALL "+replies, args...)
	if err != nil {
		return PostDetail{}, err
	}
	root := slices.IndexFunc(rows, func(p Post) bool { return p.ID == id })
	if root < 0 {
		return PostDetail{}, ErrPostNotFound
	}
	d := PostDetail{Post: rows[root]}
	d.Replies = slices.Delete(rows, root, root+1)
	slices.SortFunc(d.Replies, func(a, b Post) int { return cmp.Compare(a.ID, b.ID) })
	page := trim(d.Replies, DetailReplies, func(p Post) string { return idCursor(p.ID) })
	d.Replies, d.RepliesNext = page.Items, page.Next
	return d, nil
}

// Replies lists a post's direct replies, oldest first; ErrPostNotFound when
// the post does not exist.
func (s *Store) Replies(ctx context.Context, postID, viewer int64, cursor string, limit int) (Page[Post], error) {
	if postID <= 0 { // no post has it, and a zero Parent lists every post
		return Page[Post]{}, ErrPostNotFound
	}
	page, err := s.ListPosts(ctx, PostList{Parent: postID, Replies: true, Cursor: cursor, Limit: limit, Viewer: viewer})
	hides, _ := s.as(ctx, viewer).opened().hides("p.user_id")
	switch {
	case err != nil:
	case hides != "TRUE": // the post may be one the viewer may not open
		err = s.postOpenTo(ctx, postID, viewer)
	case len(page.Items) == 0:
		err = s.postExists(ctx, postID)
	}
	return page, err
}

// Thread reads a post and its whole reply tree, depth first, each level
// oldest first. The post is opened (GetPost); a reply the viewer's list
// would hide is left out with the replies under it.
func (s *Store) Thread(ctx context.Context, id, viewer int64) ([]ThreadPost, error) {
	hides, args := s.as(ctx, viewer).hides("c.user_id")
	posts, err := s.queryPosts(ctx, s.as(ctx, viewer).opened(), `WHERE p.id IN (WITH RECURSIVE t(id) AS (
		SELECT id FROM post WHERE id = ?
		UNION ALL
		SELECT c.id FROM post AS c JOIN t ON c.parent_id = t.id WHERE `+hides+`
	) SELECT id FROM t) ORDER BY p.id ASC`, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(posts) == 0 || posts[0].ID != id {
		return nil, ErrPostNotFound
	}
	return depthFirst(posts), nil
}

// depthFirst orders a tree (rows sorted by id, root first) for drawing,
// with each post's depth below the root.
func depthFirst(rows []Post) []ThreadPost {
	children := map[int64][]int{}
	for i, r := range rows[1:] {
		if r.ParentID != nil {
			children[*r.ParentID] = append(children[*r.ParentID], i+1)
		}
	}
	out := make([]ThreadPost, 0, len(rows))
	var walk func(i, depth int)
	walk = func(i, depth int) {
		out = append(out, ThreadPost{Post: rows[i], Depth: depth})
		kids := children[rows[i].ID]
		sort.Ints(kids)
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	walk(0, 0)
	return out
}

// ListPosts lists posts, keyset-paginated by id.
func (s *Store) ListPosts(ctx context.Context, opts PostList) (Page[Post], error) {
	limit, err := checkLimit(opts.Limit)
	if err != nil {
		return Page[Post]{}, err
	}
	cursor, err := parseIDCursor(opts.Cursor)
	if err != nil {
		return Page[Post]{}, err
	}
	where, args := []string{"TRUE"}, []any{}
	switch {
	case opts.Author != "":
		// The author is found in the same statement (one round trip, not
		// two); an unknown name matches no post.
		if !plausibleName(opts.Author) {
			return Page[Post]{Items: []Post{}}, nil
		}
		where = append(where, `p.user_id = (SELECT a.id FROM "user" AS a WHERE `+nameMatch("a")+`)`)
		args = append(args, opts.Author)
	case opts.AuthorID != 0:
		where, args = append(where, "p.user_id = ?"), append(args, opts.AuthorID)
	}
	if opts.Parent != 0 {
		where, args = append(where, "p.parent_id = ?"), append(args, opts.Parent)
	}
	if !opts.Replies {
		where = append(where, "p.parent_id IS NULL")
	}
	q, args := keysetSQL(where, args, opts.Newest, cursor, limit)
	r := s.as(ctx, opts.Viewer)
	if !opts.Liked {
		r = r.unliked()
	}
	posts, err := s.queryPosts(ctx, r, q, args...)
	if err != nil {
		return Page[Post]{}, err
	}
	return trim(posts, limit, func(p Post) string { return idCursor(p.ID) }), nil
}

// keysetSQL finishes a post query: the conditions, the page's start after
// cursor (0: from the start) in id order, and one row more than the limit.
func keysetSQL(where []string, args []any, newest bool, cursor int64, limit int) (string, []any) {
	order := "ASC"
	switch {
	case newest && cursor > 0:
		where, args = append(where, "p.id < ?"), append(args, cursor)
		order = "DESC"
	case newest:
		order = "DESC"
	default:
		where, args = append(where, "p.id > ?"), append(args, cursor)
	}
	return "WHERE " + strings.Join(where, " AND ") + " ORDER BY p.id " + order + " LIMIT " + limitSQL(limit), args
}
