// Package demodata makes the rows of a demo dataset for `pamps seed`:
// users, posts and replies, follows and likes, the same for the same seed.
// It knows nothing of databases; package seed writes what it makes.
package demodata

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Options size a dataset.
type Options struct {
	Users   int   // new users
	Posts   int   // new posts (about 30% of them replies)
	Follows int   // follows per new user
	Likes   int   // likes in all, by the new users
	Seed    int64 // random seed
}

var (
	firstNames = strings.Fields(`ann bob cat dan eve fay gus hal ida jon kim lee max ned ola pam quinn rob sue tom uma vic wes xia yan zoe
		ada ben cleo dev eli finn gia hugo iris jack kai luna milo nora otto pia ravi sami tara ugo vera will yuki`)
	words = strings.Fields(`the a small big new old good bad quiet loud morning evening coffee tea rain sun cloud river city town
		garden book film song code bug fix test deploy server database query index cache post reply like follow friend
		today tomorrow yesterday weekend holiday trip train bike walk run swim read write think learn teach build break
		really very quite just almost never always sometimes maybe perhaps definitely and or but so because while
		is was will be have had do did can could should would love hate enjoy miss want need see hear try find`)
	// rareWords are each in a thousandth of the posts (bench/search.sh).
	rareWords = strings.Fields(`aurora basalt cobalt dolmen ember fjord glacier harbor isthmus juniper`)
	bios      = []string{
		"Writes code, drinks coffee.", "Birdwatcher and amateur baker.", "Here for the replies.",
		"Opinions are my cat's.", "Learning Go one goroutine at a time.", "Runner, reader, occasional poster.",
		"Databases by day, music by night.", "Just passing through.",
	}
)

// Gen makes the rows of a dataset; each table draws from its own stream
// so that the rows do not depend on the order tables are written in.
type Gen struct {
	Opt       Options
	FirstUser int64 // id of the first new user
	FirstPost int64 // id of the first new post
	allUsers  int64 // existing + new users, for follow targets
	step      time.Duration
	epoch     time.Time
	maxLen    int
}

func New(opt Options, firstUser, firstPost int64, maxLen int) *Gen {
	epoch := time.Now().UTC().Add(-365 * 24 * time.Hour).Truncate(time.Microsecond)
	step := time.Duration(0)
	if opt.Posts > 0 {
		step = 365 * 24 * time.Hour / time.Duration(opt.Posts+1)
	}
	return &Gen{Opt: opt, FirstUser: firstUser, FirstPost: firstPost, allUsers: firstUser - 1 + int64(opt.Users),
		step: step, epoch: epoch, maxLen: maxLen}
}

func (g *Gen) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.Opt.Seed), stream))
}

// User is a demo user.
type User struct {
	ID              int64
	Username, Email string
	Avatar, Bio     *string
}

func (g *Gen) Users(emit func(User) error) error {
	r := g.rng(1)
	for i := range int64(g.Opt.Users) {
		id := g.FirstUser + i
		name := fmt.Sprintf("%s%d", firstNames[r.IntN(len(firstNames))], id)
		u := User{ID: id, Username: name, Email: name + "@example.org"}
		if r.IntN(10) < 7 {
			bio := bios[r.IntN(len(bios))]
			u.Bio = &bio
		}
		if r.IntN(2) == 0 {
			avatar := fmt.Sprintf("https://avatars.example.org/%d.png", id)
			u.Avatar = &avatar
		}
		if err := emit(u); err != nil {
			return err
		}
	}
	return nil
}

// Post is a demo post or reply.
type Post struct {
	ID, UserID int64
	ParentID   *int64
	Text       string
	Date       time.Time
}

// popular picks a user: half the time from a Zipf law, so a few users are
// much busier and more followed than the rest.
func (g *Gen) popular(r *rand.Rand, z *rand.Zipf) int64 {
	if g.Opt.Users == 0 {
		return 0
	}
	if r.IntN(2) == 0 {
		return g.FirstUser + int64(z.Uint64())
	}
	return g.FirstUser + r.Int64N(int64(g.Opt.Users))
}

func (g *Gen) zipf(r *rand.Rand, n int) *rand.Zipf {
	return rand.NewZipf(r, 1.2, 1, uint64(max(n-1, 0)))
}

func (g *Gen) PostDate(i int64) time.Time {
	return g.epoch.Add(time.Duration(i+1) * g.step).Truncate(time.Microsecond)
}

