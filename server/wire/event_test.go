package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
)

// TestEventDataIsTheStoresShape: a stream event's data line is
// store.Event.Data as encoding/json writes it, the value the CLI's
// `-f -o json` prints and whose type the OpenAPI document describes; the
// payloads used to be written three times, by hand.
func TestEventDataIsTheStoresShape(t *testing.T) {
	post := samplePost(7, "hello \"there\"", "ann", nil, time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC))
	events := []store.Event{
		{ID: 1, Kind: store.EventPost, Post: &post, PostID: 7},
		{ID: 2, Kind: store.EventPostUpdated, Post: &post, PostID: 7},
		{ID: 3, Kind: store.EventPostDeleted, PostID: 7},
		{ID: 3, Seq: 2, Kind: store.EventPostCounts, PostID: 7, Likes: 4, ReplyCount: 9},
		{ID: 4, Kind: store.EventReset},
	}
	for _, e := range events {
		frame := string(AppendEvent(nil, &e))
		_, data, ok := strings.Cut(frame, "\ndata: ")
		if !ok || !strings.HasSuffix(data, "\n\n") {
			t.Fatalf("%s: not an event frame: %q", e.Kind, frame)
		}
		want, err := json.Marshal(e.Data())
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(data, "\n\n"); got != string(want) {
			t.Errorf("%s: data %s, want %s", e.Kind, got, want)
		}
	}
	if got := string(AppendEvent(nil, &events[3])); !strings.HasPrefix(got, "id: 3.2\nevent: post.counts\n") {
		t.Errorf("a counts flush's id: %q", got)
	}
}
