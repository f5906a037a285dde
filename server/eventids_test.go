package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// eventPlace parses an SSE id, "position" or "position.rank".
func eventPlace(t *testing.T, id string) (pos int64, rank int64) {
	t.Helper()
	p, r, dotted := strings.Cut(id, ".")
	pos, err := strconv.ParseInt(p, 10, 64)
	if err == nil && dotted {
		rank, err = strconv.ParseInt(r, 10, 64)
	}
	if err != nil {
		t.Fatalf("event id %q: %v", id, err)
	}
	return pos, rank
}

// TestEveryEventHasItsOwnID: a post.counts event reused the id of the event
// before it (and two of one flush shared one), so a client that resumed
// from that id never got the count. Every event's id is now its own and
// grows; a client whose last event came before the flush gets the counts
// it missed when it resumes.
func TestEveryEventHasItsOwnID(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	eachAPI(t, func(t *testing.T, a *api) {
		ann := storetest.MustUser(t, a.st, "ann")
		bob := storetest.MustUser(t, a.st, "bob")
		p := storetest.MustPost(t, a.st, ann.ID, "p", 0)
		q := storetest.MustPost(t, a.st, ann.ID, "q", 0)
		s := a.stream("/stream/public/", "")
		s.line()
		// Two posts liked within one flush: two counts events, two ids.
		for _, id := range []int64{p.ID, q.ID} {
			if _, _, err := a.st.Like(ctx, bob.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		last := storetest.MustPost(t, a.st, ann.ID, "after the likes", 0)
		seen := map[string]bool{}
		var prevPos, prevRank int64 = -1, 0
		counted, lastPos := 0, ""
		for counted < 2 || lastPos == "" {
			e := s.next()
			if e.name == "post" && strings.Contains(e.data, `"id":`+strconv.FormatInt(last.ID, 10)+",") {
				lastPos = e.id
			}
			pos, rank := eventPlace(t, e.id)
			if seen[e.id] || pos < prevPos || (pos == prevPos && rank <= prevRank) {
				t.Fatalf("event %s %s: id %s after %d.%d", e.name, e.data, e.id, prevPos, prevRank)
			}
			seen[e.id], prevPos, prevRank = true, pos, rank
			if e.name == "post.counts" {
				counted++
			}
		}

		// A client that saw the post after a like, and left before the
		// counts came, gets them when it resumes from that post's id.
		if _, _, err := a.st.Like(ctx, ann.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		after := storetest.MustPost(t, a.st, bob.ID, "after the like", 0)
		s2 := a.stream("/stream/public/", "", "Last-Event-ID", lastPos)
		var postID string
		for {
			e := s2.next("post.counts")
			if e.name == "post" && strings.Contains(e.data, `"id":`+strconv.FormatInt(after.ID, 10)+",") {
				postID = e.id
				break
			}
		}
		s2.cancel()
		r := a.stream("/stream/public/", "", "Last-Event-ID", postID)
		for {
			e := r.next()
			if e.name == "post.counts" && strings.Contains(e.data, `"id":`+strconv.FormatInt(p.ID, 10)+",") {
				if !strings.Contains(e.data, `"likes":2`) {
					t.Fatalf("the counts after a resume: %s", e.data)
				}
				if pos, rank := eventPlace(t, e.id); strconv.FormatInt(pos, 10) != postID || rank < 1 {
					t.Fatalf("the caught-up counts' id %s after %s", e.id, postID)
				}
				return
			}
		}
	})
}
