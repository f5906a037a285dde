package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// SeedOptions describe a demo dataset. The same Seed gives the same data.
type SeedOptions struct {
	Users    int   // new users
	Posts    int   // new posts (about 30% of them replies)
	Follows  int   // follows per new user
	Likes    int   // likes in all, by the new users
	Seed     int64 // random seed
	Password string
	Append   bool // allow a non-empty database
	// Progress, when set, is told how far each stage is.
	Progress func(stage string, done, total int64)
}

// SeedResult counts what Seed wrote.
type SeedResult struct {
	Users, Posts, Follows, Likes int64
}

var (
	seedFirst = strings.Fields(`ann bob cat dan eve fay gus hal ida jon kim lee max ned ola pam quinn rob sue tom uma vic wes xia yan zoe
		ada ben cleo dev eli finn gia hugo iris jack kai luna milo nora otto pia ravi sami tara ugo vera will yuki`)
	seedWords = strings.Fields(`the a small big new old good bad quiet loud morning evening coffee tea rain sun cloud river city town
		garden book film song code bug fix test deploy server database query index cache post reply like follow friend
		today tomorrow yesterday weekend holiday trip train bike walk run swim read write think learn teach build break
		really very quite just almost never always sometimes maybe perhaps definitely and or but so because while
		is was will be have had do did can could should would love hate enjoy miss want need see hear try find`)
	seedBios = []string{
		"Writes code, drinks coffee.", "Birdwatcher and amateur baker.", "Here for the replies.",
		"Opinions are my cat's.", "Learning Go one goroutine at a time.", "Runner, reader, occasional poster.",
		"Databases by day, music by night.", "Just passing through.",
	}
)

// seedGen makes the rows of a dataset; each table draws from its own stream
// so that the rows do not depend on the order tables are written in.
type seedGen struct {
	opt       SeedOptions
	firstUser int64 // id of the first new user
	firstPost int64 // id of the first new post
	allUsers  int64 // existing + new users, for follow targets
	step      time.Duration
	epoch     time.Time
	maxLen    int
}

func newSeedGen(opt SeedOptions, firstUser, firstPost int64, maxLen int) *seedGen {
	epoch := time.Now().UTC().Add(-365 * 24 * time.Hour).Truncate(time.Microsecond)
	step := time.Duration(0)
	if opt.Posts > 0 {
		step = 365 * 24 * time.Hour / time.Duration(opt.Posts+1)
	}
	return &seedGen{opt: opt, firstUser: firstUser, firstPost: firstPost, allUsers: firstUser - 1 + int64(opt.Users),
		step: step, epoch: epoch, maxLen: maxLen}
}

func (g *seedGen) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.opt.Seed), stream))
}

type seedUser struct {
	id              int64
	username, email string
	avatar, bio     *string
}

func (g *seedGen) users(emit func(seedUser) error) error {
	r := g.rng(1)
	for i := range int64(g.opt.Users) {
		id := g.firstUser + i
		name := fmt.Sprintf("%s%d", seedFirst[r.IntN(len(seedFirst))], id)
		u := seedUser{id: id, username: name, email: name + "@example.org"}
		if r.IntN(10) < 7 {
			bio := seedBios[r.IntN(len(seedBios))]
			u.bio = &bio
		}
		if r.IntN(2) == 0 {
			avatar := fmt.Sprintf("https://avatars.example.org/%d.png", id)
			u.avatar = &avatar
		}
		if err := emit(u); err != nil {
			return err
		}
	}
	return nil
}

type seedPost struct {
	id, userID int64
	parentID   *int64
	text       string
	date       time.Time
}

// popular picks a user: half the time from a Zipf law, so a few users are
// much busier and more followed than the rest.
func (g *seedGen) popular(r *rand.Rand, z *rand.Zipf) int64 {
	if g.opt.Users == 0 {
		return 0
	}
	if r.IntN(2) == 0 {
		return g.firstUser + int64(z.Uint64())
	}
	return g.firstUser + r.Int64N(int64(g.opt.Users))
}

func (g *seedGen) zipf(r *rand.Rand, n int) *rand.Zipf {
	return rand.NewZipf(r, 1.2, 1, uint64(max(n-1, 0)))
}

