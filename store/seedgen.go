package store

import "github.com/pamps/pamps/store/demodata"

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

// seedGen is a dataset's generator (demodata) with the options it was made from.
type seedGen struct {
	*demodata.Gen
	opt SeedOptions
}

func newSeedGen(opt SeedOptions, firstUser, firstPost int64, maxLen int) *seedGen {
	o := demodata.Options{Users: opt.Users, Posts: opt.Posts, Follows: opt.Follows, Likes: opt.Likes, Seed: opt.Seed}
	return &seedGen{Gen: demodata.New(o, firstUser, firstPost, maxLen), opt: opt}
}
