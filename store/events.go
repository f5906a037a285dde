package store

import (
	"sync"
)

// Live events: every change someone sees (a post, an edit, a deletion, a
// like) is recorded by triggers in the outbox table `event`, in the
// transaction that makes it, and read back by one hub per process
// (package store/live, through Outbox), which fans it out in memory to its
// subscribers. Front ends subscribe there; none of them talks to the
// database's notifications.

// EventKind names an event as the API's streams do.
type EventKind string

// The events of a stream.
const (
	EventPost        EventKind = "post"
	EventPostUpdated EventKind = "post.updated"
	EventPostDeleted EventKind = "post.deleted"
	EventPostCounts  EventKind = "post.counts"
	// EventAccount says an account's tokens were revoked or the account
	// deleted (AuthorID names it); only StreamAccount carries it.
	EventAccount EventKind = "account"
	// EventReset says events were missed (a resume from before the replay
	// window): the subscriber should reload what it shows.
	EventReset EventKind = "reset"
	// EventHidden says member AuthorID now hides member Other (a block,
	// either side, or a mute), EventShown that one reason to is gone.
	// Subscriptions count the reasons (store/live); no stream carries them.
	EventHidden EventKind = "hidden"
	EventShown  EventKind = "shown"
	// EventNotification is a notification for member AuthorID; their home
	// streams carry it (docs/API.md §3c).
	EventNotification EventKind = "notification"
)

// Event is one change. ID grows with time across the whole service (every
// process on the database agrees on it); a subscriber resumes after the
// last ID it saw.
type Event struct {
	ID int64
	// Seq numbers the post.counts events that follow the event at ID (a
	// flush of the counts changed since, at most once a second), from 1;
	// 0 for every other event. (ID, Seq) is an event's own place: the wire
	// writes it "ID.Seq".
	Seq      int
	Kind     EventKind
	Post     *Post // EventPost and EventPostUpdated
	PostID   int64
	AuthorID int64
	ParentID *int64
	// Likes and ReplyCount are the post's counts, for EventPostCounts.
	Likes, ReplyCount int64
	// Other is the member hidden or shown, for EventHidden and EventShown.
	Other int64
	// KeyRemoved marks an EventAccount that only removed an SSH key: it
	// ends the sessions that key opened, not the member's signed streams.
	KeyRemoved bool
	// Notification is EventNotification's, as its recipient sees it; nil
	// when it is gone (its post was deleted).
	Notification *Notification
	// Memo keeps what a front end made of the event (the server's encoded
	// frame), made once for all the subscribers it reaches.
	Memo *Memo
}

// Memo is one value computed once, by whichever subscriber asks first.
type Memo struct {
	once sync.Once
	b    []byte
}

// Bytes returns the memo's bytes, making them with make on first use.
func (m *Memo) Bytes(make func() []byte) []byte {
	if m == nil {
		return make()
	}
	m.once.Do(func() { m.b = make() })
	return m.b
}

// StreamKind chooses what a subscription carries.
type StreamKind int

// The streams, as the API names them.
const (
	StreamPublic  StreamKind = iota // every top-level post
	StreamHome                      // posts by whom UserID follows, and UserID's own
	StreamUser                      // UserID's posts
	StreamPost                      // post PostID's changes and its direct replies'
	StreamAccount                   // UserID's account: EventAccount only
)

// Stream is what a subscriber wants.
type Stream struct {
	Kind    StreamKind
	Replies bool  // replies too (public, home and user streams)
	UserID  int64 // home: the reader; user: the author
	PostID  int64 // post stream
	// Viewer is the member looking (0: anyone): what they hide is left
	// out (docs/API.md §3c). A home stream's viewer is its reader.
	Viewer int64
	// Signed: a stream opened with the Seer's token. It also carries the
	// EventAccount that revokes it (a sign-out everywhere, a suspension,
	// the account's deletion; not a key's removal), on which it ends.
	Signed bool
}

// Seer is the member whose hidden set filters the stream; 0 for anyone
// and for the operator (OperatorView), whose streams hide nothing.
func (st Stream) Seer() int64 {
	if st.Kind == StreamHome {
		return st.UserID
	}
	return max(st.Viewer, 0)
}