func (g *seedGen) postDate(i int64) time.Time {
	return g.epoch.Add(time.Duration(i+1) * g.step).Truncate(time.Microsecond)
}

func (g *seedGen) posts(emit func(seedPost) error) error {
	r := g.rng(2)
	z := g.zipf(r, g.opt.Users)
	var sb strings.Builder
	for i := range int64(g.opt.Posts) {
		p := seedPost{id: g.firstPost + i, userID: g.popular(r, z), date: g.postDate(i)}
		if i > 0 && r.IntN(10) < 3 { // a reply to one of the last thousand posts: chains form
			parent := p.id - 1 - r.Int64N(min(i, 1000))
			p.parentID = &parent
		}
		sb.Reset()
		words := 3 + r.IntN(40)
		for w := range words {
			if w > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(seedWords[r.IntN(len(seedWords))])
		}
		text := sb.String()
		if len(text) > g.maxLen {
			text = strings.TrimSpace(text[:g.maxLen])
		}
		p.text = text
		if err := emit(p); err != nil {
			return err
		}
	}
	return nil
}

type seedPair struct {
	a, b int64
	date time.Time
}

// follows: each new user follows opt.Follows distinct others, popular ones more often.
func (g *seedGen) follows(emit func(seedPair) error) error {
	r := g.rng(3)
	z := g.zipf(r, g.opt.Users)
	want := min(int64(g.opt.Follows), int64(g.opt.Users)-1)
	seen := map[int64]bool{}
	for i := range int64(g.opt.Users) {
		from := g.firstUser + i
		clear(seen)
		for tries := 0; int64(len(seen)) < want && tries < g.opt.Follows*20; tries++ {
			to := g.popular(r, z)
			if to == from || seen[to] {
				continue
			}
			seen[to] = true
			date := g.epoch.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Microsecond)
			if err := emit(seedPair{a: from, b: to, date: date}); err != nil {
				return err
			}
		}
	}
	return nil
}

// likes: opt.Likes in all, spread over the new users, each on distinct posts.
func (g *seedGen) likes(emit func(seedPair) error) error {
	if g.opt.Users == 0 || g.opt.Posts == 0 {
		return nil
	}
	r := g.rng(4)
	z := g.zipf(r, g.opt.Posts)
	per := int64(g.opt.Likes / g.opt.Users)
	extra := int64(g.opt.Likes % g.opt.Users)
	seen := map[int64]bool{}
	for i := range int64(g.opt.Users) {
		n := per
		if i < extra {
			n++
		}
		n = min(n, int64(g.opt.Posts))
		clear(seen)
		for tries := int64(0); int64(len(seen)) < n && tries < n*20; tries++ {
			var idx int64
			if r.IntN(2) == 0 { // recent posts are liked more
				idx = int64(g.opt.Posts) - 1 - int64(z.Uint64())
			} else {
				idx = r.Int64N(int64(g.opt.Posts))
			}
			if seen[idx] {
				continue
			}
			seen[idx] = true
			date := g.postDate(idx).Add(time.Duration(r.Int64N(int64(24 * time.Hour)))).Truncate(time.Microsecond)
			if err := emit(seedPair{a: g.firstUser + i, b: g.firstPost + idx, date: date}); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedTally holds the counters of the rows a dataset will write, computed
// before writing so the rows carry them and no trigger has to fire.
type seedTally struct {
	replies, likes []int32         // per new post, by index
	followers      map[int64]int32 // per user id (new or existing)
	following      []int32         // per new user, by index
}

func (g *seedGen) tally() (*seedTally, error) {
	t := &seedTally{
		replies:   make([]int32, g.opt.Posts),
		likes:     make([]int32, g.opt.Posts),
		followers: map[int64]int32{},
		following: make([]int32, g.opt.Users),
	}
	err := g.posts(func(p seedPost) error {
		if p.parentID != nil {
			t.replies[*p.parentID-g.firstPost]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := g.likes(func(l seedPair) error { t.likes[l.b-g.firstPost]++; return nil }); err != nil {
		return nil, err
	}
	err = g.follows(func(f seedPair) error {
		t.following[f.a-g.firstUser]++
		t.followers[f.b]++
		return nil
	})
	return t, err
}
