package store

// The data of each kind of event: the one definition from which the
// server's event stream, the CLI's `-f -o json` and the OpenAPI document's
// schemas are all written.

// PostDeleted is a post.deleted event's data.
type PostDeleted struct {
	ID int64 `json:"id"`
}

// PostCounts is a post.counts event's data: the post's counts now.
type PostCounts struct {
	ID         int64 `json:"id"`
	Likes      int64 `json:"likes"`
	ReplyCount int64 `json:"reply_count"`
}

// Empty is the data of the events that carry none (reset).
type Empty struct{}

// Data is the event's data as the front ends write it: a *Post for post
// and post.updated, a PostDeleted, a PostCounts, a *Notification, or Empty.
func (e *Event) Data() any {
	switch e.Kind {
	case EventPost, EventPostUpdated:
		return e.Post
	case EventPostDeleted:
		return PostDeleted{ID: e.PostID}
	case EventPostCounts:
		return PostCounts{ID: e.PostID, Likes: e.Likes, ReplyCount: e.ReplyCount}
	case EventNotification:
		return e.Notification
	}
	return Empty{}
}
