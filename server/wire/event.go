package wire

import (
	"encoding/json"
	"strconv"

	"github.com/pamps/pamps/store"
)

// AppendEvent writes one event in the text/event-stream format; its data
// is one line of JSON (JSON has no raw newlines): store.Event.Data, posts
// by the hand-written encoder.
func AppendEvent(b []byte, e *store.Event) []byte {
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, e.ID, 10)
	if e.Seq > 0 { // a post.counts flush after the event at ID: its own id
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(e.Seq), 10)
	}
	b = append(b, "\nevent: "...)
	b = append(b, e.Kind...)
	b = append(b, "\ndata: "...)
	switch data := e.Data().(type) {
	case *store.Post:
		b = appendPost(b, data)
	default:
		raw, err := json.Marshal(data)
		if err != nil { // the data types are plain structs of numbers
			raw = []byte("{}")
		}
		b = append(b, raw...)
	}
	return append(b, "\n\n"...)
}
