package store

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Live events: every change someone sees (a post, an edit, a deletion, a
// like) is recorded by triggers in the outbox table `event`, in the
// transaction that makes it, and read back by one hub per process
// (eventhub.go), which fans it out in memory to its subscribers. Front ends
// call Subscribe and Next; none of them talks to the database's
// notifications.

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
}

// SubscribeOptions tune a subscription.
type SubscribeOptions struct {
	// After resumes after this event ID (an SSE client's Last-Event-ID);
	// negative starts with what happens next.
	After int64
	// AfterSeq, with After, resumes after the post.counts event (After,
	// AfterSeq) (an SSE id "After.AfterSeq").
	AfterSeq int
	// Buffer is how many events may wait for Next before the subscriber is
	// cut off (ErrSlowSubscriber); 0 is 1024.
	Buffer int
	// OnReady, when set, is called (and must not block) whenever an event
	// is queued or the subscription ends: a subscriber without a goroutine
	// of its own learns when to call TryNext.
	OnReady func()
	// CatchUpCounts, with After, first sends the counts of the posts whose
	// likes or replies changed in the seconds before After: a client whose
	// last event was After's may have missed the counts flushed after it,
	// and the replay after After does not carry them.
	CatchUpCounts bool
}

// Errors that end a subscription.
var (
	// ErrSlowSubscriber: more events waited than the buffer holds.
	ErrSlowSubscriber = errors.New("subscriber too slow: more events waited than its buffer holds")
	// ErrStreamClosed: the subscription or the store was closed.
	ErrStreamClosed = errors.New("stream closed")
)

// Subscribe starts a subscription. A user or post stream of a user or post
// that does not exist is ErrUserNotFound or ErrPostNotFound; a home stream
// takes the reader's follows as they are now.
func (s *Store) Subscribe(ctx context.Context, st Stream, opt SubscribeOptions) (*Subscription, error) {
	sub := &Subscription{stream: st, buffer: opt.Buffer, wake: make(chan struct{}, 1), onReady: opt.OnReady}
	if sub.buffer <= 0 {
		sub.buffer = 1024
	}
	switch st.Kind {
	case StreamUser:
		if err := s.userExists(ctx, st.UserID); err != nil {
			return nil, err
		}
	case StreamPost:
		if err := s.postExists(ctx, st.PostID); err != nil {
			return nil, err
		}
	case StreamHome:
		ids, err := s.followingIDs(ctx, st.UserID)
		if err != nil {
			return nil, err
		}
		sub.following = make(map[int64]bool, len(ids))
		for _, id := range ids {
			sub.following[id] = true
		}
	}
	h, err := s.events.get(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := h.join(ctx, sub, opt.After, opt.AfterSeq, opt.CatchUpCounts); err != nil {
		h.leave(sub)
		return nil, err
	}
	return sub, nil
}

// EventPosition is where the live events stand now, without a query once
// the process listens. A front end that takes it before reading a list and
// subscribes with After at it misses no post committed after the read, and
// need not wait for the subscription before reading. A commit this process
// signalled before the call is read by the hub first; still, one made just
// before may lie beyond the position (another process's, a hub just
// started, or one held back behind a transaction open elsewhere), and then
// comes too: readers drop what their list already showed.
func (s *Store) EventPosition(ctx context.Context) (int64, error) {
	h, err := s.events.get(ctx, s)
	if err != nil {
		return 0, err
	}
	return h.position(ctx, time.Second), nil
}

// matches says whether the subscription carries e.
func (sub *Subscription) matches(e *Event) bool {
	st := sub.stream
	if e.Kind == EventAccount || st.Kind == StreamAccount {
		return e.Kind == EventAccount && st.Kind == StreamAccount && e.AuthorID == st.UserID
	}
	top := e.ParentID == nil
	switch st.Kind {
	case StreamPublic:
		return top || st.Replies
	case StreamHome:
		return (e.AuthorID == st.UserID || sub.following[e.AuthorID]) && (top || st.Replies)
	case StreamUser:
		return e.AuthorID == st.UserID && (top || st.Replies)
	case StreamPost:
		return e.PostID == st.PostID || (e.ParentID != nil && *e.ParentID == st.PostID)
	}
	return false
}
