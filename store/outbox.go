package store

import (
	"context"
	"log/slog"
	"time"
)

// Outbox is what the live events' hub (package store/live) reads of the
// database: the outbox table the triggers write, the posts and counts its
// events carry, and the signals that something was written. The hub and
// its subscriptions are plumbing; what an event is, and who may see it,
// stay here.
type Outbox struct{ s *Store }

// Outbox gives the live events' hub its reads.
func (s *Store) Outbox() Outbox { return Outbox{s} }

// OutboxPage is how many events or posts one read takes at most.
const OutboxPage = 500

// Cursor is where a new hub starts: after every final event.
func (o Outbox) Cursor(ctx context.Context) (int64, error) { return o.s.eventCursor(ctx) }

// Read reads up to limit final events after a position, posts filled in;
// held says a later one waits for an earlier transaction.
func (o Outbox) Read(ctx context.Context, after int64, limit int) (events []Event, held bool, err error) {
	return o.s.readEvents(ctx, after, limit)
}

// Replay reads the events of (from, to], with the counts that likes and
// replies changed following what changed them, posts as they are now.
func (o Outbox) Replay(ctx context.Context, from, to int64, limit int) ([]Event, error) {
	return o.s.replayEvents(ctx, from, to, limit)
}

// Counts reads the counts of posts as post.counts events (those gone are
// left out).
func (o Outbox) Counts(ctx context.Context, ids []int64) ([]Event, error) {
	return o.s.postCounts(ctx, ids)
}

// RecentCounts reads the counts, as they are now, of the posts whose likes
// or replies changed in the seconds before the event at position at.
func (o Outbox) RecentCounts(ctx context.Context, at int64) ([]Event, error) {
	return o.s.recentCounts(ctx, at)
}

// Newest is the highest position written, final or not.
func (o Outbox) Newest(ctx context.Context) (int64, error) {
	var pos int64
	return pos, o.s.queryRow(ctx, []any{&pos}, `SELECT coalesce(max(pos), 0) FROM event`)
}

// Current gives the post and post.updated events the posts as they are
// now, and none (Post nil) for a post deleted since: the outbox keeps each
// as it was written.
func (o Outbox) Current(ctx context.Context, events []Event) error {
	return o.s.currentPosts(ctx, events)
}

// Horizon is the highest position pruned.
func (o Outbox) Horizon(ctx context.Context) (int64, error) { return o.s.eventHorizon(ctx) }

// Prune deletes the events older than the replay window (StreamReplay),
// up to the position upTo (the caller's hub has fanned out what is there),
// and raises the horizon past them; PruneEvery is how often to. A hub held
// back (on PostgreSQL, by an old transaction anywhere in the cluster)
// longer than the window must not find its next events pruned: they would
// reach no subscriber.
func (o Outbox) Prune(ctx context.Context, upTo int64) error {
	return o.s.pruneEvents(ctx, o.s.replay, upTo)
}

// PruneEvery is how often the outbox is pruned for its replay window.
func (o Outbox) PruneEvery() time.Duration { return min(max(o.s.replay/4, time.Second), time.Minute) }

// StreamStart is what a subscription starts from: whom a home stream's
// reader follows, and whom the viewer hides, once for each reason (a
// block either way, a mute), as at HiddenAt: the EventHidden and
// EventShown events that instant includes are in Hidden already.
type StreamStart struct {
	Following []int64
	Hidden    []int64
	HiddenAt  *Instant
}

// Check says whether a stream may be subscribed to: a user or post stream
// of a user or post that does not exist, or that the viewer may not see,
// is ErrUserNotFound or ErrPostNotFound.
func (o Outbox) Check(ctx context.Context, st Stream) (start StreamStart, err error) {
	viewer := st.Seer()
	switch st.Kind {
	case StreamUser:
		_, err = o.s.queryUser(ctx, o.s.as(ctx, viewer).profile(), "", nil, "WHERE u.id = ?", st.UserID)
	case StreamPost:
		err = o.s.postOpenTo(ctx, st.PostID, viewer)
	case StreamHome:
		start.Following, err = o.s.followingIDs(ctx, st.UserID)
	}
	if err == nil && viewer > 0 {
		start.Hidden, start.HiddenAt, err = o.s.hiddenNow(ctx, viewer)
	}
	return start, err
}

// OnChange calls wake after each commit of this process that recorded
// events, until stop.
func (o Outbox) OnChange(wake func()) (stop func()) { return o.s.sql.OnChange(wake) }

// Listen calls wake when another process commits events (PostgreSQL's
// NOTIFY; on SQLite, a look every so often), until ctx ends.
func (o Outbox) Listen(ctx context.Context, every time.Duration, wake func()) {
	o.s.sql.Listen(ctx, every, wake)
}

// Logger is the store's logger.
func (o Outbox) Logger() *slog.Logger { return o.s.log }
