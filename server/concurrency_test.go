package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// parallel runs n requests at once and returns their statuses.
func parallel(n int, fn func(i int) response) []int {
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = fn(i).status
		}()
	}
	close(start)
	wg.Wait()
	return statuses
}

func count(statuses []int, code int) int {
	n := 0
	for _, s := range statuses {
		if s == code {
			n++
		}
	}
	return n
}

func TestConcurrentLikesAndFollowsMakeOneRow(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		bob := a.register("bob")
		expect(t, "post", a.do("POST", "/post/", map[string]any{"text": "popular"}, bob), 201, "")
		likes := parallel(50, func(int) response { return a.do("POST", "/post/1/like/", nil, ann) })
		follows := parallel(50, func(int) response { return a.do("POST", "/user/follow/2/", nil, ann) })
		for name, st := range map[string][]int{"likes": likes, "follows": follows} {
			if count(st, 201) != 1 || count(st, 200) != 49 {
				t.Errorf("%s: %d created, %d already, all: %v", name, count(st, 201), count(st, 200), st)
			}
		}
		var n int
		a.st.DB().QueryRow(`SELECT count(*) FROM "like"`).Scan(&n)
		var p struct{ Likes int }
		a.do("GET", "/post/1/", nil, "").json(t, &p)
		var u struct{ Followers int }
		a.do("GET", "/user/bob/", nil, "").json(t, &u)
		if n != 1 || p.Likes != 1 || u.Followers != 1 {
			t.Fatalf("rows %d, likes %d, followers %d", n, p.Likes, u.Followers)
		}
	})
}

func TestConcurrentRegistrationsOfOneName(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		statuses := parallel(20, func(i int) response {
			name := "sam"
			if i%2 == 1 {
				name = "SAM"
			}
			if i%3 == 0 {
				name = "Sam"
			}
			return a.do("POST", "/user/", map[string]string{"email": fmt.Sprintf("sam%d@example.com", i), "username": name, "password": "password1"}, "")
		})
		if count(statuses, 201) != 1 || count(statuses, 409) != 19 {
			t.Fatalf("statuses %v", statuses)
		}
		var n int
		a.st.DB().QueryRow(`SELECT count(*) FROM "user"`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d users", n)
		}
	})
}

func TestManyConcurrentWritersLoseNothing(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		var tokens []string
		for i := range 10 {
			tokens = append(tokens, a.register(fmt.Sprintf("w%d", i)))
		}
		var mu sync.Mutex
		var bodies []string
		statuses := parallel(200, func(i int) response {
			r := a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("writer %d", i)}, tokens[i%10])
			mu.Lock()
			bodies = append(bodies, string(r.body))
			mu.Unlock()
			return r
		})
		if count(statuses, 201) != 200 {
			for _, b := range bodies {
				if !strings.Contains(b, `"id"`) {
					t.Log(b)
					break
				}
			}
			t.Fatalf("%d of 200 created: %v", count(statuses, 201), statuses)
		}
		var n int
		a.st.DB().QueryRow(`SELECT count(*) FROM post`).Scan(&n)
		if n != 200 {
			t.Fatalf("201s: 200, posts stored: %d", n)
		}
	})
}

func TestDeletingAThreadWhileRepliesArrive(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		bob := a.register("bob")
		for round := range 5 {
			r := a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("thread %d", round)}, ann)
			var root struct{ ID int64 }
			r.json(t, &root)
			statuses := parallel(21, func(i int) response {
				if i == 10 {
					return a.do("DELETE", fmt.Sprintf("/post/%d/", root.ID), nil, ann)
				}
				return a.do("POST", "/post/", map[string]any{"text": "reply", "parent_id": root.ID}, bob)
			})
			for _, s := range statuses {
				if s != 201 && s != 204 && s != 404 {
					t.Fatalf("round %d: status %d in %v", round, s, statuses)
				}
			}
		}
		var orphans int
		a.st.DB().QueryRow(`SELECT count(*) FROM post p WHERE parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM post q WHERE q.id = p.parent_id)`).Scan(&orphans)
		var left int
		a.st.DB().QueryRow(`SELECT count(*) FROM post`).Scan(&left)
		if orphans != 0 || left != 0 {
			t.Fatalf("%d orphans, %d posts left (every thread was deleted)", orphans, left)
		}
	})
}

// TestDeletingWhileLikesAndFollowsArrive deletes a liked post, and a
// followed user, while likes and follows of them arrive: every answer is a
// success or a 404 (no deadlock answered 500), and nothing is left pointing
// at what was deleted.
func TestDeletingWhileLikesAndFollowsArrive(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		var fans []string
		for i := range 12 {
			fans = append(fans, a.register(fmt.Sprintf("fan%d", i)))
		}
		for round := range 4 {
			r := a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("liked %d", round)}, ann)
			var p struct{ ID int64 }
			r.json(t, &p)
			statuses := parallel(13, func(i int) response {
				if i == 6 {
					return a.do("DELETE", fmt.Sprintf("/post/%d/", p.ID), nil, ann)
				}
				return a.do("POST", fmt.Sprintf("/post/%d/like/", p.ID), nil, fans[i%12])
			})
			for _, s := range statuses {
				if s != 200 && s != 201 && s != 204 && s != 404 { // 200: fan0 likes twice
					t.Fatalf("likes, round %d: status %d in %v", round, s, statuses)
				}
			}
		}
		for round := range 4 {
			name := fmt.Sprintf("star%d", round)
			a.register(name)
			star, err := a.st.UserByName(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			statuses := parallel(13, func(i int) response {
				if i == 6 { // an operator's `pamps user delete`
					if err := a.st.DeleteUser(context.Background(), star.ID); err != nil {
						return response{status: 500, body: []byte(err.Error())}
					}
					return response{status: 204}
				}
				return a.do("POST", fmt.Sprintf("/user/follow/%d/", star.ID), nil, fans[i%12])
			})
			for _, s := range statuses {
				if s != 200 && s != 201 && s != 204 && s != 404 {
					t.Fatalf("follows, round %d: status %d in %v", round, s, statuses)
				}
			}
		}
		for _, q := range []string{
			`SELECT count(*) FROM "like" l WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.id = l.post_id)`,
			`SELECT count(*) FROM follow f WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = f.to_id)`,
			`SELECT count(*) FROM "like"`,
		} {
			var n int
			a.st.DB().QueryRow(q).Scan(&n)
			if n != 0 {
				t.Errorf("%d rows: %s", n, q)
			}
		}
	})
}