func (g *Gen) Posts(emit func(Post) error) error {
	r := g.rng(2)
	z := g.zipf(r, g.Opt.Users)
	marks := g.rng(9) // its own stream: the rest of the data is as before
	var sb strings.Builder
	for i := range int64(g.Opt.Posts) {
		p := Post{ID: g.FirstPost + i, UserID: g.popular(r, z), Date: g.PostDate(i)}
		if i > 0 && r.IntN(10) < 3 { // a reply to one of the last thousand posts: chains form
			parent := p.ID - 1 - r.Int64N(min(i, 1000))
			p.ParentID = &parent
		}
		sb.Reset()
		// Words of known frequency, for measuring search: "pamps" in a
		// fifth of the posts, each of rareWords in a thousandth.
		if marks.IntN(5) == 0 {
			sb.WriteString("pamps ")
		}
		if marks.IntN(100) == 0 {
			sb.WriteString(rareWords[marks.IntN(len(rareWords))] + " ")
		}
		n := 3 + r.IntN(40)
		for w := range n {
			if w > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[r.IntN(len(words))])
		}
		text := sb.String()
		if len(text) > g.maxLen {
			text = strings.TrimSpace(text[:g.maxLen])
		}
		p.Text = text
		if err := emit(p); err != nil {
			return err
		}
	}
	return nil
}

// Pair is a follow (A follows B) or a like (user A likes post B).
type Pair struct {
	A, B int64
	Date time.Time
}

// follows: each new user follows opt.Follows distinct others, popular ones more often.
func (g *Gen) Follows(emit func(Pair) error) error {
	r := g.rng(3)
	z := g.zipf(r, g.Opt.Users)
	want := min(int64(g.Opt.Follows), int64(g.Opt.Users)-1)
	seen := map[int64]bool{}
	for i := range int64(g.Opt.Users) {
		from := g.FirstUser + i
		clear(seen)
		for tries := 0; int64(len(seen)) < want && tries < g.Opt.Follows*20; tries++ {
			to := g.popular(r, z)
			if to == from || seen[to] {
				continue
			}
			seen[to] = true
			date := g.epoch.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Microsecond)
			if err := emit(Pair{A: from, B: to, Date: date}); err != nil {
				return err
			}
		}
	}
	return nil
}

// likes: opt.Likes in all, spread over the new users, each on distinct posts.
func (g *Gen) Likes(emit func(Pair) error) error {
	if g.Opt.Users == 0 || g.Opt.Posts == 0 {
		return nil
	}
	r := g.rng(4)
	z := g.zipf(r, g.Opt.Posts)
	per := int64(g.Opt.Likes / g.Opt.Users)
	extra := int64(g.Opt.Likes % g.Opt.Users)
	seen := map[int64]bool{}
	for i := range int64(g.Opt.Users) {
		n := per
		if i < extra {
			n++
		}
		n = min(n, int64(g.Opt.Posts))
		clear(seen)
		for tries := int64(0); int64(len(seen)) < n && tries < n*20; tries++ {
			var idx int64
			if r.IntN(2) == 0 { // recent posts are liked more
				idx = int64(g.Opt.Posts) - 1 - int64(z.Uint64())
			} else {
				idx = r.Int64N(int64(g.Opt.Posts))
			}
			if seen[idx] {
				continue
			}
			seen[idx] = true
			// Within a day of the post, and never after the set's now.
			posted := g.PostDate(idx)
			window := max(min(24*time.Hour, g.epoch.Add(365*24*time.Hour).Sub(posted)), time.Microsecond)
			date := posted.Add(time.Duration(r.Int64N(int64(window)))).Truncate(time.Microsecond)
			if err := emit(Pair{A: g.FirstUser + i, B: g.FirstPost + idx, Date: date}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Tally holds the counters of the rows a dataset will write, computed
// before writing so the rows carry them and no trigger has to fire.
type Tally struct {
	Replies, Likes []int32         // per new post, by index
	Followers      map[int64]int32 // per user id (new or existing)
	Following      []int32         // per new user, by index
}

func (g *Gen) Tally() (*Tally, error) {
	t := &Tally{
		Replies:   make([]int32, g.Opt.Posts),
		Likes:     make([]int32, g.Opt.Posts),
		Followers: map[int64]int32{},
		Following: make([]int32, g.Opt.Users),
	}
	err := g.Posts(func(p Post) error {
		if p.ParentID != nil {
			t.Replies[*p.ParentID-g.FirstPost]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := g.Likes(func(l Pair) error { t.Likes[l.B-g.FirstPost]++; return nil }); err != nil {
		return nil, err
	}
	err = g.Follows(func(f Pair) error {
		t.Following[f.A-g.FirstUser]++
		t.Followers[f.B]++
		return nil
	})
	return t, err
}
