package store

import "github.com/uptrace/bun"

// User is the public profile; JSON field names are the API's. (It is read
// by hand, in userSQL's column order, not as a bun model.)
type User struct {
	ID        int64   `json:"id"`
	Username  string  `json:"username"`
	Avatar    *string `json:"avatar"`
	Bio       *string `json:"bio"`
	Followers int64   `json:"followers"`
	Following int64   `json:"following"`
	// Posts counts the user's posts and replies; only profile reads fill it.
	Posts int64  `json:"-"`
	Email string `json:"-"`
	// Since is when the follow behind a followers/following entry was made.
	Since Timestamp `json:"-"`
	// TokensAfter is the Unix millisecond before which the user's tokens
	// are refused (their last password change or sign-out everywhere).
	TokensAfter int64 `json:"-"`
	// Seen is how the member looking stands with this user, when a
	// profile is read for one (Profile).
	Seen *Relation `json:"-"`
	// Role and Status are the account's standing (moderation.go).
	Role   Role   `json:"-"`
	Status Status `json:"-"`
	// SuspendedAt and SuspendReason say when and why, while suspended.
	SuspendedAt   *Timestamp `json:"-"`
	SuspendReason string     `json:"-"`
}

// Relation is how one member stands with another.
type Relation struct {
	Following  bool `json:"following"`   // the viewer follows them
	FollowedBy bool `json:"followed_by"` // they follow the viewer
	Blocked    bool `json:"blocked"`     // the viewer blocked them
	Muted      bool `json:"muted"`       // the viewer muted them
}

// Me is the signed-in user's own view: the profile plus the email.
type Me struct {
	User
	Email string `json:"email"`
	Role  Role   `json:"role"`
}

// AsMe returns the owner's view of u.
func (u User) AsMe() Me { return Me{User: u, Email: u.Email, Role: u.Role} }

// Account is what moderators see of a user: the profile and its standing.
type Account struct {
	User
	Role          Role       `json:"role"`
	Status        Status     `json:"status"`
	SuspendedAt   *Timestamp `json:"suspended_at"`
	SuspendReason *string    `json:"suspend_reason"`
}

// AsAccount returns the moderators' view of u.
func (u User) AsAccount() Account {
	a := Account{User: u, Role: u.Role, Status: u.Status, SuspendedAt: u.SuspendedAt}
	if u.Status == StatusSuspended {
		a.SuspendReason = &u.SuspendReason
	}
	return a
}

// Profile is what an operator sees of a user (`pamps user show -o json`):
// Me plus the number of posts. It is in the API's document as a component,
// though no route answers it.
type Profile struct {
	Me
	Posts int64 `json:"posts"`
	// Status is the account's standing (active, pending, suspended).
	Status Status `json:"status"`
	// Blocks and Mutes name whom the user blocked and muted, most recent
	// first (the first page of Blocks and Mutes).
	Blocks []string `json:"blocks"`
	Mutes  []string `json:"mutes"`
}

// AsProfile returns the operator's view of u (Profile reads fill Posts;
// the caller fills Blocks and Mutes).
func (u User) AsProfile() Profile {
	return Profile{Me: u.AsMe(), Posts: u.Posts, Status: u.Status, Blocks: []string{}, Mutes: []string{}}
}

// userRow is the stored user, password hash included; it never leaves the store.
type userRow struct {
	bun.BaseModel `bun:"table:user,alias:u"`

	ID       int64   `bun:"id,pk,autoincrement"`
	Email    string  `bun:"email"`
	EmailKey string  `bun:"email_key"`
	Username string  `bun:"username"`
	Avatar   *string `bun:"avatar"`
	Bio      *string `bun:"bio"`
	Password string  `bun:"password"`
}

// Post is a post or a reply (ParentID set), with its author and counts;
// read by hand in postColumns' order, not as a bun model.
type Post struct {
	ID         int64     `json:"id"`
	Text       string    `json:"text"`
	Date       Timestamp `json:"date"`
	UserID     int64     `json:"user_id"`
	ParentID   *int64    `json:"parent_id"`
	Username   string    `json:"username"`
	Likes      int64     `json:"likes"`
	ReplyCount int64     `json:"reply_count"`
	// Liked says whether the viewer of a list likes this post.
	Liked bool `json:"-"`
	// Since is when the viewer liked it, in a list of liked posts.
	Since Timestamp `json:"-"`
}

// PostDetail is a post with its direct replies, oldest first.
type PostDetail struct {
	Post
	Replies []Post `json:"replies"`
	// RepliesNext is the Replies cursor after the last reply carried, when
	// the post has more than DetailReplies.
	RepliesNext string `json:"-"`
}

// ThreadPost is one post in a reply tree, with its depth below the root.
type ThreadPost struct {
	Post
	Depth int `json:"depth"`
}

// postRow is the stored post.
type postRow struct {
	bun.BaseModel `bun:"table:post,alias:p"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Text     string    `bun:"text"`
	Date     Timestamp `bun:"date"`
	UserID   int64     `bun:"user_id"`
	ParentID *int64    `bun:"parent_id"`
}

// Follow says FromID follows ToID since Date.
type Follow struct {
	bun.BaseModel `bun:"table:follow,alias:f" json:"-"`

	FromID int64     `bun:"from_id,pk" json:"from_id"`
	ToID   int64     `bun:"to_id,pk" json:"to_id"`
	Date   Timestamp `bun:"date" json:"date"`
}

// Like says UserID likes PostID since Date.
type Like struct {
	bun.BaseModel `bun:"table:like,alias:l" json:"-"`

	UserID int64     `bun:"user_id,pk" json:"user_id"`
	PostID int64     `bun:"post_id,pk" json:"post_id"`
	Date   Timestamp `bun:"date" json:"date"`
}
