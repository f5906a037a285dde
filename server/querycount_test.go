package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
	"github.com/pamps/pamps/store/storetest"
	"github.com/uptrace/bun"
)

// TestFixedStatementsPerRequest: each request runs the same number of SQL
// statements whatever the page size (no N+1), on both databases.
func TestFixedStatementsPerRequest(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		rec := &storetest.Recorder{}
		st := storetest.Migrated(t, uri, store.Options{Hooks: []bun.QueryHook{rec}})
		a := newAPI(t, st)
		ann := a.register("ann")
		if _, err := seed.Run(ctx, st, seed.Options{Users: 40, Posts: 300, Follows: 10, Likes: 400, Seed: 3, Password: "password1", Append: true}); err != nil {
			t.Fatal(err)
		}
		for id := 2; id <= 12; id++ {
			a.do("POST", fmt.Sprintf("/user/follow/%d/", id), nil, ann)
			a.do("POST", fmt.Sprintf("/post/%d/like/", id), nil, ann)
		}
		var busy string // the user with the most posts
		st.DB().QueryRow(`SELECT u.username FROM "user" u JOIN post p ON p.user_id = u.id GROUP BY u.username ORDER BY count(*) DESC LIMIT 1`).Scan(&busy)
		paths := []string{
			"/post/?limit=%d", "/post/user/" + busy + "/?include_replies=true&limit=%d", "/user/?limit=%d",
			"/user/" + busy + "/followers/?limit=%d", "/user/ann/following/?limit=%d", "/post/likes/ann/?limit=%d",
			"/user/timeline/?include_replies=1&limit=%d",
		}
		for _, p := range paths {
			var counts []int
			for _, limit := range []int{2, 50} {
				rec.Reset()
				r := a.do("GET", fmt.Sprintf(p, limit), nil, ann)
				if r.status != 200 {
					t.Fatalf("%s: %d %s", p, r.status, r.body)
				}
				counts = append(counts, len(rec.Queries()))
			}
			if counts[0] != counts[1] {
				t.Errorf("%s: %d statements for 2 items, %d for 50", p, counts[0], counts[1])
			}
			t.Logf("%-50s %d statements", p, counts[0])
		}
		rec.Reset()
		a.do("GET", "/post/1/", nil, "")
		if n := len(rec.Queries()); n != 1 {
			t.Errorf("GET /post/{id}/: %d statements, want 1 (the post with its replies)", n)
		}
		// A full timeline page finds its reader in the same statement (a
		// page the walk leaves short takes the fan too: two statements).
		rec.Reset()
		if r := a.do("GET", "/user/timeline/?include_replies=1", nil, ann); r.status != 200 || r.body[1] != '{' {
			t.Fatalf("timeline: %d %s", r.status, r.body)
		}
		if n := len(rec.Queries()); n != 1 {
			t.Errorf("GET /user/timeline/: %d statements, want 1: %q", n, rec.Queries())
		}
		// Writing a post finds its author in the insert, and notifies in
		// it (a reply, names): one round trip. SQLite, which has no INSERT
		// in a WITH, notifies in a statement of its own for each kind, in
		// the post's transaction: in process, no round trip.
		for _, w := range []struct {
			body        map[string]any
			sqliteCount int
		}{
			{map[string]any{"text": "one more"}, 1},
			{map[string]any{"text": "a reply", "parent_id": 1}, 2},
			{map[string]any{"text": "a reply to @hal2 and @hal3", "parent_id": 1}, 3},
		} {
			want := 1
			if st.Dialect() == store.SQLite {
				want = w.sqliteCount
			}
			rec.Reset()
			if r := a.do("POST", "/post/", w.body, ann); r.status != 201 {
				t.Fatalf("POST /post/ %v: %d %s", w.body, r.status, r.body)
			}
			if n := len(rec.Queries()); n != want {
				t.Errorf("POST /post/ %v: %d statements, want %d: %q", w.body, n, want, rec.Queries())
			}
		}
		// A like and a follow notify in the statement that inserts them
		// on PostgreSQL; SQLite takes a second, in the same transaction.
		for _, path := range []string{"/post/20/like/", "/user/follow/20/"} {
			rec.Reset()
			a.do("POST", path, nil, ann)
			q := rec.Queries()
			last := q[len(q)-1]
			if st.Dialect() == store.SQLite {
				last = q[len(q)-2] + q[len(q)-1]
			}
			if !strings.Contains(last, "INSERT INTO notification") || !strings.Contains(last, "ON CONFLICT DO NOTHING") {
				t.Errorf("POST %s: not notified with its insert: %q", path, q)
			}
		}
	})
}
